package dev.herald.security.control;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RoutesTest {

    static final String ID = "0f8fad5b-d9cb-469f-a165-70867728950e";

    @ParameterizedTest
    @CsvSource({
        "GET, subscribe", "POST, subscribe", "POST, /unsubscribe", "OPTIONS, subscribe",
        "GET, subscriptions/" + ID, "DELETE, subscriptions/" + ID, "POST, subscriptions/" + ID + "/test",
        "GET, health", "GET, health/ready", "GET, health/live", "GET, openapi.yaml",
        "GET, subscriptions/not-a-uuid", "DELETE, subscriptions/0F8FAD5B", "POST, subscriptions/x1/test",
    })
    void subscriberRoutesArePublic(String method, String path) {
        assertThat(Routes.isPublic(method, path)).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
        "POST, notify", "GET, notifications/" + ID, "GET, notifications", "GET, subscriptions", "GET, subscriptions/stats",
        "DELETE, subscriptions", "PUT, subscribe", "GET, admin", "GET, ''", "POST, subscribe/", "GET, subscriptions/" + ID + "/test",
        "POST, subscriptions/" + ID + "/../../notify", "OPTIONS, notify", "PATCH, subscriptions/" + ID,
        "GET, health/anything", "GET, openapiXyaml", "POST, health", "GET, health/admin", "GET, openapi.yaml/../notifications",
        "GET, subscriptions/count", "DELETE, subscriptions/all", "POST, subscriptions/count/test", "GET, subscriptions/count;x=1",
        "GET, subscriptions/..", "POST, subscriptions/../test", "GET, subscriptions/" + ID + "/keys",
    })
    void everythingElseNeedsTheToken(String method, String path) {
        assertThat(Routes.isPublic(method, path)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"POST, subscribe, subscribe", "POST, subscriptions/" + ID + "/test, test"})
    void subscribeAndTestAreLimited(String method, String path, String bucket) {
        assertThat(Routes.limitBucket(method, path)).contains(bucket);
    }

    @ParameterizedTest
    @CsvSource({"GET, subscribe", "POST, unsubscribe", "POST, notify"})
    void otherRoutesAreNotLimited(String method, String path) {
        assertThat(Routes.limitBucket(method, path)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"subscribe, true", "unsubscribe, true", "notify, false", "notifications/" + ID + ", false", "subscriptions/" + ID + ", false"})
    void corsOnlyForSubscribeAndUnsubscribe(String path, boolean cors) {
        assertThat(Routes.corsEnabled(path)).isEqualTo(cors);
    }
}
