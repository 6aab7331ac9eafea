package dev.tideline.processor.apply;

import dev.tideline.model.shard.Position;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/** An {@link AggregateStore} in memory, with the same conditions as the DynamoDB one, and faults to inject. */
final class InMemoryStore implements AggregateStore {

    final Map<String, UserState> users = new HashMap<>();
    final Map<String, Map<Instant, ShardMinute>> minutes = new HashMap<>();
    final Map<String, Map<PageMinute, Long>> views = new HashMap<>();
    final Map<String, Map<PageMinute, Position>> viewMarks = new HashMap<>();
    final Map<Position, DeadLetter> deadLetters = new HashMap<>();
    final Set<String> ended = new HashSet<>();
    final List<Write> written = new ArrayList<>();

    /** Writes to fail before they are tried. */
    int failBefore;
    /** Writes to perform and then report failed, as when the answer is lost. */
    int failAfter;
    /** Writes that fail, before they are tried, for as long as they match. */
    Predicate<Write> unreachableFor = w -> false;

    @Override
    public synchronized Map<String, UserState> users(Collection<String> userIds) {
        Map<String, UserState> found = new HashMap<>();
        userIds.forEach(id -> {
            if (users.containsKey(id)) {
                found.put(id, users.get(id));
            }
        });
        return found;
    }

    @Override
    public synchronized Optional<UserActivity> user(String userId) {
        return Optional.ofNullable(users.get(userId)).map(UserState::activity);
    }

    @Override
    public synchronized Map<String, Long> pageViews(Instant minute) {
        Map<String, Long> out = new HashMap<>();
        allViews().forEach((k, v) -> {
            if (k.minute().equals(minute)) {
                out.merge(k.page(), v, Long::sum);
            }
        });
        return out;
    }

    /** Views per page and minute, summed over the shards and both kinds of item. */
    synchronized Map<PageMinute, Long> allViews() {
        Map<PageMinute, Long> out = new HashMap<>();
        views.values().forEach(shard -> shard.forEach((k, v) -> out.merge(k, v, Long::sum)));
        minutes.values()
                .forEach(shard -> shard.forEach((minute, m) ->
                        m.views().forEach((page, v) -> out.merge(new PageMinute(minute, page), v, Long::sum))));
        return out;
    }

    @Override
    public synchronized @Nullable ShardMinute minuteViews(String shardId, Instant minute) {
        return minutes.getOrDefault(shardId, Map.of()).get(minute);
    }

    @Override
    public synchronized @Nullable Position pageViewsMark(String shardId, PageMinute view) {
        return viewMarks.getOrDefault(shardId, Map.of()).get(view);
    }

    @Override
    public synchronized List<Write.Result> write(List<Write> writes) {
        List<Write.Result> results = new ArrayList<>(writes.size());
        for (Write w : writes) {
            if (failBefore > 0 || unreachableFor.test(w)) {
                failBefore = Math.max(0, failBefore - 1);
                results.add(Write.Result.FAILED);
            } else if (!apply(w)) {
                results.add(Write.Result.CONFLICT);
            } else if (failAfter > 0) {
                failAfter--;
                results.add(Write.Result.FAILED);
            } else {
                results.add(Write.Result.WRITTEN);
            }
        }
        return results;
    }

    private boolean apply(Write w) {
        if (w instanceof Write.User u) {
            UserState stored = users.get(u.after().activity().userId());
            if (!Objects.equals(stored == null ? null : stored.mark(), u.expected())) {
                return false;
            }
            users.put(u.after().activity().userId(), u.after());
        } else if (w instanceof Write.MinuteViews m) {
            Map<Instant, ShardMinute> shard = minutes.computeIfAbsent(m.shardId(), k -> new HashMap<>());
            ShardMinute stored = shard.get(m.minute());
            if (!Objects.equals(stored == null ? null : stored.mark(), m.expected())) {
                return false;
            }
            shard.put(m.minute(), m.after());
        } else if (w instanceof Write.PageViews p) {
            Map<PageMinute, Position> marks = viewMarks.computeIfAbsent(p.shardId(), s -> new HashMap<>());
            if (!Objects.equals(marks.get(p.view()), p.expected())) {
                return false;
            }
            marks.put(p.view(), p.mark());
            views.computeIfAbsent(p.shardId(), s -> new HashMap<>()).merge(p.view(), p.views(), Long::sum);
        } else {
            DeadLetter d = ((Write.Dead) w).letter();
            if (deadLetters.containsKey(d.position())) {
                return false;
            }
            deadLetters.put(d.position(), d);
        }
        written.add(w);
        return true;
    }

    @Override
    public synchronized void shardEnded(String shardId) {
        ended.add(shardId);
    }

    @Override
    public synchronized boolean hasEnded(String shardId) {
        return ended.contains(shardId);
    }
}
