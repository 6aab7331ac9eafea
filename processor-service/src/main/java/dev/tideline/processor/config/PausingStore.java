package dev.tideline.processor.config;

import dev.tideline.model.shard.Position;
import dev.tideline.processor.apply.AggregateStore;
import dev.tideline.processor.apply.Transaction;
import dev.tideline.processor.apply.UserActivity;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A test-only fault: waits before every transaction, so that a worker frozen with SIGSTOP is
 * almost surely holding a batch it has not written yet. Used only when
 * {@code tideline.processor.fault.pause-before-write} is set; never in production.
 */
final class PausingStore implements AggregateStore {

    private final AggregateStore store;
    private final Duration pause;

    PausingStore(AggregateStore store, Duration pause) {
        this.store = store;
        this.pause = pause;
    }

    @Override
    public Commit commit(Transaction transaction) {
        try {
            Thread.sleep(pause.toMillis()); // the fault itself: a slow writer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return store.commit(transaction);
    }

    @Override
    public @Nullable Position marker(String shardId) {
        return store.marker(shardId);
    }

    @Override
    public Map<String, UserActivity> users(Collection<String> userIds) {
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
    public void shardEnded(String shardId) {
        store.shardEnded(shardId);
    }

    @Override
    public void retire(Collection<String> closedShardIds) {
        store.retire(closedShardIds);
    }
}
