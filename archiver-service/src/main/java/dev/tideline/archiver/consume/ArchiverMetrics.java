package dev.tideline.archiver.consume;

import dev.tideline.archiver.archive.ArchiverListener;
import dev.tideline.model.metrics.Meters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
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
 * </ul>
 *
 * <p>The names come from {@link Meters}, which the CDK dashboard and alarms read too.
 */
public final class ArchiverMetrics implements ArchiverListener {

    private final MeterRegistry registry;
    private final Clock clock;
    private volatile BooleanSupplier reading = () -> true;
    private final Counter archived;
    private final Counter duplicates;
    private final Counter replayed;
    private final Counter errored;
    private final Counter bytes;
    private final Counter objects;
    private final Counter objectBytes;
    private final Counter retries;
    private final Map<String, Instant> oldestPending = new ConcurrentHashMap<>();
    private final Map<String, Long> buffered = new ConcurrentHashMap<>();

    public ArchiverMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        this.archived = records("archived");
        this.duplicates = records("duplicate");
        this.replayed = records("replayed");
        this.errored = records("error");
        this.bytes = Counter.builder(Meters.ARCHIVER_BYTES.name())
                .description("input bytes of archived records")
                .register(registry);
        this.objects = Counter.builder(Meters.ARCHIVER_OBJECTS.name())
                .description("Parquet objects written")
                .register(registry);
        this.objectBytes = Counter.builder(Meters.ARCHIVER_OBJECT_BYTES.name())
                .description("bytes of Parquet objects written")
                .register(registry);
        this.retries = Counter.builder(Meters.ARCHIVER_S3_RETRIES.name())
                .description("S3 calls tried again")
                .register(registry);
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

    private Counter records(String outcome) {
        return Counter.builder(Meters.ARCHIVER_RECORDS.name())
                .description("user records handled, by outcome")
                .tag("outcome", outcome)
                .register(registry);
    }

    /**
     * Reports freshness only while {@code reading} holds: an archiver whose KCL scheduler died then
     * publishes nothing, and the freshness alarm, which treats missing data as breaching, fires.
     */
    public void reportWhile(BooleanSupplier reading) {
        this.reading = reading;
    }

    private double freshnessMillis() {
        if (!reading.getAsBoolean()) {
            return Double.NaN;
        }
        long now = clock.millis();
        return oldestPending.values().stream()
                .mapToLong(at -> Math.max(0, now - at.toEpochMilli()))
                .max()
                .orElse(0);
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
    }

    @Override
    public void duplicates(String shardId, int events) {
        duplicates.increment(events);
    }

    @Override
    public void replayed(String shardId, int records) {
        replayed.increment(records);
    }

    @Override
    public void archived(String shardId, long rows, long inputBytes, long objectBytes) {
        archived.increment(rows);
        bytes.increment(inputBytes);
        objects.increment();
        this.objectBytes.increment(objectBytes);
    }

    @Override
    public void errors(String shardId, String reason, int records) {
        errored.increment(records);
        Counter.builder(Meters.ARCHIVER_ERRORS.name())
                .description("records kept under errors/, by reason")
                .tag("reason", reason)
                .register(registry)
                .increment(records);
    }

    @Override
    public void retry(String shardId) {
        retries.increment();
    }
}
