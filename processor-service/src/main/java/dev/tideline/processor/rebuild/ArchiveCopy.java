package dev.tideline.processor.rebuild;

import dev.tideline.processor.generation.Generation;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A rebuild's copy of the archive on disk, per generation built ({@code <work>/g<n>/objects}), and
 * the SQL engine over it. An object copied whole by an earlier attempt is kept; archive objects never
 * change once written. Anything else there is deleted before the fold reads the directory: what a
 * killed copy left, and an earlier rebuild's copy of another archive (after {@code ./tideline up}
 * started again on an empty stack, generation numbers begin again).
 */
final class ArchiveCopy {

    private final ArchiveSource archive;
    private final Path workDir;
    private final int concurrency;
    private final Supplier<Connection> duckDb;
    private final Progress progress;

    ArchiveCopy(ArchiveSource archive, Path workDir, int concurrency, Supplier<Connection> duckDb, Progress progress) {
        this.archive = archive;
        this.workDir = workDir;
        this.concurrency = concurrency;
        this.duckDb = duckDb;
        this.progress = progress;
    }

    /**
     * The objects holding planned records: of a planned shard, starting at or before its bound; and
     * with a plan's {@code since}, every object of an hour that began before it, which may hold an
     * earlier stream's records (an object holds the records of one hour of arrival). Listed when
     * asked, not taken from an earlier listing: the archiver writes an object before it
     * checkpoints past it, so only a listing made after the checkpoints were read is sure to hold
     * every planned record.
     */
    List<ArchiveSource.ArchivedObject> planned(Plan plan) {
        Map<String, String> bounds = plan.bounds();
        Instant since = plan.since();
        return archive.list().stream()
                .filter(o -> o.shardId() != null)
                .filter(o -> bounds.containsKey(o.shardId()) && o.firstPos().compareTo(bounds.get(o.shardId())) <= 0
                        || since != null && o.hour() != null && o.hour().isBefore(since))
                .toList();
    }

    /**
     * Makes the copy for generation {@code next} hold {@code objects} and nothing else: copies them, but
     * those an earlier attempt copied whole, {@code concurrency} at a time, and deletes every other
     * file. Each object is written under another name and renamed once whole. When one copy fails,
     * this returns only after the others have stopped: a copy still running would write into the
     * directory the next attempt cleans.
     */
    void copy(Generation next, List<ArchiveSource.ArchivedObject> objects) throws IOException {
        Path root = objects(next);
        Set<Path> planned = objects.stream().map(o -> root.resolve(o.key())).collect(Collectors.toSet());
        if (Files.isDirectory(root)) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path stale : files.filter(Files::isRegularFile)
                        .filter(f -> !planned.contains(f))
                        .toList()) {
                    Files.delete(stale);
                }
            }
        }
        progress.reading(
                "read the archive",
                objects.size(),
                objects.stream().mapToLong(ArchiveSource.ArchivedObject::size).sum());
        ExecutorService copiers = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "archive-copy");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> copies = new ArrayList<>();
            for (ArchiveSource.ArchivedObject o : objects) {
                copies.add(copiers.submit(() -> {
                    copy(root.resolve(o.key()), o);
                    return null;
                }));
            }
            for (Future<?> c : copies) {
                c.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("stopped while copying the archive");
        } catch (ExecutionException e) {
            throw unwrapped(e.getCause());
        } finally {
            stop(copiers);
        }
    }

    /** Interrupts the copies still running and waits until each has ended, keeping an interrupt for later. */
    private static void stop(ExecutorService copiers) {
        copiers.shutdownNow();
        boolean interrupted = false;
        while (true) {
            try {
                if (copiers.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void copy(Path file, ArchiveSource.ArchivedObject o) throws IOException {
        if (!Files.exists(file) || Files.size(file) != o.size()) {
            Files.createDirectories(file.getParent());
            Path part = file.resolveSibling(file.getFileName() + ".part");
            archive.download(o, part);
            Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        progress.read(o.size());
    }

    private static IOException unwrapped(Throwable failure) {
        if (failure instanceof IOException io) {
            return io;
        }
        if (failure instanceof UncheckedIOException io) {
            return io.getCause();
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new IOException(failure);
    }

    /** Deletes the copy of every generation but {@code keep} (of every one when null). */
    void clean(@Nullable Generation keep) throws IOException {
        WorkDirs.clean(workDir, keep);
    }

    /** The objects copied for generation {@code next} as one relation of DuckDB's. */
    String source(Generation next) {
        return "read_parquet('" + quoted(objects(next)) + "/**/*.parquet', hive_partitioning = true,"
                + " union_by_name = true)";
    }

    /** A DuckDB connection that spills to the work directory. */
    Connection connection() throws SQLException {
        Connection c = duckDb.get();
        try (Statement s = c.createStatement()) {
            s.execute("SET temp_directory = '" + quoted(workDir.resolve("duckdb.tmp")) + "'");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private Path objects(Generation next) {
        return WorkDirs.of(workDir, next).resolve("objects");
    }

    private static String quoted(Path p) {
        return p.toAbsolutePath().toString().replace("'", "''");
    }
}
