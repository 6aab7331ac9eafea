package dev.tideline.processor.apply;

import dev.tideline.model.event.ClickEvent;
import dev.tideline.model.shard.Position;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Page views: which events are views, and one page's own count of a minute in this shard. */
final class PageFold {

    /** Event type that counts as a page view. */
    static final String PAGE_VIEW = "page_view";

    /** A record that touches a page's count, and whether it adds a view (a duplicate does not). */
    record Touch(Position position, boolean counts) {}

    private PageFold() {}

    /** The page count a view adds to; null when it is not a view, or a robot's (top pages count people). */
    static @Nullable PageMinute pageView(ClickEvent event) {
        if (!PAGE_VIEW.equals(event.eventType())
                || event.page() == null
                || event.receivedAt() == null
                || event.fromBot()) {
            return null;
        }
        return new PageMinute(event.receivedAt(), event.page());
    }

    /**
     * The write that brings one count from {@code stored} to the last of its touches; null when the
     * count holds them all. A record its user holds already (a replay) is held by its count too,
     * since counts are written before users; so only records after {@code stored} matter here.
     */
    static Write.@Nullable PageViews write(
            String shardId, PageMinute view, List<Touch> touches, @Nullable Position stored) {
        long views = 0;
        Position last = null;
        for (Touch t : touches) {
            if (stored == null || t.position().isAfter(stored)) {
                views += t.counts() ? 1 : 0;
                last = t.position();
            }
        }
        return last == null ? null : new Write.PageViews(shardId, view, views, stored, last);
    }
}
