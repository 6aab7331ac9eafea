package dev.tideline.console.collect;

import org.jspecify.annotations.Nullable;

/** Milliseconds as a person reads them: {@code 420 ms}, {@code 4.2 s}, {@code 95 s}; {@code -} for unknown. */
public final class Durations {

    private Durations() {}

    public static String text(@Nullable Long millis) {
        if (millis == null) {
            return "-";
        }
        if (millis < 1_000) {
            return millis + " ms";
        }
        return millis < 60_000 ? String.format("%.1f s", millis / 1000.0) : (millis / 1000) + " s";
    }
}
