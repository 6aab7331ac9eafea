package dev.tideline.processor.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideline.processor.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoggedProgressTest {

    private final MutableClock clock = new MutableClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<String> lines = new ArrayList<>();
    private final LoggedProgress progress = new LoggedProgress(registry, clock, lines::add);

    @Test
    void readingTellsObjectsMegabytesRateAndTimeLeftAtMostEveryFewSeconds() {
        progress.reading("read the archive", 4, 8_000_000);
        assertThat(lines).containsExactly("Step: read the archive: 4 objects, 8.0 MB");

        clock.advance(Duration.ofSeconds(4));
        progress.read(2_000_000);
        clock.advance(Duration.ofSeconds(1));
        progress.read(2_000_000);
        assertThat(lines)
                .as("the second object within the interval is not told")
                .containsExactly(
                        "Step: read the archive: 4 objects, 8.0 MB",
                        "read the archive: 1 of 4 objects, 2.0 of 8.0 MB, 0.5 MB/s, 12 s left");
        assertThat(gauge("tideline.rebuild.objects.read")).isEqualTo(2);
        assertThat(gauge("tideline.rebuild.bytes.read")).isEqualTo(4_000_000);
        assertThat(gauge("tideline.rebuild.bytes.total")).isEqualTo(8_000_000);
        assertThat(gauge("tideline.rebuild.objects.total")).isEqualTo(4);

        progress.folding(1_234_567);
        assertThat(lines).last().isEqualTo("Folding 1,234,567 archived records");
        assertThat(gauge("tideline.rebuild.records.folded")).isEqualTo(1_234_567);
    }

    @Test
    void theLastObjectIsToldAtOnceAndOnlyOnce() {
        progress.reading("read the archive", 2, 3_000_000);
        clock.advance(Duration.ofSeconds(1));
        progress.read(1_000_000);
        clock.advance(Duration.ofSeconds(1));
        progress.read(2_000_000);
        clock.advance(Duration.ofSeconds(5));
        progress.folding(40);
        progress.step("fold and write the items");
        assertThat(lines)
                .containsExactly(
                        "Step: read the archive: 2 objects, 3.0 MB",
                        "read the archive: 2 of 2 objects, 3.0 of 3.0 MB, 1.5 MB/s, 0 s left",
                        "Folding 40 archived records",
                        "Step: fold and write the items");
    }

    @Test
    void writingTellsTheItemsAndTheirRate() {
        assertThat(gauge("tideline.rebuild.items.written")).isEqualTo(-1);
        progress.step("fold and write the items");
        clock.advance(Duration.ofSeconds(4));
        progress.wrote(10_000);
        clock.advance(Duration.ofSeconds(1));
        progress.wrote(2_500);
        progress.step("catch up with generation 1");
        assertThat(lines)
                .containsExactly(
                        "Step: fold and write the items",
                        "fold and write the items: 10,000 items written, 2,500 items/s",
                        "fold and write the items: 12,500 items written, 2,500 items/s",
                        "Step: catch up with generation 1");
        assertThat(gauge("tideline.rebuild.items.written")).isEqualTo(12_500);
    }

    @Test
    void catchingUpTellsTheShardsReachedWhenTheirNumberChanges() {
        progress.step("fold and write the items");
        progress.wrote(10);
        progress.step("catch up with generation 1");
        progress.caughtUp(1, 4);
        clock.advance(Duration.ofSeconds(4));
        progress.caughtUp(1, 4);
        progress.caughtUp(2, 4);
        clock.advance(Duration.ofSeconds(4));
        progress.caughtUp(2, 4);
        clock.advance(Duration.ofSeconds(1));
        progress.caughtUp(4, 4);
        progress.say("Switched to generation 2");
        assertThat(lines)
                .containsExactly(
                        "Step: fold and write the items",
                        "fold and write the items: 10 items written, 10,000 items/s",
                        "Step: catch up with generation 1",
                        "catch up with generation 1: 1 of 4 shards reached",
                        "catch up with generation 1: 2 of 4 shards reached",
                        "catch up with generation 1: 4 of 4 shards reached",
                        "Switched to generation 2");
        assertThat(gauge("tideline.rebuild.shards.reached")).isEqualTo(4);
        assertThat(gauge("tideline.rebuild.shards.total")).isEqualTo(4);
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }
}
