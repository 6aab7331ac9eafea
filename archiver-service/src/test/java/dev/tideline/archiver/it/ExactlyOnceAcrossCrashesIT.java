package dev.tideline.archiver.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tideline.faults.HaltBeforeCheckpoint;
import dev.tideline.localaws.junit.LocalAws;
import dev.tideline.localaws.junit.LocalAwsExtension;
import dev.tideline.localaws.junit.ServiceJvm;
import dev.tideline.localaws.junit.StreamFeeder;
import dev.tideline.model.event.ClickEvent;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.kinesis.common.InitialPositionInStream;

/**
 * Killed once exactly between an upload and its checkpoint, then three times with kill -9 at random
 * points under load: still every event in exactly one object.
 */
class ExactlyOnceAcrossCrashesIT {

    @RegisterExtension
    static final LocalAwsExtension LOCAL = new LocalAwsExtension();

    /**
     * Each worker reads at most 20 records (KPL aggregates of up to 50 KiB) a call. A worker that
     * starts from a shard's beginning would otherwise ask for its whole backlog in one call, several
     * MB; kinesis-mock's time for a response grows faster than its size, and on a loaded machine such
     * calls outlasted KCL's 30 s wait, and their retries piled up behind them (seen once in CI: the
     * last worker archived nothing for two minutes). The guarantee under test is the same at any size.
     */
    private static final String BOUNDED_READS = "--tideline.archiver.kcl.max-records=20";

    @TempDir
    Path dir;

    @Test
    void everyEventIsArchivedExactlyOnceAcrossCrashes() throws Exception {
        LocalAws aws = LOCAL.aws();
        aws.precreateLeases(aws.names().archiverApp(), InitialPositionInStream.TRIM_HORIZON);
        List<ClickEvent> sent = java.util.Collections.synchronizedList(new ArrayList<>());
        Random random = new Random(11);
        try (KinesisClient kinesis = aws.clients().kinesis();
                S3Client s3 = aws.clients().s3()) {
            StreamFeeder feeder = new StreamFeeder(kinesis, aws.names().stream());
            // The load runs until every crash is done, so that every worker has records to archive.
            AtomicBoolean feeding = new AtomicBoolean(true);
            CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
                for (int i = 0; feeding.get() && i < 600; i++) {
                    List<ClickEvent> events = Events.of(250, 1_000);
                    feeder.aggregated(events);
                    sent.addAll(events);
                    try {
                        Thread.sleep(300); // pacing the load
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            });

            // The fault hook halts the JVM after its third object is durable, before the checkpoint.
            ServiceJvm halting = ArchiverProcess.start(
                    aws,
                    "halts",
                    BOUNDED_READS,
                    HaltBeforeCheckpoint.ARGUMENT,
                    "--tideline.test.halt-before-checkpoint=3");
            await().atMost(Duration.ofMinutes(1)).until(() -> !halting.alive());
            halting.close();

            for (int kill = 1; kill <= 3; kill++) {
                ServiceJvm worker = ArchiverProcess.start(aws, "crash-" + kill, BOUNDED_READS);
                if (kill == 1) {
                    // The object the halted worker made durable is found, not written again.
                    await().atMost(Duration.ofMinutes(1))
                            .pollInterval(Duration.ofMillis(200))
                            .until(() -> worker.metric("tideline_archiver_records_total", "outcome=\"replayed\"") > 0);
                }
                double target = 1 + random.nextInt(4);
                await().atMost(Duration.ofMinutes(1))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> worker.metric("tideline_archiver_objects_total", "") >= target);
                assertThat(load)
                        .as("the load still runs when worker %d is killed", kill)
                        .isNotDone();
                worker.kill();
            }
            feeding.set(false);
            load.get();
            try (ServiceJvm last = ArchiverProcess.start(aws, "final", BOUNDED_READS)) {
                await().atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofSeconds(1))
                        // While the worker uploads, the local S3 can list a key that is gone when it is read
                        // (seen once in CI: an upload being completed or replaced). The next poll reads
                        // the bucket again; the final download below runs once the worker has stopped.
                        .ignoreException(NoSuchKeyException.class)
                        .untilAsserted(() -> assertThat(
                                        Archive.download(s3, aws.names().bucket(), "events/", dir.resolve("probe"))
                                                .size())
                                .isPositive()
                                .satisfies(n ->
                                        assertThat(rows(dir.resolve("probe"))).isEqualTo(sent.size())));
            }
            Archive.download(s3, aws.names().bucket(), "events/", dir.resolve("final"));
        }

        Map<String, Long> perEvent = new HashMap<>();
        try (Connection duck = Archive.duckDb();
                Statement sql = duck.createStatement();
                ResultSet rs = sql.executeQuery(
                        "SELECT event_id, count(*) FROM " + Archive.events(dir.resolve("final")) + " GROUP BY 1")) {
            while (rs.next()) {
                perEvent.put(rs.getString(1), rs.getLong(2));
            }
        }
        // Compared as sets: the load sends up to 150,000 events, and AssertJ's any-order comparison
        // of lists takes time quadratic in their length (once 5 minutes, on a busy machine).
        Set<String> ids = sent.stream().map(ClickEvent::eventId).collect(Collectors.toSet());
        assertThat(ids).as("distinct ids sent").hasSize(sent.size());
        assertThat(notIn(ids, perEvent.keySet())).as("sent, not archived").isEmpty();
        assertThat(notIn(perEvent.keySet(), ids)).as("archived, never sent").isEmpty();
        assertThat(perEvent.values()).allSatisfy(n -> assertThat(n).isEqualTo(1L));
    }

    private static List<String> notIn(Set<String> these, Set<String> those) {
        return these.stream().filter(id -> !those.contains(id)).sorted().toList();
    }

    private static long rows(Path dir) throws Exception {
        try (Connection duck = Archive.duckDb();
                Statement sql = duck.createStatement();
                ResultSet rs = sql.executeQuery("SELECT count(*) FROM " + Archive.events(dir))) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
