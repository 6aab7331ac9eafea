package dev.tideline.ingest.publish;

import dev.tideline.ingest.publish.PublishRejectedException.Reason;
import dev.tideline.ingest.publish.StreamGateway.Entry;
import dev.tideline.ingest.publish.StreamGateway.PutOutcome;
import dev.tideline.model.kpl.AggregateBuilder;
import dev.tideline.model.kpl.AggregatedRecord;
import dev.tideline.model.kpl.UserRecord;
import dev.tideline.model.shard.ShardMap;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes user records in KPL-format aggregates, one per shard, with PutRecords.
 *
 * <p>Records from every caller are queued per predicted shard. A sender thread takes the head
 * aggregate of every idle shard whose queue is full or has lingered, packs them into one PutRecords
 * call, and sends it; each caller is answered when its own record is acknowledged. Per shard, at
 * most one aggregate is in flight, and failed records return to the front of their queue after a
 * backoff with jitter, so one user's records reach the stream in order however often they are
 * retried. An aggregate that Kinesis placed on a shard whose range does not hold all of its user
 * records (a stale shard map during resharding) is lost to KCL, which drops such aggregates whole;
 * its records are published again after the map is read anew.
 *
 * <p>Memory is bounded by {@link PublisherSettings#maxBufferedBytes()}: past it, publishing fails at
 * once. Thread-safe.
 */
public final class AggregatingPublisher implements EventPublisher, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AggregatingPublisher.class);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    private static final long IDLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    // Per-record cost in the buffer beyond data and key: the Pending, the future, protobuf framing.
    private static final int RECORD_OVERHEAD = 128;
    private static final Duration UNREACHABLE_FAST_FAIL = Duration.ofSeconds(2);
    private static final long PROBE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final StreamGateway gateway;
    private final PublisherSettings settings;
    private final PublisherMetrics metrics;
    private final Clock clock;
    private final Object lock = new Object();
    private final AtomicLong bufferedBytes = new AtomicLong();
    private final Thread sender;

    // Guarded by lock.
    private ShardMap shards;
    private final Map<String, ShardQueue> queues = new HashMap<>();
    private final List<Landed> unverified = new ArrayList<>();
    private int callsInFlight;
    private boolean refreshWanted = true;
    private long lastRefreshNanos;
    private boolean closing;

    private volatile long unreachableSinceNanos = -1;
    private volatile long lastAnswerNanos = -1;

    public AggregatingPublisher(
            StreamGateway gateway, PublisherSettings settings, PublisherMetrics metrics, Clock clock) {
        this.gateway = gateway;
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
        metrics.bufferedBytes(bufferedBytes::get);
        this.sender = new Thread(this::run, "tideline-publisher");
        this.sender.setDaemon(true);
        this.sender.start();
    }

    @Override
    public CompletableFuture<Published> publish(String partitionKey, byte[] data, Instant deadline) {
        long bytes = data.length + (long) partitionKey.length() * 3 + RECORD_OVERHEAD;
        if (closing) {
            return rejected(Reason.SHUTTING_DOWN, "the service is shutting down");
        }
        if (unreachableFor(UNREACHABLE_FAST_FAIL)) {
            return rejected(Reason.UNAVAILABLE, "the stream cannot be reached");
        }
        if (bufferedBytes.addAndGet(bytes) > settings.maxBufferedBytes()) {
            bufferedBytes.addAndGet(-bytes);
            metrics.rejected(Reason.BUFFER_FULL);
            return rejected(Reason.BUFFER_FULL, "the publish buffer is full");
        }
        Pending p = new Pending(UserRecord.of(partitionKey, data), deadline, bytes, System.nanoTime());
        synchronized (lock) {
            if (closing) {
                release(p);
                return rejected(Reason.SHUTTING_DOWN, "the service is shutting down");
            }
            ShardQueue queue = queueFor(partitionKey);
            boolean wasFull = queue.bytes >= settings.maxAggregateBytes();
            queue.addLast(p);
            // Wake the sender once, when the queue fills; later records only join a full queue.
            if (!wasFull && queue.bytes >= settings.maxAggregateBytes() && !queue.inFlight) {
                lock.notifyAll();
            }
        }
        return p.future;
    }

    @Override
    public boolean streamReachable() {
        long last = lastAnswerNanos;
        return last > 0 && unreachableSinceNanos < 0;
    }

    /**
     * Stops taking records, sends everything queued, and waits for every outcome up to {@code grace};
     * what is still unanswered then fails with {@link Reason#SHUTTING_DOWN}.
     */
    public void close(Duration grace) {
        synchronized (lock) {
            closing = true;
            lock.notifyAll();
        }
        try {
            sender.join(grace.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.interrupt();
        List<Pending> left = new ArrayList<>();
        synchronized (lock) {
            queues.values().forEach(q -> {
                Pending p;
                while ((p = q.pollFirst()) != null) {
                    left.add(p);
                }
            });
        }
        left.forEach(p -> fail(p, Reason.SHUTTING_DOWN, "the service shut down before the record was sent"));
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    // ---- the sender thread

    private void run() {
        while (true) {
            try {
                if (!step()) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.error("Publisher step failed; continuing", e);
            }
        }
    }

    /** One round of the sender: refresh, expire, send what is ready, or wait. False when closed and drained. */
    private boolean step() throws InterruptedException {
        boolean refresh;
        synchronized (lock) {
            long now = System.nanoTime();
            if (closing
                    && callsInFlight == 0
                    && queues.values().stream().allMatch(q -> q.records.isEmpty())
                    && unverified.isEmpty()) {
                return false;
            }
            // While the stream is unreachable, reading the shard map is the probe that notices its return.
            boolean probe = unreachableSinceNanos >= 0 && now - lastRefreshNanos > PROBE_INTERVAL_NANOS;
            refresh = (refreshWanted
                            || shards == null && now - lastRefreshNanos > PROBE_INTERVAL_NANOS
                            || probe
                            || now - lastRefreshNanos > settings.shardRefresh().toNanos())
                    && callsInFlight == 0;
        }
        if (refresh) {
            refreshShards();
        }
        List<Batch.Item> batch;
        List<Pending> expired;
        synchronized (lock) {
            expired = expireQueued();
            batch = callsInFlight < settings.maxConcurrentCalls() ? collect() : List.of();
            if (batch.isEmpty() && expired.isEmpty()) {
                long waitNanos = nextWakeNanos();
                TimeUnit.NANOSECONDS.timedWait(lock, waitNanos);
                return true;
            }
            if (!batch.isEmpty()) {
                callsInFlight++;
            }
        }
        expired.forEach(p -> fail(p, Reason.DEADLINE, "the record could not be written before its deadline"));
        if (!batch.isEmpty()) {
            send(new Batch(batch));
        }
        return true;
    }

    private void refreshShards() throws InterruptedException {
        try {
            ShardMap fresh = ShardMap.of(gateway.listShards().get(10, TimeUnit.SECONDS));
            answered();
            List<Landed> toVerify;
            synchronized (lock) {
                installMap(fresh);
                toVerify = new ArrayList<>(unverified);
                unverified.clear();
            }
            toVerify.forEach(l -> settle(l, fresh));
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            unreachable(e);
            log.warn("Reading the shard map failed: {}", rootMessage(e));
            attempted();
        } catch (IllegalArgumentException e) {
            log.warn("The shard map is not usable yet: {}", e.getMessage());
            attempted();
        }
    }

    private void attempted() {
        synchronized (lock) {
            lastRefreshNanos = System.nanoTime();
            refreshWanted = false;
        }
    }

    /** Installs a new map and moves records queued for shards it no longer writes to, in order. */
    private void installMap(ShardMap fresh) {
        boolean changed = shards == null || !shards.openShardIds().equals(fresh.openShardIds());
        shards = fresh;
        refreshWanted = false;
        lastRefreshNanos = System.nanoTime();
        if (!changed) {
            return;
        }
        log.info("Shard map: {} open shards", fresh.openShardIds().size());
        metrics.shardMapRefreshed();
        List<ShardQueue> stale = queues.values().stream()
                .filter(q -> !fresh.openShardIds().contains(q.shardId))
                .toList();
        for (ShardQueue q : stale) {
            queues.remove(q.shardId);
            Pending p;
            while ((p = q.pollFirst()) != null) {
                queueFor(p.record.partitionKey()).addLast(p);
            }
        }
    }

    private ShardQueue queueFor(String partitionKey) {
        String shardId = shards == null ? "unknown" : shards.shardFor(partitionKey);
        return queues.computeIfAbsent(shardId, ShardQueue::new);
    }

    private List<Pending> expireQueued() {
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

    /** Head aggregates of every ready shard, within the PutRecords limits. */
    private List<Batch.Item> collect() {
        if (shards == null) {
            return List.of();
        }
        long now = System.nanoTime();
        long linger = settings.linger().toNanos();
        List<String> open = shards.openShardIds();
        List<Batch.Item> items = new ArrayList<>();
        long callBytes = 0;
        for (ShardQueue q : queues.values()) {
            if (items.size() == PublisherSettings.MAX_RECORDS_PER_CALL) {
                break;
            }
            // While a call is in flight only a full aggregate starts another; the rest wait and go
            // together in the next call. Fewer, fuller calls: the endpoint's cost is mostly per call.
            boolean full = q.bytes >= settings.maxAggregateBytes();
            if (!q.ready(now, linger, settings.maxAggregateBytes(), closing)
                    || (callsInFlight > 0 && !full && !closing)
                    || !open.contains(q.shardId)) {
                continue;
            }
            AggregateBuilder builder = new AggregateBuilder(settings.maxAggregateBytes());
            List<Pending> members = new ArrayList<>();
            while (!q.records.isEmpty() && builder.tryAdd(q.records.peekFirst().record)) {
                members.add(q.pollFirst());
            }
            AggregatedRecord aggregate = builder.build();
            if (callBytes + aggregate.kinesisBytes() > PublisherSettings.MAX_BYTES_PER_CALL) {
                q.addFirst(members);
                break;
            }
            callBytes += aggregate.kinesisBytes();
            q.inFlight = true;
            items.add(new Batch.Item(q, aggregate, members));
        }
        return items;
    }

    private long nextWakeNanos() {
        long now = System.nanoTime();
        long wait = IDLE_WAIT_NANOS;
        for (ShardQueue q : queues.values()) {
            if (q.inFlight || q.records.isEmpty() || callsInFlight > 0) {
                continue; // a completing call wakes the sender
            }
            long due = Math.max(
                    q.blockedUntilNanos,
                    q.records.peekFirst().enqueuedNanos + settings.linger().toNanos());
            wait = Math.min(wait, Math.max(1, due - now));
        }
        return wait;
    }

    // ---- outcomes

    private void send(Batch batch) {
        metrics.putRecordsCall(
                batch.items().stream().mapToInt(i -> i.members().size()).toArray());
        List<Entry> entries = batch.items().stream()
                .map(i -> new Entry(i.aggregate().partitionKey(), i.aggregate().data()))
                .toList();
        CompletableFuture<List<PutOutcome>> call;
        try {
            call = gateway.putRecords(entries);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((outcomes, error) -> onOutcome(batch, outcomes, error));
    }

    private void onOutcome(Batch batch, List<PutOutcome> outcomes, Throwable error) {
        List<Landed> landed = new ArrayList<>();
        List<Pending> failed = new ArrayList<>();
        ShardMap map;
        synchronized (lock) {
            callsInFlight--;
            map = shards;
            for (int i = 0; i < batch.items().size(); i++) {
                Batch.Item item = batch.items().get(i);
                PutOutcome outcome = error == null ? outcomes.get(i) : null;
                if (outcome == null || !outcome.succeeded()) {
                    item.queue().inFlight = false;
                    failed.addAll(retry(
                            item,
                            outcome != null
                                    ? outcome.errorCode()
                                    : error.getClass().getSimpleName()));
                } else if (map.knows(outcome.shardId())) {
                    landed.add(new Landed(item, outcome)); // its shard stays busy until settled
                } else {
                    unverified.add(new Landed(item, outcome)); // a shard born after our map: read it first
                    refreshWanted = true;
                }
            }
            lock.notifyAll();
        }
        if (error != null) {
            unreachable(error);
            log.debug("PutRecords failed: {}", rootMessage(error));
        } else {
            answered();
        }
        Reason reason = error != null && unreachableFor(Duration.ZERO) ? Reason.UNAVAILABLE : Reason.DEADLINE;
        failed.forEach(p -> fail(p, reason, "the stream did not accept the record before its deadline"));
        landed.forEach(l -> settle(l, map));
    }

    /** Completes the aggregate's callers when its shard holds every record; else publishes them again. */
    private void settle(Landed l, ShardMap map) {
        Batch.Item item = l.item();
        String landedOn = l.outcome().shardId();
        // A shard id's hash range never changes and members entered this queue through that range,
        // so only an aggregate that landed elsewhere needs its records checked one by one.
        boolean placed = landedOn.equals(item.queue().shardId)
                || item.members().stream().allMatch(p -> map.holds(landedOn, p.record.partitionKey()));
        if (!placed) {
            metrics.misplacedAggregate();
            log.info(
                    "An aggregate landed on {}, which does not hold all its records; publishing them again",
                    l.outcome().shardId());
            synchronized (lock) {
                item.queue().inFlight = false;
                refreshWanted = true;
                requeueFront(item.members());
                lock.notifyAll();
            }
            return;
        }
        synchronized (lock) {
            item.queue().inFlight = false;
            lock.notifyAll();
        }
        long now = System.nanoTime();
        for (int sub = 0; sub < item.members().size(); sub++) {
            Pending p = item.members().get(sub);
            release(p);
            metrics.published(Duration.ofNanos(now - p.enqueuedNanos));
            p.future.complete(new Published(l.outcome().shardId(), l.outcome().sequenceNumber(), sub));
        }
    }

    /** Under the lock: puts records back in front with a backoff; returns those past their deadline. */
    private List<Pending> retry(Batch.Item item, String reason) {
        metrics.retried(reason, item.members().size());
        int attempts = item.members().stream().mapToInt(p -> ++p.attempts).max().orElse(1);
        long capped = Math.min(
                settings.maxBackoff().toNanos(), settings.initialBackoff().toNanos() << Math.min(20, attempts - 1));
        long backoff = ThreadLocalRandom.current().nextLong(capped / 2, capped + 1);
        Instant retryAt = clock.instant().plusNanos(backoff);
        List<Pending> keep = new ArrayList<>();
        List<Pending> expired = new ArrayList<>();
        for (Pending p : item.members()) {
            (p.deadline.isBefore(retryAt) ? expired : keep).add(p);
        }
        item.queue().blockedUntilNanos = System.nanoTime() + backoff;
        requeueFront(keep);
        return expired;
    }

    private void requeueFront(List<Pending> ps) {
        if (shards == null) {
            queues.computeIfAbsent("unknown", ShardQueue::new).addFirst(ps);
            return;
        }
        Map<String, List<Pending>> byShard = new HashMap<>();
        for (Pending p : ps) {
            byShard.computeIfAbsent(shards.shardFor(p.record.partitionKey()), k -> new ArrayList<>())
                    .add(p);
        }
        byShard.forEach(
                (shard, list) -> queues.computeIfAbsent(shard, ShardQueue::new).addFirst(list));
    }

    private void fail(Pending p, Reason reason, String message) {
        release(p);
        metrics.rejected(reason);
        p.future.completeExceptionally(new PublishRejectedException(reason, message, RETRY_AFTER));
    }

    private void release(Pending p) {
        bufferedBytes.addAndGet(-p.bytes);
    }

    private void answered() {
        lastAnswerNanos = System.nanoTime();
        unreachableSinceNanos = -1;
    }

    private void unreachable(Throwable e) {
        if (isConnectivity(e) && unreachableSinceNanos < 0) {
            unreachableSinceNanos = System.nanoTime();
        }
    }

    private boolean unreachableFor(Duration d) {
        long since = unreachableSinceNanos;
        return since >= 0 && System.nanoTime() - since >= d.toNanos();
    }

    private static boolean isConnectivity(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException
                    || t instanceof java.nio.channels.ClosedChannelException
                    || t instanceof java.util.concurrent.TimeoutException
                    || (t.getClass().getSimpleName().equals("SdkClientException"))) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private static CompletableFuture<Published> rejected(Reason reason, String message) {
        return CompletableFuture.failedFuture(new PublishRejectedException(reason, message, RETRY_AFTER));
    }

    /** One PutRecords call: an aggregate per shard. */
    private record Batch(List<Item> items) {

        record Item(ShardQueue queue, AggregatedRecord aggregate, List<Pending> members) {}
    }

    private record Landed(Batch.Item item, PutOutcome outcome) {}
}
