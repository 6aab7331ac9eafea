package dev.tideline.processor.consume;

import dev.tideline.processor.apply.AggregateStore;
import dev.tideline.processor.apply.ApplySettings;
import dev.tideline.processor.apply.ShardApplier;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** What every shard processor of a worker shares. */
record ShardContext(
        AggregateStore store,
        ApplySettings settings,
        ProcessorMetrics metrics,
        Duration checkpointInterval,
        BooleanSupplier stopping) {

    ShardApplier applier(String shardId) {
        return new ShardApplier(shardId, store, settings, metrics, stopping);
    }
}
