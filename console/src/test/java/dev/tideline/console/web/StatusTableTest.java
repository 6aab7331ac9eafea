package dev.tideline.console.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideline.console.collect.History;
import dev.tideline.console.collect.Snapshot;
import dev.tideline.console.collect.Snapshot.ConsumerView;
import dev.tideline.console.collect.Snapshot.ShardRow;
import dev.tideline.console.collect.StreamApi;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusTableTest {

    private static final Instant NOW = Instant.parse("2026-11-29T08:00:00Z");

    @Test
    void showsEachConsumersShardsAndWhyItNeedsAttention() {
        ConsumerView processor = new ConsumerView(
                "processor",
                "tideline-processor",
                "lag",
                420L,
                60_000,
                List.of(),
                List.of(new Snapshot.Worker("http://127.0.0.1:8081", true, null)),
                List.of(new ShardRow(
                        "shardId-000000000000", true, "worker-a", false, "4968", 12, 0, 1, 300L, 0L, 310L)),
                null);
        ConsumerView archiver = new ConsumerView(
                "archiver",
                "tideline-archiver",
                "freshness",
                null,
                900_000,
                List.of("archiver-service answers at none of [http://127.0.0.1:8082]: unreachable: connection refused"),
                List.of(new Snapshot.Worker("http://127.0.0.1:8082", false, "unreachable: connection refused")),
                List.of(
                        new ShardRow(
                                "shardId-000000000000", true, "worker-b", true, "4968", 3, 0, 0, 95_000L, null, null),
                        new ShardRow("shardId-000000000001", true, null, false, null, 0, 0, 0, null, null, null)),
                null);
        Snapshot snapshot = new Snapshot(
                NOW,
                2_000,
                null,
                new Snapshot.StreamView(
                        "tideline-events",
                        null,
                        List.of(new StreamApi.ShardInfo("shardId-000000000000", null, "0", "9", true, "1")),
                        12.5,
                        2048.0),
                List.of(processor, archiver),
                new Snapshot.IngestView(List.of(), null, null, null, null, null, null, 1),
                new Snapshot.Listing<>(List.of(), null, null),
                new Snapshot.Listing<>(List.of(), null, null),
                new History.Point(NOW.getEpochSecond(), null, null, null, null, null, null, null),
                false);

        String table = StatusTable.render(snapshot);

        assertThat(table)
                .contains("stream tideline-events: 1 open shards, 12.5 events/s, 2.0 KB/s")
                .contains("processor (tideline-processor): lag 420 ms, threshold 60 s: OK")
                .contains("archiver (tideline-archiver): freshness -, threshold 900 s: ATTENTION")
                .contains("! archiver-service answers at none of")
                .containsPattern("shardId-000000000000 +worker-b +EXPIRED +95 s")
                .containsPattern("shardId-000000000001 +\\(none\\) +-")
                .endsWith("Attention needed.\n");
    }
}
