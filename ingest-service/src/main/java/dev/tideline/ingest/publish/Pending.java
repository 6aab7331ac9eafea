package dev.tideline.ingest.publish;

import dev.tideline.model.kpl.UserRecord;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/** One user record waiting for the stream, and the caller waiting for it. Guarded by the publisher's lock. */
final class Pending {

    final UserRecord record;
    final CompletableFuture<Published> future = new CompletableFuture<>();
    final Instant deadline;
    final long bytes;
    final long enqueuedNanos;
    int attempts;

    Pending(UserRecord record, Instant deadline, long bytes, long enqueuedNanos) {
        this.record = record;
        this.deadline = deadline;
        this.bytes = bytes;
        this.enqueuedNanos = enqueuedNanos;
    }
}
