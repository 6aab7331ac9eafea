package dev.tideline.ingest.publish;

import java.time.Duration;

/**
 * How the aggregating publisher batches and retries.
 *
 * @param linger how long a shard's first queued record may wait for company before it is sent
 * @param maxAggregateBytes bound on one KPL aggregate, data plus partition key (Kinesis allows 1 MiB)
 * @param maxBufferedBytes bound on the bytes held for records not yet acknowledged; past it,
 *     publishing is refused at once
 * @param maxConcurrentCalls bound on PutRecords calls in flight
 * @param initialBackoff first retry delay of a failed record; doubles per attempt, with full jitter
 * @param maxBackoff longest retry delay
 * @param shardRefresh how often the shard map is read again even when nothing suggests a reshard
 */
public record PublisherSettings(
        Duration linger,
        int maxAggregateBytes,
        long maxBufferedBytes,
        int maxConcurrentCalls,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration shardRefresh) {

    /** PutRecords limits: records and bytes per call. */
    static final int MAX_RECORDS_PER_CALL = 500;

    static final long MAX_BYTES_PER_CALL = 5L * 1024 * 1024;
}
