package dev.tideline.model.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

    @Test
    void theWaitDoublesWithinHalfEitherWay() {
        for (int attempt = 1; attempt <= 5; attempt++) {
            long base = 100L << (attempt - 1);
            for (int i = 0; i < 200; i++) {
                long wait = backoff.delay(attempt).toMillis();
                assertThat(wait).as("attempt %d", attempt).isBetween(base / 2, base * 3 / 2);
            }
        }
    }

    @Test
    void theWaitIsCappedAndStaysRandom() {
        Set<Long> seen = new HashSet<>();
        Backoff.Attempts attempts = backoff.attempts();
        for (int i = 0; i < 100; i++) {
            long wait = attempts.next().toMillis();
            assertThat(wait).isBetween(50L, 7_500L);
            if (i > 20) {
                seen.add(wait);
            }
        }
        assertThat(seen)
                .as("waits past the cap still differ, so that workers spread out")
                .hasSizeGreaterThan(10);
    }

    @Test
    void aBackoffWithoutAStartOrWithACapBelowItIsRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> backoff.delay(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
