package dev.tideline.archiver.archive;

import dev.tideline.model.event.EventIds;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One shard's {@code event_id}s of the last {@code window} by arrival, at most {@code maxIds}, oldest
 * first, each as a 64-bit hash: an event whose id is here is a client's retry of one already
 * archived. Not thread-safe.
 *
 * <p>About 80 bytes an id: a shard at 100 events/s holds 90,000 ids of a 15-minute window, about
 * 7 MB.
 */
final class DedupeWindow {

    private final Duration window;
    private final int maxIds;
    private final LinkedHashMap<Long, Long> arrivals = new LinkedHashMap<>();

    DedupeWindow(Duration window, int maxIds) {
        this.window = window;
        this.maxIds = maxIds;
    }

    /**
     * True when the id arrived within the window before {@code arrival}: the caller must then not
     * archive the event. Bounded by time as well as by what is held, so that a window rebuilt from
     * the archive answers as the one it replaces did.
     */
    boolean contains(String eventId, Instant arrival) {
        Long at = arrivals.get(EventIds.hash64(eventId));
        return at != null && at >= arrival.toEpochMilli() - window.toMillis();
    }

    /** Holds an archived event's id, then lets go of what fell out of the window. */
    void add(String eventId, Instant arrival) {
        long millis = arrival.toEpochMilli();
        arrivals.putIfAbsent(EventIds.hash64(eventId), millis);
        trim(millis);
    }

    private void trim(long newestMillis) {
        long oldest = newestMillis - window.toMillis();
        Iterator<Map.Entry<Long, Long>> it = arrivals.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Long> e = it.next();
            if (arrivals.size() <= maxIds && e.getValue() >= oldest) {
                break;
            }
            it.remove();
        }
    }

    int size() {
        return arrivals.size();
    }
}
