package dev.tideline.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tideline.localaws.junit.LocalAws;
import dev.tideline.localaws.junit.LocalAwsExtension;
import dev.tideline.localaws.junit.ServiceJvm;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.kinesis.common.InitialPositionInStream;

/**
 * The whole pipeline, as clients use it: 10,000 events with client-chosen ids, and more than a fifth
 * of them sent again, concurrently with the original, after a 503 while Kinesis stalled, and as a
 * whole batch after the ingest service was killed with SIGKILL mid-request; then, after the
 * processor and the archiver were each killed and restarted, once more. Every user's
 * {@code total_events} equals the distinct ids sent, and DuckDB finds each id once in the archive.
 *
 * <p>Runs the three services from their jars, which the build packages before this module's tests.
 */
class ClientRetriesEndToEndIT {

    @RegisterExtension
    static final LocalAwsExtension LOCAL = new LocalAwsExtension();

    private static final String KEY = "local-dev-key";
    private static final int BATCHES = 100;
    private static final int BATCH = 100;
    /** The archiver's metadata on each object: the rows it holds. */
    private static final String ROWS_METADATA = "rows";

    @TempDir
    Path dir;

    private ServiceJvm ingest;
    private int ingestRuns;

    @Test
    void everyClientRetryIsCountedAndArchivedOnce() throws Exception {
        LocalAws aws = LOCAL.aws();
        aws.precreateLeases(aws.names().processorApp(), InitialPositionInStream.TRIM_HORIZON);
        aws.precreateLeases(aws.names().archiverApp(), InitialPositionInStream.TRIM_HORIZON);
        List<String> batches = new ArrayList<>();
        Map<String, Set<String>> idsByUser = new HashMap<>();
        for (int b = 0; b < BATCHES; b++) {
            batches.add(batch(b, idsByUser));
        }
        int resent = 0;
        try (DynamoDbClient dynamo = aws.clients().dynamoDb();
                S3Client s3 = aws.clients().s3()) {
            ingest = startIngest(aws);
            ServiceJvm processor = startProcessor(aws, "processor-1");
            ServiceJvm archiver = aws.startArchiverJar("archiver-1");
            try {
                for (int b = 0; b < BATCHES; b++) {
                    if (b % 5 == 0 && b < 50) {
                        // The same batch twice at once, as a client whose first attempt timed out.
                        String body = batches.get(b);
                        CompletableFuture<Void> twin = CompletableFuture.runAsync(() -> sendUntilAccepted(body));
                        sendUntilAccepted(body);
                        twin.join();
                        resent += BATCH;
                    } else if (b >= 50 && b < 55) {
                        resent += sendThroughAStall(aws, batches.get(b));
                    } else if (b == 70) {
                        // Killed mid-request: the client cannot know what landed, and sends the batch again.
                        String body = batches.get(b);
                        CompletableFuture<HttpResponse<String>> cut =
                                CompletableFuture.supplyAsync(() -> post(ingest, body));
                        ingest.kill();
                        cut.handle((r, e) -> null).join();
                        ingest = startIngest(aws);
                        sendUntilAccepted(body);
                        resent += BATCH;
                    } else {
                        sendUntilAccepted(batches.get(b));
                    }
                }
                for (int b = 80; b < 90; b++) { // a client replaying its outbox
                    sendUntilAccepted(batches.get(b));
                    resent += BATCH;
                }
                assertThat(resent).isGreaterThanOrEqualTo(BATCHES * BATCH / 5);
                awaitExact(dynamo, s3, idsByUser);
                assertThat(processor.metric("tideline_processor_records_total", "outcome=\"duplicate\""))
                        .isPositive();
                assertThat(archiver.metric("tideline_archiver_records_total", "outcome=\"duplicate\""))
                        .isPositive();

                // Both consumers die; the same events come again after they are back.
                processor.kill();
                archiver.kill();
                processor.close();
                archiver.close();
                processor = startProcessor(aws, "processor-2");
                archiver = aws.startArchiverJar("archiver-2");
                for (int b = 90; b < BATCHES; b++) {
                    sendUntilAccepted(batches.get(b));
                }
                ServiceJvm p = processor;
                ServiceJvm a = archiver;
                await().atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofSeconds(1))
                        .untilAsserted(() -> {
                            assertThat(p.metric("tideline_processor_records_total", "outcome=\"duplicate\""))
                                    .isGreaterThanOrEqualTo(10 * BATCH);
                            assertThat(a.metric("tideline_archiver_records_total", "outcome=\"duplicate\""))
                                    .isGreaterThanOrEqualTo(10 * BATCH);
                        });
                awaitExact(dynamo, s3, idsByUser);
            } finally {
                ingest.close();
                processor.close();
                archiver.close();
            }
            download(s3, aws.names().bucket(), dir);
        }

