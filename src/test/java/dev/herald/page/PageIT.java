package dev.herald.page;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Api;
import dev.herald.testing.Browser;
import dev.herald.testing.MicroProcess;
import dev.herald.testing.PushServiceStub;
import dev.herald.testing.TestRedis;
import dev.herald.testing.TestSubscriber;
import jakarta.json.Json;
import jakarta.json.JsonString;
import java.io.IOException;
import java.io.StringReader;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The subscribe page and its service worker in real headless Chromium, against the WAR on
 * Payara Micro with real Redis. Only the browser's push service is stubbed (push-stub.js).
 * The shared Payara declares no channels, so every test there also checks that the page looks as it
 * does without them; the channel tests run the page on a Payara Micro of their own that declares
 * {@link #CHANNELS} (withChannels, started by the first of them).
 */
@ExtendWith(ArquillianExtension.class)
class PageIT {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final String CHANNELS = "news=News,offers=Offers and sales";
    /** Beside the run's prefix, not under it: the shared instance's tests compare snapshots of theirs. */
    static final String CHANNELS_PREFIX = TestRedis.PREFIX.replaceFirst(":$", "") + "-page-channels:";
    static final String TEST_HOSTS = "127.0.0.1,fcm.googleapis.com,updates.push.services.mozilla.com,web.push.apple.com,.notify.windows.com";

    static MicroProcess withChannels;

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

    @AfterAll
    static void stopServerWithChannels() {
        if (withChannels != null) {
            withChannels.close();
            TestRedis.deleteAll(CHANNELS_PREFIX);
        }
    }

    /** Points api, page and origin at the Payara Micro that declares CHANNELS, starting it the first time. */
    void useServerWithChannels() throws IOException {
        if (withChannels == null) {
            withChannels = MicroProcess.start(Map.of(
                    "herald.channels", CHANNELS,
                    "herald.redis.url", TestRedis.URL,
                    "herald.redis.prefix", CHANNELS_PREFIX,
                    "herald.push.allow-insecure", "true",
                    "herald.push.allowed-hosts", TEST_HOSTS,
                    "herald.api.tokens", Api.TOKEN,
                    "herald.limits.subscribe-per-minute", "0",
                    "herald.limits.test-per-minute", "0"), MicroProcess.freePort(), Duration.ofMinutes(4));
        }
        api = new Api(withChannels.uri("/"));
        page = withChannels.uri("/").toString();
        origin = page.substring(0, page.length() - 1);
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
        // what is stored, read through the API: the Redis layout of a record is the store's own business
        assertThat(api.get("api/subscriptions/" + id).body()).contains(subscriber.endpoint(), subscriber.p256dh(), subscriber.authSecret());
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
        // as stored before the page sent zones (a re-subscribe without the field keeps the zone; null clears it)
        String withoutZone = subscriber.json().replaceFirst("}$", ",\"timezone\":null}");
        assertThat(api.post("api/subscribe", withoutZone).status()).isEqualTo(200);
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
        assertThat(TestRedis.client().exists(TestRedis.PREFIX + "subscription:" + again)).isTrue();
        assertThat(api.get("api/subscriptions/" + again).body()).contains(subscriber.endpoint(), subscriber.p256dh());
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
    void afterAKeyRotationThePageSubscribesAgainWithTheNewKeyOnTheNextVisit() throws Exception {
        stubPush();
        String id = subscribe();
        String oldKey = api.get("api/subscribe").json().getString("public_key");
        var rotated = api.authorized().post("api/vapid/rotate", "");
        assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
        String newKey = rotated.json().getString("public_key");

        browser.reload();
        String status = browser.awaitState("subscribed", WAIT);

        assertThat(newKey).isNotEqualTo(oldKey);
        assertThat(status).contains("key changed");
        assertThat(browser.script("return JSON.parse(localStorage.getItem('__herald_test_subscription')).key")).isEqualTo(newKey);
        String renewed = browser.text("#subscription-id");
        String fingerprint = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                java.security.MessageDigest.getInstance("SHA-256").digest(java.util.Base64.getUrlDecoder().decode(newKey)));
        assertThat(TestRedis.client().hget(TestRedis.PREFIX + "subscription:" + renewed, "v")).as("made with the new key").isEqualTo(fingerprint);
        if (!renewed.equals(id)) {
            assertThat(TestRedis.client().exists(TestRedis.PREFIX + "subscription:" + id)).isFalse();
        }
        assertThat(browser.consoleErrors()).isEmpty();
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

    @Test
    void channelsChosenBeforeSubscribingAreStoredAndALaterVisitShowsWhatTheServerHas() throws IOException {
        useServerWithChannels();
        stubPush();
        browser.grantNotifications(origin);
        browser.open(page);
        browser.awaitState("default", WAIT);

        assertThat(browser.visible("#channels")).isTrue();
        assertThat(browser.text("#channels legend")).isEqualTo("Notify me about");
        assertThat(browser.text("#channels-hint")).isEqualTo("Choose any, then turn notifications on.");
        assertThat(channelLabels()).containsExactly("News", "Offers and sales");
        assertThat(checkedChannels()).as("nothing is chosen for the visitor").isEmpty();
        browser.click("#channel-offers");
        screenshots("channels-default");
        browser.click("#subscribe");
        browser.awaitState("subscribed", WAIT);
        String id = browser.text("#subscription-id");

        assertThat(storedChannels(id)).containsExactly("offers");
        assertThat(checkedChannels()).containsExactly("offers");
        assertThat(browser.text("#channels-hint")).isEqualTo("A change is saved right away.");
        screenshots("channels-subscribed");

        // changed elsewhere (the API, another tab): the next visit shows the server's set, not the page's memory
        assertThat(api.put("api/subscriptions/" + id + "/channels", "{\"channels\":[\"news\"]}").status()).isEqualTo(200);
        browser.reload();
        browser.awaitState("subscribed", WAIT);

        assertThat(browser.text("#subscription-id")).isEqualTo(id);
        assertThat(checkedChannels()).containsExactly("news");
        assertThat(browser.consoleErrors()).isEmpty();
        assertThat(api.delete("api/subscriptions/" + id).status()).isEqualTo(204);
    }

    @Test
    void changingTheBoxesAfterSubscribingReplacesTheStoredSetAndARefusalShowsTheDetail() throws IOException {
        useServerWithChannels();
        stubPush();
        browser.grantNotifications(origin);
        browser.open(page);
        browser.awaitState("default", WAIT);
        browser.click("#channel-news");
        browser.click("#subscribe");
        browser.awaitState("subscribed", WAIT);
        String id = browser.text("#subscription-id");
        assertThat(storedChannels(id)).containsExactly("news");

        // two changes at once: the page sends one PUT at a time, the last with the whole set
        browser.click("#channel-news");
        browser.click("#channel-offers");

        awaitChannelStatus("Saved: Offers and sales.");
        assertThat(storedChannels(id)).containsExactly("offers");
        assertThat(checkedChannels()).containsExactly("offers");

        browser.click("#channel-offers");

        awaitChannelStatus("Saved: no channels.");
        assertThat(storedChannels(id)).isEmpty();
        screenshots("channels-saved");

        assertThat(api.delete("api/subscriptions/" + id).status()).isEqualTo(204);
        String detail = api.put("api/subscriptions/" + id + "/channels", "{\"channels\":[\"news\"]}").json().getString("detail");
        browser.click("#channel-news");

        String status = awaitChannelStatus("Not saved: " + detail + " The boxes show your last saved choice.");
        assertThat(status).contains(id);
        assertThat(checkedChannels()).as("back to what was last saved").isEmpty();
        assertThat(browser.find("#channels-status").getAttribute("class")).contains("failed");
        screenshots("channels-not-saved");
        assertThat(api.get("api/subscriptions/" + id).status()).isEqualTo(404);
    }

    @Test
    void channelBoxesAreANamedGroupWorkedByKeyboardAndFitAPhoneInLightAndDark() throws IOException {
        useServerWithChannels();
        stubPush();
        browser.grantNotifications(origin);
        browser.open(page);
        browser.awaitState("default", WAIT);

        // what assistive technology reads: a group named by its legend, check boxes named by their labels
        assertThat(browser.find("#channels").getTagName()).isEqualTo("fieldset");
        assertThat(browser.find("#channels").getAriaRole()).isEqualTo("group");
        assertThat(browser.find("#channels").getAccessibleName()).isEqualTo("Notify me about");
        for (String[] channel : new String[][] {{"news", "News"}, {"offers", "Offers and sales"}}) {
            WebElement box = browser.find("#channel-" + channel[0]);
            assertThat(box.getAriaRole()).isEqualTo("checkbox");
            assertThat(box.getAccessibleName()).isEqualTo(channel[1]);
            assertThat(browser.script("const box = arguments[0]; return box.labels.length === 1"
                    + " && box.labels[0].htmlFor === box.id && box.labels[0].contains(box) && box.labels[0].textContent.trim()", box))
                    .as("one label, by for= and by nesting").isEqualTo(channel[1]);
        }
        assertThat(browser.find("#channels-status").getAttribute("role")).isEqualTo("status");
        assertThat(browser.find("#channels-status").getAttribute("aria-live")).isEqualTo("polite");

        // keyboard only: nothing focusable comes before the boxes, so Tab reaches them first, then the button
        browser.find("body").sendKeys(Keys.TAB);
        assertThat(focused()).isEqualTo("channel-news");
        assertThat(browser.script("const box = document.activeElement; return box.matches(':focus-visible')"
                + " && getComputedStyle(box).outlineStyle + ' ' + getComputedStyle(box).outlineWidth")).isEqualTo("solid 3px");
        activeElement().sendKeys(Keys.SPACE);
        activeElement().sendKeys(Keys.TAB);
        assertThat(focused()).isEqualTo("channel-offers");
        activeElement().sendKeys(Keys.TAB);
        assertThat(focused()).isEqualTo("subscribe");
        assertThat(checkedChannels()).containsExactly("news");
        activeElement().sendKeys(Keys.ENTER);
        browser.awaitState("subscribed", WAIT);
        String id = browser.text("#subscription-id");
        assertThat(storedChannels(id)).containsExactly("news");
        browser.find("#channel-offers").sendKeys(Keys.SPACE);
        awaitChannelStatus("Saved: News, Offers and sales.");
        assertThat(storedChannels(id)).containsExactly("news", "offers");

        for (boolean dark : new boolean[] {false, true}) {
            browser.emulate(true, dark);
            String scheme = dark ? "dark" : "light";
            assertThat(browser.script("return matchMedia('(prefers-color-scheme: dark)').matches")).isEqualTo(dark);
            assertThat(browser.script("return document.documentElement.scrollWidth <= innerWidth")).as("no sideways scrolling at 375 px, " + scheme).isEqualTo(true);
            assertThat(browser.script("return innerWidth")).isEqualTo(375L);
            assertThat((Number) browser.script("return Math.min(...[...document.querySelectorAll('.channel')]"
                    + ".map(label => label.getBoundingClientRect().height))")).as("touch targets, " + scheme).satisfies(
                    height -> assertThat(height.doubleValue()).isGreaterThanOrEqualTo(44));
            for (String text : List.of("#channels legend", "#channels-hint", "#channel-news + span", "#channel-offers + span", "#channels-status")) {
                assertThat((Number) browser.script(CONTRAST + "return contrast(document.querySelector(arguments[0]))", text))
                        .as("contrast of %s, %s", text, scheme).satisfies(ratio -> assertThat(ratio.doubleValue()).isGreaterThanOrEqualTo(4.5));
            }
        }
        screenshots("channels-keyboard");
        browser.emulate(false, false);
        assertThat(browser.consoleErrors()).isEmpty();
        assertThat(api.delete("api/subscriptions/" + id).status()).isEqualTo(204);
    }

    /** WCAG contrast of an element's text colour on the first opaque background behind it (opaque text colours). */
    static final String CONTRAST = "const rgba = color => { const [r, g, b, a = 1] = color.match(/[\\d.]+/g).map(Number); return { r, g, b, a }; };"
            + "function luminance({ r, g, b }) {"
            + " const [R, G, B] = [r, g, b].map(v => v / 255).map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);"
            + " return 0.2126 * R + 0.7152 * G + 0.0722 * B; }"
            + "function contrast(text) {"
            + " let behind = text;"
            + " while (rgba(getComputedStyle(behind).backgroundColor).a === 0) { behind = behind.parentElement; }"
            + " const [a, b] = [luminance(rgba(getComputedStyle(text).color)), luminance(rgba(getComputedStyle(behind).backgroundColor))];"
            + " return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05); }";

    @Test
    void withoutDeclaredChannelsThePageHasNoChannelGroupAndSubscribesAsBefore() {
        assertThat(Json.createReader(new StringReader(api.get("api/channels").body())).readArray())
                .as("the shared Payara declares no channels").isEmpty();
        stubPush();
        browser.grantNotifications(origin);
        browser.open(page);
        browser.awaitState("default", WAIT);

        assertThat(browser.script("return document.querySelectorAll('fieldset, input, #channels, #channels-status').length")).isEqualTo(0L);
        browser.click("#subscribe");
        browser.awaitState("subscribed", WAIT);
        String id = browser.text("#subscription-id");

        assertThat(browser.script("return document.querySelectorAll('fieldset, input').length")).isEqualTo(0L);
        assertThat(storedChannels(id)).isEmpty();
        assertThat(browser.consoleErrors()).isEmpty();
        assertThat(api.delete("api/subscriptions/" + id).status()).isEqualTo(204);
    }

    @Test
    void theWorkersRenewalNamesTheOldIdSoTheServerMovesTheChannelsAndDropsTheOldRecord() throws IOException {
        useServerWithChannels();
        stubPush();
        // the test runs sw.js's own listener in the page (Chromium never fires pushsubscriptionchange), which needs eval
        browser.cdp("Page.setBypassCSP", Map.of("enabled", true));
        browser.grantNotifications(origin);
        browser.open(page);
        browser.awaitState("default", WAIT);
        browser.click("#channel-news");
        browser.click("#subscribe");
        browser.awaitState("subscribed", WAIT);
        String oldId = browser.text("#subscription-id");
        var renewed = TestSubscriber.create();

        Object cached = browser.asyncScript(RENEWAL, renewed.endpoint(), renewed.p256dh(), renewed.authSecret());

        assertThat(cached).as("the id the worker keeps").isInstanceOf(String.class).isNotEqualTo(oldId);
        String newId = (String) cached;
        assertThat(api.get("api/subscriptions/" + oldId).status()).as("the old record is gone").isEqualTo(404);
        var record = api.get("api/subscriptions/" + newId).json();
        assertThat(record.getString("endpoint")).isEqualTo(renewed.endpoint());
        assertThat(storedChannels(newId)).containsExactly("news");

        // the browser now holds the renewed subscription: the next visit finds it under the worker's id
        String serverKey = api.get("api/subscribe").json().getString("public_key");
        browser.script("localStorage.setItem('__herald_test_subscription', JSON.stringify({endpoint: arguments[0],"
                + " p256dh: arguments[1], auth: arguments[2], key: arguments[3]}))",
                renewed.endpoint(), renewed.p256dh(), renewed.authSecret(), serverKey);
        browser.reload();
        browser.awaitState("subscribed", WAIT);

        assertThat(browser.text("#subscription-id")).isEqualTo(newId);
        assertThat(browser.text("#status-note")).as("nothing registered again").isEmpty();
        assertThat(checkedChannels()).containsExactly("news");
        assertThat(api.delete("api/subscriptions/" + newId).status()).isEqualTo(204);
    }

    /**
     * Loads sw.js with a stand-in `self` (page globals: fetch, caches), fires its pushsubscriptionchange
     * listener with a new subscription and answers the id then kept in the Cache API.
     */
    static final String RENEWAL = "const [endpoint, p256dh, auth, done] = arguments;"
            + "const listeners = {};"
            + "const worker = { addEventListener: (type, listener) => { listeners[type] = listener; },"
            + " registration: { scope: new URL('./', location.href).href } };"
            + "fetch('sw.js', { cache: 'no-store' }).then(response => response.text()).then(source => {"
            + " new Function('self', source)(worker);"
            + " let work = null;"
            + " listeners.pushsubscriptionchange({ waitUntil: promise => { work = promise; },"
            + "  newSubscription: { toJSON: () => ({ endpoint, expirationTime: null, keys: { p256dh, auth } }) } });"
            + " return work; })"
            + ".then(() => caches.open('herald-state'))"
            + ".then(cache => cache.match(new URL('herald-state/subscription-id', location.href).href))"
            + ".then(response => response ? response.text() : null)"
            + ".then(done, error => done('failed: ' + error));";

    List<String> storedChannels(String id) {
        return api.get("api/subscriptions/" + id).json().getJsonArray("channels").getValuesAs(JsonString::getString);
    }

    @SuppressWarnings("unchecked")
    List<String> checkedChannels() {
        return (List<String>) browser.script("return [...document.querySelectorAll('#channel-list input:checked')].map(box => box.value)");
    }

    @SuppressWarnings("unchecked")
    List<String> channelLabels() {
        return (List<String>) browser.script("return [...document.querySelectorAll('#channel-list label')].map(label => label.textContent.trim())");
    }

    /** Waits until the page has settled its channel changes with that message, and returns it. */
    String awaitChannelStatus(String expected) {
        return Browser.await(() -> {
            String status = browser.text("#channels-status");
            return expected.equals(status) && "false".equals(browser.find("#channels").getAttribute("aria-busy")) ? status : null;
        }, WAIT, () -> "channel status '" + expected + "', have '" + browser.text("#channels-status") + "'; errors " + browser.consoleErrors());
    }

    WebElement activeElement() {
        return (WebElement) browser.script("return document.activeElement");
    }

    String focused() {
        return (String) browser.script("return document.activeElement.id");
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
