package dev.tideline.ingest.publish;

import dev.tideline.model.kpl.UserRecord;
import java.math.BigInteger;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * One user record waiting for the stream, and the caller waiting for it. Its hash key is computed
 * by the caller's thread, before the publisher's lock is taken. Guarded by the sender's lock.
 */
final class Pending {

    final UserRecord record;
    final BigInteger hashKey;
    final CompletableFuture<Published> future = new CompletableFuture<>();
    final Instant deadline;
    final long bytes;
    final Instant enqueued;
    int attempts;

    Pending(UserRecord record, BigInteger hashKey, Instant deadline, long bytes, Instant enqueued) {
        this.record = record;
        this.hashKey = hashKey;
        this.deadline = deadline;
        this.bytes = bytes;
        this.enqueued = enqueued;
    }
}
