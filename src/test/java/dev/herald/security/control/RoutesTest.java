package dev.herald.security.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.security.entity.Scope;
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
        "POST, notifications/" + ID + "/events", "GET, r/AbC-_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
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
        "PUT, subscriptions/" + ID + "/user", "DELETE, subscriptions/" + ID + "/user", "DELETE, users/u-1", "GET, audience",
        "GET, notifications/" + ID + "/events", "POST, notifications/all/events", "POST, notifications/" + ID + "/events/x",
        "POST, r/token", "GET, r", "GET, r/a/b", "GET, r/a;x=1", "DELETE, r/a",
    })
    void everythingElseNeedsTheToken(String method, String path) {
        assertThat(Routes.isPublic(method, path)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
        "POST, notify", "POST, /notify", "GET, notifications/" + ID, "HEAD, notifications/" + ID, "GET, notifications",
        "GET, /notifications", "PUT, subscriptions/" + ID + "/user", "DELETE, subscriptions/" + ID + "/user", "GET, vapid/keys",
    })
    void aSendTokenMayNotifyReadReportsAndBindUsers(String method, String path) {
        assertThat(Routes.requiredScope(method, path)).isEqualTo(Scope.SEND);
    }

    @ParameterizedTest
    @CsvSource({
        "DELETE, notifications/" + ID, "DELETE, users/u-1", "GET, users/u-1/subscriptions", "GET, audience",
        "POST, keys/rotate", "GET, diagnostics", "GET, admin", "GET, ''", "POST, vapid/rotate", "DELETE, vapid/keys/abc",
        "GET, vapid/keys/abc", "POST, vapid/keys", "DELETE, vapid/keys",
        "PUT, notifications/" + ID, "POST, notifications", "DELETE, notifications", "GET, notifications/stats",
        "GET, notifications/" + ID + "/subscriptions", "GET, notifications/../users/u-1", "GET, notifications/" + ID + "/../../audience",
        "GET, notifications/" + ID + ";x=1", "GET, notify", "PUT, notify", "OPTIONS, notify", "POST, notify/", "POST, notify;dry_run=1",
        "POST, notify/../users/u-1", "GET, subscriptions/" + ID + "/user", "POST, subscriptions/" + ID + "/user",
        "PATCH, subscriptions/" + ID + "/user", "PUT, subscriptions/count/user", "DELETE, subscriptions/../user",
        "PUT, subscriptions/" + ID + "/user/x", "GET, subscriptions",
    })
    void everyOtherProtectedRouteNeedsAnAdminTokenIncludingRoutesAddedLater(String method, String path) {
        assertThat(Routes.requiredScope(method, path)).isEqualTo(Scope.ADMIN);
    }

    @ParameterizedTest
    @CsvSource({"POST, subscribe, subscribe", "POST, subscriptions/" + ID + "/test, test",
        "POST, notifications/" + ID + "/events, events", "GET, r/some-token, events"})
    void subscribeTestAndEngagementAreLimited(String method, String path, String bucket) {
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
