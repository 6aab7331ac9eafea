package dev.tideline.archiver.consume;

import dev.tideline.archiver.archive.ArchiverListener;
import dev.tideline.kcl.ReportsWhileAlive;
import dev.tideline.kcl.ShardLagGauges;
import dev.tideline.model.metrics.Meters;
import dev.tideline.model.metrics.Meters.Outcome;
import dev.tideline.model.shard.StreamRecord;
import dev.tideline.web.MeterBuilders;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The archiver's meters; names are part of the contract with the operators' dashboard:
 *
 * <ul>
 *   <li>{@code tideline.archiver.records} {outcome=archived|duplicate|replayed|error}
 *       (a duplicate is a client's retry of an {@code event_id}, a replayed record one already in an
 *       object),
 *       {@code tideline.archiver.bytes} (input), {@code tideline.archiver.objects},
 *       {@code tideline.archiver.object.bytes}, {@code tideline.archiver.errors} {reason},
 *       {@code tideline.archiver.s3.retries}
 *   <li>{@code tideline.archiver.buffer.bytes}: input bytes buffered across shards
 *   <li>{@code tideline.archiver.freshness}: now minus the arrival time of the oldest record not yet
 *       archived, Firehose's {@code DeliveryToS3.DataFreshness}; what operators alarm on
 *   <li>per shard: {@code tideline.archiver.millis.behind.latest} (from KCL) and
 *       {@code tideline.archiver.iterator.age}, which the operators' console shows
 * </ul>
 *
 * <p>The names come from {@link Meters}, which the CDK dashboard and alarms read too.
 */
public final class ArchiverMetrics extends ReportsWhileAlive implements ArchiverListener {

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, Counter> records;
    private final Counter retries;
    private final ObjectCounters objects;

    // What each shard holds, for the gauges.
    private final Map<String, Instant> oldestPending = new ConcurrentHashMap<>();
    private final Map<String, Long> buffered = new ConcurrentHashMap<>();
    private final ShardLagGauges lag;

    public ArchiverMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        this.lag = new ShardLagGauges(registry, Meters.ARCHIVER_MILLIS_BEHIND_LATEST, Meters.ARCHIVER_ITERATOR_AGE);
        this.records = MeterBuilders.byOutcome(
                registry, Meters.ARCHIVER_RECORDS, "user records handled, by outcome", Outcome.ARCHIVER);
        this.objects = new ObjectCounters(
                MeterBuilders.counter(registry, Meters.ARCHIVER_BYTES, "input bytes of archived records"),
                MeterBuilders.counter(registry, Meters.ARCHIVER_OBJECTS, "Parquet objects written"),
                MeterBuilders.counter(registry, Meters.ARCHIVER_OBJECT_BYTES, "bytes of Parquet objects written"));
        this.retries = MeterBuilders.counter(registry, Meters.ARCHIVER_S3_RETRIES, "S3 calls tried again");
        Gauge.builder(Meters.ARCHIVER_BUFFER_BYTES.name(), buffered, b -> b.values().stream()
                        .mapToLong(Long::longValue)
                        .sum())
                .description("input bytes buffered, not yet in an object")
                .register(registry);
        TimeGauge.builder(
                        Meters.ARCHIVER_FRESHNESS.name(), this, TimeUnit.MILLISECONDS, ArchiverMetrics::freshnessMillis)
                .description("now minus the arrival time of the oldest record not yet archived")
                .register(registry);
    }

    /** None while the KCL scheduler is not running, or misses shards (see {@link ReportsWhileAlive}). */
    private double freshnessMillis() {
        long now = clock.millis();
        return whileAlive(() -> oldestPending.values().stream()
                .mapToLong(at -> Math.max(0, now - at.toEpochMilli()))
                .max()
                .orElse(0));
    }

    /** What a shard holds after a batch: its oldest unarchived arrival and its buffered bytes. */
    void pending(String shardId, @Nullable Instant oldest, long bufferedBytes) {
        if (oldest == null) {
            oldestPending.remove(shardId);
        } else {
            oldestPending.put(shardId, oldest);
        }
        buffered.put(shardId, bufferedBytes);
    }

    void forget(String shardId) {
        oldestPending.remove(shardId);
        buffered.remove(shardId);
        lag.forget(shardId);
    }

    /** How far behind a batch just read from the shard was, for the per-shard lag gauges. */
    void read(String shardId, List<StreamRecord> batch, long millisBehindLatest) {
        lag.set(shardId, millisBehindLatest, ShardLagGauges.iteratorAgeMillis(batch, millisBehindLatest, clock));
    }

    @Override
    public void duplicates(String shardId, int events) {
        records.get(Outcome.DUPLICATE).increment(events);
    }

    @Override
    public void replayed(String shardId, int records) {
        this.records.get(Outcome.REPLAYED).increment(records);
    }

    @Override
    public void archived(String shardId, long rows, long inputBytes, long objectBytes) {
        records.get(Outcome.ARCHIVED).increment(rows);
        objects.add(inputBytes, objectBytes);
    }

    @Override
    public void errors(String shardId, String reason, int records) {
        this.records.get(Outcome.ERROR).increment(records);
        MeterBuilders.counter(
                        registry, Meters.ARCHIVER_ERRORS, "records kept under errors/, by reason", "reason", reason)
                .increment(records);
    }

    @Override
    public void retry(String shardId) {
        retries.increment();
    }

    /** What each object adds: the input bytes of its records, itself, and its own bytes. */
    private record ObjectCounters(Counter inputBytes, Counter objects, Counter objectBytes) {

        void add(long input, long size) {
            inputBytes.increment(input);
            objects.increment();
            objectBytes.increment(size);
        }
    }
}
