package dev.tideline.console.collect;

import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Rates and latency quantiles from the change of a service's counters and histogram buckets between
 * two reads, as Prometheus's {@code rate} and {@code histogram_quantile} compute them. A counter that
 * went down (a restarted instance) gives no rate for that interval.
 */
final class Rates {

    private final Map<String, Double> counters = new HashMap<>();
    private final Map<String, Long> readAt = new HashMap<>();
    private final Map<String, NavigableMap<Double, Double>> buckets = new HashMap<>();

    /** Per second since the last call for {@code key}; null on the first, or after a reset. */
    @Nullable
    Double perSecond(String key, @Nullable Double total, long nowMillis) {
        if (total == null) {
            counters.remove(key);
            readAt.remove(key);
            return null;
        }
        Double previous = counters.put(key, total);
        Long then = readAt.put(key, nowMillis);
        if (previous == null || then == null || total < previous || nowMillis <= then) {
            return null;
        }
        return (total - previous) * 1000.0 / (nowMillis - then);
    }

    /**
     * The {@code q} quantile, in the buckets' unit, of what was observed since the last call for
     * {@code key}; null when nothing was.
     *
     * @param cumulative each bucket's upper bound ({@code le}) and its cumulative count
     */
    @Nullable
    Double quantile(String key, double q, NavigableMap<Double, Double> cumulative) {
        NavigableMap<Double, Double> previous = buckets.getOrDefault(key, new TreeMap<>());
        NavigableMap<Double, Double> delta = new TreeMap<>();
        for (var e : cumulative.entrySet()) {
            delta.put(e.getKey(), e.getValue() - previous.getOrDefault(e.getKey(), 0.0));
        }
        return quantileOf(q, delta);
    }

    /** Remembers the buckets read, for the next interval's quantiles. */
    void keepBuckets(String key, NavigableMap<Double, Double> cumulative) {
        buckets.put(key, cumulative);
    }

    static @Nullable Double quantileOf(double q, NavigableMap<Double, Double> cumulative) {
        if (cumulative.isEmpty()) {
            return null;
        }
        double total = cumulative.lastEntry().getValue();
        if (total <= 0 || cumulative.values().stream().anyMatch(v -> v < 0)) {
            return null;
        }
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (var e : cumulative.entrySet()) {
            if (e.getValue() >= rank) {
                if (e.getKey().isInfinite()) {
                    return lowerBound;
                }
                double inBucket = e.getValue() - lowerCount;
                return inBucket <= 0
                        ? e.getKey()
                        : lowerBound + (e.getKey() - lowerBound) * (rank - lowerCount) / inBucket;
            }
            lowerBound = e.getKey();
            lowerCount = e.getValue();
        }
        return lowerBound;
    }
}
