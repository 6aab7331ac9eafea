package dev.tideline.console.collect;

import dev.tideline.console.collect.Snapshot.ConsumerView;
import dev.tideline.console.collect.Snapshot.IngestView;
import dev.tideline.console.collect.Snapshot.Listing;
import dev.tideline.console.collect.Snapshot.ShardRow;
import dev.tideline.console.collect.Snapshot.StreamView;
import dev.tideline.console.config.ConsoleProperties;
import dev.tideline.model.metrics.Meters;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every source once per refresh, on one thread of its own whether or not a page is open (so that
 * the plots have their history), and keeps the last {@link Snapshot}. A source that fails is named in
 * the snapshot and read again at the next refresh; the collector itself never stops.
 */
public final class Collector implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Collector.class);

    /** Rows kept of dead letters and of {@code errors/} objects. */
    static final int REJECTS_SHOWN = 20;

    private final ConsoleProperties p;
    private final StreamApi stream;
    private final Rejects rejects;
    private final Tail tail;
    private final Clock clock;
    private final History history;
    private final ConsumerReader consumers;
    private final IngestReader ingest;
    private final List<ConsumerReader.Spec> specs;
    private final Leases leases;
    private int generation = 1;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "console-refresh");
        t.setDaemon(true);
        return t;
    });

    private volatile @Nullable Snapshot last;
    private volatile long refreshes;
    private volatile long refreshNanos;
    private long lastTailMillis;
    private Listing<Rejects.DeadLetter> deadLetters = new Listing<>(List.of(), null, null);
    private Listing<Rejects.ErrorObject> errorObjects = new Listing<>(List.of(), null, null);

    public Collector(
            ConsoleProperties p,
            StreamApi stream,
            Leases leases,
            Rejects rejects,
            Scraper scraper,
            Tail tail,
            Clock clock) {
        this.p = p;
        this.stream = stream;
        this.rejects = rejects;
        this.tail = tail;
        this.clock = clock;
        this.history = new History(p.historyPoints());
        this.consumers = new ConsumerReader(p.stream(), stream, leases, scraper, p.leaseExpiry());
        this.leases = leases;
        this.ingest = new IngestReader(p.ingest(), p.ingestBufferLimit().toBytes(), scraper);
        this.specs = specs(p);
    }

    /** Refreshes now and then every {@code tideline.console.refresh}. */
    public void start() {
        thread.scheduleWithFixedDelay(this::refreshQuietly, 0, p.refresh().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    /** The last snapshot; null until the first refresh has finished. */
    public @Nullable Snapshot last() {
        return last;
    }

    public History history() {
        return history;
    }

    public Tail tail() {
        return tail;
    }

    /** Refreshes finished or failed so far. */
    public long refreshes() {
        return refreshes;
    }

    /** The time all refreshes so far took, in nanoseconds: what a refresh costs, divided by {@link #refreshes}. */
    public long refreshNanos() {
        return refreshNanos;
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            // A source's failure is caught where it is read; this is a bug, and the next refresh runs anyway.
            log.error("A refresh of the console failed", e);
        }
    }

    /** One refresh: every source read once. */
    synchronized Snapshot refresh() {
        long start = System.nanoTime();
        try {
            return read();
        } finally {
            refreshNanos += System.nanoTime() - start;
        }
    }

    private Snapshot read() {
        Instant now = clock.instant();
        boolean slow = refreshes++ % p.slowEvery() == 0;

        List<StreamApi.ShardInfo> shards = List.of();
        String streamError = null;
        try {
            shards = stream.shards(p.stream());
        } catch (RuntimeException e) {
            streamError = "the stream " + p.stream() + " cannot be listed: " + Failures.describe(e);
        }
        StreamView streamView = streamView(shards, streamError, now);

        generation = currentGeneration();
        List<ConsumerView> consumers = new ArrayList<>();
        for (ConsumerReader.Spec spec : specs) {
            consumers.add(this.consumers.read(spec.ofGeneration(generation), shards, streamError, now, slow));
        }
        IngestView ingest = this.ingest.read(now);
        if (slow) {
            readRejects(shards, now);
        }

        Snapshot snapshot = new Snapshot(
                now,
                p.refresh().toMillis(),
                p.dashboardUrl(),
                streamView,
                List.copyOf(consumers),
                ingest,
                deadLetters,
                errorObjects,
                point(now, consumers, streamView, ingest),
                consumers.stream().allMatch(ConsumerView::healthy));
        history.add(snapshot.point());
        last = snapshot;
        return snapshot;
    }

    /**
     * The generation of the aggregates the processor keeps, after a rebuild switched to another
     * (whose lease table is then the processor's); the last one read when the pointer cannot be.
     */
    private int currentGeneration() {
        try {
            return leases.currentGeneration(p.aggregatesTable());
        } catch (RuntimeException e) {
            log.warn("The generation pointer in {} cannot be read: {}", p.aggregatesTable(), Failures.describe(e));
            return generation;
        }
    }

    /** The processor, and the archiver unless Firehose archives: the first is the processor. */
    private static List<ConsumerReader.Spec> specs(ConsoleProperties p) {
        List<ConsumerReader.Spec> specs = new ArrayList<>();
        specs.add(new ConsumerReader.Spec(
                "processor",
                p.processorApplication(),
                "lag",
                Prometheus.name(Meters.PROCESSOR_LAG, "_seconds"),
                Meters.PROCESSOR_MILLIS_BEHIND_LATEST,
                Meters.PROCESSOR_ITERATOR_AGE,
                p.processor(),
                p.processorLagThreshold()));
        if (p.hasArchiver()) {
            specs.add(new ConsumerReader.Spec(
                    "archiver",
                    p.archiverApplication(),
                    "freshness",
                    Prometheus.name(Meters.ARCHIVER_FRESHNESS, "_seconds"),
                    Meters.ARCHIVER_MILLIS_BEHIND_LATEST,
                    Meters.ARCHIVER_ITERATOR_AGE,
                    p.archiver(),
                    p.archiverFreshnessThreshold()));
        }
        return List.copyOf(specs);
    }

    private StreamView streamView(List<StreamApi.ShardInfo> shards, @Nullable String error, Instant now) {
        if (error != null) {
            return new StreamView(p.stream(), error, shards, null, null);
        }
        List<String> open = shards.stream()
                .filter(StreamApi.ShardInfo::open)
                .map(StreamApi.ShardInfo::shardId)
                .toList();
        try {
            Tail.Read read = tail.read(open);
            long then = lastTailMillis;
            lastTailMillis = now.toEpochMilli();
            if (then == 0 || now.toEpochMilli() <= then) {
                return new StreamView(p.stream(), null, shards, null, null);
            }
            double seconds = (now.toEpochMilli() - then) / 1000.0;
            return new StreamView(p.stream(), null, shards, read.events() / seconds, read.bytes() / seconds);
        } catch (RuntimeException e) {
            lastTailMillis = 0;
            return new StreamView(
                    p.stream(), "the stream's tip cannot be read: " + Failures.describe(e), shards, null, null);
        }
    }

    private void readRejects(List<StreamApi.ShardInfo> shards, Instant now) {
        List<String> ids = shards.stream().map(StreamApi.ShardInfo::shardId).toList();
        try {
            deadLetters = new Listing<>(rejects.deadLetters(p.aggregatesTable(), ids, REJECTS_SHOWN), null, now);
        } catch (RuntimeException e) {
            deadLetters = new Listing<>(
                    deadLetters.items(),
                    "the dead letters in " + p.aggregatesTable() + " cannot be read: " + Failures.describe(e),
                    deadLetters.readAt());
        }
        if (p.bucket().isBlank()) {
            errorObjects = new Listing<>(List.of(), "no archive bucket is watched (the Firehose cold path)", now);
            return;
        }
        try {
            errorObjects = new Listing<>(rejects.errorObjects(p.bucket(), REJECTS_SHOWN), null, now);
        } catch (RuntimeException e) {
            errorObjects = new Listing<>(
                    errorObjects.items(),
                    "errors/ in the bucket " + p.bucket() + " cannot be listed: " + Failures.describe(e),
                    errorObjects.readAt());
        }
    }

    private static History.Point point(
            Instant now, List<ConsumerView> consumers, StreamView stream, IngestView ingest) {
        ConsumerView processor = consumers.get(0);
        ConsumerView archiver = consumers.size() > 1 ? consumers.get(1) : null;
        return new History.Point(
                now.getEpochSecond(),
                processor.valueMillis(),
                largest(processor, ShardRow::checkpointAgeMillis),
                archiver == null ? null : largest(archiver, ShardRow::iteratorAgeMillis),
                archiver == null ? null : largest(archiver, ShardRow::checkpointAgeMillis),
                archiver == null ? null : archiver.valueMillis(),
                stream.eventsPerSecond(),
                ingest.acceptedPerSecond());
    }

    private static @Nullable Long largest(ConsumerView c, java.util.function.Function<ShardRow, @Nullable Long> f) {
        return c.shards().stream()
                .map(f)
                .filter(java.util.Objects::nonNull)
                .max(Comparator.naturalOrder())
                .orElse(null);
    }
}
