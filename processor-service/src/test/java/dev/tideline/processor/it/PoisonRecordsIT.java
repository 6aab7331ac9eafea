package dev.tideline.processor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tideline.localaws.junit.LocalAws;
import dev.tideline.localaws.junit.LocalAwsExtension;
import dev.tideline.localaws.junit.ServiceJvm;
import dev.tideline.localaws.junit.StreamFeeder;
import dev.tideline.localaws.truth.Clickstream;
import dev.tideline.localaws.truth.GroundTruth;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.kinesis.common.InitialPositionInStream;

/** Poison among good records: the good ones exact, each poison one kept once in the dead letters. */
class PoisonRecordsIT {

    @RegisterExtension
    static final LocalAwsExtension LOCAL = new LocalAwsExtension();

    @Test
    void poisonRecordsAreDeadLetteredOnceAndNeverBlockTheGoodOnes() throws Exception {
        LocalAws aws = LOCAL.aws();
        aws.precreateLeases(aws.names().processorApp(), InitialPositionInStream.TRIM_HORIZON);
        GroundTruth truth = new GroundTruth();
        Clickstream clicks = new Clickstream(7, 200, "user-");
        List<byte[]> poison = List.of(
                "not json at all".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2, 1, 2, 3},
                "{\"event_id\":\"5b0f4c1e-8a55-4a43-a7c5-8d8e3e5d6b2a\",\"user_id\":\"user-1\"}"
                        .getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xC3, (byte) 0x28, '{', '}'});
        try (KinesisClient kinesis = aws.clients().kinesis();
                DynamoDbClient dynamo = aws.clients().dynamoDb()) {
            StreamFeeder feeder = new StreamFeeder(kinesis, aws.names().stream());
            for (byte[] bad : poison) {
                var events = clicks.next(500);
                feeder.aggregated(events);
                truth.add(events);
                feeder.raw("user-1", bad);
            }
            var last = clicks.next(500);
            feeder.aggregated(last);
            truth.add(last);

            AggregatesTable table = new AggregatesTable(dynamo, aws.names().aggregatesTable());
            try (ServiceJvm worker = ProcessorProcess.start(aws, "poison-1")) {
                await().atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofSeconds(1))
                        .untilAsserted(() -> assertThat(table.totalEvents()).isEqualTo(truth.events()));
                table.assertExactly(truth);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(table.items("dead-letter#"))
                        .hasSize(poison.size()));
                assertThat(worker.metric("tideline_processor_dead_letters_total", ""))
                        .isEqualTo(poison.size());
            }
            List<Map<String, AttributeValue>> letters = table.items("dead-letter#");
            assertThat(letters.stream().map(l -> l.get("reason").s()).collect(Collectors.toList()))
                    .containsExactlyInAnyOrder("undecodable", "undecodable", "invalid", "undecodable");
            assertThat(letters.stream().map(l -> l.get("data").b().asByteArray()))
                    .usingElementComparator((a, b) -> java.util.Arrays.equals(a, b) ? 0 : 1)
                    .containsExactlyInAnyOrderElementsOf(poison);
            assertThat(letters).allSatisfy(l -> {
                assertThat(l.get("shard_id").s()).startsWith("shardId-");
                assertThat(l.get("sequence_number").s()).matches("[0-9]+");
                assertThat(l.get("message").s()).isNotBlank();
            });
        }
    }
}
