package dev.tideline.bench;

import dev.tideline.localaws.Endpoints;
import dev.tideline.localaws.Ports;
import dev.tideline.localaws.Readiness;
import dev.tideline.model.names.ResourceNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * End-to-end latency: from {@code POST /v1/events} to the ingest service (its built jar, in a JVM of
 * its own) until the event's aggregate is readable in DynamoDB, under a steady background load.
 */
final class PipelineLatency implements AutoCloseable {

    private static final String KEY = "local-dev-key";

    private final Process ingest;
    private final URI events;
    private final URI batch;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    PipelineLatency(Endpoints endpoints, ResourceNames names) throws IOException, InterruptedException {
        int port = Ports.freePort();
        Path jar = ingestJar();
        Path log =
                Files.createDirectories(Path.of("processor-service", "target")).resolve("bench-ingest.log");
        ingest = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx512m",
                        "-jar",
                        jar.toString(),
                        "--spring.profiles.active=local",
                        "--server.port=" + port,
                        "--spring.cloud.aws.kinesis.endpoint=" + endpoints.kinesis(),
                        "--tideline.ingest.stream=" + names.stream())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        events = URI.create("http://127.0.0.1:" + port + "/v1/events");
        batch = URI.create("http://127.0.0.1:" + port + "/v1/events/batch");
        if (!Readiness.await(port, ingest::isAlive, Duration.ofSeconds(90))) {
            throw new IllegalStateException("the ingest service did not become ready; see " + log.toAbsolutePath());
        }
    }

    /**
     * Posts {@code eventsPerSecond} in batches of 50 in the background and, every 200 ms, one probe
     * event for a user of its own; returns each probe's milliseconds from POST to a readable aggregate.
     */
    List<Long> measure(DynamoDbClient dynamo, String table, int eventsPerSecond, int seconds)
            throws InterruptedException {
        Thread load = new Thread(() -> background(eventsPerSecond), "bench-load");
        load.setDaemon(true);
        load.start();
        List<Long> latencies = new ArrayList<>();
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            for (int probe = 0; System.nanoTime() < end; probe++) {
                String user = "probe-" + probe;
                long posted = System.nanoTime();
                post(events, "{\"user_id\":\"" + user + "\",\"event_type\":\"page_view\",\"page\":\"/probe\"}");
                Map<String, AttributeValue> key =
                        Map.of("pk", AttributeValue.fromS("user#" + user), "sk", AttributeValue.fromS("activity"));
                while (!dynamo.getItem(g -> g.tableName(table).key(key)).hasItem()) {
                    if (System.nanoTime() - posted > TimeUnit.SECONDS.toNanos(30)) {
                        throw new IllegalStateException(user + " never became visible");
                    }
                    // Polling for visibility is the measurement itself; every 20 ms, so that the probe's
                    // own reads (50/s) do not load the single-threaded local DynamoDB it measures.
                    // Each figure is late by at most that much.
                    Thread.sleep(20);
                }
                latencies.add((System.nanoTime() - posted) / 1_000_000);
                long spent = (System.nanoTime() - posted) / 1_000_000;
                Thread.sleep(Math.max(0, 200 - spent));
            }
        } finally {
            load.interrupt();
        }
        return latencies;
    }

    private void background(int eventsPerSecond) {
        Random random = new Random(3);
        long pause = 1000L * 50 / eventsPerSecond;
        while (!Thread.currentThread().isInterrupted()) {
            long started = System.nanoTime();
            StringJoiner body = new StringJoiner(",", "[", "]");
            for (int i = 0; i < 50; i++) {
                body.add("{\"user_id\":\"load-" + random.nextInt(1_000)
                        + "\",\"event_type\":\"page_view\",\"page\":\"/p/" + random.nextInt(25) + "\"}");
            }
            http.sendAsync(request(batch, body.toString()), HttpResponse.BodyHandlers.discarding());
            try {
                Thread.sleep(Math.max(0, pause - (System.nanoTime() - started) / 1_000_000)); // the load's rate
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void post(URI uri, String json) throws InterruptedException {
        try {
            int status = http.send(request(uri, json), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
            if (status != 202) {
                throw new IllegalStateException("POST " + uri + " answered " + status);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpRequest request(URI uri, String json) {
        return HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("X-Api-Key", KEY)
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
    }

    private static Path ingestJar() throws IOException {
        Path target = Path.of("ingest-service", "target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().matches("ingest-service-[^-]+.*\\.jar"))
                    .findFirst()
                    .orElseThrow(
                            () -> new IllegalStateException("build the ingest service first: no jar in " + target));
        }
    }

    @Override
    public void close() throws InterruptedException {
        ingest.destroy();
        if (!ingest.waitFor(30, TimeUnit.SECONDS)) {
            ingest.destroyForcibly();
        }
    }
}
