package dev.tideline.processor.config;

import dev.tideline.processor.rebuild.Progress;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rebuild's progress in the log, at most every few seconds per step (done, rate, time left), and
 * as the gauges {@code tideline.rebuild.done} and {@code tideline.rebuild.total} (of the running step).
 */
final class LoggedProgress implements Progress {

    private static final Logger log = LoggerFactory.getLogger("dev.tideline.rebuild");
    private static final Duration EVERY = Duration.ofSeconds(3);

    private final Clock clock;
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong total = new AtomicLong(-1);
    private volatile String step = "";
    private volatile Instant started = Instant.EPOCH;
    private volatile Instant told = Instant.EPOCH;

    LoggedProgress(MeterRegistry registry, Clock clock) {
        this.clock = clock;
        Gauge.builder("tideline.rebuild.done", done, AtomicLong::get)
                .description("work done in the rebuild's running step: bytes read, then items written")
                .register(registry);
        Gauge.builder("tideline.rebuild.total", total, AtomicLong::get)
                .description("the running step's work, when known; -1 when not")
                .register(registry);
    }

    @Override
    public void step(String name, long total) {
        tell(true);
        step = name;
        done.set(0);
        this.total.set(total);
        started = clock.instant();
        log.info("Step: {}{}", name, total >= 0 ? " (" + total + " bytes)" : "");
    }

    @Override
    public void advance(long amount) {
        done.addAndGet(amount);
        tell(false);
    }

    @Override
    public void say(String line) {
        log.info(line);
    }

    private void tell(boolean last) {
        Instant now = clock.instant();
        if (step.isEmpty() || (!last && now.isBefore(told.plus(EVERY)))) {
            return;
        }
        told = now;
        long d = done.get();
        long t = total.get();
        double seconds = Math.max(0.001, Duration.between(started, now).toMillis() / 1000.0);
        double rate = d / seconds;
        String left = t > 0 && rate > 0 ? String.format(", %.0f s left", (t - d) / rate) : "";
        log.info("{}: {}{} done, {}/s{}", step, d, t >= 0 ? " of " + t : "", String.format("%.0f", rate), left);
    }
}
