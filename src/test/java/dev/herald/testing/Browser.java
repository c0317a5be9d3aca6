package dev.herald.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.devtools.DevTools;
import org.openqa.selenium.devtools.v156.log.Log;
import org.openqa.selenium.devtools.v156.runtime.Runtime;
import org.openqa.selenium.devtools.v156.serviceworker.ServiceWorker;
import org.openqa.selenium.devtools.v156.serviceworker.model.RegistrationID;

/**
 * Debian's headless Chromium driven by its chromedriver, one fresh profile per instance.
 * Never downloads a browser or driver: without /usr/bin/chromium it fails and says what to install.
 */
public final class Browser implements AutoCloseable {

    public static final Path CHROMIUM = Path.of(System.getProperty("herald.it.chromium", "/usr/bin/chromium"));
    public static final Path CHROMEDRIVER = Path.of(System.getProperty("herald.it.chromedriver", "/usr/bin/chromedriver"));
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");

    final ChromeDriver driver;
    final DevTools devTools;
    final Path profile;
    final List<String> consoleErrors = new CopyOnWriteArrayList<>();
    final Map<String, RegistrationID> workers = new ConcurrentHashMap<>();
    final List<String> workerVersions = new CopyOnWriteArrayList<>();

    Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
        this.devTools = driver.getDevTools();
        devTools.createSession();
        devTools.send(Log.enable());
        devTools.send(Runtime.enable());
        devTools.addListener(Log.entryAdded(), entry -> {
            if (entry.getLevel() == org.openqa.selenium.devtools.v156.log.model.LogEntry.Level.ERROR) {
                consoleErrors.add(entry.getSource() + ": " + entry.getText() + entry.getUrl().map(url -> " (" + url + ")").orElse(""));
            }
        });
        devTools.addListener(Runtime.consoleAPICalled(), call -> {
            if (call.getType() == org.openqa.selenium.devtools.v156.runtime.model.ConsoleAPICalled.Type.ERROR) {
                consoleErrors.add("console.error: " + call.getArgs().stream()
                        .map(arg -> String.valueOf(arg.getValue().orElse(arg.getDescription().orElse(""))))
                        .toList());
            }
        });
        devTools.addListener(Runtime.exceptionThrown(), thrown -> consoleErrors.add("uncaught: "
                + thrown.getExceptionDetails().getException().flatMap(e -> e.getDescription()).orElse(thrown.getExceptionDetails().getText())));
        devTools.addListener(ServiceWorker.workerRegistrationUpdated(), registrations -> registrations.forEach(registration -> {
            if (registration.getIsDeleted()) {
                workers.remove(registration.getScopeURL());
            } else {
                workers.put(registration.getScopeURL(), registration.getRegistrationId());
            }
        }));
        devTools.addListener(ServiceWorker.workerErrorReported(), error -> consoleErrors.add("service worker: "
                + error.getErrorMessage() + " (" + error.getSourceURL() + ":" + error.getLineNumber() + ")"));
        devTools.addListener(ServiceWorker.workerVersionUpdated(), versions -> versions.forEach(version -> workerVersions.add(
                version.getRegistrationId() + "/" + version.getVersionId() + " " + version.getStatus() + " " + version.getRunningStatus())));
        devTools.send(ServiceWorker.enable());
    }

    public static Browser start() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("The page tests run in Debian's headless Chromium, and " + CHROMIUM + " or "
                    + CHROMEDRIVER + " is missing. Install them: apt-get install -y chromium chromium-driver (.ci/run does).");
        }
        // Debian's driver and browser only: Selenium Manager (which would download them) is never asked
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        try {
            Path profile = Files.createTempDirectory("herald-chromium-");
            var options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1280,900", "--user-data-dir=" + profile);
            Files.createDirectories(Path.of("target"));
            var service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile()) // never Selenium Manager
                    .usingAnyFreePort()
                    .withLogFile(new File("target/chromedriver.log"))
                    .build();
            return new Browser(new ChromeDriver(service, options), profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the script in every new document of this browser before the page's own scripts. */
    public void beforePageScripts(String source) {
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", source));
    }

    public void cdp(String command, Map<String, Object> parameters) {
        driver.executeCdpCommand(command, parameters);
    }

    public void grantNotifications(String origin) {
        cdp("Browser.grantPermissions", Map.of("origin", origin, "permissions", List.of("notifications")));
    }

    public void denyNotifications(String origin) {
        cdp("Browser.setPermission", Map.of("origin", origin, "permission", Map.of("name", "notifications"), "setting", "denied"));
    }

    public void open(String url) {
        driver.get(url);
    }

    public void reload() {
        driver.navigate().refresh();
    }

    public String state() {
        return find("#herald").getAttribute("data-state");
    }

    /** Waits until the page is in that state and returns its status text. */
    public String awaitState(String state, Duration timeout) {
        await(() -> state.equals(state()) ? Boolean.TRUE : null, timeout, () -> "state " + state + ", but it is " + state()
                + " saying: " + text("#status") + "; console errors: " + consoleErrors);
        return text("#status");
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    public String text(String css) {
        return find(css).getText();
    }

    public boolean visible(String css) {
        return find(css).isDisplayed();
    }

    public void click(String css) {
        find(css).click();
    }

    public Object script(String source, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(source, args);
    }

    /** Runs an async script; the script calls `arguments[arguments.length - 1]` with its result. */
    public Object asyncScript(String source, Object... args) {
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        return ((JavascriptExecutor) driver).executeAsyncScript(source, args);
    }

    /** Service-worker version changes seen, for failure messages. */
    public List<String> workerVersions() {
        return List.copyOf(workerVersions);
    }

    public List<String> consoleErrors() {
        return List.copyOf(consoleErrors);
    }

    public RegistrationID awaitWorker(String scope, Duration timeout) {
        return await(() -> workers.get(scope), timeout, () -> "a service worker registration for " + scope + ", have " + workers.keySet());
    }

    public void deliverPush(String origin, RegistrationID registration, String data) {
        devTools.send(ServiceWorker.deliverPushMessage(origin, registration, data));
    }

    public void emulate(boolean phone, boolean dark) {
        if (phone) {
            cdp("Emulation.setDeviceMetricsOverride", Map.of("width", 375, "height", 812, "deviceScaleFactor", 2, "mobile", true));
        } else {
            cdp("Emulation.clearDeviceMetricsOverride", Map.of());
        }
        cdp("Emulation.setEmulatedMedia", Map.of("features",
                List.of(Map.of("name", "prefers-color-scheme", "value", dark ? "dark" : "light"))));
    }

    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T await(Supplier<T> probe, Duration timeout, Supplier<String> expected) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value;
            try {
                value = probe.get();
            } catch (org.openqa.selenium.StaleElementReferenceException redrawn) {
                // the page drew that element again between finding and reading it: look again
                value = null;
            }
            if (value != null) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Waited " + timeout.toSeconds() + " s for " + expected.get());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    public static String resource(String name) {
        try (var in = Browser.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            devTools.close();
        } finally {
            driver.quit();
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            } catch (IOException e) {
                // a leftover temp profile is harmless
            }
        }
    }
}
