package dev.herald.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Api;
import dev.herald.testing.Browser;
import dev.herald.testing.MicroProcess;
import dev.herald.testing.PushServiceStub;
import dev.herald.testing.TestRedis;
import dev.herald.testing.TestSubscriber;
import java.io.IOException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The operator console (/admin/) in real headless Chromium, against one Payara Micro for the class, real Redis
 * and the decrypting push-service stub. One browser for the class too (starting Chromium costs seconds here): each
 * test begins with the console's session storage cleared, signs in through the form and makes the subscriptions it
 * needs. The only console errors allowed are the browser's own "Failed to load resource" lines
 * for the 4xx answers a test provokes on purpose (a wrong token, a refused body): Chromium logs every such answer
 * of fetch. Anything else (a CSP violation, an exception, another failed load) fails the test.
 * Some tests rotate the instance's VAPID key, so every test stands alone in any order: none depends on which key is
 * current, and the stub checks each push's JWT against the key it names (k) rather than the key at start.
 */
class ConsoleIT {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String PREFIX = TestRedis.PREFIX.replaceFirst(":$", "") + "-console:";
    static final String SEND_TOKEN = "console-send-token-0123456789abcdef";
    static final Pattern PROVOKED = Pattern.compile("network: Failed to load resource: the server responded with a status of (400|401|403|409|413) .*");

    static MicroProcess herald;
    static PushServiceStub stub;
    static Api api;
    static String console;
    static Browser browser;

    boolean provokes4xx;
    int errorsBefore;

    @BeforeAll
    static void start() throws IOException {
        int port = MicroProcess.freePort();
        herald = MicroProcess.start(Map.of(
                "herald.redis.url", TestRedis.URL,
                "herald.redis.prefix", PREFIX,
                "herald.channels", "news=News,offers=Offers and sales",
                "herald.push.allow-insecure", "true",
                "herald.push.allowed-hosts", "127.0.0.1",
                "herald.api.tokens", Api.TOKEN + ",send:" + SEND_TOKEN,
                "herald.limits.subscribe-per-minute", "0",
                "herald.limits.test-per-minute", "0"), port, Duration.ofMinutes(4));
        api = new Api(herald.uri("/")).authorized();
        // any k: a rotation makes new subscriptions use another key, and Herald signs each push with its subscription's own
        stub = PushServiceStub.start(null);
        console = herald.uri("/admin/").toString();
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (stub != null) {
            stub.close();
        }
        if (herald != null) {
            herald.close();
        }
        TestRedis.deleteAll(PREFIX);
    }

    @BeforeEach
    void signedOut() {
        browser.emulate(false, false);
        browser.open(console);
        browser.script("sessionStorage.clear()");
        browser.open("about:blank");
        errorsBefore = browser.consoleErrors().size();
    }

    @AfterEach
    void noCspViolationAndNoConsoleError() {
        var errors = browser.consoleErrors().subList(errorsBefore, browser.consoleErrors().size()).stream()
                .filter(error -> !(provokes4xx && PROVOKED.matcher(error).matches())).toList();
        assertThat(errors).as("console errors and CSP violations").isEmpty();
    }

    @Test
    void aWrongTokenIsRefusedClearlyASendTokenTooAndTheAdminTokenOpensTheConsoleKeptInSessionStorageOnly() {
        provokes4xx = true;
        browser.open(console);
        awaitView("sign-in");
        screenshots("sign-in");

        signInWith("not-the-token-0123456789");
        awaitText("#sign-in-error", "That token was not accepted");
        assertThat(browser.find("#token").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.visible("#nav")).isFalse();

        signInWith(SEND_TOKEN);
        awaitText("#sign-in-error", "send token; the console needs an admin token");

        signInWith(Api.TOKEN);
        awaitView("compose");
        assertThat(browser.visible("#nav")).isTrue();
        assertThat(browser.script("return sessionStorage.getItem('herald.console.token')")).isEqualTo(Api.TOKEN);
        assertThat(browser.script("return localStorage.length + document.cookie.length")).isEqualTo(0L);
        assertThat(String.valueOf(browser.script("return location.href"))).doesNotContain(Api.TOKEN);

        browser.click("#sign-out");
        awaitView("sign-in");
        assertThat(browser.script("return sessionStorage.getItem('herald.console.token')")).isNull();
    }

