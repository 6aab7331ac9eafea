package dev.tideline.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tideline.browser.Chromium;
import dev.tideline.launcher.Launcher;
import dev.tideline.localaws.Endpoints;
import dev.tideline.localaws.junit.LocalAws;
import dev.tideline.localaws.junit.LocalAwsExtension;
import dev.tideline.localaws.junit.ServiceJvm;
import dev.tideline.localaws.junit.StreamFeeder;
import dev.tideline.localaws.junit.TcpGate;
import dev.tideline.model.event.Decoded;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.kinesis.common.InitialPositionInStream;

/**
 * The operators' console in a real browser, over a whole pipeline on the embedded stack: an ingest
 * service under a steady stream, two processor workers, an archiver and the console, each its own
 * JVM. The tests share that pipeline and run in order, the ones that break something last; each
 * looks at what the page shows without reloading it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

    @RegisterExtension
    static final LocalAwsExtension LOCAL = new LocalAwsExtension();

    /** The console's thresholds here: low enough that a dead worker's shards cross them. */
    private static final Duration PROCESSOR_THRESHOLD = Duration.ofSeconds(5);

    private static final Duration ARCHIVER_THRESHOLD = Duration.ofSeconds(30);

    private static final String SCRIPT_MARK = "window.__sameDocument";

    private static ServiceJvm ingest;
    private static ServiceJvm processor1;
    private static ServiceJvm processor2;
    private static ServiceJvm archiver;
    private static ServiceJvm console;
    /** The console's way to Kinesis, which one test shuts: the stream gone, as the console sees it. */
    private static TcpGate consoleToKinesis;

    private static Thread feeder;
    private static volatile boolean feeding = true;

    private Chromium browser;

    @BeforeAll
    static void start() {
        LocalAws aws = LOCAL.aws();
        aws.precreateLeases(aws.names().processorApp(), InitialPositionInStream.TRIM_HORIZON);
        aws.precreateLeases(aws.names().archiverApp(), InitialPositionInStream.TRIM_HORIZON);
        String name = aws.names().stream();
        ingest = ServiceJvm.startJar("ingest-service", name + "-ingest", aws.ingestArguments());
        processor1 =
                ServiceJvm.startJar("processor-service", name + "-processor-1", aws.processorArguments("processor-1"));
        processor2 =
                ServiceJvm.startJar("processor-service", name + "-processor-2", aws.processorArguments("processor-2"));
        archiver = aws.startArchiverJar("archiver-1");
        consoleToKinesis = TcpGate.to(aws.endpoints().kinesis().getPort());
        console = ServiceJvm.startJar("console", name + "-console", consoleArguments(aws));
        feeder = new Thread(ConsoleIT::feed, "steady-stream");
        feeder.setDaemon(true);
        feeder.start();
    }

    private static List<String> consoleArguments(LocalAws aws) {
        return List.of(
                "--spring.cloud.aws.region.static=" + Endpoints.REGION.id(),
                "--spring.cloud.aws.kinesis.endpoint=http://127.0.0.1:" + consoleToKinesis.port(),
                "--spring.cloud.aws.dynamodb.endpoint=" + aws.endpoints().dynamoDb(),
                "--spring.cloud.aws.s3.endpoint=" + aws.endpoints().s3(),
                "--tideline.console.stream=" + aws.names().stream(),
                "--tideline.console.processor-application=" + aws.names().processorApp(),
                "--tideline.console.archiver-application=" + aws.names().archiverApp(),
                "--tideline.console.aggregates-table=" + aws.names().aggregatesTable(),
                "--tideline.console.bucket=" + aws.names().bucket(),
                "--tideline.console.ingest=" + url(ingest),
                "--tideline.console.processor=" + url(processor1) + "," + url(processor2),
                "--tideline.console.archiver=" + url(archiver),
                "--tideline.console.refresh=1s",
                // Dead letters and error objects every third refresh, not every tenth.
                "--tideline.console.slow-every=3",
                "--tideline.console.lease-expiry=4s",
                "--tideline.console.processor-lag-threshold=" + PROCESSOR_THRESHOLD.toSeconds() + "s",
                "--tideline.console.archiver-freshness-threshold=" + ARCHIVER_THRESHOLD.toSeconds() + "s");
    }

    /** About 100 events a second over 200 users, as long as the class runs; an ingest that is down is tried again. */
    private static void feed() {
        while (feeding) {
            StringBuilder batch = new StringBuilder("[");
            for (int i = 0; i < 20; i++) {
                batch.append(i == 0 ? "" : ",")
                        .append("{\"user_id\":\"steady-")
                        .append(ThreadLocalRandom.current().nextInt(200))
                        .append("\",\"event_type\":\"page_view\",\"page\":\"/p/")
                        .append(i)
                        .append("\"}");
            }
            try {
                ingest.postJson("/v1/events/batch", batch.append(']').toString(), "X-Api-Key", "local-dev-key");
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                // down on purpose in one test; the next batch tries again
                try {
                    Thread.sleep(500);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    @AfterAll
    static void stop() {
        feeding = false;
        if (feeder != null) {
            feeder.interrupt();
        }
        for (ServiceJvm jvm : new ServiceJvm[] {console, ingest, processor1, processor2, archiver}) {
            if (jvm != null) {
                jvm.close();
            }
        }
        if (consoleToKinesis != null) {
            consoleToKinesis.close();
        }
    }

    @BeforeEach
    void openConsole() {
        browser = Chromium.start();
        browser.driver().get(url(console) + "/");
        browser.js(SCRIPT_MARK + " = true;");
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            assertThat(browser.js("return " + SCRIPT_MARK + " === true;"))
                    .as("the page was never reloaded")
                    .isEqualTo(true);
            browser.close();
        }
    }

    @Test
    @Order(1)
    void bothConsumersShowFourOwnedShardsEachWithLagNearZeroUnderASteadyStream() throws IOException {
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            Map<String, List<Row>> consumers = consumers();
            assertThat(consumers).containsOnlyKeys("processor", "archiver");
            consumers.forEach(
                    (consumer, rows) -> assertThat(rows).as(consumer).hasSize(4).allSatisfy(r -> {
                        assertThat(r.owner()).isNotEqualTo("none");
                        assertThat(r.lease()).isEqualTo("renewed");
                        assertThat(r.lagMillis()).isLessThan(consumer.equals("processor") ? 3_000 : 20_000);
                    }));
            assertThat(text("#overall")).isEqualTo("all consumers OK");
            assertThat(browser.js("return document.querySelectorAll('#tail tbody tr').length;"))
                    .isNotEqualTo(0L);
            assertThat(text("#stream .figures")).contains("4 open shards").doesNotContain("– events/s");
            assertThat(text("#ingest .figures")).doesNotContain("– events/s");
        });
        // Fifteen refreshes of history, so that the screenshot (the README's) has plots to show. A
        // refresh reads its sources one after another: on a busy machine, 27 once took over 90 s.
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            assertThat(attribute("body", "data-points")).matches("[0-9]+");
            assertThat(Integer.parseInt(attribute("body", "data-points"))).isGreaterThanOrEqualTo(15);
        });
        Set<String> owners = new HashSet<>();
        consumers().get("processor").forEach(r -> owners.add(r.owner()));
        assertThat(owners).isSubsetOf("processor-1", "processor-2");

        Path shot = browser.screenshot("console");
        assertThat(Files.size(shot)).isGreaterThan(20_000);
        assertThat(colours(shot)).as("distinct colours: a page, not a blank").isGreaterThan(50);
    }

    @Test
    @Order(2)
    void aPoisonRecordShowsAsADeadLetterWithItsReasonAndAGarbageRecordUnderErrors() {
        byte[] garbage = "\u0000 not an event at all".getBytes(StandardCharsets.UTF_8);
        new StreamFeeder(LOCAL.aws().clients().kinesis(), LOCAL.aws().names().stream()).raw("poison-user", garbage);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(reasonsIn("#dead-letters")).contains(Decoded.UNDECODABLE);
            assertThat(reasonsIn("#error-objects")).contains(Decoded.UNDECODABLE);
        });
    }

    @Test
    @Order(3)
    void statusExitsNonZeroWhileTheArchiverIsStoppedAndZeroOnceItIsBack() {
        String consoleUrl = url(console);
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(Launcher.run(Map.of(), "status", "--console", consoleUrl)
                                .exit())
                        .isZero());

        archiver.stop();
        AtomicReference<Launcher.Run> stopped = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            stopped.set(Launcher.run(Map.of(), "status", "--console", consoleUrl));
            assertThat(stopped.get().exit()).isEqualTo(1);
        });
        assertThat(stopped.get().out())
                .contains("archiver (" + LOCAL.aws().names().archiverApp() + ")")
                .contains("ATTENTION")
                .contains("archiver-service answers at none of");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(attribute("[data-consumer=archiver]", "data-healthy"))
                        .isEqualTo("false"));

        archiver = archiver.restart();
        await().atMost(Duration.ofSeconds(120))
                .untilAsserted(() -> assertThat(Launcher.run(Map.of(), "status", "--console", consoleUrl)
                                .exit())
                        .isZero());
        assertThat(Launcher.run(Map.of(), "status", "--console", "http://127.0.0.1:1")
                        .exit())
                .as("no console there")
                .isEqualTo(3);
    }

    @Test
    @Order(4)
    void aKilledWorkersShardsFallBehindThenMoveToTheOtherWorkerAndCatchUp() {
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(consumers().get("processor"))
                        .extracting(Row::owner)
                        .contains("processor-1", "processor-2"));
        List<String> itsShards = consumers().get("processor").stream()
                .filter(r -> r.owner().equals("processor-1"))
                .map(Row::shard)
                .toList();

        processor1.kill();

        // Behind: the dead worker's checkpoints stay where they were while the stream goes on.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(processorRows(itsShards))
                .anySatisfy(r -> assertThat(r.lagMillis()).isGreaterThan(2_000)));
        // Then its shards have a new owner, and their lag is back under the threshold.
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(processorRows(itsShards)).allSatisfy(r -> {
                    assertThat(r.owner()).isEqualTo("processor-2");
                    assertThat(r.lease()).isEqualTo("renewed");
                    assertThat(r.lagMillis()).isLessThan(PROCESSOR_THRESHOLD.toMillis());
                    assertThat(r.moves()).isPositive();
                }));
        assertThat(text("[data-consumer=processor] .headline")).contains(url(processor1) + " unreachable");
    }

    @Test
    @Order(5)
    void theConsoleShowsWhatWentAwayAndRecoversWhenItReturns() {
        ingest.kill();
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(attribute("#ingest .workers li", "data-reachable"))
                        .isEqualTo("false"));
        assertThat(text("h1")).isEqualTo("Tideline");
        ingest = ingest.restart();
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(attribute("#ingest .workers li", "data-reachable"))
                        .isEqualTo("true"));

        // Kinesis out of the console's reach (a frozen kinesis-mock has been seen to stop listening
        // once thawed, which the processors' and archiver's own tests of an outage cover).
        consoleToKinesis.shut();
        try {
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(text("#stream .error")).contains("cannot be listed"));
            assertThat(text("#overall")).isEqualTo("attention needed");
            // Readable when it matters: white on red, not red on red.
            assertThat(browser.js("const s = getComputedStyle(document.querySelector('#overall'));"
                            + " return s.color + ' on ' + s.backgroundColor;"))
                    .isEqualTo("rgb(255, 255, 255) on rgb(207, 34, 46)");
        } finally {
            consoleToKinesis.open();
        }
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(shown("#stream .error")).isFalse());

        console.kill();
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(text("#connection")).contains("cannot be reached"));
        assertThat(consumers()).as("what was shown stays").containsKeys("processor", "archiver");
        console = console.restart();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(shown("#connection")).isFalse();
            assertThat(consumers().get("processor")).hasSize(4);
        });
        assertThat(browser.driver().getPageSource())
                .as("no error page, no stack trace")
                .doesNotContain("Whitelabel", "\tat ", "at java.", "at dev.tideline.");
    }

    /** A shard row of a consumer's table, as the page shows it. */
    record Row(String shard, String owner, String lease, long lagMillis, long moves) {}

    @SuppressWarnings("unchecked")
    private Map<String, List<Row>> consumers() {
        Object raw = browser.js(
                """
                const out = {};
                for (const c of document.querySelectorAll('[data-consumer]')) {
                  out[c.dataset.consumer] = Array.from(c.querySelectorAll('tbody tr')).map(r => ({
                    shard: r.dataset.shard,
                    owner: r.querySelector('.owner').textContent,
                    lease: r.querySelector('.lease').textContent,
                    lag: r.querySelector('.lag').dataset.millis || '-1',
                    moves: r.querySelector('.moves').textContent }));
                }
                return out;""");
        Map<String, List<Row>> consumers = new java.util.TreeMap<>();
        ((Map<String, List<Map<String, Object>>>) raw)
                .forEach((name, rows) -> consumers.put(
                        name,
                        rows.stream()
                                .map(r -> new Row(
                                        (String) r.get("shard"),
                                        (String) r.get("owner"),
                                        (String) r.get("lease"),
                                        Long.parseLong((String) r.get("lag")),
                                        Long.parseLong((String) r.get("moves"))))
                                .toList()));
        return consumers;
    }

    private List<Row> processorRows(List<String> shards) {
        return consumers().get("processor").stream()
                .filter(r -> shards.contains(r.shard()))
                .toList();
    }

    @SuppressWarnings("unchecked")
    private List<String> reasonsIn(String card) {
        return (List<String>) browser.js(
                "return Array.from(document.querySelectorAll(arguments[0] + ' tbody tr .reason')).map(e => e.textContent);",
                card);
    }

    /** Read in one script, so that a redraw between finding and reading cannot get in the way. */
    private String text(String selector) {
        return String.valueOf(
                browser.js("const e = document.querySelector(arguments[0]); return e ? e.innerText : null;", selector));
    }

    private String attribute(String selector, String name) {
        return String.valueOf(browser.js(
                "const e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) : null;",
                selector,
                name));
    }

    private boolean shown(String selector) {
        return Boolean.TRUE.equals(browser.js(
                "const e = document.querySelector(arguments[0]); return !!e && !e.hidden && e.offsetParent !== null;",
                selector));
    }

    private static String url(ServiceJvm jvm) {
        return "http://127.0.0.1:" + jvm.port();
    }

    private static int colours(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                seen.add(image.getRGB(x, y));
            }
        }
        return seen.size();
    }
}
