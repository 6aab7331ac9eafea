package dev.tideline.processor.apply;

import dev.tideline.model.shard.Position;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** An {@link AggregateStore} in memory, with the same conditions as the DynamoDB one, and faults to inject. */
final class InMemoryStore implements AggregateStore {

    final Map<String, Position> markers = new HashMap<>();
    final Map<String, UserActivity> users = new HashMap<>();
    final Map<PageMinute, Long> views = new HashMap<>();
    final List<DeadLetter> deadLetters = new ArrayList<>();
    final List<Transaction> committed = new ArrayList<>();
    final Set<String> ended = new HashSet<>();

    /** Commits to fail before they are tried. */
    int failBefore;
    /** Commits to apply and then fail, as when the answer is lost. */
    int failAfter;

    @Override
    public synchronized @Nullable Position marker(String shardId) {
        return markers.get(shardId);
    }

    @Override
    public synchronized Map<String, UserActivity> users(Collection<String> userIds) {
        Map<String, UserActivity> found = new HashMap<>();
        userIds.forEach(id -> {
            if (users.containsKey(id)) {
                found.put(id, users.get(id));
            }
        });
        return found;
    }

    @Override
    public synchronized Optional<UserActivity> user(String userId) {
        return Optional.ofNullable(users.get(userId));
    }

    @Override
    public synchronized Map<String, Long> pageViews(Instant minute) {
        Map<String, Long> out = new HashMap<>();
        views.forEach((k, v) -> {
            if (k.minute().equals(minute)) {
                out.put(k.page(), v);
            }
        });
        return out;
    }

    @Override
    public synchronized Commit commit(Transaction t) {
        if (failBefore > 0) {
            failBefore--;
            throw new IllegalStateException("store unreachable");
        }
        if (!java.util.Objects.equals(markers.get(t.shardId()), t.expectedMarker())) {
            return new Commit.Conflict(Set.of());
        }
        Set<String> stale = new HashSet<>();
        for (Transaction.UserWrite w : t.users()) {
            UserActivity stored = users.get(w.after().userId());
            long total = stored == null ? 0 : stored.totalEvents();
            if (total != w.expectedTotal()) {
                stale.add(w.after().userId());
            }
        }
        if (!stale.isEmpty()) {
            return new Commit.Conflict(stale);
        }
        markers.put(t.shardId(), t.newMarker());
        t.users().forEach(w -> users.put(w.after().userId(), w.after()));
        t.pageViews().forEach((k, v) -> views.merge(k, v, Long::sum));
        deadLetters.addAll(t.deadLetters());
        committed.add(t);
        if (failAfter > 0) {
            failAfter--;
            throw new IllegalStateException("answer lost");
        }
        return Commit.COMMITTED;
    }

    @Override
    public synchronized void shardEnded(String shardId) {
        ended.add(shardId);
    }

    @Override
    public synchronized void retire(Collection<String> closedShardIds) {
        closedShardIds.forEach(markers::remove);
    }
}