    @Test
    void thePreviewFollowsTheTypedTextAndTheByteCounterHitsTheLimit() {
        provokes4xx = true;
        signIn();
        type("#f-title", "Flash sale");
        type("#f-body", "Everything <b>half</b> price");
        type("#a0-action", "open");
        type("#a0-title", "Show me");

        awaitText("#p-title", "Flash sale");
        assertThat(browser.text("#p-body")).as("as text, never as HTML").isEqualTo("Everything <b>half</b> price");
        assertThat(browser.find("#p-body").findElements(By.tagName("b"))).isEmpty();
        assertThat(browser.text("#p-actions")).isEqualTo("Show me");
        int small = awaitBytes(bytes -> bytes > 0);
        assertThat(small).isLessThan(3993);
        assertThat(browser.find("#bytes").getAttribute("class")).doesNotContain("over");
        screenshots("compose");

        // pasted, as an operator would bring a long text (4,000 key presses take half a minute through the driver)
        browser.find("#f-body").click();
        browser.cdp("Input.insertText", Map.of("text", "y".repeat(4000)));

        int big = awaitBytes(bytes -> bytes > 3993);
        assertThat(browser.find("#bytes").getAttribute("class")).contains("over");
        assertThat(browser.find("#bytes-meter").getAttribute("data-over")).isEqualTo("true");
        awaitText("#form-error", "at most 3993");
        assertThat(big).isGreaterThan(small + 4000);
    }

    @Test
    void sendingToAChannelOf200ShowsTheProgressBarGoFromStartToDoneWithoutReloadAndTheStubReceivesExactly200() throws Exception {
        var names = java.util.stream.IntStream.range(0, 200).mapToObj(i -> "news-" + UUID.randomUUID()).toList();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            for (var done : pool.invokeAll(names.stream().<java.util.concurrent.Callable<String>>map(name -> () -> subscribe(stub.subscriber(name), "news")).toList())) {
                done.get();
            }
        } finally {
            pool.shutdown();
        }
        signIn();
        type("#f-title", "Edition 42");
        type("#f-body", "The news of the day");
        choose("audience", "channels");
        browser.find("#channel-boxes input[value='news']").click();
        // 3,000 a minute: 50 at once, then 50 a second, so the bar has about three seconds to move
        type("#f-throttle", "3000");
        awaitText("#reach", "200");
        browser.script("window.stillTheSamePage = true");

        browser.click("#send");

        awaitView("job");
        var seen = new ArrayList<Integer>();
        Browser.await(() -> {
            // absent until the page has drawn the job's first report
            String settled = browser.find("#job-progress").getAttribute("data-settled");
            if (settled != null) {
                seen.add(Integer.parseInt(settled));
            }
            return "done".equals(browser.text("#job-state")) ? Boolean.TRUE : null;
        }, WAIT, () -> "the job done, saw " + seen);
        seen.add(Integer.parseInt(browser.find("#job-progress").getAttribute("data-settled")));
        assertThat(seen).isSorted();
        assertThat(seen).as("progress seen between start and end").anyMatch(settled -> settled > 0 && settled < 200);
        assertThat(seen.get(seen.size() - 1)).isEqualTo(200);
        assertThat(browser.find("#job-progress").getAttribute("max")).isEqualTo("200");
        assertThat(browser.script("return window.stillTheSamePage === true")).as("no reload").isEqualTo(true);
        assertThat(browser.text("#job-counts")).contains("sent", "200");
        assertThat(browser.visible("#job-cancel")).as("nothing left to cancel").isFalse();
        screenshots("job");

        assertThat(stub.awaitTotalDeliveries(200, WAIT)).isTrue();
        assertThat(names.stream().mapToInt(name -> stub.deliveries(name).size()).sum()).isEqualTo(200);
        assertThat(stub.rejections()).isEmpty();

