package dev.tideline.console.collect;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Everything the page and {@code ./tideline status} show, as read at one refresh. Every number is one a
 * source gave: the stream's API, a lease table, a service's meters; rates are a counter's change
 * between two reads.
 *
 * @param healthy no consumer is in trouble (what {@code ./tideline status} exits 0 for)
 */
public record Snapshot(
        Instant takenAt,
        long refreshMillis,
        @Nullable String dashboardUrl,
        StreamView stream,
        List<ConsumerView> consumers,
        IngestView ingest,
        Listing<Rejects.DeadLetter> deadLetters,
        Listing<Rejects.ErrorObject> errorObjects,
        History.Point point,
        boolean healthy) {

    /**
     * The stream.
     *
     * @param eventsPerSecond user records that arrived per second since the last refresh, read at the tip
     * @param bytesPerSecond Kinesis record bytes that arrived per second
     */
    public record StreamView(
            String name,
            @Nullable String error,
            List<StreamApi.ShardInfo> shards,
            @Nullable Double eventsPerSecond,
            @Nullable Double bytesPerSecond) {}

    /**
     * One consumer application (processor or archiver).
     *
     * @param measure what its headline number is: the processor's {@code lag}, the archive's {@code freshness}
     * @param valueMillis the headline number from its workers' meters (the largest); null when none publishes it
     * @param problems why it is in trouble, one sentence each; empty when it is not
     */
    public record ConsumerView(
            String name,
            String application,
            String measure,
            @Nullable Long valueMillis,
            long thresholdMillis,
            List<String> problems,
            List<Worker> workers,
            List<ShardRow> shards,
            @Nullable String leaseError) {

        public boolean healthy() {
            return problems.isEmpty();
        }
    }

    /** A service instance and whether its meters could be read. */
    public record Worker(String url, boolean reachable, @Nullable String error) {}

    /**
     * One shard as a consumer has it.
     *
     * @param expired the lease's counter has not moved for the lease expiry: its owner stopped renewing it
     * @param moves owner changes the console has seen since it started
     * @param checkpointAgeMillis now minus the arrival of the oldest record after the checkpoint (the stream's)
     * @param millisBehindLatest as the owning worker's KCL last reported it (its meters)
     * @param iteratorAgeMillis the owning worker's iterator age (its meters)
     */
    public record ShardRow(
            String shardId,
            boolean open,
            @Nullable String owner,
            boolean expired,
            @Nullable String checkpoint,
            long leaseCounter,
            long ownerSwitches,
            long moves,
            @Nullable Long checkpointAgeMillis,
            @Nullable Long millisBehindLatest,
            @Nullable Long iteratorAgeMillis) {}

    /**
     * The ingest service's flow, summed over its instances.
     *
     * @param p50Millis median request latency of {@code /v1/} since the last refresh
     */
    public record IngestView(
            List<Worker> instances,
            @Nullable Double acceptedPerSecond,
            @Nullable Double invalidPerSecond,
            @Nullable Double unavailablePerSecond,
            @Nullable Double p50Millis,
            @Nullable Double p99Millis,
            @Nullable Double bufferBytes,
            long bufferLimitBytes) {}

    /** A list read from a source, or why it could not be. */
    public record Listing<T>(List<T> items, @Nullable String error, @Nullable Instant readAt) {}
}
