package dev.tideline.processor.apply;

import dev.tideline.model.shard.Position;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** One conditional single-item write; a store performs each on its own, in any order. */
public sealed interface Write {

    /**
     * Puts a user's item if its stored mark is still {@code expected}.
     *
     * @param expected the mark the writer read; {@code null} when the user had no item
     */
    record User(UserState after, @Nullable Mark expected) implements Write {}

    /**
     * Puts one shard's views of a minute, every page it holds, if its stored mark is still
     * {@code expected}. Each shard counts apart, so only one shard's records ever write an item;
     * queries sum the shards.
     *
     * @param expected the mark the writer read; {@code null} when it believes the item is absent
     */
    record MinuteViews(String shardId, Instant minute, ShardMinute after, @Nullable Position expected)
            implements Write {}

    /**
     * Adds views to one shard's count of a page in a minute that did not fit the minute's item, and
     * moves that count's mark, if its stored mark is still {@code expected}.
     *
     * @param expected the position the writer believes is stored; {@code null} when it believes the
     *     item is absent
     * @param views the views among the records after {@code expected}, duplicates left out; may be 0
     */
    record PageViews(String shardId, PageMinute view, long views, @Nullable Position expected, Position mark)
            implements Write {}

    /** Puts a dead letter unless it is there already: it is keyed by its record's shard and position. */
    record Dead(DeadLetter letter) implements Write {}

    /** What became of one write. */
    enum Result {
        WRITTEN,
        /** The condition failed: another writer got there first, or this one's earlier answer was lost. */
        CONFLICT,
        /** The store could not be reached or refused for another reason; the write may or may not have happened. */
        FAILED
    }
}