        browser.open(console + "#/jobs");
        awaitView("jobs");
        var first = Browser.await(() -> browser.findAll("#job-list li").stream().findFirst().orElse(null),
                WAIT, () -> "a job in the list");
        assertThat(first.getText()).contains("Edition 42", "done", "channels news", "sent 200");
        assertThat(first.findElement(By.cssSelector("rect[data-part='sent']")).getAttribute("data-count")).isEqualTo("200");
        screenshots("jobs");
    }

    @Test
    void aScheduledJobCancelledShowsCancelledAndTheStubReceivesNothing() {
        String name = "scheduled-" + UUID.randomUUID();
        String id = subscribe(stub.subscriber(name));
        signIn();
        type("#f-title", "Tomorrow's offer");
        choose("audience", "subscriptions");
        type("#f-subscriptions", id);
        choose("when", "at");
        String inTwoHours = LocalDateTime.now().plusHours(2).truncatedTo(ChronoUnit.MINUTES).format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm"));
        // a datetime-local field takes its value as the browser's locale spells it; the value itself is ISO
        browser.script("const f = document.getElementById('f-send-at'); f.value = arguments[0];"
                + "f.dispatchEvent(new Event('input', {bubbles: true}));", inTwoHours);
        awaitText("#reach", "1");

        browser.click("#send");

        awaitView("job");
        awaitText("#job-state", "scheduled");
        assertThat(browser.text("#job-times")).contains("send at");
        browser.click("#job-cancel");
        assertThat(browser.visible("#job-confirm")).isTrue();
        browser.click("#job-confirm-yes");
        awaitText("#job-state", "cancelled");
        assertThat(browser.visible("#job-cancel")).isFalse();
        String job = String.valueOf(browser.script("return location.hash")).replace("#/jobs/", "");
        assertThat(api.get("api/notifications/" + job).json().getString("state")).isEqualTo("cancelled");
        assertThat(stub.requestCount(name)).isZero();
    }

    @Test
    void sendATestToMeReachesThatOneSubscriptionAndABadIdIsShownBesideItsField() throws Exception {
        provokes4xx = true;
        String name = "tester-" + UUID.randomUUID();
        String id = subscribe(stub.subscriber(name));
        signIn();
        type("#f-title", "Does it look right?");
        type("#f-test-id", "not-an-id");

        browser.click("#send-test");

        awaitText("[data-error-for='test']", "subscriptions must hold subscription ids");
        browser.find("#f-test-id").clear();
        type("#f-test-id", id);
        browser.click("#send-test");
        awaitText("#test-result", "Sent as job");
        assertThat(stub.awaitDeliveries(name, 1, WAIT)).hasSize(1);
        assertThat(stub.deliveries(name).get(0).payload()).contains("Does it look right?");
        assertThat(browser.text("[data-error-for='test']")).isEmpty();
    }

    @Test
    void aServerValidationErrorAppearsBesideItsField() {
        provokes4xx = true;
        signIn();
        type("#f-title", "Links");
        type("#f-url", "javascript:alert(1)");

        awaitText("[data-error-for='/url']", "javascript: is not allowed");
        assertThat(browser.find("#f-url").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.text("#form-error")).isEmpty();

        browser.find("#f-url").clear();
        type("#f-url", "/ok");
        type("#a0-action", "open");
        type("#a0-title", "Open");
        type("#a1-action", "later");
        browser.click("#send");

        awaitText("[data-error-for='/actions/1/title']", "actions[1].title is required");
        assertThat(browser.text("[data-error-for='/url']")).isEmpty();
        assertThat(browser.find("#a1-title").getAttribute("aria-invalid")).isEqualTo("true");
        screenshots("compose-error");
    }

    @Test
    void theAudienceChartsShowTheCountsRedisHolds() {
        for (int i = 0; i < 3; i++) {
            subscribe(stub.subscriber("offers-" + UUID.randomUUID()), "offers");
        }
        subscribe(stub.subscriber("none-" + UUID.randomUUID()));
        signIn();

        browser.open(console + "#/audience");
        awaitView("audience");
        Browser.await(() -> browser.findAll("[data-chart='push_services'] g[data-label]").isEmpty() ? null : true,
                WAIT, () -> "the push-service chart");

        var redis = TestRedis.client();
        assertThat(browser.text("#audience-total")).isEqualTo(String.valueOf(redis.zcard(PREFIX + "subscriptions")));
        assertThat(bars("channels")).isEqualTo(Map.of(
                "news", redis.scard(PREFIX + "channel:news"), "offers", redis.scard(PREFIX + "channel:offers")));
        assertThat(bars("push_services")).isEqualTo(Map.of("127.0.0.1", Long.parseLong(redis.hget(PREFIX + "audience", "host:127.0.0.1"))));
        assertThat(bars("channels").get("offers")).isGreaterThanOrEqualTo(3L);
        var perKey = new java.util.TreeMap<String, Long>();
        redis.hgetAll(PREFIX + "audience").forEach((field, count) -> {
            if (field.startsWith("vapid:") && Long.parseLong(count) > 0) {
                perKey.put(field.substring("vapid:".length()), Long.parseLong(count));
            }
        });
        assertThat(bars("vapid_keys")).isEqualTo(perKey);
        assertThat(perKey.values().stream().mapToLong(Long::longValue).sum()).as("every subscription has its key")
                .isEqualTo(redis.zcard(PREFIX + "subscriptions"));
        screenshots("audience");
    }

    @Test
    void theDiagnosticsPageListsTheDoctorsChecksAndTheExampleSubjectWarnsWithItsFix() {
        signIn();
        browser.open(console + "#/diagnostics");
        awaitView("diagnostics");
        Browser.await(() -> browser.findAll("#diag-checks li[data-check]").isEmpty() ? null : true, WAIT, () -> "the checks");

        var doctor = api.get("api/diagnostics").json();
        var names = doctor.getJsonArray("checks").stream().map(check -> check.asJsonObject().getString("name")).toList();
        assertThat(browser.findAll("#diag-checks li[data-check]").stream().map(li -> li.getAttribute("data-check")))
                .containsExactlyElementsOf(names);
        assertThat(browser.text("#diag-status")).isEqualTo(doctor.getString("status"));
        var subject = browser.find("li[data-check='vapid.subject']");
        assertThat(subject.getAttribute("data-status")).isEqualTo("warn");
        var expected = doctor.getJsonArray("checks").stream().map(check -> check.asJsonObject())
                .filter(check -> check.getString("name").equals("vapid.subject")).findFirst().orElseThrow();
        assertThat(subject.findElement(By.cssSelector(".detail")).getText()).isEqualTo(expected.getString("detail"));
        assertThat(subject.findElement(By.cssSelector(".fix-text")).getText()).isEqualTo(expected.getString("fix")).isNotBlank();
        assertThat(Browser.await(() -> browser.findAll("#key-list li[data-current='true']").size() == 1 ? true : null,
                WAIT, () -> "one current key")).isTrue();
        screenshots("diagnostics");
    }

    @Test
    void rotationWaitsForAConfirmationCancelChangesNothingAndConfirmMakesANewCurrentKeyListedAndServed() {
        signIn();
        browser.open(console + "#/diagnostics");
        awaitView("diagnostics");
        String before = currentKeyShown();
        int keysBefore = api.get("api/vapid/keys").jsonArray().size();

        browser.click("#rotate");
        assertThat(browser.visible("#rotate-confirm")).isTrue();
        browser.click("#rotate-no");
        assertThat(browser.visible("#rotate-confirm")).isFalse();
        assertThat(api.get("api/vapid/keys").jsonArray()).hasSize(keysBefore);
        assertThat(currentKeyServed()).isEqualTo(before);

        browser.click("#rotate");
        browser.click("#rotate-yes");

        String after = Browser.await(() -> before.equals(currentKeyShown()) ? null : currentKeyShown(), WAIT, () -> "a new current key");
        awaitText("#keys-result", after);
        assertThat(currentKeyServed()).isEqualTo(after);
        assertThat(api.get("api/vapid/keys").jsonArray()).hasSize(keysBefore + 1);
        assertThat(browser.script("return document.querySelector(\"#key-list li[data-fingerprint='" + before + "']\").dataset.current"))
                .isEqualTo("false");
    }

    @Test
    void removingAPreviousKeyAsksFirstIsRefusedClearlyWhileUsedAndForceAsksAgainBeforeRemovingItsSubscriptions() {
        provokes4xx = true;
        String old = currentKeyServed();
        String id = subscribe(stub.subscriber("old-key-" + UUID.randomUUID()));
        assertThat(api.post("api/vapid/rotate", "{}").status()).isEqualTo(200);
        signIn();
        browser.open(console + "#/diagnostics");
        awaitView("diagnostics");
        String row = "#key-list li[data-fingerprint='" + old + "']";
        Browser.await(() -> browser.findAll(row).isEmpty() ? null : true, WAIT, () -> "the previous key " + old);

        browser.click(row + " [data-act='remove']");
        assertThat(browser.visible(row + " [data-confirm='remove']")).isTrue();
        browser.click(row + " [data-confirm='remove'] [data-act='no']");
        assertThat(browser.visible(row + " [data-confirm='remove']")).isFalse();
        assertThat(api.get("api/subscriptions/" + id).status()).isEqualTo(200);

        browser.click(row + " [data-act='remove']");
        browser.click(row + " [data-act='remove-yes']");
        awaitText(row + " [data-key-error]", "subscriptions were made with the key " + old);
        assertThat(browser.visible(row + " [data-act='force']")).isTrue();
        assertThat(api.get("api/subscriptions/" + id).status()).isEqualTo(200);
        for (boolean phone : new boolean[] {false, true}) {
            browser.emulate(phone, phone);
            browser.script("arguments[0].scrollIntoView({block: 'center'})", browser.find(row));
            browser.screenshot("console-diagnostics-key-in-use-" + (phone ? "375-dark" : "desktop"));
        }
        browser.emulate(false, false);

        browser.click(row + " [data-act='force']");
        assertThat(browser.visible(row + " [data-confirm='force']")).isTrue();
        browser.click(row + " [data-confirm='force'] [data-act='no']");
        assertThat(api.get("api/subscriptions/" + id).status()).isEqualTo(200);
        String used = browser.find(row).getAttribute("data-subscriptions");
        browser.click(row + " [data-act='force']");
        browser.click(row + " [data-act='force-yes']");

        Browser.await(() -> browser.findAll(row).isEmpty() ? true : null, WAIT, () -> "the key gone from the list");
        assertThat(browser.text("#keys-result")).contains("Removed the key " + old + " and " + used + " subscription");
        assertThat(api.get("api/vapid/keys").jsonArray().stream().map(key -> key.asJsonObject().getString("fingerprint"))).doesNotContain(old);
        assertThat(api.get("api/subscriptions/" + id).status()).isEqualTo(404);
    }

    @Test
    void theConsoleMayShowHttpsImagesThePublicPageMayNotAndTokenProtectedAnswersAreNeverStored() {
        var page = api.get("admin/index.html");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Security-Policy")).startsWith("default-src 'self'; img-src 'self' https:;").contains("frame-ancestors 'none'");
        assertThat(api.get("index.html").header("Content-Security-Policy"))
                .isEqualTo("default-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'");
        assertThat(api.get("api/audience").header("Cache-Control")).isEqualTo("no-store");
        assertThat(api.get("api/notifications").header("Cache-Control")).isEqualTo("no-store");
        assertThat(new Api(herald.uri("/")).get("api/audience").header("Cache-Control")).as("a 401 too").isEqualTo("no-store");
        assertThat(api.get("api/channels").header("Cache-Control")).as("public").isNull();
    }

    // ---- helpers

    String currentKeyShown() {
        // read in one script: the list is drawn again after each answer, so an element found a moment ago may be gone
        return Browser.await(() -> (String) browser.script("const li = document.querySelector(\"#key-list li[data-current='true']\");"
                + " return li ? li.dataset.fingerprint : null;"), WAIT, () -> "the current key in the list");
    }

    static String currentKeyServed() {
        var first = api.get("api/vapid/keys").jsonArray().getJsonObject(0);
        assertThat(first.getBoolean("current")).as("current first").isTrue();
        return first.getString("fingerprint");
    }

    void signIn() {
        browser.open(console);
        awaitView("sign-in");
        signInWith(Api.TOKEN);
        awaitView("compose");
        Browser.await(() -> browser.text("#reach").matches("\\d+") ? true : null, WAIT, () -> "the first dry run");
    }

    void signInWith(String token) {
        var field = browser.find("#token");
        field.clear();
        field.sendKeys(token);
        browser.click("#sign-in");
    }

    void awaitView(String view) {
        Browser.await(() -> view.equals(browser.find("#console").getAttribute("data-view")) ? true : null, WAIT,
                () -> "the view " + view + ", but it is " + browser.find("#console").getAttribute("data-view")
                        + "; console errors: " + browser.consoleErrors());
    }

    void awaitText(String css, String text) {
        Browser.await(() -> browser.text(css).contains(text) ? true : null, WAIT,
                () -> css + " saying " + text + ", but it says '" + browser.text(css) + "'; form error: '"
                        + browser.find("#form-error").getText() + "'");
    }

    int awaitBytes(java.util.function.IntPredicate condition) {
        return Browser.await(() -> {
            String text = browser.text("#bytes");
            return text.matches("\\d+") && condition.test(Integer.parseInt(text)) ? Integer.parseInt(text) : null;
        }, WAIT, () -> "the byte counter, at " + browser.text("#bytes"));
    }

    void type(String css, String text) {
        browser.find(css).sendKeys(text);
    }

    void choose(String group, String value) {
        browser.find("input[name='" + group + "'][value='" + value + "']").click();
    }

    Map<String, Long> bars(String chart) {
        var counts = new LinkedHashMap<String, Long>();
        for (WebElement bar : browser.findAll("[data-chart='" + chart + "'] g[data-label]")) {
            counts.put(bar.getAttribute("data-label"), Long.parseLong(bar.getAttribute("data-count")));
        }
        return counts;
    }

    static String subscribe(TestSubscriber subscriber, String... channels) {
        String json = subscriber.json();
        if (channels.length > 0) {
            json = json.substring(0, json.length() - 1) + ",\"channels\":[\"" + String.join("\",\"", channels) + "\"]}";
        }
        var reply = api.post("api/subscribe", json);
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().getString("id");
    }

    /** Each screen at desktop size in light mode, and at 375 px in dark mode. */
    void screenshots(String screen) {
        browser.emulate(false, false);
        browser.screenshot("console-" + screen + "-desktop");
        browser.emulate(true, true);
        browser.screenshot("console-" + screen + "-375-dark");
        browser.emulate(false, false);
    }
}
