package dev.tideline.processor.apply;

import dev.tideline.model.event.ClickEventCodec;
import dev.tideline.model.shard.Position;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one shard's records to the aggregates exactly once, one item at a time.
 *
 * <p>Every item carries the {@link Mark} of the last record applied to it, and every write is
 * conditioned on the mark the writer read. A batch is applied in three steps: the users' items are
 * read and the records folded onto them ({@link UserFold}, which also drops an {@code event_id} the
 * user's window holds); then this shard's page-view counts are written; then dead letters and user
 * items. Counts go before users, so an item that holds a record implies its count holds it too, and
 * a replay can always tell from the user's item whether a record was a duplicate.
 *
 * <p>A write that fails or is refused is never retried blindly: the item is read again and only
 * what it does not hold yet is written. A worker whose lease has moved therefore writes nothing
 * twice; one that finds a user already written from a child shard while its own shard has ended is
 * fenced for good.
 *
 * <p>Not thread-safe: KCL calls one shard's processor from one thread at a time.
 */
public final class ShardApplier {

    private static final Logger log = LoggerFactory.getLogger(ShardApplier.class);
    private static final int PAGE_MARKS_KEPT = 10_000;

    /** What became of a batch. */
    public enum Outcome {
        /** Every record's effects are durable, or were already. */
        APPLIED,
        /** This shard has ended and its records belong to a child now; nothing more may be written. */
        FENCED,
        /** Stopping was requested while the store could not be written; what is durable is unknown. */
        ABANDONED
    }

    private final String shardId;
    private final AggregateStore store;
    private final ApplySettings settings;
    private final ApplyListener listener;
    private final BooleanSupplier stopping;
    private final ClickEventCodec codec = new ClickEventCodec();
    private final Map<PageMinute, Position> pageMarks;
    private @Nullable Position marker;
    private boolean fenced;
    private int writes;

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
        this.pageMarks = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<PageMinute, Position> eldest) {
                return size() > PAGE_MARKS_KEPT;
            }
        };
    }

    public String shardId() {
        return shardId;
    }

    /** The position of the last record whose effects are known to be stored, if any: where to checkpoint. */
    public @Nullable Position marker() {
        return marker;
    }

    public boolean fenced() {
        return fenced;
    }

    /** Single-item writes the last {@link #apply} made, retries included. */
    public int writesInLastBatch() {
        return writes;
    }

    /** Applies a batch in order; returns when its effects are durable, or it is fenced, or abandoned. */
    public Outcome apply(List<StreamRecord> batch) {
        writes = 0;
        if (fenced) {
            return Outcome.FENCED;
        }
        List<Decoded.Event> events = new ArrayList<>(batch.size());
        List<Decoded.Poison> poisons = new ArrayList<>();
        int seen = 0;
        for (StreamRecord record : batch) {
            if (marker != null && !record.position().isAfter(marker)) {
                seen++;
                continue;
            }
            Decoded decoded = Decoded.of(record, codec);
            if (decoded instanceof Decoded.Event e) {
                events.add(e);
            } else {
                poisons.add((Decoded.Poison) decoded);
            }
        }
        if (seen > 0) {
            listener.replayed(shardId, seen);
        }
        if (events.isEmpty() && poisons.isEmpty()) {
            return Outcome.APPLIED;
        }
        try {
            Map<Position, UserFold.Verdict> verdicts = new HashMap<>();
            List<Pending> users = foldUsers(events, verdicts);
            List<Pending> pages = new ArrayList<>();
            PageFold.touches(events, verdicts).forEach((view, touches) -> {
                Write.PageViews w = PageFold.write(shardId, view, touches, pageMarks.get(view));
                if (w != null) {
                    pages.add(new PagePending(w, touches));
                }
            });
            writeAll(pages);
            List<Pending> rest = new ArrayList<>(users);
            poisons.forEach(p -> rest.add(new DeadPending(p)));
            writeAll(rest);
        } catch (Fenced e) {
            fenced = true;
            listener.fenced(shardId);
            log.warn("Shard {} is fenced: it has ended, and a child shard's worker owns its users now", shardId);
            return Outcome.FENCED;
        } catch (Abandoned e) {
            return Outcome.ABANDONED;
        }
        marker = batch.get(batch.size() - 1).position();
        return Outcome.APPLIED;
    }

    private List<Pending> foldUsers(List<Decoded.Event> events, Map<Position, UserFold.Verdict> verdicts) {
        Map<String, List<Decoded.Event>> byUser = new LinkedHashMap<>();
        events.forEach(e -> byUser.computeIfAbsent(e.event().userId(), id -> new ArrayList<>())
                .add(e));
        Map<String, UserState> stored = retrying(() -> store.users(byUser.keySet()));
        boolean foreign =
                stored.values().stream().anyMatch(s -> !s.mark().shardId().equals(shardId));
        if (foreign && retrying(() -> store.hasEnded(shardId))) {
            throw new Fenced();
        }
        List<Pending> pending = new ArrayList<>(byUser.size());
        byUser.forEach((id, own) -> {
            UserFold.Folded folded = UserFold.fold(shardId, stored.get(id), own, settings, verdicts);
            pending.add(new UserPending(id, own, folded));
        });
        return pending;
    }

    /** Writes every pending item, reading an item again after each conflict or failure, until all are durable. */
    private void writeAll(List<Pending> items) {
        List<Pending> pending = new ArrayList<>();
        for (Pending p : items) {
            if (p.write() != null) {
                pending.add(p);
            } else {
                p.landed();
            }
        }
        Duration backoff = settings.initialBackoff();
        while (!pending.isEmpty()) {
            List<Write> round = pending.stream().map(Pending::write).toList();
            List<Write.Result> results = store.write(round);
            writes += round.size();
            List<Pending> again = new ArrayList<>();
            List<Pending> failed = new ArrayList<>();
            for (int i = 0; i < round.size(); i++) {
                Pending p = pending.get(i);
                switch (results.get(i)) {
                    case WRITTEN -> p.landed();
                    case CONFLICT -> {
                        listener.retry(shardId);
                        refresh(p, Write.Result.CONFLICT, again);
                    }
                    case FAILED -> {
                        listener.retry(shardId);
                        failed.add(p);
                    }
                }
            }
            if (!failed.isEmpty()) {
                pause(backoff);
                backoff = min(backoff.multipliedBy(2), settings.maxBackoff());
                failed.forEach(p -> refresh(p, Write.Result.FAILED, again));
            }
            pending = again;
        }
    }

    private void refresh(Pending p, Write.Result result, List<Pending> again) {
        if (retrying(() -> p.refresh(result))) {
            again.add(p);
        } else {
            p.landed();
        }
    }

    /** An item on its way: its next write, and how to find out what the store holds after a refusal. */
    private interface Pending {

        @Nullable
        Write write();

        /** Reads the item again; true when there is still something to write, now in {@link #write()}. */
        boolean refresh(Write.Result result);

        /** The item holds everything it should; reports it. */
        void landed();
    }

    private final class UserPending implements Pending {
        private final String userId;
        private final List<Decoded.Event> events;
        private UserFold.Folded folded;

        UserPending(String userId, List<Decoded.Event> events, UserFold.Folded folded) {
            this.userId = userId;
            this.events = events;
            this.folded = folded;
        }

        @Override
        public @Nullable Write write() {
            return folded.write();
        }

        @Override
        public boolean refresh(Write.Result result) {
            UserState now = store.users(Set.of(userId)).get(userId);
            Write.User mine = folded.write();
            if (now != null && mine != null && now.mark().equals(mine.after().mark())) {
                return false; // an earlier answer was lost, but the write had landed
            }
            if (now != null && !now.mark().shardId().equals(shardId) && store.hasEnded(shardId)) {
                throw new Fenced();
            }
            folded = UserFold.fold(shardId, now, events, settings, new HashMap<>());
            return folded.write() != null;
        }

        @Override
        public void landed() {
            listener.applied(shardId, folded.applied());
            if (folded.duplicates() > 0) {
                listener.duplicates(shardId, folded.duplicates());
            }
            if (folded.replayed() > 0) {
                listener.replayed(shardId, folded.replayed());
            }
        }
    }

    private final class PagePending implements Pending {
        private final List<PageFold.Touch> touches;
        private Write.@Nullable PageViews write;
        private final PageMinute view;

        PagePending(Write.PageViews write, List<PageFold.Touch> touches) {
            this.write = write;
            this.view = write.view();
            this.touches = touches;
        }

        @Override
        public @Nullable Write write() {
            return write;
        }

        @Override
        public boolean refresh(Write.Result result) {
            Position stored = store.pageViewsMark(shardId, view);
            if (stored != null) {
                pageMarks.put(view, stored);
            }
            write = PageFold.write(shardId, view, touches, stored);
            return write != null;
        }

        @Override
        public void landed() {
            if (write != null) {
                pageMarks.put(view, write.mark());
            }
        }
    }

    private final class DeadPending implements Pending {
        private final Write.Dead write;
        private boolean created = true;

        DeadPending(Decoded.Poison p) {
            StreamRecord r = p.record();
            this.write = new Write.Dead(new DeadLetter(
                    shardId, r.position(), r.partitionKey(), r.data(), r.arrivedAt(), p.reason(), p.message()));
        }

        @Override
        public Write write() {
            return write;
        }

        @Override
        public boolean refresh(Write.Result result) {
            created = false; // a refusal means it is there already; a failure is tried again as it is
            return result == Write.Result.FAILED;
        }

        @Override
        public void landed() {
            if (created) {
                listener.deadLetter(shardId, write.letter().reason());
            }
        }
    }

    /** Calls the store until it answers, waiting between tries; gives up only when the worker stops. */
    private <T> T retrying(java.util.function.Supplier<T> call) {
        Duration backoff = settings.initialBackoff();
        while (true) {
            try {
                return call.get();
            } catch (Fenced e) {
                throw e;
            } catch (RuntimeException e) {
                log.warn("Shard {}: reading the store failed: {}", shardId, e.toString());
                listener.retry(shardId);
            }
            pause(backoff);
            backoff = min(backoff.multipliedBy(2), settings.maxBackoff());
        }
    }

    /** Waits out a backoff with jitter; ends the batch when the worker stops or the thread is interrupted. */
    private void pause(Duration backoff) {
        if (stopping.getAsBoolean()) {
            throw new Abandoned();
        }
        long millis = backoff.toMillis();
        try {
            Thread.sleep(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Abandoned();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static final class Fenced extends RuntimeException {
        Fenced() {
            super(null, null, false, false);
        }
    }

    private static final class Abandoned extends RuntimeException {
        Abandoned() {
            super(null, null, false, false);
        }
    }
}
