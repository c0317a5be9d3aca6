package dev.herald.webhooks.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The Herald-Signature header against vectors computed independently with openssl. */
class SignatureTest {

    static final String BODY = "{\"id\":\"1733112000000-0\",\"type\":\"subscription.removed\"}";

    @Test
    void v1IsTheHexHmacSha256OfTheTimestampADotAndTheBody() {
        // printf '%s' '1733112000.{"id":"1733112000000-0","type":"subscription.removed"}' | openssl dgst -sha256 -hmac 'whsec-first-0123456789'
        assertThat(Signature.header(List.of("whsec-first-0123456789"), 1733112000L, BODY))
                .isEqualTo("t=1733112000,v1=42d0deccd79139eec97dc42104e7bab0e69a3cb633e5953333d72d4a2ed72771");
    }

    @Test
    void everySecretGetsItsOwnV1InTheOrderConfigured() {
        // the second: the same with -hmac 'whsec-second-abcdefghij'
        assertThat(Signature.header(List.of("whsec-first-0123456789", "whsec-second-abcdefghij"), 1733112000L, BODY))
                .isEqualTo("t=1733112000,v1=42d0deccd79139eec97dc42104e7bab0e69a3cb633e5953333d72d4a2ed72771"
                        + ",v1=e3c27a256bbc0339ef94d659ed3107c9d0bf47485071ed8cda9e0192ccc43731");
    }

    @Test
    void aDifferentBodyOrTimeGivesADifferentSignature() {
        String signed = Signature.header(List.of("whsec-first-0123456789"), 1733112000L, BODY);
        assertThat(Signature.header(List.of("whsec-first-0123456789"), 1733112001L, BODY)).isNotEqualTo(signed);
        assertThat(Signature.header(List.of("whsec-first-0123456789"), 1733112000L, BODY + " ")).isNotEqualTo(signed);
    }
}
