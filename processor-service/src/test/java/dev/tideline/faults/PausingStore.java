package dev.tideline.faults;

import dev.tideline.model.shard.Position;
import dev.tideline.processor.apply.AggregateStore;
import dev.tideline.processor.apply.PageMinute;
import dev.tideline.processor.apply.ShardMinute;
import dev.tideline.processor.apply.UserActivity;
import dev.tideline.processor.apply.UserState;
import dev.tideline.processor.apply.Write;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A fault for the crash tests: waits before every round of writes, so that a worker frozen with
 * SIGSTOP is almost surely holding a batch it has not written yet. {@link SlowWriter} puts it in
 * front of a processor's store.
 */
final class PausingStore implements AggregateStore {

    private final AggregateStore store;
    private final Duration pause;
    private final AtomicInteger writing;

    /** @param writing counts the rounds of writes under way, waits included */
    PausingStore(AggregateStore store, Duration pause, AtomicInteger writing) {
        this.store = store;
        this.pause = pause;
        this.writing = writing;
    }

    @Override
    public List<Write.Result> write(List<Write> writes) {
        writing.incrementAndGet();
        try {
            Thread.sleep(pause.toMillis()); // the fault itself: a slow writer
            return store.write(writes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return store.write(writes);
        } finally {
            writing.decrementAndGet();
        }
    }

    @Override
    public Map<String, UserState> users(Collection<String> userIds) {
        return store.users(userIds);
    }

    @Override
    public Optional<UserActivity> user(String userId) {
        return store.user(userId);
    }

    @Override
    public Map<String, Long> pageViews(Instant minute) {
        return store.pageViews(minute);
    }

    @Override
    public @Nullable ShardMinute minuteViews(String shardId, Instant minute) {
        return store.minuteViews(shardId, minute);
    }

    @Override
    public @Nullable Position pageViewsMark(String shardId, PageMinute view) {
        return store.pageViewsMark(shardId, view);
    }

    @Override
    public void shardEnded(String shardId) {
        store.shardEnded(shardId);
    }

    @Override
    public boolean hasEnded(String shardId) {
        return store.hasEnded(shardId);
    }
}
