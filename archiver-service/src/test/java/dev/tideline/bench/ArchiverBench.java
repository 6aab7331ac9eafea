package dev.tideline.bench;

import dev.tideline.archiver.archive.ArchiverSettings;
import dev.tideline.archiver.archive.ObjectCounter;
import dev.tideline.archiver.archive.ShardArchiver;
import dev.tideline.archiver.parquet.ArchivedRecord;
import dev.tideline.archiver.parquet.ParquetFile;
import dev.tideline.archiver.parquet.RowGroupBudget;
import dev.tideline.archiver.store.ArchiveObjects;
import dev.tideline.localaws.Endpoints;
import dev.tideline.localaws.LocalAwsClients;
import dev.tideline.localaws.LocalAwsStack;
import dev.tideline.localaws.Provisioner;
import dev.tideline.model.event.ClickEvent;
import dev.tideline.model.event.ClickEventCodec;
import dev.tideline.model.names.ResourceNames;
import dev.tideline.model.shard.Position;
import dev.tideline.model.shard.StreamRecord;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code ./tideline bench archiver}, in one run:
 *
 * <ol>
 *   <li>the Parquet writer alone on one thread: rows/s, and CPU per row;
 *   <li>Parquet bytes against the JSON bytes of the same events;
 *   <li>one shard's archiving at Firehose's default hints (64 MiB, 300 s) into the embedded S3:
 *       rows/s from records to durable objects, and S3 requests per million events.
 * </ol>
 *
 * Options: {@code -Dbench.rows=500000}.
 */
public final class ArchiverBench {

    private ArchiverBench() {}

