package dev.tideline.kcl;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.DefaultValue;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;

/**
 * A KCL consumer's settings, bound under each consumer's {@code kcl} prefix: which stream, under
 * which application name, as which worker, and KCL's tuning. KCL's own defaults unless noted; the
 * {@code local} profiles shorten them for one machine.
 *
 * @param stream the Kinesis stream to read
 * @param application the KCL application name, which is also its lease table; each service's
 *     {@code application.yml} names its own
 * @param workerId this worker's name in the lease table; {@link #workerId(String)} makes one when
 *     unset
 * @param initialTimestamp where {@code AT_TIMESTAMP} starts; required with it
 * @param pollInterval the pause between GetRecords calls of a shard; 200 ms or more keeps within
 *     Kinesis's 5 calls per second per shard
 * @param maxRecords the most records one GetRecords call returns
 * @param fanOutConsumer the enhanced fan-out consumer's name; the application name when unset
 * @param failoverTime a lease not renewed for this long is taken by another worker
 * @param shardSyncInterval how often leases are created for new shards
 * @param parentPollInterval how often a child shard checks whether its parents are done
 * @param checkpointInterval the least time between two checkpoints of a shard
 * @param cloudWatchMetrics whether KCL publishes its own metrics to CloudWatch
 * @param shutdownTimeout how long a graceful shutdown waits for shards to finish their batch
 */
public record KclProperties(
        @DefaultValue("tideline-events") @NotBlank String stream,
        @NotBlank String application,
        @Nullable String workerId,
        @DefaultValue("TRIM_HORIZON") InitialPosition initialPosition,
        @Nullable Instant initialTimestamp,
        @DefaultValue("POLLING") Retrieval retrieval,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("10000") @Min(1) @Max(10000) int maxRecords,
        @Nullable String fanOutConsumer,
        @DefaultValue("10s") @NotNull Duration failoverTime,
        @DefaultValue("60s") @NotNull Duration shardSyncInterval,
        @DefaultValue("10s") @NotNull Duration parentPollInterval,
        @DefaultValue("10s") @NotNull Duration checkpointInterval,
        @DefaultValue("true") boolean cloudWatchMetrics,
        @DefaultValue("25s") @NotNull Duration shutdownTimeout) {

    public KclProperties {
        if (initialPosition == InitialPosition.AT_TIMESTAMP && initialTimestamp == null) {
            throw new IllegalArgumentException(
                    "kcl.initial-timestamp is required with kcl.initial-position AT_TIMESTAMP");
        }
    }

    /** These settings under another application name (and lease table). */
    public KclProperties withApplication(String name) {
        return new KclProperties(
                stream,
                name,
                workerId,
                initialPosition,
                initialTimestamp,
                retrieval,
                pollInterval,
                maxRecords,
                fanOutConsumer,
                failoverTime,
                shardSyncInterval,
                parentPollInterval,
                checkpointInterval,
                cloudWatchMetrics,
                shutdownTimeout);
    }

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

    /** Where a worker starts in shards that have no checkpoint yet, in KCL's terms. */
    public InitialPositionInStreamExtended initialPositionInStream() {
        return switch (initialPosition) {
            case TRIM_HORIZON ->
                InitialPositionInStreamExtended.newInitialPosition(InitialPositionInStream.TRIM_HORIZON);
            case LATEST -> InitialPositionInStreamExtended.newInitialPosition(InitialPositionInStream.LATEST);
            case AT_TIMESTAMP ->
                InitialPositionInStreamExtended.newInitialPositionAtTimestamp(
                        Date.from(Objects.requireNonNull(initialTimestamp)));
        };
    }

    /** The enhanced fan-out consumer's name, or null to poll with GetRecords. */
    public @Nullable String fanOutConsumerName() {
        if (retrieval != Retrieval.FAN_OUT) {
            return null;
        }
        return fanOutConsumer != null ? fanOutConsumer : application;
    }

    /**
     * The configured worker id, else host name, pid and a random suffix: the host and pid say where
     * to look, and the suffix keeps two containers apart, where every service is pid 1 and the host
     * name may be unknown.
     */
    public static String workerId(@Nullable String configured) {
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + ":" + ProcessHandle.current().pid() + ":"
                + UUID.randomUUID().toString().substring(0, 8);
    }
}
