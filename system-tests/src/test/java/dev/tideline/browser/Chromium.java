package dev.tideline.browser;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.json.Json;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A headless Chromium driven by Selenium, from the machine's own {@code chromium} and
 * {@code chromedriver} (Debian's {@code chromium} and {@code chromium-driver}; {@code .ci/run}
 * installs them), never downloaded. Where they cannot be found the test is skipped, saying why.
 * {@code TIDELINE_CHROMIUM} and {@code TIDELINE_CHROMEDRIVER} name other binaries.
 */
public final class Chromium implements AutoCloseable {

    /** A desktop Chrome's user agent: headless Chrome says "HeadlessChrome", which is a robot's. */
    public static final String DESKTOP_CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/156.0.0.0 Safari/537.36";

    private final ChromeDriver driver;
    private final List<Map<String, Object>> requests = new ArrayList<>();

    private Chromium(ChromeDriver driver) {
        this.driver = driver;
    }

    /** A new browser with an empty profile, announcing itself as {@link #DESKTOP_CHROME}. */
    public static Chromium start() {
        Path browser = find("TIDELINE_CHROMIUM", "chromium", "chromium-browser", "google-chrome");
        Path driver = find("TIDELINE_CHROMEDRIVER", "chromedriver");
        assumeTrue(
                browser != null && driver != null,
                "no chromium and chromedriver on the PATH: apt-get install chromium chromium-driver"
                        + " (.ci/run does), or set TIDELINE_CHROMIUM and TIDELINE_CHROMEDRIVER");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--window-size=1280,900",
                // A page under test keeps its timers: without these, Chromium may count a headless
                // window as hidden and hold back its timers, and a page polling every second went a
                // minute without a read while the machine was loaded.
                "--disable-background-timer-throttling",
                "--disable-backgrounding-occluded-windows",
                "--disable-renderer-backgrounding",
                "--user-agent=" + DESKTOP_CHROME);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver.toFile())
                .usingAnyFreePort()
                .build();
        return new Chromium(new ChromeDriver(service, options));
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Runs a script in the current page and returns what it returns. */
    public Object js(String script, Object... arguments) {
        return driver.executeScript(script, arguments);
    }

    /**
     * Every request the browser has sent so far, as its DevTools reported it: {@code method},
     * {@code url} and {@code headers}.
     */
    public List<Map<String, Object>> requests() {
        Json json = new Json();
        for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE)) {
            Map<String, Object> message = json.toType(entry.getMessage(), Map.class);
            @SuppressWarnings("unchecked")
            Map<String, Object> inner = (Map<String, Object>) message.get("message");
            if ("Network.requestWillBeSent".equals(inner.get("method"))) {
                @SuppressWarnings("unchecked")
                Map<String, Object> params = (Map<String, Object>) inner.get("params");
                @SuppressWarnings("unchecked")
                Map<String, Object> request = (Map<String, Object>) params.get("request");
                requests.add(request);
            }
        }
        return List.copyOf(requests);
    }

    /** Saves what the page shows under {@code target/screenshots/}, and returns the file. */
    public Path screenshot(String name) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "screenshots"));
            Path file = dir.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }

    private static Path find(String variable, String... names) {
        String given = System.getenv(variable);
        if (given != null && !given.isBlank()) {
            return Files.isExecutable(Path.of(given)) ? Path.of(given) : null;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : names) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }
}