    public static void main(String[] args) throws Exception {
        int rows = Integer.getInteger("bench.rows", 500_000);
        List<ClickEvent> events = events(rows);
        ClickEventCodec codec = new ClickEventCodec();
        long jsonBytes = 0;
        List<byte[]> json = new ArrayList<>(rows);
        List<String> users = new ArrayList<>(rows);
        for (ClickEvent e : events) {
            users.add(e.userId());
            byte[] bytes = codec.write(e);
            json.add(bytes);
            jsonBytes += bytes.length;
        }
        System.out.printf(
                "Archiver benchmark: %,d events, %,.0f bytes of JSON each on average%n",
                rows, (double) jsonBytes / rows);
        Path dir = Files.createTempDirectory("tideline-bench");

        writer(events, dir.resolve("warm-up.parquet"), Math.min(rows, 200_000), ParquetFile.Codec.ZSTD);
        for (ParquetFile.Codec c : ParquetFile.Codec.values()) {
            Path file = dir.resolve(c + ".parquet");
            long cpu = cpuNanos();
            long started = System.nanoTime();
            long size = writer(events, file, rows, c);
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(
                    "Parquet writer %-6s %,9.0f rows/s on one thread, %5.2f us CPU per row; %,d bytes = %4.1f%% of the JSON (target: 200,000 rows/s, at most 20%%)%n",
                    c, rows / seconds, (cpuNanos() - cpu) / 1e3 / rows, size, 100.0 * size / jsonBytes);
            Files.delete(file);
        }

        long unshared = openFilesHeap(events, dir, null);
        long shared = openFilesHeap(events, dir, new RowGroupBudget(64L << 20));
        System.out.printf(
                "Heap held by %d open Parquet files of %,d rows each: %,d MiB with 8 MiB row groups each, %,d MiB sharing a 64 MiB budget%n",
                OPEN_FILES, ROWS_PER_OPEN_FILE, unshared >> 20, shared >> 20);

        try (LocalAwsStack stack = LocalAwsStack.startOnFreePorts(null)) {
            ResourceNames names = ResourceNames.DEFAULT.withSuffix("bench");
            new Provisioner(new LocalAwsClients(stack.endpoints())).provision(names, ResourceNames.LOCAL_SHARDS);
            AtomicLong requests = new AtomicLong();
            try (S3Client s3 = S3Client.builder()
                    .endpointOverride(stack.endpoints().s3())
                    .region(Endpoints.REGION)
                    .credentialsProvider(Endpoints.credentials())
                    .forcePathStyle(true)
                    .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                        @Override
                        public void beforeTransmission(Context.BeforeTransmission c, ExecutionAttributes a) {
                            requests.incrementAndGet();
                        }
                    }))
                    .build()) {
                ObjectCounter objects = new ObjectCounter();
                ShardArchiver archiver = new ShardArchiver(
                        "shardId-000000000000",
                        new ArchiveObjects(s3, names.bucket()),
                        new ArchiverSettings(64L << 20, Duration.ofSeconds(300), ParquetFile.Codec.ZSTD, dir),
                        objects,
                        Clock.systemUTC(),
                        () -> false);
                List<StreamRecord> incoming = new ArrayList<>(rows);
                Instant arrival = Instant.now()
                        .truncatedTo(java.time.temporal.ChronoUnit.HOURS)
                        .plusSeconds(60);
                for (int i = 0; i < rows; i++) {
                    incoming.add(new StreamRecord(
                            Position.of(Long.toString(1_000_000_000L + i * 10L), 0),
                            users.get(i),
                            json.get(i),
                            arrival));
                }
                long started = System.nanoTime();
                for (int from = 0; from < rows; from += 10_000) {
                    archiver.add(incoming.subList(from, Math.min(rows, from + 10_000)));
                }
                archiver.flush();
                double seconds = (System.nanoTime() - started) / 1e9;
                System.out.printf(
                        "One shard to durable objects at default hints: %,.0f rows/s, %d objects, %.1f S3 requests per million events (target at most 50)%n",
                        rows / seconds, objects.objects(), requests.get() * 1_000_000.0 / rows);
                freshness(s3, names, dir, json, users);
            }
        }
    }

    /**
     * A steady 1,000 events/s for 30 s into one shard with the local profile's 5 s interval: how old
     * the oldest record not yet in a durable object is, sampled every 100 ms.
     */
    private static void freshness(S3Client s3, ResourceNames names, Path dir, List<byte[]> json, List<String> users)
            throws InterruptedException {
        ShardArchiver archiver = new ShardArchiver(
                "shardId-000000000001",
                new ArchiveObjects(s3, names.bucket()),
                new ArchiverSettings(64L << 20, Duration.ofSeconds(5), ParquetFile.Codec.ZSTD, dir),
                new ObjectCounter(),
                Clock.systemUTC(),
                () -> false);
        List<Long> samples = new ArrayList<>();
        long sequence = 5_000_000_000L;
        int next = 0;
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < end) {
            long tick = System.nanoTime();
            List<StreamRecord> batch = new ArrayList<>(100);
            Instant now = Instant.now();
            for (int i = 0; i < 100; i++) {
                sequence += 10;
                int at = next++ % json.size();
                batch.add(new StreamRecord(Position.of(Long.toString(sequence), 0), users.get(at), json.get(at), now));
            }
            archiver.add(batch);
            archiver.tick();
            samples.add(archiver.oldestPending()
                    .map(oldest -> Duration.between(oldest, Instant.now()).toMillis())
                    .orElse(0L));
            long spent = (System.nanoTime() - tick) / 1_000_000;
            Thread.sleep(Math.max(0, 100 - spent)); // the load's pace: 100 events every 100 ms
        }
        archiver.flush();
        long[] sorted = samples.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf(
                "Freshness at 1,000 events/s with a 5 s interval: median %.1f s, max %.1f s over %d samples%n",
                sorted[sorted.length / 2] / 1000.0, sorted[sorted.length - 1] / 1000.0, sorted.length);
    }

    static final int OPEN_FILES = 256;
    static final int ROWS_PER_OPEN_FILE = 4_000;

    /**
     * Heap in use, after a GC, while {@value #OPEN_FILES} files (one per shard of a busy worker) are
     * open with rows buffered: each with a full row group of its own, or sharing one budget.
     */
    private static long openFilesHeap(List<ClickEvent> events, Path dir, RowGroupBudget budget) throws Exception {
        long before = heapAfterGc();
        List<ParquetFile> files = new ArrayList<>();
        try {
            for (int f = 0; f < OPEN_FILES; f++) {
                Path path = dir.resolve("open-" + f + ".parquet");
                files.add(
                        budget == null
                                ? ParquetFile.create(path, ParquetFile.Codec.ZSTD)
                                : ParquetFile.create(path, ParquetFile.Codec.ZSTD, budget));
            }
            Instant arrival = Instant.now();
            for (int i = 0; i < OPEN_FILES * ROWS_PER_OPEN_FILE; i++) {
                files.get(i % OPEN_FILES)
                        .write(new ArchivedRecord(
                                events.get(i % events.size()),
                                "shardId-" + (i % OPEN_FILES),
                                Long.toString(1_000_000_000L + i),
                                0,
                                arrival));
            }
            return heapAfterGc() - before;
        } finally {
            for (ParquetFile f : files) {
                f.close();
                Files.delete(f.path());
            }
        }
    }

    /** Heap in use once collections stop freeing more: the compressors' cleaners run late. */
    private static long heapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            Thread.sleep(100);
            long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (now >= used - (1 << 20)) {
                return now;
            }
            used = now;
        }
        return used;
    }

    private static long writer(List<ClickEvent> events, Path file, int rows, ParquetFile.Codec codec) {
        try (ParquetFile parquet = ParquetFile.create(file, codec)) {
            Instant arrival = Instant.now();
            for (int i = 0; i < rows; i++) {
                parquet.write(new ArchivedRecord(
                        events.get(i), "shardId-000000000000", Long.toString(1_000_000_000L + i), 0, arrival));
            }
        }
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** About 300-byte events, like a web tracker's. */
    private static List<ClickEvent> events(int count) {
        Random random = new Random(1);
        Instant now = Instant.now();
        String[] types = {"page_view", "page_view", "click", "add_to_cart", "purchase"};
        List<ClickEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(new ClickEvent(
                    UUID.randomUUID().toString(),
                    "user-" + random.nextInt(50_000),
                    types[random.nextInt(types.length)],
                    "https://shop.example.com/products/" + random.nextInt(2_000),
                    random.nextInt(3) == 0 ? "https://www.google.com/" : null,
                    "s-" + random.nextInt(200_000),
                    now.minusMillis(random.nextInt(5_000)),
                    now,
                    Map.of(
                            "campaign",
                            "c" + random.nextInt(20),
                            "device",
                            random.nextBoolean() ? "mobile" : "desktop")));
        }
        return events;
    }

    private static long cpuNanos() {
        var os = ManagementFactory.getThreadMXBean();
        return os.getCurrentThreadCpuTime();
    }
}
