package dev.tideline.console.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tideline.console.config.ConsoleProperties;
import dev.tideline.localaws.junit.LocalAws;
import dev.tideline.localaws.junit.LocalAwsExtension;
import dev.tideline.localaws.junit.StreamFeeder;
import dev.tideline.model.event.ClickEvent;
import dev.tideline.model.names.Layout;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.util.unit.DataSize;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.kinesis.common.InitialPositionInStream;

/**
 * The collector against the embedded stack with the real SDK, before any consumer runs: what it
 * reads from the stream, the lease tables, the dead letters and {@code errors/}, and how it reports
 * services that do not answer.
 */
class CollectorIT {

    @RegisterExtension
    static final LocalAwsExtension LOCAL = new LocalAwsExtension();

    /** Nothing listens here: the services are down. */
    private static final URI NOWHERE = URI.create("http://127.0.0.1:1");

    @Test
    void readsEverySourceAndNamesWhatIsMissing() {
        LocalAws aws = LOCAL.aws();
        aws.precreateLeases(aws.names().processorApp(), InitialPositionInStream.TRIM_HORIZON);
        String shard = "shardId-000000000002";
        aws.clients().dynamoDb().putItem(b -> b.tableName(aws.names().aggregatesTable())
                .item(Map.of(
                        Layout.AGGREGATES_PARTITION_KEY,
                        AttributeValue.fromS("dead-letter#" + shard),
                        Layout.AGGREGATES_SORT_KEY,
                        AttributeValue.fromS("4968#0000000000000000000"),
                        "sequence_number",
                        AttributeValue.fromS("4968"),
                        "partition_key",
                        AttributeValue.fromS("user-9"),
                        "reason",
                        AttributeValue.fromS("invalid"),
                        "message",
                        AttributeValue.fromS("user_id is missing"),
                        "data",
                        AttributeValue.fromB(SdkBytes.fromUtf8String("{}")),
                        "arrived_at",
                        AttributeValue.fromS("2026-11-29T07:00:00Z"))));
        aws.clients()
                .s3()
                .putObject(
                        b -> b.bucket(aws.names().bucket())
                                .key("errors/undecodable/dt=2026-11-29/hour=07/shardId-000000000001-1.jsonl"),
                        RequestBody.fromString("{}\n"));
        Leases leases = new Leases(aws.clients().dynamoDb());
        Collector collector = collector(aws, leases);

        Snapshot first = collector.refresh();

        assertThat(first.stream().error()).isNull();
        assertThat(first.stream().shards()).hasSize(4).allMatch(StreamApi.ShardInfo::open);
        Snapshot.ConsumerView processor = first.consumers().get(0);
        assertThat(processor.shards()).hasSize(4).allSatisfy(r -> assertThat(r.owner())
                .isNull());
        assertThat(processor.problems())
                .contains("shardId-000000000000 has no owner")
                .anySatisfy(p -> assertThat(p).startsWith("processor-service answers at none of [" + NOWHERE + "]"));
        Snapshot.ConsumerView archiver = first.consumers().get(1);
        assertThat(archiver.leaseError())
                .isEqualTo("the lease table " + aws.names().archiverApp()
                        + "-never-created cannot be read: ResourceNotFoundException: Requested resource not found");
        assertThat(first.healthy()).isFalse();
        assertThat(first.deadLetters().items()).singleElement().satisfies(d -> {
            assertThat(d.shardId()).isEqualTo(shard);
            assertThat(d.reason()).isEqualTo("invalid");
            assertThat(d.message()).isEqualTo("user_id is missing");
            assertThat(d.arrivedAt()).isEqualTo(Instant.parse("2026-11-29T07:00:00Z"));
        });
        assertThat(first.errorObjects().items()).singleElement().satisfies(o -> assertThat(o.reason())
                .isEqualTo("undecodable"));
        assertThat(first.ingest().instances()).singleElement().satisfies(w -> assertThat(w.error())
                .isEqualTo("unreachable: connection refused"));

        // The tail starts at the tip: what is put after the first read shows in the next.
        String user = "tail-" + UUID.randomUUID();
        new StreamFeeder(aws.clients().kinesis(), aws.names().stream())
                .aggregated(List.of(new ClickEvent(
                        UUID.randomUUID().toString(),
                        user,
                        "page_view",
                        "/checkout",
                        null,
                        null,
                        Instant.now(),
                        Instant.now(),
                        Map.of())));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            collector.refresh();
            assertThat(collector.tail().newest(user, 10)).singleElement().satisfies(e -> {
                assertThat(e.eventType()).isEqualTo("page_view");
                assertThat(e.page()).isEqualTo("/checkout");
            });
        });
        assertThat(collector.history().columns().get("time")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(leases.scans())
                .as("one Scan of each lease table per refresh")
                .isEqualTo(2 * collector.refreshes());
        long spentBefore = collector.refreshNanos();
        long started = System.nanoTime();
        collector.refresh();
        assertThat(collector.refreshNanos() - spentBefore)
                .as("the time of one refresh, in the console's refresh timer")
                .isPositive()
                .isLessThanOrEqualTo(System.nanoTime() - started);

        // A rebuild switched to generation 2: the processor's leases are in that generation's table.
        String rebuilt = aws.names().processorApp() + "-g2";
        aws.precreateLeases(rebuilt, InitialPositionInStream.TRIM_HORIZON);
        aws.clients().dynamoDb().putItem(b -> b.tableName(aws.names().aggregatesTable())
                .item(Map.of(
                        Layout.AGGREGATES_PARTITION_KEY, AttributeValue.fromS(Layout.POINTER_PARTITION),
                        Layout.AGGREGATES_SORT_KEY, AttributeValue.fromS(Layout.POINTER_SORT),
                        Layout.POINTER_CURRENT, AttributeValue.fromN("2"))));
        Snapshot.ConsumerView moved = collector.refresh().consumers().get(0);
        assertThat(moved.application()).isEqualTo(rebuilt);
        assertThat(moved.leaseError()).isNull();
        assertThat(moved.shards()).hasSize(4);
        assertThat(moved.problems()).noneMatch(p -> p.contains("earlier stream"));

        // A lease that ends a shard the stream has open is an earlier stream's: the stream was
        // deleted and created again, and everything in that shard waits (a record, at least).
        aws.clients().kinesis().putRecord(b -> b.streamName(aws.names().stream())
                .partitionKey("earlier")
                .explicitHashKey("0")
                .data(SdkBytes.fromUtf8String("not read")));
        aws.clients().dynamoDb().updateItem(b -> b.tableName(rebuilt)
                .key(Map.of("leaseKey", AttributeValue.fromS("shardId-000000000000")))
                .updateExpression("SET checkpoint = :end")
                .expressionAttributeValues(Map.of(":end", AttributeValue.fromS("SHARD_END"))));
        Snapshot.ConsumerView ended = collector.refresh().consumers().get(0);
        assertThat(ended.problems())
                .contains("shardId-000000000000 is open, but its lease in " + rebuilt
                        + " is an earlier stream's (SHARD_END): the stream was deleted and created again, and no"
                        + " worker reads this shard");
        assertThat(ended.shards())
                .filteredOn(r -> r.shardId().equals("shardId-000000000000"))
                .singleElement()
                .satisfies(r -> assertThat(r.checkpointAgeMillis())
                        .as("the age of the shard's oldest record, which nobody read")
                        .isPositive());

        // The stream deleted and created again: the tail's iterators are the old stream's, and it
        // starts again at the new one's tip instead of failing on them at every refresh.
        aws.recreateStream(4);
        KinesisClient kinesis = aws.clients().kinesis();
        String stream = aws.names().stream();
        String after = "after-" + UUID.randomUUID();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(collector.refresh().stream().error()).isNull();
            new StreamFeeder(kinesis, stream)
                    .aggregated(List.of(new ClickEvent(
                            UUID.randomUUID().toString(),
                            after,
                            "page_view",
                            "/again",
                            null,
                            null,
                            Instant.now(),
                            Instant.now(),
                            Map.of())));
            assertThat(collector.refresh().stream().error()).isNull();
            assertThat(collector.tail().newest(after, 10)).isNotEmpty();
        });
    }

    private static Collector collector(LocalAws aws, Leases leases) {
        ConsoleProperties p = new ConsoleProperties(
                Duration.ofSeconds(2),
                1,
                aws.names().stream(),
                aws.names().processorApp(),
                aws.names().archiverApp() + "-never-created",
                aws.names().aggregatesTable(),
                aws.names().bucket(),
                false,
                List.of(NOWHERE),
                List.of(NOWHERE),
                List.of(NOWHERE),
                Duration.ofSeconds(60),
                Duration.ofSeconds(900),
                Duration.ofSeconds(10),
                DataSize.ofMegabytes(64),
                200,
                Duration.ofMinutes(30),
                null);
        Clock clock = Clock.systemUTC();
        var kinesis = aws.clients().kinesis();
        var dynamo = aws.clients().dynamoDb();
        return new Collector(
                p,
                new StreamApi(kinesis, clock),
                leases,
                new Rejects(dynamo, aws.clients().s3()),
                new Scraper(p.everyAddress()),
                new Tail(kinesis, p.stream(), p.tailSize()),
                clock);
    }
}
