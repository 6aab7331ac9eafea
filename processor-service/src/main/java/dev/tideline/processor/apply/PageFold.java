package dev.tideline.processor.apply;

import dev.tideline.model.event.ClickEvent;
import dev.tideline.model.shard.Position;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A batch's page views, per page and minute, as this shard's counts. */
final class PageFold {

    /** Event type that counts as a page view. */
    static final String PAGE_VIEW = "page_view";

    /** A record that touches a page's count, and whether it adds a view (a duplicate does not). */
    record Touch(Position position, boolean counts) {}

    private PageFold() {}

    static @Nullable PageMinute pageView(ClickEvent event) {
        if (!PAGE_VIEW.equals(event.eventType()) || event.page() == null || event.receivedAt() == null) {
            return null;
        }
        return new PageMinute(event.receivedAt(), event.page());
    }

    /** The page views among {@code events}, in order, with their users' verdicts. */
    static Map<PageMinute, List<Touch>> touches(List<Decoded.Event> events, Map<Position, UserFold.Verdict> verdicts) {
        Map<PageMinute, List<Touch>> touches = new LinkedHashMap<>();
        for (Decoded.Event e : events) {
            PageMinute view = pageView(e.event());
            if (view != null) {
                Position at = e.record().position();
                touches.computeIfAbsent(view, v -> new ArrayList<>())
                        .add(new Touch(at, verdicts.get(at) == UserFold.Verdict.APPLIED));
            }
        }
        return touches;
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
