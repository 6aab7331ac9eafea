package dev.tideline.processor.apply;

import dev.tideline.model.event.ClickEventCodec;
import dev.tideline.model.shard.Position;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one shard's records to the aggregates exactly once.
 *
 * <p>Records at or before the shard's progress marker are skipped. The rest are cut into contiguous
 * {@linkplain Runs runs} that each fit one transaction; a run's effects are folded in memory and
 * written together with the marker of its last record, on the condition that the stored marker is
 * still the one this applier last read or wrote. So the marker always names a prefix of the shard,
 * a replayed record changes nothing, and a worker whose lease has moved cannot write.
 *
 * <p>When a write fails or its answer is lost, the marker is read again, never retried blindly: if
 * it names this run's end the write took effect; if it is still the expected one the run is tried
 * again; anything else means another worker owns the shard, and this applier is fenced for good.
 *
 * <p>Not thread-safe: KCL calls one shard's processor from one thread at a time.
 */
public final class ShardApplier {

    private static final Logger log = LoggerFactory.getLogger(ShardApplier.class);

    /** What became of a batch. */
    public enum Outcome {
        /** Every record's effects are durable, or were already. */
        APPLIED,
        /** Another worker owns the shard; nothing more may be written. */
        FENCED,
        /** Stopping was requested while the store could not be written; nothing after the marker is applied. */
        ABANDONED
    }

    private final String shardId;
    private final AggregateStore store;
    private final ApplySettings settings;
    private final ApplyListener listener;
    private final BooleanSupplier stopping;
    private final ClickEventCodec codec = new ClickEventCodec();
    private final Map<String, Optional<UserActivity>> cache;
    private @Nullable Position marker;
    private boolean started;
    private boolean fenced;
    private int transactions;

    /** @param stopping true once the worker is shutting down; ends waits on an unreachable store */
    public ShardApplier(
            String shardId,
            AggregateStore store,
            ApplySettings settings,
            ApplyListener listener,
            BooleanSupplier stopping) {
        this.shardId = shardId;
        this.store = store;
        this.settings = settings;
        this.listener = listener;
        this.stopping = stopping;
        int size = settings.userCacheSize();
        this.cache = new LinkedHashMap<>(Math.min(size, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Optional<UserActivity>> eldest) {
                return size() > size;
            }
        };
    }

    public String shardId() {
        return shardId;
    }

    /** The position of the last record whose effects are known to be stored, if any. */
    public @Nullable Position marker() {
        return marker;
    }

    public boolean fenced() {
        return fenced;
    }

    /** Transactions the last {@link #apply} wrote. */
    public int transactionsInLastBatch() {
        return transactions;
    }

    /** Applies a batch in order; returns when its effects are durable, or it is fenced, or abandoned. */
    public Outcome apply(List<StreamRecord> batch) {
        transactions = 0;
        if (fenced) {
            return Outcome.FENCED;
        }
        if (!started) {
            Optional<Position> stored = readMarker();
            if (stored == null) {
                return Outcome.ABANDONED;
            }
            marker = stored.orElse(null);
            started = true;
        }
        List<Decoded> fresh = new ArrayList<>(batch.size());
        int duplicates = 0;
        for (StreamRecord record : batch) {
            if (marker != null && !record.position().isAfter(marker)) {
                duplicates++;
            } else {
                fresh.add(Decoded.of(record, codec));
            }
        }
        if (duplicates > 0) {
            listener.duplicates(shardId, duplicates);
        }
        for (List<Decoded> run : Runs.cut(fresh, settings.maxTransactionItems())) {
            Outcome outcome = write(run);
            if (outcome != Outcome.APPLIED) {
                return outcome;
            }
        }
        return Outcome.APPLIED;
    }

