package dev.tideline.processor.rebuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tideline.model.archive.ArchiveSchema;
import dev.tideline.processor.apply.ApplySettings;
import dev.tideline.processor.apply.Write;
import dev.tideline.processor.generation.Generation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fold on this machine over an archive in a directory, laid out as the archiver lays it out:
 * it must fold the plan's objects, and only those, whatever its work directory already holds.
 */
class LocalFoldTest {

    private static final ApplySettings SETTINGS = RandomArchive.SETTINGS;
    private static final Generation NEXT = new Generation(2);
    private static final Plan EVERYTHING = new Plan(
            RandomArchive.SHARDS.stream()
                    .collect(Collectors.toMap(Function.identity(), s -> new Plan.Checkpoint(Plan.SHARD_END, 0))),
            null,
            null);

    @TempDir
    Path dir;

    @Test
    void anEarlierRebuildsCopyOfAnotherArchiveIsNotFolded() throws Exception {
        // As after ./tideline up ran again on an empty stack: the work directory holds generation 2's
        // copy of an archive that is gone, under other names than the new archive's objects.
        Path work = dir.resolve("work");
        ArchiveSource gone = archive(dir.resolve("gone"), RandomArchive.stream(new Random(1), 400, true), "06");
        assertThat(fold(gone, work)).hasSizeGreaterThan(10);
        Files.writeString(work.resolve("g2/objects/events/left-by-a-kill.parquet.part"), "half an object");
        ArchiveSource now = archive(dir.resolve("now"), RandomArchive.stream(new Random(2), 400, true), "07");

        List<Write> writes = fold(now, work);

        assertThat(writes).hasSizeGreaterThan(10).isEqualTo(fold(now, dir.resolve("fresh")));
        try (Stream<Path> files = Files.walk(work.resolve("g2/objects"))) {
            assertThat(files.filter(Files::isRegularFile)
                            .map(f -> f.getFileName().toString()))
                    .as("the copy holds the new archive's objects alone")
                    .containsExactlyInAnyOrderElementsOf(now.list().stream()
                            .map(o -> Path.of(o.key()).getFileName().toString())
                            .toList());
        }
    }

    @Test
    void anObjectThatCannotBeCopiedStopsTheFoldWithItsCauseAndTheNextAttemptIsExact() throws Exception {
        Path root = dir.resolve("archive");
        ArchiveSource whole = archive(root, RandomArchive.stream(new Random(3), 400, true), "06");
        String refused = whole.list().get(0).key();
        Path work = dir.resolve("work");

        assertThatThrownBy(() -> fold(new DirectoryArchive(root, refused), work))
                .isInstanceOf(IOException.class)
                .hasMessage("the store refused " + refused);
        Path copy = work.resolve("g2/objects");
        assertThat(copy.resolve(refused)).doesNotExist();
        assertThat(fold(whole, work)).isEqualTo(fold(whole, dir.resolve("fresh")));
    }

    @Test
    void aFoldStoppedByAFailedCopyReturnsOnlyOnceItsOtherCopiesHaveEnded() throws Exception {
        Path root = dir.resolve("archive");
        ArchiveSource whole = archive(root, RandomArchive.stream(new Random(4), 400, true), "06");
        assertThat(whole.list()).hasSizeGreaterThan(1);
        String refused = whole.list().get(0).key();
        CountDownLatch anotherStarted = new CountDownLatch(1);
        CountDownLatch foldReturned = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        ArchiveSource slow = new ArchiveSource() {
            @Override
            public String location() {
                return whole.location();
            }

            @Override
            public List<ArchivedObject> list() {
                return whole.list();
            }

            @Override
            public void download(ArchivedObject object, Path file) {
                if (object.key().equals(refused)) {
                    awaitIgnoringInterrupts(anotherStarted, Duration.ofSeconds(30));
                    throw new UncheckedIOException(new IOException("the store refused " + refused));
                }
                running.incrementAndGet();
                try {
                    anotherStarted.countDown();
                    // A download that does not stop when interrupted, as a blocking socket read.
                    awaitIgnoringInterrupts(foldReturned, Duration.ofSeconds(2));
                    whole.download(object, file);
                } finally {
                    running.decrementAndGet();
                }
            }
        };

        assertThatThrownBy(() -> fold(slow, dir.resolve("work")))
                .isInstanceOf(IOException.class)
                .hasMessage("the store refused " + refused);
        int stillRunning = running.get();
        foldReturned.countDown();
        assertThat(stillRunning).as("copies still running when the fold failed").isZero();
    }

