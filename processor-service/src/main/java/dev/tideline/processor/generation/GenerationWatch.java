package dev.tideline.processor.generation;

import dev.tideline.processor.apply.ApplySettings;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a worker's consumer on the current generation: the consumer reads which one when it starts
 * ({@link #starting()}), and when the pointer moves, the watch restarts it, so that it stops on the
 * old generation's lease table (each shard finishes its batch and checkpoints) and starts on the
 * new one's. It also deletes the previous generation once its time is up, if it was not kept.
 */
public final class GenerationWatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GenerationWatch.class);

    private final Generations generations;
    private final Runnable restartConsumer;
    private final Clock clock;
    private final AtomicReference<@Nullable Pointer> running = new AtomicReference<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "generation-watch");
        t.setDaemon(true);
        return t;
    });

    public GenerationWatch(Generations generations, Runnable restartConsumer, Clock clock) {
        this.generations = generations;
        this.restartConsumer = restartConsumer;
        this.clock = clock;
    }

    /** Called as the consumer starts: the generation it keeps until it is restarted. */
    public Generation starting() {
        Pointer pointer = generations.read();
        Pointer before = running.getAndSet(pointer);
        if (before == null || !pointer.current().equals(before.current())) {
            log.info("The consumer keeps {}", pointer.current());
        }
        return pointer.current();
    }

    /** The generation the consumer keeps; the first before it started. */
    public Generation running() {
        Pointer p = running.get();
        return p == null ? Generation.FIRST : p.current();
    }

    /** The settings the consumer's generation is kept by: {@code base} with the generation's rules. */
    public ApplySettings settings(ApplySettings base) {
        Pointer p = running.get();
        return p == null ? base : p.settings(base);
    }

    public void start(Duration every) {
        timer.scheduleWithFixedDelay(this::check, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One look at the pointer. */
    void check() {
        try {
            Pointer pointer = generations.read();
            Pointer kept = running.get();
            if (kept != null && !kept.current().equals(pointer.current())) {
                log.info("{} is current now: the consumer moves to it from {}", pointer.current(), kept.current());
                restartConsumer.run();
            }
            Generation previous = pointer.previous();
            if (previous != null
                    && pointer.deleteAfter() != null
                    && !clock.instant().isBefore(pointer.deleteAfter())) {
                if (!previous.equals(Generation.FIRST)) {
                    generations.delete(previous);
                }
                generations.forget(previous);
            }
        } catch (RuntimeException e) {
            log.warn("The generation pointer could not be checked; trying again later: {}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
