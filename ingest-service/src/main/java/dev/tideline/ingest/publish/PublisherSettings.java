package dev.tideline.ingest.publish;

import dev.tideline.model.retry.Backoff;
import java.time.Duration;

/**
 * How the aggregating publisher batches and retries: the part of the ingest service's properties
 * the publisher reads, which that properties record implements.
 */
public interface PublisherSettings {

    /** PutRecords limits: records and bytes per call. */
    int MAX_RECORDS_PER_CALL = 500;

    long MAX_BYTES_PER_CALL = 5L * 1024 * 1024;

    /** How long a shard's first queued record may wait for company before it is sent. */
    Duration linger();

    /** Bound on one KPL aggregate, data plus partition key (Kinesis allows 1 MiB). */
    int maxAggregateBytes();

    /** Bound on the bytes held for records not yet acknowledged; past it, publishing is refused at once. */
    long maxBufferedBytes();

    /** Bound on PutRecords calls in flight. */
    int maxConcurrentCalls();

    /** The waits before a failed record is tried again. */
    Backoff backoff();

    /** How often the shard map is read again even when nothing suggests a reshard. */
    Duration shardRefresh();
}
