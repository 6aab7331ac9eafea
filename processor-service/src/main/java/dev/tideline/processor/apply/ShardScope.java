package dev.tideline.processor.apply;

import java.util.function.BooleanSupplier;

/**
 * What a shard's applier and the loop that writes for it share.
 *
 * @param stopping true once the worker is shutting down; ends waits on an unreachable store
 */
record ShardScope(
        String shardId,
        AggregateStore store,
        ApplySettings settings,
        ApplyListener listener,
        BooleanSupplier stopping) {}
