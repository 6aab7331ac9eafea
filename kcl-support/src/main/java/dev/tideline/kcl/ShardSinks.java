package dev.tideline.kcl;

import java.util.function.BooleanSupplier;

/** Opens a consumer's {@link ShardSink} for each shard a worker takes. */
@FunctionalInterface
public interface ShardSinks {

    /**
     * @param stopping true once the worker stops; a sink waiting on an unreachable destination gives
     *     up then, instead of holding the shutdown
     */
    ShardSink open(String shardId, BooleanSupplier stopping);
}
