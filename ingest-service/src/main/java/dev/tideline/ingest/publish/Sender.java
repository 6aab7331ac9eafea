package dev.tideline.ingest.publish;

import dev.tideline.ingest.publish.PublishRejectedException.Reason;
import dev.tideline.ingest.publish.StreamGateway.Entry;
import dev.tideline.ingest.publish.StreamGateway.PutOutcome;
import dev.tideline.model.kpl.AggregatedRecord;
import dev.tideline.model.shard.ShardMap;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publisher's sender: records queued per predicted shard, and one thread that takes the head
 * aggregate of every idle shard whose queue is full or has lingered, packs them into one PutRecords
 * call, and answers each caller when its own record is acknowledged. Per shard, at most one
 * aggregate is in flight, and failed records return to the front of their queue after a backoff, so
 * one user's records reach the stream in order however often they are retried. Aggregates are
 * chosen under the lock and encoded outside it.
 *
 * <p>Memory is bounded by {@link PublisherSettings#maxBufferedBytes()}. Thread-safe.
 */
final class Sender {

    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(Sender.class);

    private final StreamGateway gateway;
    private final PublisherSettings settings;
    private final PublisherMetrics metrics;
    private final ShardRouter router;
    private final Reachability reachability;
    private final Clock clock;
    private final Object lock = new Object();
    private final AtomicLong bufferedBytes = new AtomicLong();
    private final Thread thread;

    // Guarded by lock.
    private final ShardQueues queues;
    private final List<Landed> unverified = new ArrayList<>();
    private int callsInFlight;
    private volatile boolean closing;

    Sender(
            StreamGateway gateway,
            PublisherSettings settings,
            PublisherMetrics metrics,
            ShardRouter router,
            Reachability reachability,
            Clock clock) {
        this.gateway = gateway;
        this.settings = settings;
        this.metrics = metrics;
        this.router = router;
        this.reachability = reachability;
        this.clock = clock;
        this.queues = new ShardQueues(router, settings, clock);
        this.thread = new Thread(this::run, "tideline-publisher");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    long bufferedBytes() {
        return bufferedBytes.get();
    }

    boolean closing() {
        return closing;
    }

    /** Queues a record, or refuses it at once when the buffer is full or the sender closing. */
    CompletableFuture<Published> enqueue(Pending p) {
        if (bufferedBytes.addAndGet(p.bytes) > settings.maxBufferedBytes()) {
            bufferedBytes.addAndGet(-p.bytes);
            return rejected(Reason.BUFFER_FULL, "the publish buffer is full");
        }
        synchronized (lock) {
            if (closing) {
                release(p);
                return rejected(Reason.SHUTTING_DOWN, "the service is shutting down");
            }
            if (queues.add(p)) {
                lock.notifyAll();
            }
        }
        return p.future;
    }

    /** Counts the refusal and answers it. */
    CompletableFuture<Published> rejected(Reason reason, String message) {
        metrics.rejected(reason);
        return CompletableFuture.failedFuture(new PublishRejectedException(reason, message, RETRY_AFTER));
    }

    /** Stops taking records, drains for up to {@code grace}, then fails what is left. */
    void close(Duration grace) {
        synchronized (lock) {
            closing = true;
            lock.notifyAll();
        }
        try {
            thread.join(grace.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt();
        List<Pending> left;
        synchronized (lock) {
            left = queues.drain();
        }
        left.forEach(p -> fail(p, Reason.SHUTTING_DOWN, "the service shut down before the record was sent"));
    }

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

    /** One round: refresh, expire, send what is ready, or wait. False when closed and drained. */
    private boolean step() throws InterruptedException {
        boolean refresh;
        synchronized (lock) {
            if (closing && callsInFlight == 0 && queues.empty() && unverified.isEmpty()) {
                return false;
            }
            refresh = callsInFlight == 0 && router.due();
        }
        if (refresh) {
            refreshShards();
        }
        List<ShardQueues.Chosen> chosen;
        List<Pending> expired;
        synchronized (lock) {
            expired = queues.expire();
            chosen = callsInFlight < settings.maxConcurrentCalls() ? queues.collect(callsInFlight, closing) : List.of();
            if (chosen.isEmpty() && expired.isEmpty()) {
                TimeUnit.NANOSECONDS.timedWait(lock, queues.nextWakeNanos(callsInFlight));
                return true;
            }
            if (!chosen.isEmpty()) {
                callsInFlight++;
            }
        }
        expired.forEach(p -> fail(p, Reason.DEADLINE, "the record could not be written before its deadline"));
        if (!chosen.isEmpty()) {
            send(chosen.stream()
                    .map(c -> new Item(c.queue(), c.builder().build(), c.members()))
                    .toList());
        }
        return true;
    }

    private void refreshShards() throws InterruptedException {
        ShardMap fresh = router.read();
        if (fresh == null) {
            return;
        }
        List<Landed> toVerify;
        synchronized (lock) {
            router.install(fresh);
            queues.moveStale(fresh);
            toVerify = new ArrayList<>(unverified);
            unverified.clear();
        }
        toVerify.forEach(l -> settle(l, fresh));
    }

    private void send(List<Item> items) {
        metrics.putRecordsCall(items.stream().mapToInt(i -> i.members().size()).toArray());
        List<Entry> entries = items.stream()
                .map(i -> new Entry(i.aggregate().partitionKey(), i.aggregate().data()))
                .toList();
        CompletableFuture<List<PutOutcome>> call;
        try {
            call = gateway.putRecords(entries);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((outcomes, error) -> onOutcome(items, outcomes, error));
    }

    /**
     * Settles a call's records. The call counts as in flight until its callers are answered, so that
     * a closing sender does not stop while answers are still being given.
     */
    private void onOutcome(List<Item> items, @Nullable List<PutOutcome> outcomes, @Nullable Throwable error) {
        try {
            settleAll(items, outcomes, error);
        } finally {
            synchronized (lock) {
                callsInFlight--;
                lock.notifyAll();
            }
        }
    }

    private void settleAll(List<Item> items, @Nullable List<PutOutcome> outcomes, @Nullable Throwable error) {
        List<Landed> landed = new ArrayList<>();
        List<Pending> failed = new ArrayList<>();
        ShardMap map;
        synchronized (lock) {
            map = router.map();
            for (int i = 0; i < items.size(); i++) {
                Item item = items.get(i);
                PutOutcome outcome = error == null && outcomes != null ? outcomes.get(i) : null;
                if (outcome == null || !outcome.succeeded()) {
                    item.queue().inFlight = false;
                    String reason = outcome != null
                            ? outcome.errorCode()
                            : error == null ? "unknown" : error.getClass().getSimpleName();
                    failed.addAll(retry(item, reason));
                } else if (map != null && map.knows(outcome.shardId())) {
                    landed.add(new Landed(item, outcome)); // its shard stays busy until settled
                } else {
                    unverified.add(new Landed(item, outcome)); // a shard born after our map: read it first
                    router.suspectReshard();
                }
            }
            lock.notifyAll();
        }
        if (error != null) {
            reachability.failed(error);
            log.debug("PutRecords failed: {}", Reachability.rootMessage(error));
        } else {
            reachability.answered();
        }
        Reason reason = error != null && reachability.unreachable() ? Reason.UNAVAILABLE : Reason.DEADLINE;
        failed.forEach(p -> fail(p, reason, "the stream did not accept the record before its deadline"));
        if (map != null) {
            landed.forEach(l -> settle(l, map));
        }
    }

    /** Answers the aggregate's callers when its shard holds every record; else publishes them again. */
    private void settle(Landed l, ShardMap map) {
        Item item = l.item();
        String landedOn = l.outcome().shardId();
        if (!ShardRouter.placed(map, landedOn, item.queue().shardId, item.members())) {
            metrics.misplacedAggregate();
            log.info("An aggregate landed on {}, which does not hold all its records; publishing them again", landedOn);
            synchronized (lock) {
                item.queue().inFlight = false;
                router.suspectReshard();
                queues.requeueFront(item.members());
                lock.notifyAll();
            }
            return;
        }
        synchronized (lock) {
            item.queue().inFlight = false;
            lock.notifyAll();
        }
        Instant now = clock.instant();
        for (int sub = 0; sub < item.members().size(); sub++) {
            Pending p = item.members().get(sub);
            release(p);
            metrics.published(Duration.between(p.enqueued, now));
            p.future.complete(new Published(landedOn, l.outcome().sequenceNumber(), sub));
        }
    }

    /** Under the lock: puts records back in front after a backoff; returns those past their deadline. */
    private List<Pending> retry(Item item, String reason) {
        metrics.retried(reason, item.members().size());
        int attempts = item.members().stream().mapToInt(p -> ++p.attempts).max().orElse(1);
        Instant retryAt = clock.instant().plus(settings.backoff().delay(attempts));
        List<Pending> keep = new ArrayList<>();
        List<Pending> expired = new ArrayList<>();
        for (Pending p : item.members()) {
            (p.deadline.isBefore(retryAt) ? expired : keep).add(p);
        }
        item.queue().blockedUntil = retryAt;
        queues.requeueFront(keep);
        return expired;
    }

    private void fail(Pending p, Reason reason, String message) {
        release(p);
        metrics.rejected(reason);
        p.future.completeExceptionally(new PublishRejectedException(reason, message, RETRY_AFTER));
    }

    private void release(Pending p) {
        bufferedBytes.addAndGet(-p.bytes);
    }

    /** One Kinesis record of a PutRecords call: a shard's aggregate. */
    private record Item(ShardQueue queue, AggregatedRecord aggregate, List<Pending> members) {}

    private record Landed(Item item, PutOutcome outcome) {}
}
