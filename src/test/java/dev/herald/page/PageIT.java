package dev.herald.page;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Api;
import dev.herald.testing.Browser;
import dev.herald.testing.MicroProcess;
import dev.herald.testing.PushServiceStub;
import dev.herald.testing.TestRedis;
import dev.herald.testing.TestSubscriber;
import jakarta.json.Json;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The subscribe page and its service worker in real headless Chromium, against the WAR on
 * Payara Micro with real Redis. Only the browser's push service is stubbed (push-stub.js).
 */
@ExtendWith(ArquillianExtension.class)
class PageIT {

    static final Duration WAIT = Duration.ofSeconds(20);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, MicroProcess.WAR.toFile());
    }

    @ArquillianResource
    URL url;

    Api api;
    String page;
    String origin;
    Browser browser;
    TestSubscriber subscriber;

    @BeforeEach
    void open() {
        api = Api.at(url);
        page = api.request("").build().uri().toString();
        URI uri = URI.create(page);
        origin = uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort();
        browser = Browser.start();
        subscriber = TestSubscriber.create();
    }

    @AfterEach
    void close() {
        browser.close();
    }

    void stubPush(Map<String, Object> overrides) {
        var config = new HashMap<String, Object>(Map.of(
                "endpoint", subscriber.endpoint(), "p256dh", subscriber.p256dh(), "auth", subscriber.authSecret()));
        config.putAll(overrides);
        var json = Json.createObjectBuilder(config).build().toString();
        browser.beforePageScripts(Browser.resource("/page/push-stub.js").replace("__CONFIG__", json));
    }

    void stubPush() {
        stubPush(Map.of());
    }

    String subscribe() {
        browser.grantNotifications(origin);
        browser.open(page);
        browser.awaitState("default", WAIT);
        browser.click("#subscribe");
        browser.awaitState("subscribed", WAIT);
        return browser.text("#subscription-id");
    }

    @Test
    void pageLoadsWithoutErrorsRegistersItsWorkerAndOffersToSubscribe() {
        stubPush();
        browser.open(page);

        String status = browser.awaitState("default", WAIT);

        assertThat(status).contains("Notifications are off");
        assertThat(browser.visible("#subscribe")).isTrue();
        assertThat(browser.find("#subscribe").getTagName()).isEqualTo("button");
        assertThat(browser.find("#status").getAttribute("aria-live")).isEqualTo("polite");
        assertThat(browser.awaitWorker(page, WAIT)).isNotNull();
        assertThat(browser.asyncScript("navigator.serviceWorker.ready.then(r => arguments[0](r.active.scriptURL))"))
                .isEqualTo(page + "sw.js");
        screenshots("default");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    /** Sets the browser's zone (the machine's is often UTC) and answers it as the page reads it. */
    String browserZone(String zone) {
        browser.cdp("Emulation.setTimezoneOverride", Map.of("timezoneId", zone));
        return (String) browser.script("return Intl.DateTimeFormat().resolvedOptions().timeZone");
    }

    @Test
    void subscribeStoresOneRecordWithTheBrowserKeysAndZoneAndReloadShowsSubscribed() {
        stubPush();
        // not the machine's zone (often UTC), so that only the browser can have sent it
        String zone = browserZone("Asia/Tokyo");
        var before = TestRedis.snapshot(TestRedis.PREFIX);

        String id = subscribe();

        var after = TestRedis.snapshot(TestRedis.PREFIX);
        var added = after.keySet().stream().filter(key -> !before.containsKey(key) && key.contains("subscription:")).toList();
        assertThat(added).containsExactly(TestRedis.PREFIX + "subscription:" + id);
        assertThat(TestRedis.client().hget(TestRedis.PREFIX + "subscription:" + id, "subscription"))
                .contains(subscriber.endpoint(), subscriber.p256dh(), subscriber.authSecret());
        assertThat(browser.find("#subscription-json").getAttribute("textContent"))
                .contains(subscriber.endpoint(), subscriber.p256dh());
        assertThat(browser.script("return localStorage.getItem('herald.subscription-id')")).isEqualTo(id);
        assertThat(zone).as("what the browser reports").isEqualTo("Asia/Tokyo");
        assertThat(api.get("api/subscriptions/" + id).json().getString("timezone")).isEqualTo(zone);

        browser.reload();
        browser.awaitState("subscribed", WAIT);

        assertThat(browser.text("#subscription-id")).isEqualTo(id);
        assertThat(browser.visible("#send-test")).isTrue();
        assertThat(TestRedis.snapshot(TestRedis.PREFIX)).isEqualTo(after);
        assertThat(browser.consoleErrors()).isEmpty();
        screenshots("subscribed");
        browser.emulate(false, false);
        browser.click("#herald details summary");
        browser.screenshot("subscribed-details-desktop-light");
    }

    @Test
    void aStoredZoneThatIsMissingOrStaleIsUpdatedOnTheNextVisitUnderTheSameId() {
        stubPush();
        browserZone("Europe/Berlin");
        String id = subscribe();
        // as stored before the page sent zones
        assertThat(api.post("api/subscribe", subscriber.json()).status()).isEqualTo(200);
        assertThat(api.get("api/subscriptions/" + id).json().containsKey("timezone")).isFalse();

        browser.reload();
        browser.awaitState("subscribed", WAIT);

        assertThat(browser.text("#subscription-id")).isEqualTo(id);
        assertThat(api.get("api/subscriptions/" + id).json().getString("timezone")).isEqualTo("Europe/Berlin");

        // the visitor travelled
        browserZone("America/St_Johns");
        browser.reload();
        browser.awaitState("subscribed", WAIT);

        assertThat(browser.text("#subscription-id")).isEqualTo(id);
        assertThat(api.get("api/subscriptions/" + id).json().getString("timezone")).isEqualTo("America/St_Johns");
        assertThat(browser.text("#status-note")).as("no note for a silent update").isEmpty();
        assertThat(browser.consoleErrors()).isEmpty();
        assertThat(api.delete("api/subscriptions/" + id).status()).isEqualTo(204);
    }

    @Test
    void unsubscribeRemovesTheRecordAndReportsBothOutcomes() {
        stubPush();
        var before = TestRedis.snapshot(TestRedis.PREFIX);
        subscribe();

        browser.click("#unsubscribe");
        String status = browser.awaitState("unsubscribed", WAIT);

        assertThat(status).contains("Server: your subscription is deleted.", "Browser: unsubscribed from its push service.");
        assertThat(TestRedis.snapshot(TestRedis.PREFIX)).isEqualTo(before);
        assertThat(browser.asyncScript("navigator.serviceWorker.ready.then(r => r.pushManager.getSubscription())"
                + ".then(s => arguments[0](s === null))")).isEqualTo(true);
        assertThat(browser.visible("#subscribe")).isTrue();
        screenshots("unsubscribed");
    }

    @Test
    void serverRefusalShowsTheProblemDetail() {
        String refused = "https://push.example.net/send/" + java.util.UUID.randomUUID();
        stubPush(Map.of("endpoint", refused));
        String expected = api.post("api/subscribe", TestSubscriber.json(refused, subscriber.p256dh(), subscriber.authSecret(), "null"))
                .json().getString("detail");
        var before = TestRedis.snapshot(TestRedis.PREFIX);
        browser.grantNotifications(origin);
        browser.open(page);
        browser.awaitState("default", WAIT);

        browser.click("#subscribe");
        String status = browser.awaitState("server-error", WAIT);

        assertThat(status).contains("HTTP 400", expected);
        assertThat(browser.visible("#retry")).isTrue();
        assertThat(TestRedis.snapshot(TestRedis.PREFIX)).isEqualTo(before);
        screenshots("server-error");
    }

    @Test
    void deniedPermissionExplainsHowToAllowAgain() {
        stubPush();
        browser.denyNotifications(origin);
        browser.open(page);

        String status = browser.awaitState("denied", WAIT);

        assertThat(status).contains("blocked", "Site settings", "reload");
        assertThat(browser.find("#subscribe").isDisplayed()).isFalse();
        screenshots("denied");
    }

    @Test
    void pushServiceThatNeverAnswersEndsInATimeoutMessage() {
        stubPush(Map.of("hang", true));
        var before = TestRedis.snapshot(TestRedis.PREFIX);
        browser.grantNotifications(origin);
        browser.open(page);
        browser.awaitState("default", WAIT);

        browser.click("#subscribe");
        browser.awaitState("subscribing", WAIT);
        assertThat(browser.find("#herald").getAttribute("aria-busy")).isEqualTo("true");
        screenshots("subscribing");
        String status = browser.awaitState("push-error", Duration.ofSeconds(30));

        assertThat(status).contains("push service did not answer", "15 seconds");
        assertThat(browser.visible("#subscribe")).isTrue();
        assertThat(TestRedis.snapshot(TestRedis.PREFIX)).isEqualTo(before);
        screenshots("push-timeout");
    }

    @Test
    void browserWithoutPushIsToldSo() {
        stubPush(Map.of("withoutPush", true));
        browser.open(page);

        assertThat(browser.awaitState("unsupported", WAIT)).contains("cannot receive notifications");
        assertThat(browser.find("#subscribe").isDisplayed()).isFalse();
        screenshots("unsupported");
    }

    @Test
    void iPhoneSafariOutsideTheHomeScreenIsToldToAddIt() {
        browser.cdp("Emulation.setUserAgentOverride", Map.of("userAgent",
                "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
                "platform", "iPhone"));
        stubPush(Map.of("withoutPush", true));
        browser.open(page);

        assertThat(browser.awaitState("ios-install", WAIT)).contains("Home Screen", "Add to Home Screen");
        screenshots("ios-install");
    }

    @Test
    void subscriptionTheServerForgotIsRegisteredAgain() {
        stubPush();
        String id = subscribe();
        assertThat(api.delete("api/subscriptions/" + id).status()).isEqualTo(204);

        browser.reload();
        String status = browser.awaitState("subscribed", WAIT);

        assertThat(status).contains("registered again");
        String again = browser.text("#subscription-id");
        assertThat(TestRedis.client().hget(TestRedis.PREFIX + "subscription:" + again, "subscription"))
                .contains(subscriber.endpoint(), subscriber.p256dh());
        assertThat(browser.script("return localStorage.getItem('herald.subscription-id')")).isEqualTo(again);
    }

    @Test
    void subscriptionMadeWithAnotherServerKeyIsReplaced() {
        stubPush();
        String id = subscribe();
        String serverKey = api.get("api/subscribe").json().getString("public_key");
        String otherKey = TestSubscriber.create().p256dh();
        browser.script("const s = JSON.parse(localStorage.getItem('__herald_test_subscription'));"
                + "s.key = arguments[0]; localStorage.setItem('__herald_test_subscription', JSON.stringify(s));", otherKey);

        browser.reload();
        String status = browser.awaitState("subscribed", WAIT);

        assertThat(status).contains("key changed");
        assertThat(browser.script("return JSON.parse(localStorage.getItem('__herald_test_subscription')).key")).isEqualTo(serverKey);
        assertThat(browser.script("return JSON.parse(sessionStorage.getItem('__herald_test_calls')).unsubscribe")).isEqualTo(1L);
        String renewed = browser.text("#subscription-id");
        assertThat(TestRedis.client().exists(TestRedis.PREFIX + "subscription:" + renewed)).isTrue();
        if (!renewed.equals(id)) {
            assertThat(TestRedis.client().exists(TestRedis.PREFIX + "subscription:" + id)).isFalse();
        }
    }

    @Test
    void serviceWorkerShowsPushedNotificationsAndAGenericOneForEmptyOrBrokenPayloads() {
        stubPush();
        browser.grantNotifications(origin);
        browser.open(page);
        browser.awaitState("default", WAIT);
        var worker = browser.awaitWorker(page, WAIT);
        // a push reaches only an activated worker; `ready` already resolves while it activates, and
        // the page is controlled once activate (clients.claim) has finished
        Browser.await(() -> Boolean.TRUE.equals(browser.asyncScript("navigator.serviceWorker.ready"
                + ".then(r => arguments[0](r.active.state === 'activated' && navigator.serviceWorker.controller !== null))"))
                ? Boolean.TRUE : null, WAIT, () -> "an activated worker controlling the page");

        push(worker, "{\"title\":\"Build 42 is green\",\"body\":\"All 311 tests passed.\","
                + "\"url\":\"reports/42?tab=tests\",\"tag\":\"build\"}");
        var shown = notifications(1);
        assertThat(shown.get(0)).containsEntry("title", "Build 42 is green").containsEntry("body", "All 311 tests passed.")
                .containsEntry("url", page + "reports/42?tab=tests").containsEntry("tag", "build")
                .containsEntry("icon", page + "icons/icon-192.png");

        push(worker, "");
        push(worker, "not json {");
        var generic = notifications(3).stream().filter(n -> !"build".equals(n.get("tag"))).toList();
        assertThat(generic).hasSize(2).allSatisfy(n -> assertThat(n)
                .containsEntry("title", "Herald").containsEntry("body", "You have a new notification").containsEntry("url", page));
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void testNotificationReachesOnlyThisVisitorOncePerIntervalAndShows() throws InterruptedException {
        try (var pushService = PushServiceStub.start(api.get("api/subscribe").json().getString("public_key"))) {
            var other = pushService.subscriber("other");
            String otherId = api.post("api/subscribe", other.json()).json().getString("id");
            subscriber = pushService.subscriber("visitor");
            stubPush();
            String id = subscribe();

            browser.click("#send-test");
            Browser.await(() -> browser.text("#status-note").contains("Test notification sent") ? Boolean.TRUE : null, WAIT,
                    () -> "a sent note, have: " + browser.text("#status"));

            var delivered = pushService.awaitDeliveries("visitor", 1, WAIT);
            assertThat(delivered).hasSize(1);
            var message = Json.createReader(new java.io.StringReader(delivered.get(0).payload())).readObject();
            assertThat(message.getString("title")).isEqualTo("Herald test notification");
            assertThat(pushService.deliveries("other")).isEmpty();
            assertThat(pushService.rejections()).isEmpty();

            browser.click("#send-test");
            Browser.await(() -> browser.text("#status-note").contains("try again in") ? Boolean.TRUE : null, WAIT,
                    () -> "a rate-limit note, have: " + browser.text("#status"));
            var again = api.post("api/subscriptions/" + id + "/test", "{\"title\":\"ignored\"}");
            assertThat(again.status()).isEqualTo(429);
            assertThat(again.contentType()).startsWith("application/problem+json");
            assertThat(Integer.parseInt(again.header("Retry-After"))).isBetween(1, 30);
            assertThat(pushService.deliveries("visitor")).hasSize(1);
            assertThat(api.post("api/subscriptions/" + java.util.UUID.randomUUID() + "/test", "{}").status()).isEqualTo(404);
            assertThat(api.post("api/subscriptions/not-an-id/test", "{}").status()).isEqualTo(400);
            screenshots("test-sent");

            // what the push service received is what the service worker shows
            var worker = browser.awaitWorker(page, WAIT);
            push(worker, delivered.get(0).payload());
            assertThat(notifications(1).get(0)).containsEntry("title", "Herald test notification").containsEntry("url", page);
            assertThat(pushService.deliveries("other")).isEmpty();
            assertThat(TestRedis.client().exists(TestRedis.PREFIX + "subscription:" + otherId)).isTrue();
        }
    }

    /**
     * Delivers a push and lets the worker show it before anyone lists notifications: Chrome's
     * getNotifications() deletes a notification it finds stored but not yet displayed, so a
     * listing racing the display loses it (seen in about a third of tries when polling at once).
     */
    void push(org.openqa.selenium.devtools.v156.serviceworker.model.RegistrationID worker, String data) {
        browser.deliverPush(origin, worker, data);
        sleep(3000);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> notifications(int atLeast) {
        return Browser.await(() -> {
            sleep(900);
            var list = (List<Map<String, Object>>) browser.asyncScript("navigator.serviceWorker.ready"
                    + ".then(r => r.getNotifications())"
                    + ".then(all => arguments[0](all.map(n => ({title: n.title, body: n.body, tag: n.tag, icon: n.icon,"
                    + " url: n.data && n.data.url}))))");
            return list.size() >= atLeast ? list : null;
        }, WAIT, () -> atLeast + " notifications; worker versions " + browser.workerVersions() + "; errors " + browser.consoleErrors()
                + "; probe " + browser.asyncScript("navigator.serviceWorker.ready.then(r => r.showNotification('probe')"
                + ".then(() => r.getNotifications())).then(all => arguments[0](Notification.permission + ' ' + all.map(n => n.title)),"
                + " e => arguments[0]('failed: ' + e))"));
    }

    void screenshots(String state) {
        for (boolean phone : new boolean[] {false, true}) {
            for (boolean dark : new boolean[] {false, true}) {
                browser.emulate(phone, dark);
                browser.screenshot(state + "-" + (phone ? "phone" : "desktop") + "-" + (dark ? "dark" : "light"));
            }
        }
        browser.emulate(false, false);
    }
}
