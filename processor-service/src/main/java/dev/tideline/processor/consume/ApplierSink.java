package dev.tideline.processor.consume;

import dev.tideline.kcl.ShardLagGauges;
import dev.tideline.kcl.ShardSink;
import dev.tideline.kcl.ShardSinks;
import dev.tideline.model.shard.Position;
import dev.tideline.model.shard.StreamRecord;
import dev.tideline.processor.apply.AggregateStore;
import dev.tideline.processor.apply.ApplySettings;
import dev.tideline.processor.apply.ShardApplier;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The processor's side of a shard: each batch applied to the aggregates by a {@link ShardApplier}
 * before {@link #accept} returns, so whatever was accepted is durable, and measured.
 */
public record ApplierSink(ShardApplier applier, AggregateStore store, ProcessorMetrics metrics, Clock clock)
        implements ShardSink {

    /** A sink per shard, each with its own applier over the one store. */
    public static ShardSinks sinks(
            AggregateStore store, ApplySettings settings, ProcessorMetrics metrics, Clock clock) {
        return (shardId, stopping) ->
                new ApplierSink(new ShardApplier(shardId, store, settings, metrics, stopping), store, metrics, clock);
    }

    @Override
    public boolean accept(List<StreamRecord> records, long millisBehindLatest) {
        String shardId = applier.shardId();
        if (records.isEmpty()) {
            metrics.lag(
                    shardId, millisBehindLatest, ShardLagGauges.iteratorAgeMillis(records, millisBehindLatest, clock));
            return true;
        }
        long started = System.nanoTime();
        ShardApplier.Outcome outcome = applier.apply(records);
        metrics.batch().record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        metrics.batchWrites(applier.writesInLastBatch());
        metrics.lag(shardId, millisBehindLatest, ShardLagGauges.iteratorAgeMillis(records, millisBehindLatest, clock));
        return outcome == ShardApplier.Outcome.APPLIED;
    }

    @Override
    public Optional<Position> durable() {
        return Optional.ofNullable(applier.marker());
    }

    /** Nothing to do: every accepted batch is durable already. */
    @Override
    public void flush() {}

    /** Records that the shard ended, which fences a worker still writing from it; not when fenced itself. */
    @Override
    public boolean finish() {
        if (applier.fenced()) {
            return false;
        }
        store.shardEnded(applier.shardId());
        return true;
    }

    /** Nothing to drop: nothing is held that is not durable. */
    @Override
    public void discard() {}

    @Override
    public void close() {
        metrics.forget(applier.shardId());
    }
}
