package dev.tideline.model.retry;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one backoff of every retry loop in Tideline: the wait doubles with each attempt, up to a cap,
 * and is spread at random by half either way, so that workers that failed together do not retry
 * together, also once they reach the cap. The capped doubling is resilience4j's {@link
 * IntervalFunction}; the spread is applied after the cap, which resilience4j's own randomized
 * function does not do (past its cap, every worker would wait the same). Immutable and thread-safe.
 */
public final class Backoff {

    /** The consumers' waits on an unreachable store: 100 ms, doubling, up to 5 s. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

    private static final double MULTIPLIER = 2.0;
    private static final double RANDOMIZATION = 0.5;

    private final Duration initial;
    private final Duration max;
    private final IntervalFunction intervals;

    /**
     * @param initial the wait before the first retry, before randomization; at least 1 ms
     * @param max the longest wait before randomization; at least {@code initial}
     */
    public Backoff(Duration initial, Duration max) {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.toMillis() < 1 || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException(
                    "a backoff starts at 1 ms or more and its cap is not below its start: " + initial + ", " + max);
        }
        this.initial = initial;
        this.max = max;
        this.intervals = IntervalFunction.ofExponentialBackoff(initial, MULTIPLIER, max);
    }

    public Duration initial() {
        return initial;
    }

    public Duration max() {
        return max;
    }

    /** The wait before retry number {@code attempt}, counting from 1. */
    public Duration delay(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts count from 1, not " + attempt);
        }
        double spread = 1
                - RANDOMIZATION
                + 2 * RANDOMIZATION * ThreadLocalRandom.current().nextDouble();
        return Duration.ofMillis(Math.round(intervals.apply(attempt) * spread));
    }

    /** A fresh run of attempts, for one loop. */
    public Attempts attempts() {
        return new Attempts();
    }

    /** The attempts of one retry loop. Not thread-safe. */
    public final class Attempts {

        private int attempt;

        private Attempts() {}

        /** The wait before the next retry. */
        public Duration next() {
            attempt = Math.min(attempt + 1, 64);
            return delay(attempt);
        }
    }

    @Override
    public String toString() {
        return "Backoff[" + initial + " doubling to " + max + ", +-50%]";
    }
}
