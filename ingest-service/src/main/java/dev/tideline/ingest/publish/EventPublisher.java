package dev.tideline.ingest.publish;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Puts user records on the stream. The edge between the HTTP API and Kinesis.
 *
 * <p>The returned future completes normally only once the record is durably in the stream, and
 * exceptionally with {@link PublishRejectedException} when it could not be written by the deadline
 * (a record that fails may still have been written, when its outcome came back too late; one that
 * succeeds has always been written). Implementations are thread-safe.
 */
public interface EventPublisher {

    /**
     * @param partitionKey decides the shard; one key's records keep their order
     * @param data the user record's payload, at most 1 MiB less the key
     * @param deadline after which the caller no longer waits
     */
    CompletableFuture<Published> publish(String partitionKey, byte[] data, Instant deadline);

    /** Whether the stream answered recently; for the readiness probe. */
    boolean streamReachable();
}
