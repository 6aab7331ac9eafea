package dev.tideline.processor.apply;

import dev.tideline.model.event.Decoded;
import dev.tideline.model.shard.Position;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One shard's page views. Each minute is one item holding the views of up to
 * {@link ShardMinute#MAX_PAGES} pages, in the order they first came, so that a batch writes one item
 * per minute rather than one per page; a page past that (or longer than
 * {@link ShardMinute#MAX_PAGE_BYTES}) gets an item of its own ({@link ShardMinute#takes}). A page's place never changes: a
 * minute's pages only grow, so a page missing from the minute's item went to an item of its own,
 * whichever worker wrote it. The minute's item is written before the pages' own items. Not
 * thread-safe.
 */
final class PageCounts {

    private static final int MINUTES_KEPT = 120;
    private static final int PAGE_MARKS_KEPT = 10_000;

    /** A page view of a batch, and whether it counts (a duplicate does not). */
    record Touch(Position position, String page, boolean counts) {}

    private final String shardId;
    private final AggregateStore store;
    private final Map<Instant, ShardMinute> minutes = lru(MINUTES_KEPT);
    private final Map<PageMinute, Position> pageMarks = lru(PAGE_MARKS_KEPT);

    PageCounts(String shardId, AggregateStore store) {
        this.shardId = shardId;
        this.store = store;
    }

    /** Writes the page views among {@code events}, with their users' verdicts, until they are durable. */
    void write(List<Decoded.Event> events, Map<Position, UserFold.Verdict> verdicts, WriteLoop loop) {
        Map<Instant, List<Touch>> byMinute = new LinkedHashMap<>();
        for (Decoded.Event e : events) {
            PageMinute view = PageFold.pageView(e.event());
            if (view != null) {
                Position at = e.record().position();
                byMinute.computeIfAbsent(view.minute(), m -> new ArrayList<>())
                        .add(new Touch(at, view.page(), verdicts.get(at) == UserFold.Verdict.APPLIED));
            }
        }
        List<MinutePending> minuteWrites = new ArrayList<>();
        byMinute.forEach((minute, touches) -> minuteWrites.add(new MinutePending(minute, touches)));
        loop.writeAll(minuteWrites);

        List<Pending> pageWrites = new ArrayList<>();
        for (MinutePending m : minuteWrites) {
            Map<String, List<PageFold.Touch>> own = new LinkedHashMap<>();
            for (Touch t : m.touches) {
                if (!m.held().views().containsKey(t.page())) {
                    own.computeIfAbsent(t.page(), p -> new ArrayList<>())
                            .add(new PageFold.Touch(t.position(), t.counts()));
                }
            }
            own.forEach((page, touches) -> {
                PageMinute view = new PageMinute(m.minute, page);
                Write.PageViews w = PageFold.write(shardId, view, touches, pageMarks.get(view));
                if (w != null) {
                    pageWrites.add(new PagePending(w, touches));
                }
            });
        }
        loop.writeAll(pageWrites);
    }

    /**
     * The minute's item after the touches past its mark; null when it holds them all. Touches past
     * its mark move the mark, those of pages it cannot hold included.
     */
    static Write.@Nullable MinuteViews fold(
            String shardId, Instant minute, @Nullable ShardMinute stored, List<Touch> touches) {
        Map<String, Long> views = stored == null ? new LinkedHashMap<>() : new LinkedHashMap<>(stored.views());
        Position last = null;
        for (Touch t : touches) {
            if (stored != null && !t.position().isAfter(stored.mark())) {
                continue;
            }
            last = t.position();
            long add = t.counts() ? 1 : 0;
            if (views.containsKey(t.page())) {
                views.merge(t.page(), add, Long::sum);
            } else if (ShardMinute.takes(views.size(), t.page())) {
                views.put(t.page(), add);
            }
        }
        return last == null
                ? null
                : new Write.MinuteViews(
                        shardId, minute, new ShardMinute(last, views), stored == null ? null : stored.mark());
    }

    private final class MinutePending implements Pending {
        private final Instant minute;
        private final List<Touch> touches;
        private @Nullable ShardMinute stored;
        private Write.@Nullable MinuteViews write;

        MinutePending(Instant minute, List<Touch> touches) {
            this.minute = minute;
            this.touches = touches;
            this.stored = minutes.get(minute);
            this.write = fold(shardId, minute, stored, touches);
        }

        @Override
        public @Nullable Write write() {
            return write;
        }

        @Override
        public boolean refresh(Write.Result result) {
            stored = store.minuteViews(shardId, minute);
            write = fold(shardId, minute, stored, touches);
            return write != null;
        }

        @Override
        public void landed() {
            if (write != null) {
                stored = write.after();
            }
            if (stored != null) {
                minutes.put(minute, stored);
            }
        }

        /** The minute's item once durable (every touch makes a write, so it is stored by then). */
        ShardMinute held() {
            return Objects.requireNonNull(stored, "the minute's item is written before its pages'");
        }
    }

    private final class PagePending implements Pending {
        private final List<PageFold.Touch> touches;
        private final PageMinute view;
        private Write.@Nullable PageViews write;

        PagePending(Write.PageViews write, List<PageFold.Touch> touches) {
            this.write = write;
            this.view = write.view();
            this.touches = touches;
        }

        @Override
        public @Nullable Write write() {
            return write;
        }

        @Override
        public boolean refresh(Write.Result result) {
            Position stored = store.pageViewsMark(shardId, view);
            if (stored != null) {
                pageMarks.put(view, stored);
            }
            write = PageFold.write(shardId, view, touches, stored);
            return write != null;
        }

        @Override
        public void landed() {
            if (write != null) {
                pageMarks.put(view, write.mark());
            }
        }
    }

    private static <K, V> Map<K, V> lru(int kept) {
        return new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > kept;
            }
        };
    }
}
