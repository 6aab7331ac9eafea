package dev.tideline.ingest.publish;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * The two Kinesis calls the publisher makes, narrowed so that tests can stand in for the stream.
 * Implementations are thread-safe and never block the caller.
 */
public interface StreamGateway {

    /** Every shard of the stream, closed ones included. */
    CompletableFuture<List<Shard>> listShards();

    /**
     * One PutRecords call. Completes with one outcome per entry, in order; completes exceptionally when
     * the call as a whole failed (unreachable, throttled as a whole, stream missing).
     */
    CompletableFuture<List<PutOutcome>> putRecords(List<Entry> entries);

    /** One record to put. */
    record Entry(String partitionKey, byte[] data) {}

    /**
     * What became of one entry: a shard and sequence number, or an error code such as
     * {@code ProvisionedThroughputExceededException} or {@code InternalFailure}.
     */
    record PutOutcome(String shardId, String sequenceNumber, String errorCode, String errorMessage) {

        public static PutOutcome ok(String shardId, String sequenceNumber) {
            return new PutOutcome(shardId, sequenceNumber, null, null);
        }

        public static PutOutcome failed(String errorCode, String errorMessage) {
            return new PutOutcome(null, null, errorCode, errorMessage);
        }

        public boolean succeeded() {
            return errorCode == null;
        }
    }
}
