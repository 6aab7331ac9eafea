package dev.tideline.processor.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The processor's settings, under {@code tideline.processor}. Defaults are for real AWS; the
 * {@code local} profile tunes KCL for the embedded stack.
 *
 * @param stream the Kinesis stream to read
 * @param application the KCL application name, which is also its lease table
 * @param table the aggregates table
 * @param workerId this worker's name in the lease table; host name and pid when unset
 */
@ConfigurationProperties("tideline.processor")
@Validated
public record ProcessorProperties(
        @DefaultValue("tideline-events") @NotBlank String stream,
        @DefaultValue("tideline-processor") @NotBlank String application,
        @DefaultValue("tideline-aggregates") @NotBlank String table,
        @Nullable String workerId,
        @DefaultValue @Valid Kcl kcl,
        @DefaultValue @Valid Aggregates aggregates) {

    /** Where a worker starts in shards that have no checkpoint yet. */
    public enum InitialPosition {
        TRIM_HORIZON,
        LATEST,
        AT_TIMESTAMP
    }

    /** How records are read: shared-throughput polling, or a dedicated enhanced fan-out pipe per shard. */
    public enum Retrieval {
        POLLING,
        FAN_OUT
    }

    /**
     * KCL's settings. KCL's own defaults unless noted.
     *
     * @param initialTimestamp where {@code AT_TIMESTAMP} starts; required with it
     * @param pollInterval the pause between GetRecords calls of a shard; 200 ms or more keeps within
     *     Kinesis's 5 calls per second per shard
     * @param maxRecords the most records one GetRecords call returns
     * @param fanOutConsumer the enhanced fan-out consumer's name
     * @param failoverTime a lease not renewed for this long is taken by another worker
     * @param shardSyncInterval how often leases are created for new shards
     * @param parentPollInterval how often a child shard checks whether its parents are done
     * @param checkpointInterval the least time between two checkpoints of a shard; the progress marker,
     *     not the checkpoint, is what makes replays harmless
     * @param cloudWatchMetrics whether KCL publishes its own metrics to CloudWatch
     * @param shutdownTimeout how long a graceful shutdown waits for shards to finish their batch
     */
    public record Kcl(
            @DefaultValue("TRIM_HORIZON") InitialPosition initialPosition,
            @Nullable Instant initialTimestamp,
            @DefaultValue("POLLING") Retrieval retrieval,
            @DefaultValue("1s") Duration pollInterval,
            @DefaultValue("10000") @Min(1) @Max(10000) int maxRecords,
            @DefaultValue("tideline-processor") @NotBlank String fanOutConsumer,
            @DefaultValue("10s") @NotNull Duration failoverTime,
            @DefaultValue("60s") @NotNull Duration shardSyncInterval,
            @DefaultValue("10s") @NotNull Duration parentPollInterval,
            @DefaultValue("10s") @NotNull Duration checkpointInterval,
            @DefaultValue("true") boolean cloudWatchMetrics,
            @DefaultValue("25s") @NotNull Duration shutdownTimeout) {

        public Kcl {
            if (initialPosition == InitialPosition.AT_TIMESTAMP && initialTimestamp == null) {
                throw new IllegalArgumentException(
                        "tideline.processor.kcl.initial-timestamp is required with initial-position AT_TIMESTAMP");
            }
        }
    }

    /**
     * How events become aggregates.
     *
     * @param sessionGap a user's new session starts after this long without an event
     * @param maxTransactionItems items per DynamoDB transaction, the marker included (at most 100)
     * @param maxEventTypes distinct event types counted per user; more are counted as {@code _other}
     * @param userCacheSize user aggregates kept in memory per shard
     * @param pageMinuteTtl how long page views per minute are kept
     * @param deadLetterTtl how long dead letters are kept
     * @param closedMarkerTtl how long a closed shard's progress marker is kept after a child started
     */
    public record Aggregates(
            @DefaultValue("30m") Duration sessionGap,
            @DefaultValue("100") @Min(2) @Max(100) int maxTransactionItems,
            @DefaultValue("256") @Min(1) @Max(1000) int maxEventTypes,
            @DefaultValue("20000") @Min(0) int userCacheSize,
            @DefaultValue("2d") Duration pageMinuteTtl,
            @DefaultValue("14d") Duration deadLetterTtl,
            @DefaultValue("7d") Duration closedMarkerTtl) {}
}
