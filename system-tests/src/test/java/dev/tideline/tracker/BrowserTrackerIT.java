package dev.tideline.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tideline.browser.Chromium;
import dev.tideline.localaws.junit.LocalAws;
import dev.tideline.localaws.junit.LocalAwsExtension;
import dev.tideline.localaws.junit.ServiceJvm;
import dev.tideline.localaws.junit.StreamReader;
import dev.tideline.model.event.ClickEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WindowType;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.kinesis.common.InitialPositionInStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Web pages as clients, in a real browser: a shop on its own origin embeds {@code tideline.js} from
 * the ingest service, and every event it sends is counted once by the processor, whatever happens
 * on the way (the tab closed, the rate limit, the ingest service killed). Each test has users of
 * its own, so the tests share one stack; a final event sent after a user's others (a sentinel, on
 * the same shard, so applied after them) proves that no late duplicate is still coming.
 */
class BrowserTrackerIT {

    @RegisterExtension
    static final LocalAwsExtension LOCAL = new LocalAwsExtension();

    private static final String KEY = "pk_browser_test";
    private static final String SECRET = "local-dev-key";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static TestSite shop;
    private static TestSite elsewhere;
    private static ServiceJvm ingest;
    private static ServiceJvm processor;

    @BeforeAll
    static void start() {
        LocalAws aws = LOCAL.aws();
        aws.precreateLeases(aws.names().processorApp(), InitialPositionInStream.TRIM_HORIZON);
        shop = TestSite.start();
        elsewhere = TestSite.start();
        List<String> arguments = new ArrayList<>(aws.ingestArguments());
        arguments.addAll(List.of(
                "--tideline.ingest.beacon.keys[0].key=" + KEY,
                "--tideline.ingest.beacon.keys[0].origins[0]=" + shop.origin(),
                "--tideline.ingest.beacon.keys[1].key=pk_local_demo",
                "--tideline.ingest.beacon.keys[1].origins[0]=http://127.0.0.1:${server.port}",
                // Small enough that one test can exceed them; the tracker's batches are 20.
                "--tideline.ingest.beacon.max-events=20",
                "--tideline.ingest.beacon.max-body=16KB",
                "--tideline.ingest.beacon.client-rate=10",
                "--tideline.ingest.beacon.client-burst=40"));
        ingest = ServiceJvm.startJar("ingest-service", aws.names().stream() + "-ingest", arguments);
        List<String> processorArguments = new ArrayList<>(aws.processorArguments("processor-1"));
        processorArguments.add("--tideline.processor.cors-origins[0]=" + ingestUrl());
        processor = ServiceJvm.startJar("processor-service", aws.names().stream() + "-processor", processorArguments);
        shop.shop(ingestUrl(), KEY);
        elsewhere.shop(ingestUrl(), KEY);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {ingest, processor, shop, elsewhere}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // closing the rest matters more
            }
        }
    }

    private static String ingestUrl() {
        return "http://127.0.0.1:" + ingest.port();
    }

    @Test
    void aPageViewAndClicksReachTheAggregatesOnceEvenThoseSentAsTheTabCloses() throws Exception {
        String user = "shopper-" + UUID.randomUUID();
        try (Chromium browser = Chromium.start()) {
            var driver = browser.driver();
            driver.get(shop.origin() + "/?user=" + user);
            String shopWindow = driver.getWindowHandle();
            click(browser, 2);
            await().atMost(Duration.ofSeconds(30)).until(() -> pending(browser) == 0);
            click(browser, 3);
            browser.screenshot("shop");
            List<Map<String, Object>> sent = browser.requests();
            driver.switchTo().newWindow(WindowType.TAB);
            String other = driver.getWindowHandle();
            driver.switchTo().window(shopWindow).close(); // pagehide: the last three go by sendBeacon
            driver.switchTo().window(other);

            awaitCounted(user, 6);
            assertThat(sent)
                    .as("what the browser sent while the page was open")
                    .noneSatisfy(r -> assertThat(r.get("method")).isEqualTo("OPTIONS"))
                    .allSatisfy(
                            r -> assertThat(String.valueOf(r.get("headers"))).doesNotContainIgnoringCase("x-api-key"));
        }
        assertThat(ingest.metric("http_server_requests_seconds_count", "method=\"OPTIONS\""))
                .isZero();
        List<ClickEvent> onStream = onStream(user);
        // The last three may be on the stream twice: in a flush still on its way as the tab closed
        // (a keepalive fetch, which outlives the page) and in the sendBeacon of what was queued. Their
        // ids made the second copy count nowhere: awaitCounted saw exactly six.
        assertThat(onStream).hasSizeBetween(6, 9);
        assertThat(onStream.stream().map(ClickEvent::eventId).distinct()).hasSize(6);
        assertThat(onStream).allSatisfy(e -> {
            assertThat(e.context().userAgent()).isEqualTo(Chromium.DESKTOP_CHROME);
            assertThat(e.context().ip()).isEqualTo("127.0.0.0");
            assertThat(e.context().browser()).isEqualTo("Chrome 156");
            assertThat(e.context().bot()).isFalse();
        });
        assertThat(onStream).extracting(ClickEvent::eventType).containsOnly("page_view", "add_to_cart");
        assertThat(Files.size(Files.createDirectories(java.nio.file.Path.of("target", "screenshots"))
                        .resolve("shop.png")))
                .isGreaterThan(1_000);
    }

    @Test
    void aPageOnAnOriginTheKeyDoesNotAllowIsRefusedAndWritesNothing() throws Exception {
        String user = "elsewhere-" + UUID.randomUUID();
        double refusedBefore = ingest.metric("tideline_ingest_beacon_refused_total", "reason=\"origin\"");
        try (Chromium browser = Chromium.start()) {
            browser.driver().get(elsewhere.origin() + "/?user=" + user);
            click(browser, 1);
            // Told 403, the tracker gives up on them instead of retrying.
            await().atMost(Duration.ofSeconds(30)).until(() -> pending(browser) == 0);
        }
        assertThat(ingest.metric("tideline_ingest_beacon_refused_total", "reason=\"origin\""))
                .isGreaterThan(refusedBefore);
        assertThat(onStream(user)).isEmpty();
    }

    @Test
    void aPublishableKeyIsNoGoodForTheEventsApiAndASecretKeyIsNoGoodForABeacon() throws Exception {
        var withPublishable =
                ingest.postJson("/v1/events", "{\"user_id\":\"u\",\"event_type\":\"click\"}", "X-Api-Key", KEY);
        var secretInBeacon =
                beacon("/v1/beacon?key=" + SECRET, shop.origin(), "{\"user_id\":\"u\",\"event_type\":\"click\"}", null);

        assertThat(withPublishable.statusCode()).isEqualTo(401);
        assertThat(withPublishable.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(secretInBeacon.statusCode()).isEqualTo(401);
        assertThat(secretInBeacon.body()).contains("a secret key must never be put in a page");
    }

    @Test
    void aPageOverItsRateIsToldToWaitAndItsTrackerDeliversEverythingOnceLater() throws Exception {
        String user = "eager-" + UUID.randomUUID();
        double limitedBefore = ingest.metric("tideline_ingest_beacon_refused_total", "reason=\"rate\"");
        try (Chromium browser = Chromium.start()) {
            browser.driver().get(shop.origin() + "/?user=" + user);
            browser.js("for (var i = 0; i < 120; i++) tideline.track('scroll', { depth: String(i) });");
            await().atMost(Duration.ofSeconds(90)).until(() -> pending(browser) == 0);
        }
        assertThat(ingest.metric("tideline_ingest_beacon_refused_total", "reason=\"rate\""))
                .isGreaterThan(limitedBefore);
        awaitCounted(user, 121);
        assertThat(onStream(user)).extracting(ClickEvent::eventId).doesNotHaveDuplicates();
    }

    @Test
    void eventsTrackedWhileTheIngestServiceIsDownAreKeptAndDeliveredOnceWhenItIsBack() throws Exception {
        String user = "patient-" + UUID.randomUUID();
        try (Chromium browser = Chromium.start()) {
            browser.driver().get(shop.origin() + "/?user=" + user);
            await().atMost(Duration.ofSeconds(30)).until(() -> pending(browser) == 0);
            ingest.kill();
            click(browser, 5);
            await().atMost(Duration.ofSeconds(10)).until(() -> pending(browser) == 5);
            ingest = ingest.restart();
            await().atMost(Duration.ofSeconds(90)).until(() -> pending(browser) == 0);
        }
        awaitCounted(user, 6);
    }

    @Test
    void hostileBeaconsGetCleanProblemsAndWriteNothing() throws Exception {
        String user = "hostile-" + UUID.randomUUID();
        String event = "{\"user_id\":\"" + user + "\",\"event_type\":\"click\"}";

        var garbage = beacon("/v1/beacon?key=" + KEY, shop.origin(), "\u0000\u0001 not json {{{", null);
        var huge = beacon("/v1/beacon?key=" + KEY, shop.origin(), event + "\n" + " ".repeat(40_000), null);
        var wrongKey = beacon("/v1/beacon?key=pk_wrong_key", shop.origin(), event, null);
        var serverSet = beacon("/v1/beacon?key=" + KEY, shop.origin(), event.replace("}", ",\"is_bot\":false}"), null);
        for (var answer : List.of(garbage, huge, wrongKey, serverSet)) {
            assertThat(answer.statusCode()).isBetween(400, 499);
            assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
        assertThat(List.of(garbage.statusCode(), huge.statusCode(), wrongKey.statusCode(), serverSet.statusCode()))
                .containsExactly(400, 413, 401, 400);

        // A forged X-Forwarded-For from a peer that is not a trusted proxy changes nothing; a
        // crawler's user agent makes a robot's event, counted apart.
        String crawler = "crawler-" + UUID.randomUUID();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> beacon(
                                        "/v1/beacon?key=" + KEY,
                                        shop.origin(),
                                        "{\"user_id\":\"" + crawler + "\",\"event_type\":\"page_view\",\"page\":\"/\"}",
                                        "9.9.9.9")
                                .statusCode()
                        == 204);
        awaitCounted(crawler, 1);
        JsonNode activity = activity(crawler);
        assertThat(activity.get("bot_events").asLong())
                .as("the view and the sentinel, both a crawler's")
                .isEqualTo(2);
        assertThat(onStream(crawler)).singleElement().satisfies(e -> {
            assertThat(e.context().ip()).isEqualTo("127.0.0.0");
            assertThat(e.context().bot()).isTrue();
        });
        assertThat(onStream(user)).isEmpty();
    }

    @Test
    void theDemoShopShowsAVisitorTheirOwnActivityFromTheProcessor() throws Exception {
        try (Chromium browser = Chromium.start()) {
            var driver = browser.driver();
            driver.get(ingestUrl() + "/demo/?processor=http://127.0.0.1:" + processor.port());
            // The page view first, then two more events: the page must go on reading after its
            // first answer (it once stopped there, showing the first count for good).
            awaitShown(browser, "1");
            driver.findElement(By.id("add-kite")).click();
            driver.findElement(By.id("add-wax")).click();
            awaitShown(browser, "3");
            assertThat(driver.findElement(By.id("activity-by-type")).getText())
                    .contains("\"add_to_cart\":2")
                    .contains("\"page_view\":1");
            browser.screenshot("demo-shop");

            // Signed in, the visitor is another user, and the panel follows: their one event so far.
            String signedIn = "shopper-" + UUID.randomUUID();
            driver.findElement(By.id("who")).sendKeys(signedIn);
            driver.findElement(By.id("signin")).click();
            awaitShown(browser, "1");
            assertThat(driver.findElement(By.id("activity-user")).getText()).isEqualTo(signedIn);
            assertThat(driver.findElement(By.id("activity-by-type")).getText()).isEqualTo("{\"identify\":1}");
        }
    }

    /** Waits until the demo shop's panel shows {@code events} events; says what it shows if not. */
    private static void awaitShown(Chromium browser, String events) throws Exception {
        var driver = browser.driver();
        try {
            await().atMost(Duration.ofSeconds(60))
                    .ignoreExceptions() // the panel's rows appear with the processor's first answer
                    .until(() -> events.equals(
                            driver.findElement(By.id("activity-events")).getText()));
        } catch (ConditionTimeoutException e) {
            browser.screenshot("demo-shop-failed");
            throw new AssertionError(
                    "the demo shop showed, for "
                            + total(String.valueOf(browser.js("return localStorage.getItem('tideline.user');")))
                            + " events the processor counts, " + pending(browser)
                            + " the tracker holds; reads of the processor sent: "
                            + browser.requests().stream()
                                    .filter(r -> String.valueOf(r.get("url")).contains("/activity"))
                                    .count()
                            + "; the page: "
                            + driver.findElement(By.tagName("body")).getText(),
                    e);
        }
    }

    private static void click(Chromium browser, int times) {
        for (int i = 0; i < times; i++) {
            browser.driver().findElement(By.id("buy")).click();
        }
    }

    private static long pending(Chromium browser) {
        return ((Number) browser.js("return tideline.pending();")).longValue();
    }

    /**
     * Waits until the processor counts {@code expected} events for the user, then sends one more
     * event for the user from outside the browser and waits for exactly {@code expected + 1}: any
     * duplicate of the user's events sat before it on the user's shard, and would have been counted.
     */
    private static void awaitCounted(String user, long expected) throws Exception {
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> total(user) >= expected);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> beacon(
                                        "/v1/beacon?key=" + KEY,
                                        shop.origin(),
                                        "{\"user_id\":\"" + user + "\",\"event_type\":\"sentinel\"}",
                                        null)
                                .statusCode()
                        == 204);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> activity(user).get("events_by_type").has("sentinel"));
        assertThat(total(user)).as("events counted for %s", user).isEqualTo(expected + 1);
    }

    private static long total(String user) throws Exception {
        JsonNode a = activity(user);
        return a == null ? 0 : a.get("total_events").asLong();
    }

    private static JsonNode activity(String user) throws Exception {
        HttpResponse<String> r = processor.get("/v1/users/" + user + "/activity");
        return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
    }

    private static HttpResponse<String> beacon(String path, String origin, String body, String forwardedFor)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ingestUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "text/plain;charset=UTF-8")
                .header("Origin", origin)
                .header("User-Agent", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (forwardedFor != null) {
            request.header("X-Forwarded-For", forwardedFor);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The user's events on the stream, but the sentinels {@link #awaitCounted} sends. */
    private static List<ClickEvent> onStream(String user) {
        try (KinesisClient kinesis = LOCAL.aws().clients().kinesis()) {
            return StreamReader.readAll(kinesis, LOCAL.aws().names().stream()).stream()
                    .map(StreamReader.Found::event)
                    .filter(e -> e.userId().equals(user) && !e.eventType().equals("sentinel"))
                    .toList();
        }
    }
}
