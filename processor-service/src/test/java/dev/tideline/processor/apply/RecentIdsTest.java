package dev.tideline.processor.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecentIdsTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    private static final DedupeSettings FIFTEEN_MINUTES_OR_100 = new DedupeSettings(Duration.ofMinutes(15), 100);

    @Test
    void holdsTheLastHundredIdsOfABusyUser() {
        RecentIds ids = RecentIds.empty();
        for (int i = 0; i < 250; i++) {
            ids = ids.with("e" + i, T0.plusSeconds(i), FIFTEEN_MINUTES_OR_100);
        }

        assertThat(ids.size()).isEqualTo(100);
        assertThat(ids.contains("e249")).isTrue();
        assertThat(ids.contains("e150")).isTrue();
        assertThat(ids.contains("e149")).isFalse();
    }

    @Test
    void holdsTheLastFifteenMinutesOfAQuietUser() {
        RecentIds ids = RecentIds.empty()
                .with("old", T0, FIFTEEN_MINUTES_OR_100)
                .with("recent", T0.plus(Duration.ofMinutes(10)), FIFTEEN_MINUTES_OR_100)
                .with("now", T0.plus(Duration.ofMinutes(16)), FIFTEEN_MINUTES_OR_100);

        assertThat(ids.contains("old")).isFalse();
        assertThat(ids.contains("recent")).isTrue();
        assertThat(ids.contains("now")).isTrue();
    }

    @Test
    void survivesItsBytes() {
        RecentIds ids = RecentIds.empty()
                .with("a", T0, FIFTEEN_MINUTES_OR_100)
                .with("b", T0.plusSeconds(5), FIFTEEN_MINUTES_OR_100);

        RecentIds read = RecentIds.fromBytes(ids.toBytes());

        assertThat(read).isEqualTo(ids);
        assertThat(ids.toBytes()).hasSize(2 * RecentIds.ENTRY_BYTES);
        assertThat(read.contains("b")).isTrue();
        assertThat(read.contains("c")).isFalse();
    }
}
