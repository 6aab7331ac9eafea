package dev.tideline.processor.it;

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
import dev.tideline.model.event.ClickEventCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.kinesis.common.InitialPositionInStream;

/**
 * A producer wrote events with a field the contract does not know yet; the processor set them aside
 * with some true garbage. Once operators choose to drop unknown fields, the redrive applies each of
 * those events once, the dead letters fall by exactly their number, and the garbage stays, counted.
 * A dead letter a cut-short redrive published but did not remove is published again and counted
 * once; one claimed longer ago than the dedupe window is left for an operator.
 */
class RedriveIT {

    @RegisterExtension
    static final LocalAwsExtension LOCAL = new LocalAwsExtension();

    private static final ClickEventCodec CODEC = new ClickEventCodec();

    @Test
    void deadLettersMadeValidByAConfigurationChangeAreAppliedOnceAndTheRestStay() throws Exception {
        LocalAws aws = LOCAL.aws();
        aws.precreateLeases(aws.names().processorApp(), InitialPositionInStream.TRIM_HORIZON);
        GroundTruth truth = new GroundTruth();
        Clickstream clicks = new Clickstream(9, 50, "rd-");
        List<String> redrive = new ArrayList<>(aws.processorArguments("redrive"));
        redrive.add("--tideline.processor.drop-unknown-fields=true");
        try (KinesisClient kinesis = aws.clients().kinesis();
                DynamoDbClient dynamo = aws.clients().dynamoDb();
                ServiceJvm worker = ProcessorProcess.start(aws, "redrive-1")) {
            StreamFeeder feeder = new StreamFeeder(kinesis, aws.names().stream());
            List<ClickEvent> good = clicks.next(1_000);
            feeder.aggregated(good);
            truth.add(good);
            List<ClickEvent> ahead = clicks.next(30);
            for (ClickEvent e : ahead) {
                feeder.raw(e.userId(), withField(e, "\"app_version\":\"4.2\""));
            }
            for (int i = 0; i < 5; i++) {
                feeder.raw("rd-garbage", ("not an event " + i).getBytes(StandardCharsets.UTF_8));
            }
            AggregatesTable table = new AggregatesTable(dynamo, aws.names().aggregatesTable());
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> {
                        assertThat(table.totalEvents()).isEqualTo(truth.events());
                        assertThat(table.items("dead-letter#")).hasSize(35);
                    });
            Map<String, AttributeValue> oneLetter = table.items("dead-letter#").stream()
                    .filter(d -> d.get("message").s().contains("app_version"))
                    .findFirst()
                    .orElseThrow();

            try (CommandJvm run = CommandJvm.start("redrive", aws.names().stream() + "-redrive-1", redrive)) {
                assertThat(run.await(Duration.ofMinutes(2))).as(run.log()).isZero();
                assertThat(run.log()).contains("Redrove 30 dead letters; still bad: {undecodable=5}");
            }
            truth.add(ahead);
            await().atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(table.totalEvents()).isEqualTo(truth.events()));
            table.assertExactly(truth);
            assertThat(table.items("dead-letter#"))
                    .as("the dead letters fell by exactly 30")
                    .hasSize(5);

            try (CommandJvm again = CommandJvm.start("redrive", aws.names().stream() + "-redrive-2", redrive)) {
                assertThat(again.await(Duration.ofMinutes(2))).as(again.log()).isZero();
                assertThat(again.log()).contains("Redrove 0 dead letters; still bad: {undecodable=5}");
            }

            // A redrive cut short after publishing, before removing: the letter is back, claimed a minute ago.
            double duplicates = worker.metric("tideline_processor_records_total", "outcome=\"duplicate\"");
            putBack(dynamo, aws, oneLetter, Instant.now().minusSeconds(60));
            try (CommandJvm resumed = CommandJvm.start("redrive", aws.names().stream() + "-redrive-3", redrive)) {
                assertThat(resumed.await(Duration.ofMinutes(2)))
                        .as(resumed.log())
                        .isZero();
                assertThat(resumed.log()).contains("Redrove 1 dead letters");
            }
            await().atMost(Duration.ofMinutes(1))
                    .until(() ->
                            worker.metric("tideline_processor_records_total", "outcome=\"duplicate\"") > duplicates);
            table.assertExactly(truth);

            // Claimed longer ago than the consumers remember ids: left for an operator.
            putBack(dynamo, aws, oneLetter, Instant.now().minus(Duration.ofHours(1)));
            try (CommandJvm stale = CommandJvm.start("redrive", aws.names().stream() + "-redrive-4", redrive)) {
                assertThat(stale.await(Duration.ofMinutes(2))).as(stale.log()).isZero();
                assertThat(stale.log())
                        .contains("did not finish")
                        .contains("--force")
                        .contains("left claimed: 1");
            }
            assertThat(table.items("dead-letter#")).hasSize(6);
            table.assertExactly(truth);
        }
    }

    /** The event as a producer ahead of the contract writes it: with one more top-level field. */
    private static byte[] withField(ClickEvent e, String field) {
        String json = new String(CODEC.write(e), StandardCharsets.UTF_8);
        return (json.substring(0, json.length() - 1) + "," + field + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static void putBack(
            DynamoDbClient dynamo, LocalAws aws, Map<String, AttributeValue> letter, Instant claimed) {
        Map<String, AttributeValue> item = new HashMap<>(letter);
        item.put("redriving_at", AttributeValue.fromS(claimed.toString()));
        dynamo.putItem(r -> r.tableName(aws.names().aggregatesTable()).item(item));
    }
}
