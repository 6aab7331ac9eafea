package dev.tideline.processor.consume;

import dev.tideline.kcl.ReportsWhileAlive;
import dev.tideline.kcl.ShardLagGauges;
import dev.tideline.model.metrics.Meters;
import dev.tideline.model.metrics.Meters.Outcome;
import dev.tideline.processor.apply.ApplyListener;
import dev.tideline.web.MeterBuilders;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The processor's Micrometer meters. Names are part of the contract with the operators' dashboard
 * and alarms:
 *
 * <ul>
 *   <li>{@code tideline.processor.records} {outcome=applied|duplicate|replayed|dead_letter}: a
 *       duplicate is a client's retry of an {@code event_id}, a replayed record one whose effects
 *       were stored already
 *   <li>{@code tideline.processor.dead.letters} {reason}
 *   <li>{@code tideline.processor.fenced.writes}, {@code tideline.processor.write.retries}
 *   <li>{@code tideline.processor.batch} (timer), {@code tideline.processor.batch.writes}
 *       (single-item writes per batch, retries included)
 *   <li>per shard: {@code tideline.processor.millis.behind.latest} (from KCL) and
 *       {@code tideline.processor.iterator.age} (now minus the newest record's arrival)
 *   <li>{@code tideline.processor.lag}: the largest iterator age over this worker's shards, untagged
 *       so that one alarm covers every worker
 * </ul>
 *
 * <p>The names come from {@link Meters}, which the CDK dashboard and alarms read too.
 */
public final class ProcessorMetrics extends ReportsWhileAlive implements ApplyListener {

    private final MeterRegistry registry;
    private final Map<String, Counter> records;
    private final Counter fenced;
    private final Counter retries;

    // Per batch: how long it took, and how many writes.
    private final Timer batch;
    private final DistributionSummary batchWrites;

    private final ShardLagGauges shards;

    public ProcessorMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.shards =
                new ShardLagGauges(registry, Meters.PROCESSOR_MILLIS_BEHIND_LATEST, Meters.PROCESSOR_ITERATOR_AGE);
        this.records = MeterBuilders.byOutcome(
                registry, Meters.PROCESSOR_RECORDS, "user records handled, by outcome", Outcome.PROCESSOR);
        this.fenced = MeterBuilders.counter(
                registry,
                Meters.PROCESSOR_FENCED_WRITES,
                "batches refused because their shard had ended and a child's worker owns its users");
        this.retries = MeterBuilders.counter(
                registry,
                Meters.PROCESSOR_WRITE_RETRIES,
                "single-item writes tried again after an error or a failed condition");
        this.batch = Timer.builder(Meters.PROCESSOR_BATCH.name())
                .description("time to make a batch's effects durable")
                .publishPercentileHistogram()
                .register(registry);
        this.batchWrites = DistributionSummary.builder(Meters.PROCESSOR_BATCH_WRITES.name())
                .description("single-item writes a batch took, retries included")
                .register(registry);
        TimeGauge.builder(Meters.PROCESSOR_LAG.name(), this, TimeUnit.MILLISECONDS, ProcessorMetrics::maxAge)
                .description("the largest iterator age over the shards this worker reads; none while the KCL"
                        + " scheduler is not running, or its leases are an earlier stream's")
                .register(registry);
    }

    /** None while the KCL scheduler is not running, or misses shards (see {@link ReportsWhileAlive}). */
    private double maxAge() {
        return whileAlive(shards::maxAgeMillis);
    }

    @Override
    public void replayed(String shardId, int records) {
        this.records.get(Outcome.REPLAYED).increment(records);
    }

    @Override
    public void duplicates(String shardId, int events) {
        records.get(Outcome.DUPLICATE).increment(events);
    }

    @Override
    public void applied(String shardId, int events) {
        records.get(Outcome.APPLIED).increment(events);
    }

    @Override
    public void deadLetter(String shardId, String reason) {
        records.get(Outcome.DEAD_LETTER).increment();
        MeterBuilders.counter(
                        registry,
                        Meters.PROCESSOR_DEAD_LETTERS,
                        "poison records kept in the dead-letter place and skipped",
                        "reason",
                        reason)
                .increment();
    }

    @Override
    public void fenced(String shardId) {
        fenced.increment();
    }

    @Override
    public void retry(String shardId) {
        retries.increment();
    }

    Timer batch() {
        return batch;
    }

    void batchWrites(int writes) {
        batchWrites.record(writes);
    }

    void lag(String shardId, long millisBehindLatest, long iteratorAgeMillis) {
        shards.set(shardId, millisBehindLatest, iteratorAgeMillis);
    }

    /** Drops a shard's gauges when this worker no longer reads it. */
    void forget(String shardId) {
        shards.forget(shardId);
    }
}
