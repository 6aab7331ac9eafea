package dev.tideline.processor.rebuild;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void amountsAreCountedWithTheirNoun() {
        assertThat(Progress.amount(1, "object")).isEqualTo("1 object");
        assertThat(Progress.amount(0, "item")).isEqualTo("0 items");
        assertThat(Progress.amount(7_679, "archived record")).isEqualTo("7,679 archived records");
    }

    @Test
    void durationsAreToldInTheirLargestWholeUnit() {
        assertThat(Progress.duration(Duration.ofHours(1))).isEqualTo("1h");
        assertThat(Progress.duration(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(Progress.duration(Duration.ofDays(7))).isEqualTo("7d");
        assertThat(Progress.duration(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(Progress.duration(Duration.ofMillis(1_500))).isEqualTo("1500ms");
        assertThat(Progress.duration(Duration.ZERO)).isEqualTo("0s");
    }
}
