package dev.tideline.console.collect;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The last half hour (by default) of the numbers the page plots, one point per refresh. */
public final class History {

    /**
     * One refresh's plotted numbers; null where a source did not answer.
     *
     * @param time epoch seconds
     */
    public record Point(
            long time,
            @Nullable Long processorLagMillis,
            @Nullable Long processorCheckpointAgeMillis,
            @Nullable Long archiverIteratorAgeMillis,
            @Nullable Long archiverCheckpointAgeMillis,
            @Nullable Long archiverFreshnessMillis,
            @Nullable Double streamEventsPerSecond,
            @Nullable Double ingestAcceptedPerSecond) {}

    private final int capacity;
    private final Deque<Point> points = new ArrayDeque<>();

    public History(int capacity) {
        this.capacity = capacity;
    }

    public synchronized void add(Point p) {
        points.addLast(p);
        while (points.size() > capacity) {
            points.removeFirst();
        }
    }

    /** Column by column, as uPlot takes its data: {@code time} first, then one array per series. */
    public synchronized Map<String, List<@Nullable Object>> columns() {
        Map<String, List<@Nullable Object>> columns = new LinkedHashMap<>();
        for (String name : List.of(
                "time",
                "processorLagMillis",
                "processorCheckpointAgeMillis",
                "archiverIteratorAgeMillis",
                "archiverCheckpointAgeMillis",
                "archiverFreshnessMillis",
                "streamEventsPerSecond",
                "ingestAcceptedPerSecond")) {
            columns.put(name, new ArrayList<>(points.size()));
        }
        for (Point p : points) {
            columns.get("time").add(p.time());
            columns.get("processorLagMillis").add(p.processorLagMillis());
            columns.get("processorCheckpointAgeMillis").add(p.processorCheckpointAgeMillis());
            columns.get("archiverIteratorAgeMillis").add(p.archiverIteratorAgeMillis());
            columns.get("archiverCheckpointAgeMillis").add(p.archiverCheckpointAgeMillis());
            columns.get("archiverFreshnessMillis").add(p.archiverFreshnessMillis());
            columns.get("streamEventsPerSecond").add(p.streamEventsPerSecond());
            columns.get("ingestAcceptedPerSecond").add(p.ingestAcceptedPerSecond());
        }
        return columns;
    }
}