        // DuckDB, an engine independent of ours, reads the archive back.
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                Statement sql = duck.createStatement();
                ResultSet rs = sql.executeQuery("SELECT count(*), count(DISTINCT event_id) FROM read_parquet('"
                        + dir.resolve("events") + "/**/*.parquet')")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(BATCHES * BATCH);
            assertThat(rs.getLong(2)).isEqualTo(BATCHES * BATCH);
        }
    }

    /** Waits until every user's total is the distinct ids sent, and the archive holds as many rows. */
    private static void awaitExact(DynamoDbClient dynamo, S3Client s3, Map<String, Set<String>> idsByUser) {
        Map<String, Long> expected = idsByUser.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e ->
                (long) e.getValue().size()));
        LocalAws aws = LOCAL.aws();
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> {
                    assertThat(totals(dynamo, aws.names().aggregatesTable())).isEqualTo(expected);
                    assertThat(archivedRows(s3, aws.names().bucket())).isEqualTo(BATCHES * BATCH);
                });
    }

    /** Rows of every archive object, from the count each carries in its metadata. */
    private static long archivedRows(S3Client s3, String bucket) {
        return s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix("events/")).contents().stream()
                .mapToLong(
                        o -> Long.parseLong(s3.headObject(r -> r.bucket(bucket).key(o.key()))
                                .metadata()
                                .get(ROWS_METADATA)))
                .sum();
    }

    /** Copies every archived events object to {@code dir}, its key as its path. */
    private static void download(S3Client s3, String bucket, Path dir) throws IOException {
        for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix("events/"))
                .contents()) {
            Path file = dir.resolve(o.key());
            Files.createDirectories(file.getParent());
            Files.write(
                    file,
                    s3.getObjectAsBytes(r -> r.bucket(bucket).key(o.key())).asByteArray());
        }
    }

    private static Map<String, Long> totals(DynamoDbClient dynamo, String table) {
        Map<String, Long> totals = new HashMap<>();
        dynamo.scanPaginator(r -> r.tableName(table)
                        .consistentRead(true)
                        .filterExpression("begins_with(pk, :p)")
                        .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("user#"))))
                .items()
                .forEach(item -> totals.put(
                        item.get("user_id").s(),
                        Long.parseLong(item.get("total_events").n())));
        return totals;
    }

    private static String batch(int b, Map<String, Set<String>> idsByUser) {
        List<String> events = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            String user = "user-" + ((b * BATCH + i) * 7 % 300);
            String id = UUID.randomUUID().toString();
            idsByUser.computeIfAbsent(user, u -> new HashSet<>()).add(id);
            events.add("{\"event_id\":\"" + id + "\",\"user_id\":\"" + user
                    + "\",\"event_type\":\"page_view\",\"page\":\"/p/" + (i % 13) + "\"}");
        }
        return "[" + String.join(",", events) + "]";
    }

    /** Sends until every event of the batch is in the stream, as a client that retries 503s does. */
    private void sendUntilAccepted(String body) {
        // The first attempt at once (Awaitility waits a poll interval first by default), as a client's.
        await().atMost(Duration.ofMinutes(1))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    HttpResponse<String> r = post(ingest, body);
                    // 200 with Retry-After: some events were not accepted (the answer names which).
                    return r.statusCode() == 200
                            && r.headers().firstValue("Retry-After").isEmpty();
                });
    }

    /**
     * Freezes Kinesis while the batch is sent, so that the ingest service answers 503 at its
     * deadline (some events may have landed); then sends the batch again once Kinesis is back.
     *
     * @return the events sent again
     */
    private int sendThroughAStall(LocalAws aws, String body) {
        aws.pauseKinesis();
        HttpResponse<String> refused;
        try {
            refused = post(ingest, body);
        } finally {
            aws.resumeKinesis();
        }
        assertThat(refused.statusCode()).as(refused.body()).isNotEqualTo(200);
        sendUntilAccepted(body);
        return BATCH;
    }

    private static HttpResponse<String> post(ServiceJvm service, String body) {
        try {
            return service.postJson("/v1/events/batch", body, "X-Api-Key", KEY);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private ServiceJvm startIngest(LocalAws aws) {
        ingestRuns++;
        List<String> arguments = new ArrayList<>(aws.ingestArguments());
        arguments.add("--tideline.ingest.deadline=2s");
        arguments.add("--tideline.ingest.context.user-agent=false"); // no user agents here to parse
        return ServiceJvm.startJar("ingest-service", aws.names().stream() + "-ingest-" + ingestRuns, arguments);
    }

    private static ServiceJvm startProcessor(LocalAws aws, String workerId) {
        return ServiceJvm.startJar(
                "processor-service", aws.names().stream() + "-" + workerId, aws.processorArguments(workerId));
    }
}
