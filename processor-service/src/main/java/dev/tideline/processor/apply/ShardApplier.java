package dev.tideline.processor.apply;

import dev.tideline.model.event.ClickEventCodec;
import dev.tideline.model.event.Decoded;
import dev.tideline.model.shard.Position;
import dev.tideline.model.shard.StreamRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * user's window holds); then this shard's page views are written ({@link PageCounts}); then dead
 * letters and user items. Page views go before users, so an item that holds a record implies its
 * page views hold it too, and a replay can always tell from the user's item whether a record was a
 * duplicate.
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
    private final WriteLoop loop;
    private final PageCounts pages;
    private final ClickEventCodec codec;
    private final Map<String, Optional<UserState>> users;
    private @Nullable Position marker;
    private boolean fenced;

    /** @param stopping true once the worker is shutting down; ends waits on an unreachable store */
    public ShardApplier(
            String shardId,
            AggregateStore store,
            ApplySettings settings,
            ApplyListener listener,
            BooleanSupplier stopping) {
        this(new ShardScope(shardId, store, settings, listener, stopping));
    }

    private ShardApplier(ShardScope scope) {
        this.shardId = scope.shardId();
        this.store = scope.store();
        this.settings = scope.settings();
        this.codec = settings.codec();
        this.listener = scope.listener();
        this.loop = new WriteLoop(scope);
        this.pages = new PageCounts(shardId, store);
        int kept = settings.userCacheSize();
        this.users = new LinkedHashMap<>(Math.min(kept, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Optional<UserState>> eldest) {
                return size() > kept;
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
        return loop.writes();
    }

    /** Applies a batch in order; returns when its effects are durable, or it is fenced, or abandoned. */
    public Outcome apply(List<StreamRecord> batch) {
        loop.resetWrites();
        if (fenced) {
            return Outcome.FENCED;
        }
        List<Decoded.Event> events = new ArrayList<>(batch.size());
        List<Pending> deadLetters = new ArrayList<>();
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
                deadLetters.add(new DeadPending((Decoded.Poison) decoded));
            }
        }
        if (seen > 0) {
            listener.replayed(shardId, seen);
        }
        if (events.isEmpty() && deadLetters.isEmpty()) {
            return Outcome.APPLIED;
        }
        try {
            Map<Position, UserFold.Verdict> verdicts = new HashMap<>();
            List<Pending> rest = foldUsers(events, verdicts);
            pages.write(events, verdicts, loop);
            rest.addAll(deadLetters);
            loop.writeAll(rest);
        } catch (WriteLoop.Fenced e) {
            fenced = true;
            listener.fenced(shardId);
            log.warn("Shard {} is fenced: it has ended, and a child shard's worker owns its users now", shardId);
            return Outcome.FENCED;
        } catch (WriteLoop.Abandoned e) {
            return Outcome.ABANDONED;
        }
        marker = batch.get(batch.size() - 1).position();
        return Outcome.APPLIED;
    }

    private List<Pending> foldUsers(List<Decoded.Event> events, Map<Position, UserFold.Verdict> verdicts) {
        Map<String, List<Decoded.Event>> byUser = new LinkedHashMap<>();
        events.forEach(e -> byUser.computeIfAbsent(e.event().userId(), id -> new ArrayList<>())
                .add(e));
        // Cached items are ones this applier read or wrote. One may be older than the stored item (a
        // worker that took the shard over wrote since), but never misses a record before this batch,
        // since this applier saw every one of them; so the verdicts folded from it are the stored
        // item's, and the write's condition catches the difference.
        // Known here, not looked up in the cache again: a small cache may evict what it was just given.
        Map<String, Optional<UserState>> known = new HashMap<>();
        byUser.keySet().forEach(id -> {
            Optional<UserState> cached = users.get(id);
            if (cached != null) {
                known.put(id, cached);
            }
        });
        List<String> missing =
                byUser.keySet().stream().filter(id -> !known.containsKey(id)).toList();
        if (!missing.isEmpty()) {
            Map<String, UserState> read = loop.retrying(() -> store.users(missing));
            missing.forEach(id -> {
                Optional<UserState> item = Optional.ofNullable(read.get(id));
                known.put(id, item);
                users.put(id, item);
            });
        }
        Map<String, UserState> stored = new HashMap<>();
        known.forEach((id, item) -> item.ifPresent(state -> stored.put(id, state)));
        boolean foreign =
                stored.values().stream().anyMatch(s -> !s.mark().shardId().equals(shardId));
        if (foreign && loop.retrying(() -> store.hasEnded(shardId))) {
            throw new WriteLoop.Fenced();
        }
        List<Pending> pending = new ArrayList<>(byUser.size());
        byUser.forEach((id, own) -> {
            UserFold.Folded folded = UserFold.fold(shardId, stored.get(id), own, settings, verdicts);
            pending.add(new UserPending(id, own, folded));
        });
        return pending;
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
            users.put(userId, Optional.ofNullable(now));
            Write.User mine = folded.write();
            if (now != null && mine != null && now.mark().equals(mine.after().mark())) {
                return false; // an earlier answer was lost, but the write had landed
            }
            if (now != null && !now.mark().shardId().equals(shardId) && store.hasEnded(shardId)) {
                throw new WriteLoop.Fenced();
            }
            folded = UserFold.fold(shardId, now, events, settings, new HashMap<>());
            return folded.write() != null;
        }

        @Override
        public void landed() {
            Write.User written = folded.write();
            if (written != null) {
                users.put(userId, Optional.of(written.after()));
            }
            listener.applied(shardId, folded.applied());
            if (folded.duplicates() > 0) {
                listener.duplicates(shardId, folded.duplicates());
            }
            if (folded.replayed() > 0) {
                listener.replayed(shardId, folded.replayed());
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
            if (result == Write.Result.CONFLICT) {
                created = false; // it is there already, from an earlier attempt or another worker
                return false;
            }
            return true; // a failure is tried again as it is
        }

        @Override
        public void landed() {
            if (created) {
                listener.deadLetter(shardId, write.letter().reason());
            }
        }
    }
}
