package dev.herald.engagement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Api;
import dev.herald.testing.Browser;
import dev.herald.testing.DeclarativeMessage;
import dev.herald.testing.MicroProcess;
import dev.herald.testing.PushServiceStub;
import dev.herald.testing.TestRedis;
import dev.herald.testing.TestSubscriber;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rich notifications and engagement end to end: a Payara Micro with herald.public-url, real Redis,
 * the decrypting push-service stub, and real headless Chromium running the real page and service
 * worker. Only the browser's push service is stubbed (push-stub.js); what the stub received is
 * handed to the worker as the push (DevTools ServiceWorker.deliverPushMessage).
 */
class EngagementIT {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String PREFIX = TestRedis.PREFIX.replaceFirst(":$", "") + "-engagement:";
    static final String TOKEN_PATTERN = "[A-Za-z0-9_-]{64}";

    static MicroProcess herald;
    static Api api;
    static String page;
    static String origin;

    @BeforeAll
    static void start() throws IOException {
        int port = MicroProcess.freePort();
        page = "http://127.0.0.1:" + port + "/";
        origin = "http://127.0.0.1:" + port;
        herald = MicroProcess.start(Map.of(
                "herald.public-url", page,
                "herald.redis.url", TestRedis.URL,
                "herald.redis.prefix", PREFIX,
                "herald.push.allow-insecure", "true",
                "herald.push.allowed-hosts", "127.0.0.1",
                "herald.api.tokens", Api.TOKEN,
                "herald.limits.subscribe-per-minute", "0"), port, Duration.ofMinutes(4));
        api = new Api(herald.uri("/")).authorized();
    }

    @AfterAll
    static void stop() {
        if (herald != null) {
            herald.close();
        }
        TestRedis.deleteAll(PREFIX);
    }

