package dev.tideline.rebuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tideline.localaws.junit.CommandJvm;
import dev.tideline.localaws.junit.LocalAws;
import dev.tideline.localaws.junit.LocalAwsExtension;
import dev.tideline.localaws.junit.ServiceJvm;
import dev.tideline.localaws.junit.StreamFeeder;
import dev.tideline.localaws.truth.Clickstream;
import dev.tideline.localaws.truth.GroundTruth;
import dev.tideline.model.event.ClickEvent;
import dev.tideline.model.names.ResourceNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.kinesis.common.InitialPositionInStream;

/**
 * A rebuild after the stream was deleted and created again under its name: a clickstream is
 * counted and archived; the stream is recreated with half the shards, its new ones under the old
 * shard ids; the archiver is pointed at the new stream as the README says (stopped, its lease
 * table deleted, started); more events come, client retries of the earlier stream's events among them. The
 * processor, running throughout, read the earlier stream to its end and reads nothing of the new
 * one. The earlier stream's records are in the archive alone, and their positions mean nothing to
 * the new stream. The rebuild folds them before the new stream's and hands over to the new stream
 * where its archive ends, without waiting for the live leases of the earlier stream: every user's
 * aggregate and the page views equal ground truth once the processor follows the switch, and stay
 * exact as it goes on reading the new stream.
 */
class RecreatedStreamRebuildIT {

    @RegisterExtension
    static final LocalAwsExtension LOCAL = new LocalAwsExtension();

    private static final int USERS = 300;
    private static final int EARLIER = 2_000;
    private static final int LATER = 1_000;
    private static final int RETRIED = 200;

    @TempDir
    Path work;

    @Test
    void aRebuildFoldsTheEarlierStreamsArchiveBeforeTheNewStreamsAndGoesOnExactly() throws Exception {
        LocalAws aws = LOCAL.aws();
        String name = aws.names().stream();
        String archiverApp = aws.names().archiverApp();
        aws.precreateLeases(aws.names().processorApp(), InitialPositionInStream.TRIM_HORIZON);
        aws.precreateLeases(archiverApp, InitialPositionInStream.TRIM_HORIZON);
        Clickstream clicks = new Clickstream(21, USERS, "x");
        GroundTruth truth = new GroundTruth();
        List<ClickEvent> earlier = clicks.next(EARLIER);
        try (KinesisClient kinesis = aws.clients().kinesis();
                DynamoDbClient dynamo = aws.clients().dynamoDb();
                ServiceJvm processor = ServiceJvm.startJar(
                        "processor-service", name + "-processor", aws.processorArguments("processor-1"))) {
            StreamFeeder feeder = new StreamFeeder(kinesis, name);
            try (ServiceJvm archiver = aws.startArchiverJar("archiver-1")) {
                feeder.aggregated(earlier);
                truth.add(earlier);
                await().atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() ->
                                archiver.metric("tideline_archiver_records_total", "outcome=\"archived\"") >= EARLIER);
            }
            assertExact(processor, truth);

            // The processor reads the deleted stream's shards to their end, then nothing more.
            aws.recreateStream(ResourceNames.LOCAL_SHARDS / 2);
            await().atMost(Duration.ofMinutes(1))
                    .untilAsserted(() -> assertThat(LocalAws.status(processor.port(), "/actuator/health/readiness"))
                            .isEqualTo(503));
            // The archiver pointed at the new stream, as the README says: its lease table deleted.
            dynamo.deleteTable(r -> r.tableName(archiverApp));
            dynamo.waiter().waitUntilTableNotExists(r -> r.tableName(archiverApp));
            aws.precreateLeases(archiverApp, InitialPositionInStream.TRIM_HORIZON);
            try (ServiceJvm archiver = aws.startArchiverJar("archiver-2")) {
                List<ClickEvent> later = new ArrayList<>(clicks.next(LATER));
                // Clients' retries of events the earlier stream carried: counted once all the same.
                later.addAll(earlier.subList(EARLIER - RETRIED, EARLIER));
                feeder.aggregated(later);
                truth.add(later);
                await().atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> archiver.metric("tideline_archiver_records_total", "outcome=\"archived\"")
                                        + archiver.metric("tideline_archiver_records_total", "outcome=\"duplicate\"")
                                >= LATER + RETRIED);
            }

            try (CommandJvm rebuild = CommandJvm.start("rebuild", name + "-rebuild", aws.rebuildArguments(work))) {
                assertThat(rebuild.await(Duration.ofMinutes(3)))
                        .as("the rebuild's exit code; its log:%n%s", rebuild.log())
                        .isZero();
                assertThat(rebuild.log())
                        .as("the earlier stream's records, told apart by their arrival")
                        .contains("Of them, 2,000 records arrived before the stream was created")
                        .contains("an earlier stream's of the same name, folded before this stream's")
                        .as("the live generation's leases of the earlier stream, which never move again")
                        .contains("in " + aws.names().processorApp() + " are not this stream's");
            }
            // The running processor follows the switch, is ready again, and goes on from the archive's end.
            assertExact(processor, truth);
            await().atMost(Duration.ofMinutes(1))
                    .untilAsserted(() -> assertThat(LocalAws.status(processor.port(), "/actuator/health/readiness"))
                            .isEqualTo(200));
            List<ClickEvent> next = new ArrayList<>(clicks.next(500));
            next.addAll(earlier.subList(0, 50));
            feeder.aggregated(next);
            truth.add(next);
            assertExact(processor, truth);
        }
    }

    private static void assertExact(ServiceJvm processor, GroundTruth truth) {
        await().atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions()
                .untilAsserted(() -> {
                    assertThat(QueryAnswers.users(processor, truth)).isEqualTo(truth.users());
                    assertThat(QueryAnswers.topPages(processor)).isEqualTo(QueryAnswers.lastHourViews(truth));
                });
    }
}
