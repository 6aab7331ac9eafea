package dev.tideline.archiver.consume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideline.localaws.junit.PublishedMeters;
import dev.tideline.model.event.Decoded;
import dev.tideline.model.metrics.Meters;
import dev.tideline.model.shard.Position;
import dev.tideline.model.shard.StreamRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ArchiverMetricsTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ArchiverMetrics metrics = new ArchiverMetrics(registry, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void publishesEveryMeterTheDashboardReads() {
        metrics.errors("shardId-000000000000", Decoded.INVALID, 1);
        metrics.read("shardId-000000000000", List.of(), 0);

        PublishedMeters.assertRegistered(registry, Meters.of("archiver"));
    }

    @Test
    void freshnessGoesMissingWhileTheKclSchedulerIsNotRunning() {
        AtomicBoolean running = new AtomicBoolean(true);
        metrics.reportWhile(running::get);
        metrics.pending("shardId-000000000000", NOW.minusSeconds(4), 1_000);
        assertThat(freshnessMillis()).isEqualTo(4_000);

        running.set(false);

        // NaN is not published, so the alarm that treats missing data as breaching fires.
        assertThat(freshnessMillis()).isNaN();
    }

    @Test
    void freshnessIsTheOldestUnarchivedArrivalOverAllShards() {
        metrics.pending("shardId-000000000000", NOW.minusSeconds(4), 1_000);
        metrics.pending("shardId-000000000001", NOW.minusSeconds(90), 2_000);

        assertThat(freshnessMillis()).isEqualTo(90_000);
        assertThat(registry.get(Meters.ARCHIVER_BUFFER_BYTES.name()).gauge().value())
                .isEqualTo(3_000);

        metrics.pending("shardId-000000000001", null, 0);

        assertThat(freshnessMillis()).isEqualTo(4_000);
    }

    @Test
    void eachShardReportsHowFarBehindItsReaderIsUntilTheWorkerLetsItGo() {
        StreamRecord newest = new StreamRecord(
                Position.of("49590338271490256608559692538361571095921575989136588898", 0),
                "user-1",
                new byte[] {1},
                NOW.minusMillis(1_500));
        metrics.read("shardId-000000000000", List.of(), 700);
        metrics.read("shardId-000000000001", List.of(newest), 2_000);

        assertThat(shardGauge(Meters.ARCHIVER_MILLIS_BEHIND_LATEST, "shardId-000000000000"))
                .isEqualTo(700);
        assertThat(shardGauge(Meters.ARCHIVER_ITERATOR_AGE, "shardId-000000000000"))
                .as("an empty batch is as far behind as KCL says")
                .isEqualTo(0.7);
        assertThat(shardGauge(Meters.ARCHIVER_ITERATOR_AGE, "shardId-000000000001"))
                .as("now minus the newest record's arrival, in seconds")
                .isEqualTo(1.5);

        metrics.forget("shardId-000000000001");

        assertThat(registry.find(Meters.ARCHIVER_ITERATOR_AGE.name())
                        .tag("shard", "shardId-000000000001")
                        .meters())
                .isEmpty();
    }

    private double shardGauge(dev.tideline.model.metrics.MeterName name, String shard) {
        return registry.get(name.name()).tag("shard", shard).gauge().value();
    }

    private double freshnessMillis() {
        return registry.get(Meters.ARCHIVER_FRESHNESS.name()).timeGauge().value(TimeUnit.MILLISECONDS);
    }
}
