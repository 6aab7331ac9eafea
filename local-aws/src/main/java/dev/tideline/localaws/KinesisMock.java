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

/**
 * kinesis-mock (npm {@code kinesis-local}) as a Node child process. kinesis-mock exits on SIGINT
 * whatever handlers are added, which is why {@link NodeChild} gives it a session of its own.
 */
final class KinesisMock implements NodeServer {

    static final String DATA_FILE = "kinesis-data.json";
    private static final Duration PERSIST_INTERVAL = Duration.ofSeconds(1);

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
     * connections for 5 s or more; so it is killed, at once in memory, and with a data directory once
     * its periodic persistence has written the file again, whole, after this call began.
     */
    @Override
    public void close() {
        try {
            if (dataDir != null) {
                awaitPersistedSince(FileTime.from(Instant.now()));
            }
        } catch (IOException e) {
            // killed below all the same; the last persisted file stays
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        child.kill();
    }

    private void awaitPersistedSince(FileTime since) throws IOException, InterruptedException {
        Path file = dataDir.resolve(DATA_FILE);
        long deadline = System.nanoTime() + PERSIST_INTERVAL.multipliedBy(3).toNanos();
        long size = -1;
        while (child.isAlive() && System.nanoTime() < deadline) {
            // Written since, and whole: kinesis-mock truncates the file before it writes it again, so
            // a new time alone can mean an empty file; its size must be the same on two looks.
            if (Files.exists(file) && Files.getLastModifiedTime(file).compareTo(since) > 0) {
                long now = Files.size(file);
                if (now > 0 && now == size) {
                    return;
                }
                size = now;
            }
            Thread.sleep(50); // no notification exists for "file written"; poll its time and size
        }
    }
}