    private static void awaitIgnoringInterrupts(CountDownLatch latch, Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        boolean interrupted = false;
        while (latch.getCount() > 0 && System.nanoTime() < deadline) {
            try {
                latch.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void cleaningKeepsTheGenerationBeingBuiltAloneOrNothing() throws Exception {
        Path work = dir.resolve("work");
        for (String g : List.of("g2", "g3", "g12")) {
            Files.createDirectories(work.resolve(g).resolve("objects/events"));
            Files.writeString(work.resolve(g).resolve("objects/events/an-object.parquet"), g);
        }
        Files.createDirectories(work.resolve("duckdb.tmp"));
        Files.createDirectories(work.resolve("g4"));
        Files.writeString(work.resolve("g4/notes.txt"), "the user's, in a work directory of their choosing");
        LocalFold engine =
                new LocalFold(new DirectoryArchive(dir, null), work, 4, LocalFoldTest::duckDb, new SaidProgress());

        engine.clean(new Generation(3));
        assertThat(work.resolve("g3/objects/events/an-object.parquet")).hasContent("g3");
        assertThat(work.resolve("g2")).doesNotExist();
        assertThat(work.resolve("g12")).doesNotExist();
        engine.clean(null);
        assertThat(work.resolve("g3")).doesNotExist();
        assertThat(work.resolve("duckdb.tmp")).as("not a generation's").isDirectory();
        assertThat(work.resolve("g4/notes.txt")).as("not what a rebuild writes").exists();
    }

    @Test
    void anEarlierStreamsObjectsArePlannedWhateverTheBoundsAndThisStreamsWithinThem() throws Exception {
        String earlierUnplanned = "events/dt=2026-11-29/hour=06/shardId-000000000009-500.parquet";
        String earlierAfterBound = "events/dt=2026-11-29/hour=07/shardId-000000000000-990.parquet";
        String withinBound = "events/dt=2026-11-29/hour=08/shardId-000000000000-150.parquet";
        String afterBound = "events/dt=2026-11-29/hour=08/shardId-000000000000-300.parquet";
        String unplanned = "events/dt=2026-11-29/hour=08/shardId-000000000009-100.parquet";
        Path root = dir.resolve("archive");
        for (String key : List.of(earlierUnplanned, earlierAfterBound, withinBound, afterBound, unplanned)) {
            Files.createDirectories(root.resolve(key).getParent());
            Files.writeString(root.resolve(key), key);
        }
        ArchiveCopy copy = new ArchiveCopy(
                new DirectoryArchive(root, null), dir.resolve("work"), 4, LocalFoldTest::duckDb, new SaidProgress());
        Map<String, Plan.Checkpoint> bounds = Map.of("shardId-000000000000", new Plan.Checkpoint("200", 0));

        assertThat(copy.planned(new Plan(bounds, null, null)))
                .extracting(ArchiveSource.ArchivedObject::key)
                .containsExactly(withinBound);
        assertThat(copy.planned(new Plan(bounds, null, null, Instant.parse("2026-11-29T07:30:00Z"))))
                .extracting(ArchiveSource.ArchivedObject::key)
                .as("an object of an hour that began before the stream was created may hold an earlier stream's")
                .containsExactly(earlierUnplanned, earlierAfterBound, withinBound);
    }

    private static List<Write> fold(ArchiveSource archive, Path work) throws SQLException, IOException {
        List<Write> writes = new ArrayList<>();
        new LocalFold(archive, work, 4, LocalFoldTest::duckDb, new SaidProgress())
                .fold(NEXT, EVERYTHING, SETTINGS, writes::add);
        return writes;
    }

    /** One object per shard under {@code events/dt=2026-11-29/hour=HOUR/}, named as the archiver names them. */
    private static ArchiveSource archive(Path root, List<ArchiveTable.Row> stream, String hour) throws SQLException {
        try (Connection duck = duckDb();
                Statement s = duck.createStatement()) {
            ArchiveTable.create(duck, stream);
            Map<String, List<ArchiveTable.Row>> byShard =
                    stream.stream().collect(Collectors.groupingBy(ArchiveTable.Row::shard));
            for (Map.Entry<String, List<ArchiveTable.Row>> shard : byShard.entrySet()) {
                ArchiveTable.Row first = shard.getValue().stream()
                        .min(Comparator.comparing(ArchiveTable.Row::position))
                        .orElseThrow();
                Path object = root.resolve("events/dt=2026-11-29/hour=" + hour + "/" + shard.getKey() + "-"
                        + first.position().sequenceNumber() + "-"
                        + first.position().subSequence() + ".parquet");
                Files.createDirectories(object.getParent());
                s.execute("COPY (SELECT * FROM archive WHERE " + ArchiveSchema.SHARD_ID + " = '" + shard.getKey()
                        + "') TO '" + object + "' (FORMAT parquet)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new DirectoryArchive(root, null);
    }

    private static Connection duckDb() {
        try {
            return DriverManager.getConnection("jdbc:duckdb:");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The archive's objects as files under a directory; the one named {@code unreadable} cannot be read. */
    private record DirectoryArchive(Path root, @Nullable String unreadable) implements ArchiveSource {

        @Override
        public String location() {
            return root.toString();
        }

        @Override
        public List<ArchivedObject> list() {
            try (Stream<Path> files = Files.walk(root)) {
                return files.filter(Files::isRegularFile)
                        .sorted()
                        .map(f -> new ArchivedObject(root.relativize(f).toString(), size(f)))
                        .toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void download(ArchivedObject object, Path file) {
            if (object.key().equals(unreadable)) {
                throw new UncheckedIOException(new IOException("the store refused " + object.key()));
            }
            try {
                Files.copy(root.resolve(object.key()), file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static long size(Path f) {
            try {
                return Files.size(f);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
