package dev.tideline.kcl;

import dev.tideline.model.metrics.MeterName;
import dev.tideline.model.shard.StreamRecord;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A consumer's per-shard lag gauges, tagged {@code shard}: {@code MillisBehindLatest} as KCL reports
 * it, and the iterator age (now minus the arrival of the newest record read). The operators'
 * console and the runbook read them per shard; a shard this worker stops reading loses its gauges.
 */
public final class ShardLagGauges {

    private final MeterRegistry registry;
    private final MeterName behind;
    private final MeterName age;
    private final Map<String, Shard> shards = new ConcurrentHashMap<>();

    public ShardLagGauges(MeterRegistry registry, MeterName behind, MeterName age) {
        this.registry = registry;
        this.behind = behind;
        this.age = age;
    }

    public void set(String shardId, long millisBehindLatest, long iteratorAgeMillis) {
        Shard s = shards.computeIfAbsent(shardId, this::register);
        s.behind.set(millisBehindLatest);
        s.age.set(iteratorAgeMillis);
    }

    /**
     * The iterator age after a batch read from a shard: now minus its newest record's arrival; an empty
     * batch is at the tip as far as the reader knows, so its age is KCL's {@code MillisBehindLatest}.
     */
    public static long iteratorAgeMillis(List<StreamRecord> records, long millisBehindLatest, Clock clock) {
        return records.isEmpty()
                ? millisBehindLatest
                : Math.max(
                        0,
                        clock.millis()
                                - records.get(records.size() - 1).arrivedAt().toEpochMilli());
    }

    /** Drops a shard's gauges when this worker no longer reads it. */
    public void forget(String shardId) {
        Shard s = shards.remove(shardId);
        if (s != null) {
            s.meters.forEach(registry::remove);
        }
    }

    /** The largest iterator age over the shards this worker reads, 0 when it reads none. */
    public long maxAgeMillis() {
        return shards.values().stream().mapToLong(s -> s.age.get()).max().orElse(0);
    }

    private Shard register(String shardId) {
        AtomicLong behindValue = new AtomicLong();
        AtomicLong ageValue = new AtomicLong();
        Tags tags = Tags.of("shard", shardId);
        Meter behindGauge = Gauge.builder(behind.name(), behindValue, AtomicLong::get)
                .description("how far the shard's reader is behind the tip, as KCL reports it, in ms")
                .tags(tags)
                .register(registry);
        Meter ageGauge = TimeGauge.builder(age.name(), ageValue, TimeUnit.MILLISECONDS, AtomicLong::get)
                .description("now minus the arrival time of the newest record read from the shard")
                .tags(tags)
                .register(registry);
        return new Shard(behindValue, ageValue, List.of(behindGauge, ageGauge));
    }

    private record Shard(AtomicLong behind, AtomicLong age, List<Meter> meters) {}
}