    @Test
    void aDeclarativePushShowsWithItsActionsCountsShownOnceAndItsLinksCountAClickAndLand() throws Exception {
        try (var stub = PushServiceStub.start(api.get("api/subscribe").json().getString("public_key"));
             var browser = Browser.start()) {
            var visitor = stub.subscriber("visitor");
            String id = subscribe(browser, visitor);

            var notify = api.post("api/notify", "{\"title\":\"Sale\",\"body\":\"Today only\",\"url\":\"/?from=push\",\"tag\":\"sale\","
                    + "\"require_interaction\":true,\"badge_count\":3,\"data\":{\"order\":42},\"lang\":\"en\","
                    + "\"actions\":[{\"action\":\"open\",\"title\":\"Open it\",\"url\":\"/?from=action\"},{\"action\":\"later\",\"title\":\"Later\"}],"
                    + "\"subscriptions\":[\"" + id + "\"]}");
            assertThat(notify.status()).as(notify.body()).isEqualTo(202);
            String job = notify.json().getString("id");
            String payload = stub.awaitDeliveries("visitor", 1, WAIT).get(0).payload();

            // what Safari would parse: the W3C rules, with every link absolute
            assertThat(DeclarativeMessage.problem(payload, false)).isNull();
            var message = DeclarativeMessage.parse(payload);
            assertThat(message.get("web_push").toString()).as("the number, not a string").isEqualTo("8030");
            var n = message.getJsonObject("notification");
            String token = n.getJsonObject("data").getJsonObject("herald").getString("token");
            assertThat(token).matches(TOKEN_PATTERN).doesNotContain(id.replace("-", ""));
            assertThat(n.getString("navigate")).isEqualTo(page + "api/r/" + token);
            assertThat(n.getJsonArray("actions").getJsonObject(0).getString("navigate")).isEqualTo(page + "api/r/" + token + "?action=open");
            assertThat(message.getInt("app_badge")).isEqualTo(3);
            assertThat(message.getBoolean("mutable")).isTrue();
            assertThat(n.getBoolean("mutable")).isTrue();
            assertThat(message.getString("title")).as("legacy field").isEqualTo("Sale");

            // Chromium does not show declarative messages itself: the worker shows the same notification, then reports it
            var worker = browser.awaitWorker(page, WAIT);
            browser.deliverPush(origin, worker, payload);
            // the worker reports after showing; listing only then (Chrome's getNotifications() drops one not yet displayed)
            awaitEngagement(job, e -> e.getInt("shown") == 1, "shown 1");
            var shown = awaitNotifications(browser, 1);
            assertThat(shown.get(0)).containsEntry("title", "Sale").containsEntry("body", "Today only").containsEntry("tag", "sale")
                    .containsEntry("requireInteraction", true).containsEntry("lang", "en")
                    .containsEntry("actions", List.of("open:Open it", "later:Later"));

            // the same push shown again (a replay of its report) counts once; a forged token counts nothing
            var replay = new Api(herald.uri("/")).post("api/notifications/" + job + "/events", "{\"type\":\"shown\",\"token\":\"" + token + "\"}");
            assertThat(replay.status()).isEqualTo(204);
            String forged = token.substring(0, 40) + (token.charAt(40) == 'A' ? 'B' : 'A') + token.substring(41);
            var forgery = new Api(herald.uri("/")).post("api/notifications/" + job + "/events", "{\"type\":\"shown\",\"token\":\"" + forged + "\"}");
            assertThat(forgery.status()).isEqualTo(403);
            assertThat(forgery.contentType()).startsWith("application/problem+json");
            var otherJob = new Api(herald.uri("/")).post("api/notifications/" + UUID.randomUUID() + "/events",
                    "{\"type\":\"shown\",\"token\":\"" + token + "\"}");
            assertThat(otherJob.status()).as("a real token for another job's path").isEqualTo(403);

            // Safari's way to count a click: the link itself, which lands on the job's own URL
            browser.open(n.getString("navigate"));
            Browser.await(() -> String.valueOf(browser.script("return location.href")).equals(page + "?from=push") ? Boolean.TRUE : null,
                    WAIT, () -> "the landing page, at " + browser.script("return location.href"));
            awaitEngagement(job, e -> e.getInt("clicked") == 1, "clicked 1");
            browser.open(n.getJsonArray("actions").getJsonObject(0).getString("navigate"));
            Browser.await(() -> String.valueOf(browser.script("return location.href")).equals(page + "?from=action") ? Boolean.TRUE : null,
                    WAIT, () -> "the action's page, at " + browser.script("return location.href"));
            var engagement = awaitEngagement(job, e -> e.getJsonObject("actions").getInt("open", 0) == 1, "action open 1");
            assertThat(engagement.getInt("clicked")).as("one push, clicked twice: once").isEqualTo(1);
            assertThat(engagement.getInt("shown")).isEqualTo(1);
            assertThat(engagement.getInt("closed")).isZero();
            assertThat(engagement.getBoolean("approximate")).isFalse();
            var forgedClick = new Api(herald.uri("/")).send(java.net.http.HttpRequest.newBuilder(herald.uri("/api/r/" + forged)).build());
            assertThat(forgedClick.status()).isEqualTo(403);
            assertThat(stub.rejections()).isEmpty();
            assertThat(browser.consoleErrors()).isEmpty();
        }
    }

