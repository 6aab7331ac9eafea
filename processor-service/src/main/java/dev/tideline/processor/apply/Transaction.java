package dev.tideline.processor.apply;

import dev.tideline.model.shard.Position;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The folded effects of one contiguous run of a shard's records, to be written atomically together
 * with the shard's new progress marker.
 *
 * @param expectedMarker the marker the writer believes is stored; {@code null} when none is. The
 *     write must fail when the stored marker differs.
 * @param newMarker the position of the run's last record
 * @param users each touched user's aggregate after the run
 * @param pageViews views to add per page and minute
 */
public record Transaction(
        String shardId,
        @Nullable Position expectedMarker,
        Position newMarker,
        List<UserWrite> users,
        Map<PageMinute, Long> pageViews,
        List<DeadLetter> deadLetters) {

    /**
     * One user's aggregate after the run.
     *
     * @param expectedTotal the {@code totalEvents} the writer believes is stored, 0 when the user is
     *     new; the write must fail when it differs, which catches a stale cache
     */
    public record UserWrite(UserActivity after, long expectedTotal) {}

    /** Items the transaction writes, the marker included. */
    public int items() {
        return 1 + users.size() + pageViews.size() + deadLetters.size();
    }
}
