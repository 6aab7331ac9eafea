package dev.tideline.rebuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tideline.localaws.LocalAwsClients;
import dev.tideline.localaws.LocalAwsStack;
import dev.tideline.localaws.Provisioner;
import dev.tideline.localaws.junit.CommandJvm;
import dev.tideline.localaws.junit.LocalAws;
import dev.tideline.localaws.junit.ServiceJvm;
import dev.tideline.localaws.junit.StreamFeeder;
import dev.tideline.localaws.truth.Clickstream;
import dev.tideline.localaws.truth.GroundTruth;
import dev.tideline.model.event.ClickEvent;
import dev.tideline.model.names.ResourceNames;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.kinesis.common.InitialPositionInStream;

/**
 * A rebuild after the stream lost its oldest records: a clickstream is archived while no processor
 * counts it (its aggregates lost, say); then the stream is trimmed of the oldest half of each
 * shard's records, as its retention period would, and the stack restarted on its data. The stream
 * no longer answers those records, and no replay of it could count them; the rebuild brings them
 * back from the archive, and every user's aggregate and the page views equal ground truth. Then
 * two rebuilds {@code --to} a time: one before the trimmed records, refused, since the stream no
 * longer holds what it would hand over to it; one between the two parts of the clickstream, which
 * folds the first from the archive, reads the second from the stream, and is exact again.
 */
class TrimmedStreamRebuildIT {

    private static final int USERS = 300;
    private static final int HISTORY = 3_000;
    /** Sent first; the trimmed half of each shard's records lies well inside it. */
    private static final int FIRST_PART = 2_400;

    private static final Pattern HANDOVER = Pattern.compile("(shardId-[0-9]+) after ([0-9]+)/");

    @TempDir
    Path data;

    @TempDir
    Path work;

