package dev.tideline.ingest.api;

import dev.tideline.ingest.publish.EventPublisher;
import dev.tideline.ingest.publish.PublishRejectedException;
import dev.tideline.ingest.publish.Published;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** An in-memory stand-in for the stream: records what was published, or refuses everything. */
final class FakePublisher implements EventPublisher {

    record Put(String partitionKey, byte[] data) {}

    final List<Put> puts = new CopyOnWriteArrayList<>();
    private final AtomicLong sequence = new AtomicLong(100);
    volatile boolean refusing;
    volatile RuntimeException failing;

    @Override
    public CompletableFuture<Published> publish(String partitionKey, byte[] data, Instant deadline) {
        RuntimeException failure = failing;
        if (failure != null) {
            throw failure; // a bug nobody expected
        }
        if (refusing) {
            return CompletableFuture.failedFuture(new PublishRejectedException(
                    PublishRejectedException.Reason.UNAVAILABLE,
                    "the stream cannot be reached",
                    Duration.ofSeconds(2)));
        }
        puts.add(new Put(partitionKey, data));
        return CompletableFuture.completedFuture(
                new Published("shardId-000000000001", Long.toString(sequence.incrementAndGet()), 0));
    }

    void reset() {
        puts.clear();
        refusing = false;
        failing = null;
        sequence.set(100);
    }

    @Override
    public boolean streamReachable() {
        return !refusing;
    }
}
