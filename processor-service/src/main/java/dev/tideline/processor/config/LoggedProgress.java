package dev.tideline.processor.config;

import dev.tideline.processor.rebuild.Progress;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A rebuild's progress as lines, at most every few seconds per step: objects and megabytes read
 * with the rate and the time left, then the records folded and the items written with their rate,
 * then the shards in which the new generation has caught up with the live one.
 * The same as gauges: {@code tideline.rebuild.objects.read}, {@code tideline.rebuild.objects.total},
 * {@code tideline.rebuild.bytes.read}, {@code tideline.rebuild.bytes.total},
 * {@code tideline.rebuild.records.folded}, {@code tideline.rebuild.items.written},
 * {@code tideline.rebuild.shards.reached} and {@code tideline.rebuild.shards.total} (-1 while not
 * known).
 */
final class LoggedProgress implements Progress {

    private static final Duration EVERY = Duration.ofSeconds(3);

    private final Consumer<String> lines;
    private final Clock clock;
    private final AtomicLong objects = new AtomicLong(-1);
    private final AtomicLong objectsRead = new AtomicLong(-1);
    private final AtomicLong bytes = new AtomicLong(-1);
    private final AtomicLong bytesRead = new AtomicLong(-1);
    private final AtomicLong records = new AtomicLong(-1);
    private final AtomicLong items = new AtomicLong(-1);
    private final AtomicLong shardsReached = new AtomicLong(-1);
    private final AtomicLong shards = new AtomicLong(-1);
    private volatile String step = "";
    private volatile boolean reading;
    private volatile boolean catchingUp;
    /** The running step's last line is told: it has nothing more to tell until it does more. */
    private volatile boolean told;

    private volatile Instant started = Instant.EPOCH;
    private volatile Instant toldAt = Instant.EPOCH;

    LoggedProgress(MeterRegistry registry, Clock clock, Consumer<String> lines) {
        this.clock = clock;
        this.lines = lines;
        gauge(registry, "tideline.rebuild.objects.read", objectsRead, "archive objects read");
        gauge(registry, "tideline.rebuild.objects.total", objects, "archive objects to read");
        gauge(registry, "tideline.rebuild.bytes.read", bytesRead, "bytes of the archive read");
        gauge(registry, "tideline.rebuild.bytes.total", bytes, "bytes of the archive to read");
        gauge(registry, "tideline.rebuild.records.folded", records, "archived records the fold reads");
        gauge(registry, "tideline.rebuild.items.written", items, "items of the new generation written");
        gauge(registry, "tideline.rebuild.shards.reached", shardsReached, "shards the new generation caught up in");
        gauge(registry, "tideline.rebuild.shards.total", shards, "shards the new generation catches up in");
    }

    private static void gauge(MeterRegistry registry, String name, AtomicLong value, String description) {
        Gauge.builder(name, value, AtomicLong::get)
                .description(description + "; -1 while not known")
                .register(registry);
    }

    @Override
    public void reading(String name, int objects, long bytes) {
        begin(name, true);
        this.objects.set(objects);
        this.bytes.set(bytes);
        objectsRead.set(0);
        bytesRead.set(0);
        lines.accept("Step: " + name + ": " + Progress.amount(objects, "object") + ", " + megabytes(bytes));
    }

    @Override
    public void read(long bytes) {
        boolean last = objectsRead.incrementAndGet() == objects.get();
        bytesRead.addAndGet(bytes);
        told = false;
        tell(last);
    }

    @Override
    public void folding(long records) {
        tell(true);
        this.records.set(records);
        lines.accept("Folding " + Progress.amount(records, "archived record"));
    }

    @Override
    public void step(String name) {
        begin(name, false);
        lines.accept("Step: " + name);
    }

    @Override
    public void wrote(long items) {
        this.items.accumulateAndGet(items, (was, more) -> Math.max(was, 0) + more);
        told = false;
        tell(false);
    }

    @Override
    public void caughtUp(int reached, int shards) {
        catchingUp = true;
        long was = shardsReached.getAndSet(reached);
        this.shards.set(shards);
        if (was != reached) {
            told = false;
        }
        tell(reached == shards);
    }

    @Override
    public void say(String line) {
        lines.accept(line);
    }

    private void begin(String name, boolean reads) {
        tell(true);
        step = name;
        reading = reads;
        catchingUp = false;
        started = clock.instant();
        toldAt = started;
        told = true;
    }

    private void tell(boolean last) {
        Instant now = clock.instant();
        if (step.isEmpty() || told || (!last && now.isBefore(toldAt.plus(EVERY)))) {
            return;
        }
        toldAt = now;
        told = true;
        double seconds = Math.max(0.001, Duration.between(started, now).toMillis() / 1000.0);
        if (reading) {
            long done = bytesRead.get();
            long total = bytes.get();
            double rate = done / seconds;
            String left = rate > 0 ? String.format(Locale.ROOT, ", %.0f s left", (total - done) / rate) : "";
            lines.accept(step + ": " + count(objectsRead.get()) + " of " + Progress.amount(objects.get(), "object")
                    + ", "
                    + String.format(Locale.ROOT, "%.1f of %s, %.1f MB/s", done / 1e6, megabytes(total), rate / 1e6)
                    + left);
        } else if (catchingUp) {
            lines.accept(step + ": " + count(shardsReached.get()) + " of " + Progress.amount(shards.get(), "shard")
                    + " reached");
        } else if (items.get() > 0) {
            long done = items.get();
            lines.accept(step + ": " + Progress.amount(done, "item") + " written, "
                    + String.format(Locale.ROOT, "%,.0f", done / seconds) + " items/s");
        }
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
