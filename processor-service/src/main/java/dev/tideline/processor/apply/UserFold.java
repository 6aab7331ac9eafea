package dev.tideline.processor.apply;

import dev.tideline.model.event.ClickEvent;
import dev.tideline.model.event.Decoded;
import dev.tideline.model.shard.Position;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One user's records of a batch folded onto the user's stored item. Deterministic: the same stored
 * item and records give the same verdicts and the same item, whichever worker folds them, which is
 * what lets a worker count page views from verdicts it reached before its own user write landed.
 */
final class UserFold {

    /** What a record did to its user. */
    enum Verdict {
        /** Counted. */
        APPLIED,
        /** Its {@code event_id} was in the user's window: counted nowhere. */
        DUPLICATE,
        /** The item held it already. */
        REPLAYED
    }

    /**
     * @param write the item to put; null when every record was replayed
     * @param verdicts each record's verdict, by position
     */
    record Folded(Write.@Nullable User write, int applied, int duplicates, int replayed) {}

    private UserFold() {}

    /**
     * Folds {@code events}, one user's records of shard {@code shardId} in order, onto {@code stored}.
     * A stored mark of another shard is an ancestor's (the caller has ruled out a descendant): every
     * record is then new to the item.
     *
     * @param verdicts receives each record's verdict
     */
    static Folded fold(
            String shardId,
            @Nullable UserState stored,
            List<Decoded.Event> events,
            ApplySettings settings,
            Map<Position, Verdict> verdicts) {
        UserActivity activity = stored == null ? null : stored.activity();
        RecentIds ids = stored == null ? RecentIds.empty() : stored.recentIds();
        Position last = null;
        int applied = 0;
        int duplicates = 0;
        int replayed = 0;
        for (Decoded.Event e : events) {
            Position at = e.record().position();
            if (stored != null && stored.mark().covers(shardId, at)) {
                verdicts.put(at, Verdict.REPLAYED);
                replayed++;
                continue;
            }
            ClickEvent event = e.event();
            if (ids.contains(event.eventId())) {
                verdicts.put(at, Verdict.DUPLICATE);
                duplicates++;
            } else {
                activity = activity == null
                        ? UserActivity.first(event)
                        : activity.plus(event, settings.sessionGap(), settings.maxEventTypes());
                verdicts.put(at, Verdict.APPLIED);
                applied++;
                ids = ids.with(event.eventId(), e.record().arrivedAt(), settings.dedupe());
            }
            last = at;
        }
        if (last == null || activity == null) {
            return new Folded(null, applied, duplicates, replayed);
        }
        Write.User write = new Write.User(
                new UserState(activity, new Mark(shardId, last), ids), stored == null ? null : stored.mark());
        return new Folded(write, applied, duplicates, replayed);
    }
}