    private Outcome write(List<Decoded> run) {
        Position end = run.get(run.size() - 1).record().position();
        Duration backoff = settings.initialBackoff();
        while (true) {
            Transaction transaction;
            AggregateStore.Commit commit;
            try {
                transaction = Runs.fold(shardId, marker, run, cachedUsers(run), settings);
                commit = store.commit(transaction);
            } catch (RuntimeException e) {
                log.warn("Writing {} records of shard {} up to {} failed: {}", run.size(), shardId, end, e.toString());
                commit = null;
                transaction = null;
            }
            if (commit instanceof AggregateStore.Commit.Committed) {
                committed(Objects.requireNonNull(transaction), run);
                return Outcome.APPLIED;
            }
            // The write failed, was refused, or its answer was lost: the marker tells which.
            Optional<Position> stored = readMarker();
            if (stored == null) {
                return Outcome.ABANDONED;
            }
            if (stored.isPresent() && stored.get().equals(end)) {
                log.info("Shard {}: a write whose answer was lost had taken effect up to {}", shardId, end);
                forget(run);
                marker = end;
                listener.applied(shardId, events(run));
                return Outcome.APPLIED;
            }
            if (!Objects.equals(stored.orElse(null), marker)) {
                log.warn(
                        "Shard {} is fenced: its marker is {} where this worker expected {}; another worker owns it",
                        shardId,
                        stored.orElse(null),
                        marker);
                fenced = true;
                listener.fenced(shardId);
                return Outcome.FENCED;
            }
            if (commit instanceof AggregateStore.Commit.Conflict conflict) {
                // The marker is ours, so a user's stored total differed from the cache: read them again.
                if (conflict.staleUsers().isEmpty()) {
                    forget(run);
                } else {
                    conflict.staleUsers().forEach(cache::remove);
                }
            }
            listener.retry(shardId);
            if (stopping.getAsBoolean() || !pause(backoff)) {
                return Outcome.ABANDONED;
            }
            backoff = min(backoff.multipliedBy(2), settings.maxBackoff());
        }
    }

    private void committed(Transaction transaction, List<Decoded> run) {
        transaction.users().forEach(w -> cache.put(w.after().userId(), Optional.of(w.after())));
        marker = transaction.newMarker();
        transactions++;
        listener.transaction(shardId, transaction.items());
        listener.applied(shardId, events(run));
        transaction.deadLetters().forEach(d -> listener.deadLetter(shardId, d.reason()));
    }

    private void forget(List<Decoded> run) {
        run.forEach(d -> {
            if (d instanceof Decoded.Event e) {
                cache.remove(e.event().userId());
            }
        });
    }

    private static int events(List<Decoded> run) {
        return (int) run.stream().filter(Decoded.Event.class::isInstance).count();
    }

    private Map<String, Optional<UserActivity>> cachedUsers(List<Decoded> run) {
        List<String> missing = run.stream()
                .filter(Decoded.Event.class::isInstance)
                .map(d -> ((Decoded.Event) d).event().userId())
                .distinct()
                .filter(id -> !cache.containsKey(id))
                .toList();
        if (!missing.isEmpty()) {
            Map<String, UserActivity> stored = store.users(missing);
            missing.forEach(id -> cache.put(id, Optional.ofNullable(stored.get(id))));
        }
        return cache;
    }

    /** The stored marker, retried until read; {@code null} when stopping was requested first. */
    private @Nullable Optional<Position> readMarker() {
        Duration backoff = settings.initialBackoff();
        while (true) {
            try {
                return Optional.ofNullable(store.marker(shardId));
            } catch (RuntimeException e) {
                log.warn("Reading the marker of shard {} failed: {}", shardId, e.toString());
            }
            if (stopping.getAsBoolean() || !pause(backoff)) {
                return null;
            }
            backoff = min(backoff.multipliedBy(2), settings.maxBackoff());
        }
    }

    /** Waits out a backoff with jitter; false when interrupted, which ends the wait for good. */
    private static boolean pause(Duration backoff) {
        long millis = backoff.toMillis();
        try {
            Thread.sleep(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
