package dev.tideline.ingest.publish;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The records bound for one shard, in the order they were published. At most one aggregate of a
 * shard is in flight, and failed records return to the front, so one user's records reach the
 * stream in order however often they are retried. Guarded by the publisher's lock.
 */
final class ShardQueue {

    final String shardId;
    final Deque<Pending> records = new ArrayDeque<>();
    long bytes;
    boolean inFlight;
    Instant blockedUntil = Instant.EPOCH;

    ShardQueue(String shardId) {
        this.shardId = shardId;
    }

    void addLast(Pending p) {
        records.addLast(p);
        bytes += p.bytes;
    }

    /** Puts records back at the front, keeping their order. */
    void addFirst(List<Pending> ps) {
        for (int i = ps.size() - 1; i >= 0; i--) {
            records.addFirst(ps.get(i));
            bytes += ps.get(i).bytes;
        }
    }

    Pending pollFirst() {
        Pending p = records.pollFirst();
        if (p != null) {
            bytes -= p.bytes;
        }
        return p;
    }

    /** Whether the queue may send now: idle, not backing off, and full or old enough or draining. */
    boolean ready(Instant now, Duration linger, int maxAggregateBytes, boolean draining) {
        if (inFlight || records.isEmpty() || now.isBefore(blockedUntil)) {
            return false;
        }
        return draining
                || bytes >= maxAggregateBytes
                || !now.isBefore(records.peekFirst().enqueued.plus(linger));
    }
}
