package dev.tideline.ingest.publish;

import dev.tideline.ingest.publish.PublishRejectedException.Reason;
import dev.tideline.model.kpl.UserRecord;
import dev.tideline.model.shard.ShardMap;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes user records in KPL-format aggregates, one per shard, with PutRecords. In three parts:
 * the {@link ShardRouter} predicts each record's shard and checks where aggregates landed, {@link
 * Reachability} tells whether the stream answers, and the {@link Sender} batches, sends and
 * retries. This class admits records: it refuses them at once while the stream has been
 * unreachable for a while, when the buffer is full, or while closing.
 *
 * <p>An aggregate that Kinesis placed on a shard whose range does not hold all of its user records
 * (a stale shard map during resharding) would be lost to KCL, which drops such aggregates whole; its
 * records are published again after the map is read anew. Every time, deadlines, linger, backoff
 * and probes alike, comes from the one {@link Clock}. Thread-safe.
 */
public final class AggregatingPublisher implements EventPublisher, AutoCloseable {

    // Per-record cost in the buffer beyond data and key: the Pending, the future, protobuf framing.
    private static final int RECORD_OVERHEAD = 128;
    private static final Duration UNREACHABLE_FAST_FAIL = Duration.ofSeconds(2);

    private final Reachability reachability;
    private final Sender sender;
    private final Clock clock;

    public AggregatingPublisher(
            StreamGateway gateway, PublisherSettings settings, PublisherMetrics metrics, Clock clock) {
        this.clock = clock;
        this.reachability = new Reachability(clock);
        ShardRouter router = new ShardRouter(gateway, settings.shardRefresh(), reachability, metrics, clock);
        this.sender = new Sender(gateway, settings, metrics, router, reachability, clock);
        metrics.bufferedBytes(sender::bufferedBytes);
        sender.start();
    }

    @Override
    public CompletableFuture<Published> publish(String partitionKey, byte[] data, Instant deadline) {
        if (sender.closing()) {
            return sender.rejected(Reason.SHUTTING_DOWN, "the service is shutting down");
        }
        if (reachability.unreachableFor(UNREACHABLE_FAST_FAIL)) {
            return sender.rejected(Reason.UNAVAILABLE, "the stream cannot be reached");
        }
        long bytes = data.length + (long) partitionKey.length() * 3 + RECORD_OVERHEAD;
        // The key's MD5 is taken here, on the caller's thread, not under the sender's lock.
        return sender.enqueue(new Pending(
                UserRecord.of(partitionKey, data), ShardMap.hashKey(partitionKey), deadline, bytes, clock.instant()));
    }

    @Override
    public boolean streamReachable() {
        return reachability.reachable();
    }

    /**
     * Stops taking records, sends everything queued, and waits for every outcome up to {@code grace};
     * what is still unanswered then fails with {@link Reason#SHUTTING_DOWN}.
     */
    public void close(Duration grace) {
        sender.close(grace);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
