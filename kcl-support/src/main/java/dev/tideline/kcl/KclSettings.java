package dev.tideline.kcl;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;

/**
 * One KCL worker's settings.
 *
 * @param application the KCL application name, which is also its lease table
 * @param fanOutConsumer the enhanced fan-out consumer's name; {@code null} to poll with GetRecords
 * @param pollInterval the pause between GetRecords calls of a shard
 * @param checkpointInterval the least time between two checkpoints of a shard
 * @param shutdownTimeout how long a graceful stop waits for shards
 * @param emptyBatches whether processors are called with no records too, as time-based work needs
 */
public record KclSettings(
        String stream,
        String application,
        String workerId,
        InitialPositionInStreamExtended initialPosition,
        @Nullable String fanOutConsumer,
        Duration pollInterval,
        int maxRecords,
        Duration failoverTime,
        Duration shardSyncInterval,
        Duration parentPollInterval,
        Duration checkpointInterval,
        boolean cloudWatchMetrics,
        Duration shutdownTimeout,
        boolean emptyBatches) {}
