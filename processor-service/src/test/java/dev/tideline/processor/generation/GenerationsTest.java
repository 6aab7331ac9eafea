package dev.tideline.processor.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tideline.model.retry.Backoff;
import dev.tideline.processor.MutableClock;
import dev.tideline.processor.apply.ApplySettings;
import dev.tideline.processor.apply.DedupeSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GenerationsTest {

    private static final ApplySettings BASE = new ApplySettings(
            Duration.ofMinutes(30), 256, new DedupeSettings(Duration.ofMinutes(15), 100), 10, Backoff.DEFAULT);

    @Test
    void generationOneKeepsTheProvisionedNamesAndLaterOnesAreSuffixed() {
        assertThat(Generation.FIRST.table("tideline-aggregates")).isEqualTo("tideline-aggregates");
        assertThat(Generation.FIRST.application("tideline-processor")).isEqualTo("tideline-processor");
        assertThat(Generation.FIRST.next().table("tideline-aggregates")).isEqualTo("tideline-aggregates-g2");
        assertThat(new Generation(7).application("tideline-processor")).isEqualTo("tideline-processor-g7");
        assertThatThrownBy(() -> new Generation(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aGenerationIsKeptByItsOwnRulesAndAFirstGenerationByTheConfiguredOnes() {
        Rules rules = new Rules(Duration.ofMinutes(5), 12);
        assertThat(Rules.decode(rules.encode())).isEqualTo(rules);
        Pointer rebuilt = new Pointer(new Generation(2), rules, null, Generation.FIRST, null);
        assertThat(rebuilt.settings(BASE).sessionGap()).isEqualTo(Duration.ofMinutes(5));
        assertThat(rebuilt.settings(BASE).maxEventTypes()).isEqualTo(12);
        assertThat(rebuilt.settings(BASE).dedupe()).isEqualTo(BASE.dedupe());
        assertThat(Pointer.INITIAL.settings(BASE)).isEqualTo(BASE);
    }

    @Test
    void queriesReadThePointerAtMostOncePerRefresh() {
        MutableClock clock = new MutableClock();
        Pointers pointers = new Pointers();
        GenerationStores stores = new GenerationStores(pointers, g -> null, Duration.ofSeconds(5), clock);
        assertThat(stores.current()).isEqualTo(Generation.FIRST);
        pointers.current = new Generation(2);
        clock.advance(Duration.ofSeconds(4));
        assertThat(stores.current()).isEqualTo(Generation.FIRST);
        clock.advance(Duration.ofSeconds(1));
        assertThat(stores.current()).isEqualTo(new Generation(2));
        assertThat(pointers.reads).isEqualTo(2);
    }

    @Test
    void theWatchMovesTheConsumerWhenThePointerMovesAndDeletesThePreviousGenerationWhenItsTimeIsUp() {
        MutableClock clock = new MutableClock();
        Pointers pointers = new Pointers();
        List<String> restarts = new ArrayList<>();
        GenerationWatch watch = new GenerationWatch(pointers, () -> restarts.add("restart"), clock);
        assertThat(watch.running()).isEqualTo(Generation.FIRST);
        assertThat(watch.starting()).isEqualTo(Generation.FIRST);
        watch.check();
        assertThat(restarts).isEmpty();

        pointers.current = new Generation(2);
        pointers.previous = Generation.FIRST;
        pointers.deleteAfter = clock.instant();
        watch.check();
        assertThat(restarts).hasSize(1);
        assertThat(pointers.deleted)
                .as("the first generation's tables hold the pointer")
                .isEmpty();
        assertThat(pointers.previous).isNull();

        assertThat(watch.starting()).isEqualTo(new Generation(2));
        pointers.current = new Generation(3);
        pointers.previous = new Generation(2);
        pointers.deleteAfter = clock.instant().plusSeconds(60);
        watch.check();
        assertThat(restarts).hasSize(2);
        assertThat(pointers.deleted).isEmpty();
        clock.advance(Duration.ofSeconds(60));
        watch.check();
        assertThat(pointers.deleted).containsExactly(new Generation(2));
        assertThat(pointers.previous).isNull();
        watch.close();
    }

    /** A pointer in memory. */
    private static final class Pointers implements Generations {
        Generation current = Generation.FIRST;
        Generation previous;
        Instant deleteAfter;
        int reads;
        final List<Generation> deleted = new ArrayList<>();

        @Override
        public Pointer read() {
            reads++;
            return new Pointer(current, null, null, previous, deleteAfter);
        }

        @Override
        public boolean begin(Generation current, Generation next, String plan, Rules rules) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean loaded(Generation building) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean switchTo(Generation current, Generation next, Instant deleteAfter) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean abandon(Generation building) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean forget(Generation previous) {
            this.previous = null;
            this.deleteAfter = null;
            return true;
        }

        @Override
        public void createTable(Generation generation) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void delete(Generation generation) {
            deleted.add(generation);
        }
    }
}
