package dev.tideline.localaws;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * kinesis-mock (npm {@code kinesis-local}) as a Node child process. kinesis-mock exits on SIGINT
 * whatever handlers are added, which is why {@link NodeChild} gives it a session of its own.
 */
final class KinesisMock implements NodeServer {

    static final String DATA_FILE = "kinesis-data.json";
    private static final Duration PERSIST_INTERVAL = Duration.ofSeconds(1);
    /** How long a stop waits for a whole data file: a few writes, on a machine that may be loaded. */
    private static final Duration PERSIST_WAIT = PERSIST_INTERVAL.multipliedBy(10);

    private static final Logger LOG = LoggerFactory.getLogger(KinesisMock.class);
    private static final JsonFactory JSON = new JsonFactory();

    private final NodeChild child;
    private final Path dataDir;

    private KinesisMock(NodeChild child, Path dataDir) {
        this.child = child;
        this.dataDir = dataDir;
    }

    /**
     * Starts kinesis-mock on the given ports. Returns once the process is launched; callers wait for
     * the port.
     *
     * @param dataDir where to persist streams, or null to keep them in memory
     * @param log file that receives the child's output
     */
    static KinesisMock start(Ports ports, Path dataDir, Path log) {
        Map<String, String> env = new HashMap<>();
        env.put("KINESIS_MOCK_TLS_PORT", Integer.toString(ports.kinesisTls()));
        env.put("KINESIS_MOCK_PLAIN_PORT", Integer.toString(ports.kinesisPlain()));
        env.put(
                "KINESIS_MOCK_CERT_PATH",
                NodeChild.packageDir("kinesis-local", "main.js")
                        .resolve("server.json")
                        .toString());
        env.put("AWS_REGION", Endpoints.REGION.id());
        env.put("SHARD_LIMIT", "1000"); // the default of 50 stops resharding tests early
        env.put("LOG_LEVEL", "WARN");
        // Real Kinesis takes seconds; tests of resharding wait on these.
        for (String op : new String[] {
            "CREATE_STREAM",
            "DELETE_STREAM",
            "MERGE_SHARDS",
            "SPLIT_SHARD",
            "UPDATE_SHARD_COUNT",
            "REGISTER_STREAM_CONSUMER",
            "DEREGISTER_STREAM_CONSUMER"
        }) {
            env.put(op + "_DURATION", "100ms");
        }
        if (dataDir != null) {
            env.put("SHOULD_PERSIST_DATA", "true");
            env.put("LOAD_DATA_IF_EXISTS", "true");
            env.put("PERSIST_PATH", dataDir.toAbsolutePath().toString());
            env.put("PERSIST_INTERVAL", PERSIST_INTERVAL.toMillis() + "ms");
            env.put("PERSIST_FILE_NAME", DATA_FILE);
        }
        return new KinesisMock(
                NodeChild.start("kinesis-mock", "kinesis-local", "main.js", List.of(), env, log), dataDir);
    }

    @Override
    public boolean isAlive() {
        return child.isAlive();
    }

    @Override
    public String name() {
        return "kinesis-mock";
    }

    long pid() {
        return child.pid();
    }

    @Override
    public String toString() {
        return child.toString();
    }

    /**
     * Stops the process. kinesis-mock has no flush on demand, and on SIGTERM its HTTP server drains
     * connections for 5 s or more; so it is killed: at once in memory, and with a data directory
     * once its periodic persistence has written the file, whole, from a snapshot taken after this
     * call began.
     */
    @Override
    public void close() {
        if (dataDir != null) {
            try {
                freezeWithSnapshotTakenSince(FileTime.from(Instant.now()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        child.kill();
    }

    /**
     * Leaves the process stopped (SIGSTOP) at a moment when its data file holds a whole write of a
     * snapshot taken after {@code since}, so that the kill which follows cannot cut a write short nor
     * lose what was written to the stream before. A write that ends after {@code since} may have taken
     * its snapshot before (seen: a record put just before a stop was missing after the restart); the
     * write after it began after it ended. So this waits for two whole writes.
     */
    private void freezeWithSnapshotTakenSince(FileTime since) throws InterruptedException {
        Path file = dataDir.resolve(DATA_FILE);
        long deadline = System.nanoTime() + PERSIST_WAIT.toNanos();
        FileTime first = frozenWithWholeFileWrittenAfter(file, since, deadline);
        if (first != null) {
            Signals.send(child.pid(), "CONT");
            if (frozenWithWholeFileWrittenAfter(file, first, deadline) != null) {
                return;
            }
        }
        if (child.isAlive()) {
            LOG.warn("{} wrote no whole {} within {}; the file may lack the last records", child, file, PERSIST_WAIT);
        }
    }

    /**
     * Waits until the file was written after {@code after} and parses whole, read while the process
     * is stopped, and returns its time with the process left stopped; or null, the process running,
     * when the deadline passes or the process is gone. kinesis-mock writes the file in place,
     * truncated and then in chunks, and on a loaded machine a chunk can wait longer than any polling
     * interval: whole means the file parses to its end.
     */
    private @Nullable FileTime frozenWithWholeFileWrittenAfter(Path file, FileTime after, long deadline)
            throws InterruptedException {
        while (child.isAlive() && System.nanoTime() < deadline) {
            FileTime written = writtenAt(file);
            if (written != null && written.compareTo(after) > 0) {
                try {
                    Signals.send(child.pid(), "STOP");
                } catch (IllegalStateException gone) {
                    return null;
                }
                // Read again while stopped: the write seen may have gone on since.
                FileTime whole = wholeJson(file) ? writtenAt(file) : null;
                if (whole != null) {
                    return whole;
                }
                Signals.send(child.pid(), "CONT");
            }
            Thread.sleep(50); // no notification exists for "file written"; poll its time
        }
        return null;
    }

    private static @Nullable FileTime writtenAt(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException notYet) {
            return null;
        }
    }

    private static boolean wholeJson(Path file) {
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), file)) {
            if (parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            return true;
        } catch (JacksonException cutShort) {
            return false;
        }
    }
}