    /**
     * A click on a notification cannot be made in headless Chromium: this loads the real sw.js with a
     * stand-in `self` (clients, registration) and fetch, and fires its notificationclick listener.
     */
    static final String CLICK = "const [done] = arguments;"
            + "const listeners = {}; const posted = []; const opened = []; const fetched = [];"
            + "const client = { url: 'about:blank', focus: async () => client, postMessage: message => posted.push(message) };"
            + "const worker = { addEventListener: (type, listener) => { listeners[type] = listener; },"
            + " registration: { scope: new URL('./', location.href).href },"
            + " clients: { matchAll: async () => [], openWindow: async url => { opened.push(url); return client; } } };"
            + "const stubFetch = (url, init) => { fetched.push({ url: String(url), body: init.body, keepalive: init.keepalive });"
            + " return Promise.resolve(new Response(null, { status: 204 })); };"
            + "fetch('sw.js', { cache: 'no-store' }).then(response => response.text()).then(source => {"
            + " new Function('self', 'fetch', source)(worker, stubFetch);"
            + " let work = null;"
            + " listeners.notificationclick({ action: 'open', notification: { close() {}, data: { url: 'https://shop.example.com/',"
            + "  actions: { open: 'https://shop.example.com/open' }, app: { order: 42 },"
            + "  herald: { notification: '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d', token: 'A'.repeat(64) } } },"
            + "  waitUntil: promise => { work = promise; } });"
            + " return work; })"
            + ".then(() => done(JSON.stringify({ posted, opened, fetched })), error => done('failed: ' + error));";

    @Test
    void aClickOnAnActionOpensItsLinkHandsTheSitesDataToThatPageAndReportsTheClick() {
        try (var browser = Browser.start()) {
            // the stand-in needs eval, which the page's CSP rightly forbids
            browser.cdp("Page.setBypassCSP", Map.of("enabled", true));
            browser.open(page);
            String answer = String.valueOf(browser.asyncScript(CLICK));
            assertThat(answer).as("the worker's click handler ran").startsWith("{");
            var result = Json.createReader(new java.io.StringReader(answer)).readObject();
            assertThat(result.getJsonArray("opened").getString(0)).isEqualTo("https://shop.example.com/open");
            assertThat(result.getJsonArray("posted").getJsonObject(0).toString())
                    .as("the data in a message, never in the URL").isEqualTo("{\"type\":\"herald-notification-click\",\"data\":{\"order\":42}}");
            var report = result.getJsonArray("fetched").getJsonObject(0);
            assertThat(report.getString("url")).isEqualTo(page + "api/notifications/0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d/events");
            assertThat(report.getBoolean("keepalive")).isTrue();
            assertThat(report.getString("body")).isEqualTo("{\"type\":\"clicked\",\"token\":\"" + "A".repeat(64) + "\",\"action\":\"open\"}");
        }
    }

    String subscribe(Browser browser, TestSubscriber subscriber) {
        var config = Json.createObjectBuilder(Map.of("endpoint", subscriber.endpoint(), "p256dh", subscriber.p256dh(),
                "auth", subscriber.authSecret())).build().toString();
        browser.beforePageScripts(Browser.resource("/page/push-stub.js").replace("__CONFIG__", config));
        browser.grantNotifications(origin);
        browser.open(page);
        browser.awaitState("default", WAIT);
        browser.click("#subscribe");
        browser.awaitState("subscribed", WAIT);
        return browser.text("#subscription-id");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> awaitNotifications(Browser browser, int atLeast) {
        return Browser.await(() -> {
            var list = (List<Map<String, Object>>) browser.asyncScript("navigator.serviceWorker.ready"
                    + ".then(r => r.getNotifications())"
                    + ".then(all => arguments[0](all.map(n => ({title: n.title, body: n.body, tag: n.tag, lang: n.lang,"
                    + " requireInteraction: n.requireInteraction, actions: (n.actions || []).map(a => a.action + ':' + a.title)}))))");
            return list.size() >= atLeast ? list : null;
        }, WAIT, () -> atLeast + " notifications; errors " + browser.consoleErrors());
    }

    static JsonObject awaitEngagement(String job, java.util.function.Predicate<JsonObject> done, String what) {
        return Browser.await(() -> {
            var engagement = api.get("api/notifications/" + job).json().getJsonObject("engagement");
            return done.test(engagement) ? engagement : null;
        }, WAIT, () -> what + ", have " + api.get("api/notifications/" + job).json().getJsonObject("engagement"));
    }
}