    @Test
    void aRebuildBringsBackFromTheArchiveWhatTheStreamNoLongerHolds() throws Exception {
        ResourceNames names = ResourceNames.DEFAULT.withSuffix("trimmed-it");
        GroundTruth truth = new GroundTruth();
        Map<String, BigInteger> archived;
        Instant beforeAll;
        Instant between;
        try (LocalAwsStack stack = LocalAwsStack.startOnFreePorts(data)) {
            new Provisioner(new LocalAwsClients(stack.endpoints())).provision(names, ResourceNames.LOCAL_SHARDS);
            LocalAws aws = LocalAws.on(stack, names);
            aws.precreateLeases(names.processorApp(), InitialPositionInStream.TRIM_HORIZON);
            aws.precreateLeases(names.archiverApp(), InitialPositionInStream.TRIM_HORIZON);
            try (KinesisClient kinesis = aws.clients().kinesis();
                    ServiceJvm archiver = aws.startArchiverJar("archiver-1")) {
                // One event a record, so that records trimmed are events trimmed.
                List<ClickEvent> history = new Clickstream(7, USERS, "t").next(HISTORY);
                StreamFeeder feeder = new StreamFeeder(kinesis, names.stream());
                beforeAll = Instant.now();
                feeder.plain(history.subList(0, FIRST_PART));
                // Every record of the first part has arrived by now, and none of the second.
                between = Instant.now();
                feeder.plain(history.subList(FIRST_PART, HISTORY));
                truth.add(history);
                await().atMost(Duration.ofMinutes(2))
                        .until(() ->
                                archiver.metric("tideline_archiver_records_total", "outcome=\"archived\"") >= HISTORY);
                archiver.stop();
            }
            try (DynamoDbClient dynamo = aws.clients().dynamoDb()) {
                archived = checkpoints(dynamo, names.archiverApp());
            }
        }

        Map<String, Integer> trimmed =
                TrimmedStream.trim(LocalAwsStack.kinesisDataFile(data), names.stream(), archived);
        assertThat(trimmed).as("records trimmed per shard").hasSize(ResourceNames.LOCAL_SHARDS);
        assertThat(trimmed.values()).allMatch(n -> n > 0);
        int gone = trimmed.values().stream().mapToInt(Integer::intValue).sum();

        try (LocalAwsStack stack = LocalAwsStack.startOnFreePorts(data)) {
            LocalAws aws = LocalAws.on(stack, names);
            try (KinesisClient kinesis = aws.clients().kinesis()) {
                assertThat(TrimmedStream.readable(kinesis, names.stream()).values().stream()
                                .mapToInt(Integer::intValue)
                                .sum())
                        .as("the events the stream still answers")
                        .isEqualTo(HISTORY - gone);
            }
            try (CommandJvm rebuild =
                    CommandJvm.start("rebuild", names.stream() + "-rebuild", aws.rebuildArguments(work))) {
                assertThat(rebuild.await(Duration.ofMinutes(3)))
                        .as("the rebuild's exit code; its log:%n%s", rebuild.log())
                        .isZero();
            }
            assertExact(aws, truth, "processor-1");

            List<String> tooEarly = new ArrayList<>(aws.rebuildArguments(work));
            tooEarly.add("--tideline.rebuild.to=" + beforeAll);
            try (CommandJvm rebuild = CommandJvm.start("rebuild", names.stream() + "-rebuild-too-early", tooEarly)) {
                assertThat(rebuild.await(Duration.ofMinutes(3)))
                        .as("the rebuild's exit code; its log:%n%s", rebuild.log())
                        .isEqualTo(2);
                assertThat(rebuild.log())
                        .contains("the stream no longer holds every record of shardId-")
                        .contains("--to " + beforeAll);
            }

            List<String> handover = new ArrayList<>(aws.rebuildArguments(work));
            handover.add("--tideline.rebuild.to=" + between);
            try (CommandJvm rebuild = CommandJvm.start("rebuild", names.stream() + "-rebuild-to", handover)) {
                assertThat(rebuild.await(Duration.ofMinutes(3)))
                        .as("the rebuild's exit code; its log:%n%s", rebuild.log())
                        .isZero();
                // Each shard is handed over before the archive's end: the stream counted the rest.
                Matcher handedOver = HANDOVER.matcher(rebuild.log());
                Map<String, BigInteger> after = new TreeMap<>();
                while (handedOver.find()) {
                    after.put(handedOver.group(1), new BigInteger(handedOver.group(2)));
                }
                assertThat(after).as("the handover, per shard").containsOnlyKeys(archived.keySet());
                after.forEach(
                        (shard, position) -> assertThat(position).as(shard).isLessThan(archived.get(shard)));
            }
            assertExact(aws, truth, "processor-2");
        }
    }

    /** The processor's jar, on whatever generation is current, answers ground truth. */
    private static void assertExact(LocalAws aws, GroundTruth truth, String workerId) throws Exception {
        try (ServiceJvm processor = ServiceJvm.startJar(
                "processor-service", aws.names().stream() + "-" + workerId, aws.processorArguments(workerId))) {
            await().atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptions()
                    .untilAsserted(() ->
                            assertThat(QueryAnswers.users(processor, truth)).isEqualTo(truth.users()));
            assertThat(QueryAnswers.topPages(processor)).isEqualTo(QueryAnswers.lastHourViews(truth));
        }
    }

    /** The archiver's checkpoint of each shard: it has archived every record up to it. */
    private static Map<String, BigInteger> checkpoints(DynamoDbClient dynamo, String leaseTable) {
        Map<String, BigInteger> out = new TreeMap<>();
        dynamo.scanPaginator(r -> r.tableName(leaseTable)).items().forEach(lease -> {
            String checkpoint = lease.get("checkpoint").s();
            if (Character.isDigit(checkpoint.charAt(0))) {
                out.put(lease.get("leaseKey").s(), new BigInteger(checkpoint));
            }
        });
        return out;
    }
}
