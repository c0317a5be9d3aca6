package dev.herald.security.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Api;
import dev.herald.testing.MicroProcess;
import dev.herald.testing.SharedCluster;
import java.net.http.HttpRequest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A send token and an admin token against the running WAR: the send token does what a site's
 * backend does, and gets 403 problem+json, before resource matching, on every other protected
 * route. Runs on the {@link SharedCluster}'s instance "a", configured with one token of each scope
 * (the admin one is {@link Api#TOKEN}); it only reads Redis there and starts jobs for no subscription.
 */
@ExtendWith(SharedCluster.Extension.class)
class TokenScopesIT {

    static final String SEND_TOKEN = SharedCluster.SEND_TOKEN;
    static final String ADMIN_TOKEN = Api.TOKEN;

    static MicroProcess micro;
    static Api anonymous;
    static Api send;
    static Api admin;

    @BeforeAll
    static void start(SharedCluster shared) {
        micro = shared.cluster().get("a");
        anonymous = new Api(micro.uri("/"));
        send = anonymous.withToken(SEND_TOKEN);
        admin = anonymous.withToken(ADMIN_TOKEN);
    }

    static String random32() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Test
    void aSendTokenNotifiesAndReadsTheReportAndTheList() {
        var notified = send.post("api/notify", "{\"title\":\"Shipped\",\"subscriptions\":[\"" + UUID.randomUUID() + "\"]}");
        assertThat(notified.status()).as(notified.body()).isEqualTo(202);
        String id = notified.json().getString("id");

        var report = send.get("api/notifications/" + id);
        assertThat(report.status()).as(report.body()).isEqualTo(200);
        assertThat(report.json().getString("id")).isEqualTo(id);
        var list = send.get("api/notifications");
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        assertThat(list.json().containsKey("items")).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"DELETE, api/users/u-1", "GET, api/users/u-1/subscriptions", "GET, api/audience",
        "DELETE, api/notifications/0f8fad5b-d9cb-469f-a165-70867728950e", "GET, api/diagnostics"})
    void aSendTokenOnAnAdminRouteIs403ProblemSayingItNeedsAnAdminToken(String method, String path) {
        var reply = send.send(send.request(path).method(method, HttpRequest.BodyPublishers.noBody()).build());
        assertThat(reply.status()).as(reply.body()).isEqualTo(403);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.json().getInt("status")).isEqualTo(403);
        assertThat(reply.json().getString("detail")).contains("needs an admin token");
        assertThat(reply.header("WWW-Authenticate")).contains("error=\"insufficient_scope\"", "scope=\"admin\"");
        assertThat(reply.body() + reply.headers().map()).doesNotContain(SEND_TOKEN).doesNotContain(ADMIN_TOKEN);
    }

    @Test
    void anAdminTokenPassesWhereTheSendTokenIsRefused() {
        assertThat(admin.get("api/notifications").status()).isEqualTo(200);
        var cancel = admin.delete("api/notifications/" + UUID.randomUUID());
        assertThat(cancel.status()).as("past the filter to the resource: no such job").isEqualTo(404);
    }

    @Test
    void noTokenAWrongOneOrTheScopePrefixAsPartOfTheTokenIs401EvenOnAdminRoutes() {
        assertThat(anonymous.get("api/notifications").status()).isEqualTo(401);
        assertThat(anonymous.delete("api/users/u-1").status()).isEqualTo(401);
        var wrong = anonymous.withToken(random32()).delete("api/users/u-1");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.header("WWW-Authenticate")).contains("invalid_token");
        assertThat(anonymous.withToken("send:" + SEND_TOKEN).get("api/notifications").status()).isEqualTo(401);
    }

    @Test
    void neitherTokenAppearsInTheServerLog() {
        assertThat(send.delete("api/users/u-1").status()).isEqualTo(403);
        assertThat(micro.log()).contains("API tokens from herald.api.tokens: 1 send, 1 admin")
                .doesNotContain(SEND_TOKEN).doesNotContain(ADMIN_TOKEN);
    }
}
