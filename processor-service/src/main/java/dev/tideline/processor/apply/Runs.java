package dev.tideline.processor.apply;

import dev.tideline.model.event.ClickEvent;
import dev.tideline.model.shard.Position;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Cuts a shard's records into contiguous runs that each fit one transaction, and folds a run's effects. */
final class Runs {

    /** Event type that counts as a page view. */
    static final String PAGE_VIEW = "page_view";

    /** DynamoDB's limit on one transaction's items is 4 MB; this leaves room for the request around them. */
    static final long MAX_TRANSACTION_BYTES = 3_500_000;

    /** Upper bounds of item sizes: a user's item holds at most a few hundred types and a 2,048-char page. */
    private static final long USER_ITEM_BYTES = 32 * 1024;

    private static final long PAGE_ITEM_BYTES = 10 * 1024;
    private static final long DEAD_LETTER_OVERHEAD = 2 * 1024;

    private Runs() {}

    /**
     * Contiguous runs, in order, each touching at most {@code maxItems - 1} items (one is the marker)
     * and at most {@link #MAX_TRANSACTION_BYTES}.
     */
    static List<List<Decoded>> cut(List<Decoded> records, int maxItems) {
        List<List<Decoded>> runs = new ArrayList<>();
        List<Decoded> current = new ArrayList<>();
        Set<Object> items = new HashSet<>();
        long bytes = 0;
        for (Decoded record : records) {
            List<Object> touched = touched(record);
            int added = 0;
            long addedBytes = 0;
            for (Object item : touched) {
                if (!items.contains(item)) {
                    added++;
                    addedBytes += bytes(item);
                }
            }
            if (!current.isEmpty()
                    && (1 + items.size() + added > maxItems || bytes + addedBytes > MAX_TRANSACTION_BYTES)) {
                runs.add(current);
                current = new ArrayList<>();
                items.clear();
                bytes = 0;
                addedBytes = touched.stream().mapToLong(Runs::bytes).sum();
            }
            current.add(record);
            items.addAll(touched);
            bytes += addedBytes;
        }
        if (!current.isEmpty()) {
            runs.add(current);
        }
        return runs;
    }

    /** The keys of the items a record writes. */
    private static List<Object> touched(Decoded record) {
        if (record instanceof Decoded.Event e) {
            PageMinute view = pageView(e.event());
            return view == null
                    ? List.of(e.event().userId())
                    : List.of(e.event().userId(), view);
        }
        return List.of(record);
    }

    private static long bytes(Object item) {
        if (item instanceof String) {
            return USER_ITEM_BYTES;
        }
        if (item instanceof PageMinute) {
            return PAGE_ITEM_BYTES;
        }
        Decoded.Poison p = (Decoded.Poison) item;
        return DEAD_LETTER_OVERHEAD + Math.min(p.record().data().length, DeadLetter.MAX_KEPT_BYTES);
    }

    static @Nullable PageMinute pageView(ClickEvent event) {
        if (!PAGE_VIEW.equals(event.eventType()) || event.page() == null || event.receivedAt() == null) {
            return null;
        }
        return new PageMinute(event.receivedAt(), event.page());
    }

    /**
     * The effects of one run folded into a transaction.
     *
     * @param users every user of the run, as stored before it: empty when the user has no aggregate
     */
    static Transaction fold(
            String shardId,
            @Nullable Position expectedMarker,
            List<Decoded> run,
            Map<String, Optional<UserActivity>> users,
            ApplySettings settings) {
        Map<String, UserActivity> after = new LinkedHashMap<>();
        Map<String, Long> before = new LinkedHashMap<>();
        Map<PageMinute, Long> views = new LinkedHashMap<>();
        List<DeadLetter> deadLetters = new ArrayList<>();
        for (Decoded record : run) {
            if (record instanceof Decoded.Event e) {
                ClickEvent event = e.event();
                String id = event.userId();
                UserActivity current = after.get(id);
                if (current == null) {
                    Optional<UserActivity> stored = users.get(id);
                    if (stored == null) {
                        throw new IllegalStateException("user " + id + " was not loaded");
                    }
                    before.put(id, stored.map(UserActivity::totalEvents).orElse(0L));
                    current = stored.orElse(null);
                }
                after.put(
                        id,
                        current == null
                                ? UserActivity.first(event)
                                : current.plus(event, settings.sessionGap(), settings.maxEventTypes()));
                PageMinute view = pageView(event);
                if (view != null) {
                    views.merge(view, 1L, Long::sum);
                }
            } else if (record instanceof Decoded.Poison p) {
                StreamRecord r = p.record();
                deadLetters.add(new DeadLetter(
                        shardId, r.position(), r.partitionKey(), r.data(), r.arrivedAt(), p.reason(), p.message()));
            }
        }
        List<Transaction.UserWrite> writes = new ArrayList<>(after.size());
        after.forEach((id, activity) -> writes.add(new Transaction.UserWrite(activity, before.get(id))));
        return new Transaction(
                shardId, expectedMarker, run.get(run.size() - 1).record().position(), writes, views, deadLetters);
    }
}
