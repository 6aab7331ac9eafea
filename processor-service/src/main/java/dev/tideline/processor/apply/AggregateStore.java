package dev.tideline.processor.apply;

import dev.tideline.model.shard.Position;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where the hot path's state lives: user items, page views per shard and minute, dead letters, and
 * which shards were read to their end. Every write touches one item and is conditioned on what the
 * writer read, so no transaction is needed. Implementations are thread-safe.
 *
 * <p>Reads throw unchecked exceptions when the store cannot be reached.
 */
public interface AggregateStore {

    /** The stored items of those users that have one, read consistently. */
    Map<String, UserState> users(Collection<String> userIds);

    /** One user's aggregate, for queries; may be slightly behind. */
    Optional<UserActivity> user(String userId);

    /** Views per page in one minute of server time, summed over the shards. */
    Map<String, Long> pageViews(Instant minute);

    /** One shard's item of page views in a minute, read consistently; null when absent. */
    @Nullable
    ShardMinute minuteViews(String shardId, Instant minute);

    /** The stored position of one shard's count of a page in a minute, read consistently; null when absent. */
    @Nullable
    Position pageViewsMark(String shardId, PageMinute view);

    /** Performs every write, concurrently where it can; one result per write, in order. Never throws. */
    List<Write.Result> write(List<Write> writes);

    /** Records that a shard was read to its end, before its end is checkpointed. */
    void shardEnded(String shardId);

    /** True once {@link #shardEnded} was recorded for the shard, read consistently. */
    boolean hasEnded(String shardId);
}
