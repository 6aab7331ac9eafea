package dev.tideline.archiver.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DedupeWindowTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    @Test
    void anIdIsAPreviousEventsOnlyWithinTheWindowBeforeTheNewArrival() {
        DedupeWindow window = new DedupeWindow(Duration.ofMinutes(15), 1_000);
        window.add("a", T0);

        assertThat(window.contains("a", T0.plus(Duration.ofMinutes(15)))).isTrue();
        assertThat(window.contains("a", T0.plus(Duration.ofMinutes(16)))).isFalse();
        assertThat(window.contains("b", T0)).isFalse();
    }

    @Test
    void letsGoOfIdsOlderThanTheWindowAndBeyondItsSize() {
        DedupeWindow window = new DedupeWindow(Duration.ofMinutes(15), 3);
        window.add("a", T0);
        window.add("b", T0.plus(Duration.ofMinutes(20)));
        assertThat(window.size()).isEqualTo(1);

        window.add("c", T0.plus(Duration.ofMinutes(21)));
        window.add("d", T0.plus(Duration.ofMinutes(22)));
        window.add("e", T0.plus(Duration.ofMinutes(23)));

        assertThat(window.size()).isEqualTo(3);
        assertThat(window.contains("b", T0.plus(Duration.ofMinutes(23)))).isFalse();
        assertThat(window.contains("e", T0.plus(Duration.ofMinutes(23)))).isTrue();
    }
}
