package dev.tideline.ingest.publish;

import dev.tideline.model.kpl.AggregateBuilder;
import dev.tideline.model.shard.ShardMap;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The sender's queues, one per predicted shard, and the choices made over them: which records
 * expired, which aggregates go in the next call, how long the sender may sleep. Not thread-safe:
 * guarded by the sender's lock.
 */
final class ShardQueues {

    private static final long IDLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** An aggregate chosen under the lock, to be encoded outside it. */
    record Chosen(ShardQueue queue, AggregateBuilder builder, List<Pending> members) {}

    private final Map<String, ShardQueue> queues = new HashMap<>();
    private final ShardRouter router;
    private final PublisherSettings settings;
    private final Clock clock;

    ShardQueues(ShardRouter router, PublisherSettings settings, Clock clock) {
        this.router = router;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Queues a record at the back of its shard's queue.
     *
     * @return whether the sender should wake: the queue just started (so that its linger is timed
     *     from now, not from the sender's idle wait) or just filled, and is not busy
     */
    boolean add(Pending p) {
        ShardQueue queue = queueFor(p);
        boolean wasEmpty = queue.records.isEmpty();
        boolean wasFull = queue.bytes >= settings.maxAggregateBytes();
        queue.addLast(p);
        boolean filled = !wasFull && queue.bytes >= settings.maxAggregateBytes();
        return (wasEmpty || filled) && !queue.inFlight;
    }

    boolean empty() {
        return queues.values().stream().allMatch(q -> q.records.isEmpty());
    }

    /** Takes every queued record out, for a close that could not send them. */
    List<Pending> drain() {
        List<Pending> left = new ArrayList<>();
        queues.values().forEach(q -> {
            Pending p;
            while ((p = q.pollFirst()) != null) {
                left.add(p);
            }
        });
        return left;
    }

    /** Records queued for shards the map no longer writes to move to their new queues, in order. */
    void moveStale(ShardMap fresh) {
        List<ShardQueue> stale = queues.values().stream()
                .filter(q -> !fresh.openShardIds().contains(q.shardId))
                .toList();
        for (ShardQueue q : stale) {
            queues.remove(q.shardId);
            Pending p;
            while ((p = q.pollFirst()) != null) {
                queueFor(p).addLast(p);
            }
        }
    }

    /** Puts records back at the front of their queues, keeping their order. */
    void requeueFront(List<Pending> ps) {
        Map<String, List<Pending>> byShard = new HashMap<>();
        for (Pending p : ps) {
            byShard.computeIfAbsent(router.shardFor(p.hashKey), k -> new ArrayList<>())
                    .add(p);
        }
        byShard.forEach(
                (shard, list) -> queues.computeIfAbsent(shard, ShardQueue::new).addFirst(list));
    }

    /** The records at the head of idle queues whose deadline has passed, taken out. */
    List<Pending> expire() {
        Instant now = clock.instant();
        List<Pending> expired = new ArrayList<>();
        for (ShardQueue q : queues.values()) {
            if (q.inFlight) {
                continue;
            }
            // Only the head can block the queue; later records expire when they reach it.
            while (!q.records.isEmpty() && q.records.peekFirst().deadline.isBefore(now)) {
                expired.add(q.pollFirst());
            }
        }
        return expired;
    }

    /** The head aggregate of every ready shard, within the PutRecords limits; their queues turn busy. */
    List<Chosen> collect(int callsInFlight, boolean closing) {
        ShardMap map = router.map();
        if (map == null) {
            return List.of();
        }
        Instant now = clock.instant();
        List<String> open = map.openShardIds();
        List<Chosen> chosen = new ArrayList<>();
        long callBytes = 0;
        for (ShardQueue q : queues.values()) {
            if (chosen.size() == PublisherSettings.MAX_RECORDS_PER_CALL) {
                break;
            }
            // While a call is in flight only a full aggregate starts another; the rest wait and go
            // together in the next call. Fewer, fuller calls: the endpoint's cost is mostly per call.
            boolean full = q.bytes >= settings.maxAggregateBytes();
            if (!q.ready(now, settings.linger(), settings.maxAggregateBytes(), closing)
                    || (callsInFlight > 0 && !full && !closing)
                    || !open.contains(q.shardId)) {
                continue;
            }
            AggregateBuilder builder = new AggregateBuilder(settings.maxAggregateBytes());
            List<Pending> members = new ArrayList<>();
            while (!q.records.isEmpty() && builder.tryAdd(q.records.peekFirst().record)) {
                members.add(q.pollFirst());
            }
            if (callBytes + builder.kinesisBytes() > PublisherSettings.MAX_BYTES_PER_CALL) {
                q.addFirst(members);
                break;
            }
            callBytes += builder.kinesisBytes();
            q.inFlight = true;
            chosen.add(new Chosen(q, builder, members));
        }
        return chosen;
    }

    /** How long the sender may wait before a queue becomes ready by time alone. */
    long nextWakeNanos(int callsInFlight) {
        Instant now = clock.instant();
        long wait = IDLE_WAIT_NANOS;
        for (ShardQueue q : queues.values()) {
            if (q.inFlight || q.records.isEmpty() || callsInFlight > 0) {
                continue; // a completing call wakes the sender
            }
            Instant due = q.records.peekFirst().enqueued.plus(settings.linger());
            if (due.isBefore(q.blockedUntil)) {
                due = q.blockedUntil;
            }
            wait = Math.min(wait, Math.max(1, Duration.between(now, due).toNanos()));
        }
        return wait;
    }

    private ShardQueue queueFor(Pending p) {
        return queues.computeIfAbsent(router.shardFor(p.hashKey), ShardQueue::new);
    }
}
