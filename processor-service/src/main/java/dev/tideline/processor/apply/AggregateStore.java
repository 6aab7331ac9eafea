package dev.tideline.processor.apply;

import dev.tideline.model.shard.Position;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Where the hot path's state lives: user aggregates, page views per minute, dead letters and one
 * progress marker per shard. Implementations are thread-safe; each shard's records are applied by
 * one thread at a time.
 *
 * <p>Methods may throw unchecked exceptions when the store cannot be reached; a caller must then
 * assume nothing about whether a {@link #commit} took effect and read the marker again.
 */
public interface AggregateStore {

    /** The shard's progress marker, read consistently; {@code null} when the shard has none yet. */
    @Nullable
    Position marker(String shardId);

    /** The stored aggregates of those users that have one, read consistently. */
    Map<String, UserActivity> users(Collection<String> userIds);

    /** One user's aggregate, for queries; may be slightly behind. */
    Optional<UserActivity> user(String userId);

    /** Views per page in one minute of server time. */
    Map<String, Long> pageViews(Instant minute);

    /**
     * Writes a transaction atomically if, and only if, the stored marker and every user's stored total
     * are what the transaction expects.
     */
    Commit commit(Transaction transaction);

    /** Records that a shard was read to its end; its marker stays until a child {@link #retire}s it. */
    void shardEnded(String shardId);

    /**
     * Lets the markers of closed shards expire once a child has started: KCL never delivers a parent's
     * records again after that.
     */
    void retire(Collection<String> closedShardIds);

    /** The outcome of {@link #commit}. */
    sealed interface Commit {

        Commit COMMITTED = new Committed();

        /** Everything was written. */
        record Committed() implements Commit {}

        /**
         * Nothing was written because a condition failed.
         *
         * @param staleUsers the users whose stored total differed, when the store can tell; empty when
         *     it was the marker or the store cannot tell
         */
        record Conflict(Set<String> staleUsers) implements Commit {}
    }
}
