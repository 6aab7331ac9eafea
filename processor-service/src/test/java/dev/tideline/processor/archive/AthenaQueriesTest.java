package dev.tideline.processor.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;

/**
 * {@link AthenaQueries} with the real SDK client over HTTP, against an endpoint of this test's own
 * that speaks Athena's JSON protocol for the three calls it makes (Athena has no open-source
 * emulator): what it starts, how it follows a statement to its end, and what it does when the
 * statement fails or the task is stopped.
 */
class AthenaQueriesTest {

    private HttpServer server;
    private AthenaClient client;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final Deque<String> states = new ArrayDeque<>();
    private volatile boolean slowReads;
    /** Holds the answer to a read while {@link #slowReads}. */
    private final CountDownLatch held = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
        client = AthenaClient.builder()
                .endpointOverride(
                        URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(Apache5HttpClient.builder())
                .build();
    }

    @AfterEach
    void stop() {
        held.countDown();
        client.close();
        server.stop(0);
    }

    @Test
    void startsTheStatementInItsWorkgroupAndDatabaseAndFollowsItToItsEnd() {
        states.addAll(List.of("QUEUED", "RUNNING", "SUCCEEDED"));

        long scanned = new AthenaQueries(client, "tideline-rebuild", "tideline").run("SELECT 1");

        assertThat(scanned).isEqualTo(4_096);
        assertThat(calls.get(0))
                .startsWith("AmazonAthena.StartQueryExecution ")
                .contains("\"QueryString\":\"SELECT 1\"", "\"WorkGroup\":\"tideline-rebuild\"")
                .contains("\"Database\":\"tideline\"");
        assertThat(calls.subList(1, calls.size())).hasSize(3).allSatisfy(c -> assertThat(c)
                .startsWith("AmazonAthena.GetQueryExecution ")
                .contains("q-1"));
    }

    @Test
    void aFailedStatementEndsWithAthenasReasonAndTheStatement() {
        states.addAll(List.of("RUNNING", "FAILED"));

        assertThatThrownBy(() -> new AthenaQueries(client, "tideline-rebuild", "tideline")
                        .run("CREATE TABLE tideline_rebuild_g2 AS SELECT 1"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Athena query q-1 failed: HIVE_BAD_DATA: not a Parquet file")
                .hasMessageContaining("CREATE TABLE tideline_rebuild_g2");
    }

    @Test
    void aStatementStillRunningWhenTheTaskStopsIsStoppedOnAthenaToo() throws Exception {
        for (int i = 0; i < 100; i++) {
            states.add("RUNNING");
        }
        AtomicReference<Throwable> ended = new AtomicReference<>();
        AtomicReference<Boolean> interrupted = new AtomicReference<>();
        Thread task = new Thread(() -> {
            try {
                new AthenaQueries(client, "tideline-rebuild", "tideline").run("SELECT 1");
            } catch (RuntimeException e) {
                ended.set(e);
                interrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        task.start();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> calls.stream().anyMatch(c -> c.startsWith("AmazonAthena.GetQueryExecution ")));
        task.interrupt();
        task.join(10_000);

        assertThat(ended.get()).hasMessageContaining("Athena query q-1 ran; it is stopped too");
        assertThat(interrupted.get()).as("the interrupt is kept for the caller").isTrue();
        assertThat(calls).last().satisfies(c -> assertThat(c)
                .startsWith("AmazonAthena.StopQueryExecution ")
                .contains("q-1"));
    }

    @Test
    void aStatementIsStoppedOnAthenaAlsoWhenTheStopCatchesTheTaskInACall() throws Exception {
        slowReads = true;
        AtomicReference<Throwable> ended = new AtomicReference<>();
        Thread task = new Thread(() -> {
            try {
                new AthenaQueries(client, "tideline-rebuild", "tideline").run("SELECT 1");
            } catch (RuntimeException e) {
                ended.set(e);
            }
        });
        task.start();
        // The read has arrived and its answer is held: the task is inside the SDK's call.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> calls.stream().anyMatch(c -> c.startsWith("AmazonAthena.GetQueryExecution ")));
        task.interrupt();
        held.countDown();
        task.join(10_000);

        assertThat(ended.get()).hasMessageContaining("it is stopped too");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> calls.stream().anyMatch(c -> c.startsWith("AmazonAthena.StopQueryExecution ")));
    }

    private void answer(HttpExchange exchange) throws IOException {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        calls.add(target + " " + body);
        if (slowReads && target.endsWith(".GetQueryExecution")) {
            try {
                held.await(30, TimeUnit.SECONDS); // answered once the test lets it go
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String json;
        if (target.endsWith(".StartQueryExecution")) {
            json = "{\"QueryExecutionId\":\"q-1\"}";
        } else if (target.endsWith(".GetQueryExecution")) {
            String state = states.isEmpty() ? "RUNNING" : states.poll();
            json = "{\"QueryExecution\":{\"QueryExecutionId\":\"q-1\",\"Status\":{\"State\":\"" + state + "\""
                    + (state.equals("FAILED") ? ",\"StateChangeReason\":\"HIVE_BAD_DATA: not a Parquet file\"" : "")
                    + "},\"Statistics\":{\"DataScannedInBytes\":4096}}}";
        } else {
            json = "{}";
        }
        byte[] out = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(200, out.length);
        exchange.getResponseBody().write(out);
        exchange.close();
    }
}
