package dev.tideline.localaws;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * kinesis-mock (npm {@code kinesis-local}) as a Node child process.
 *
 * <p>The child holds a pipe to this JVM on its standard input and exits when that pipe closes, so it
 * cannot outlive the JVM even after {@code kill -9}. Where {@code setsid} exists it runs in a session
 * of its own, so that Ctrl-C in a terminal, which reaches the whole foreground process group, leaves
 * Kinesis up while the services drain into it; kinesis-mock exits on SIGINT whatever handlers are
 * added.
 */
final class KinesisMock implements AutoCloseable {

    static final String DIR_PROPERTY = "tideline.kinesis-mock.dir";
    private static final int MIN_NODE_MAJOR = 20;
    private static final Pattern NODE_VERSION = Pattern.compile("v(\\d+)\\..*");

    // Exit when the parent's pipe closes, then run kinesis-mock itself.
    private static final String WRAPPER = "process.stdin.on('end',()=>process.exit(0));"
            + "process.stdin.on('error',()=>process.exit(0));process.stdin.resume();"
            + "require(process.argv[1]);";

    private static final String DATA_FILE = "kinesis-data.json";
    private static final Duration PERSIST_INTERVAL = Duration.ofSeconds(1);

    private final Process process;
    private final OutputStream lifeline;
    private final Path dataDir;

    private KinesisMock(Process process, Path dataDir) {
        this.process = process;
        this.lifeline = process.getOutputStream();
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
        Path home = packageDir();
        String node = node();
        List<String> command = new ArrayList<>();
        setsid().ifPresent(command::add);
        command.addAll(List.of(node, "-e", WRAPPER, home.resolve("main.js").toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.put("KINESIS_MOCK_TLS_PORT", Integer.toString(ports.kinesisTls()));
        env.put("KINESIS_MOCK_PLAIN_PORT", Integer.toString(ports.kinesisPlain()));
        env.put("KINESIS_MOCK_CERT_PATH", home.resolve("server.json").toString());
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
        try {
            return new KinesisMock(builder.start(), dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + node, e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    @Override
    public String toString() {
        return "kinesis-mock (pid " + process.pid() + ")";
    }

    /**
     * Stops the process. kinesis-mock has no flush on demand, and on SIGTERM its HTTP server drains
     * connections for 5 s or more; so it is killed, at once in memory, and with a data directory once
     * its periodic persistence has written the file again after this call began.
     */
    @Override
    public void close() {
        try {
            if (dataDir != null) {
                awaitPersistedSince(FileTime.from(Instant.now()));
            }
            lifeline.close();
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitPersistedSince(FileTime since) throws IOException, InterruptedException {
        Path file = dataDir.resolve(DATA_FILE);
        long deadline = System.nanoTime() + PERSIST_INTERVAL.multipliedBy(3).toNanos();
        while (process.isAlive() && System.nanoTime() < deadline) {
            if (Files.exists(file) && Files.getLastModifiedTime(file).compareTo(since) > 0) {
                return;
            }
            Thread.sleep(50); // no notification exists for "file written"; poll its time
        }
    }

    private static Optional<String> setsid() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "setsid");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }

    /** The installed kinesis-local package: the system property, else the build's install directory. */
    static Path packageDir() {
        String configured = System.getProperty(DIR_PROPERTY, System.getenv("TIDELINE_KINESIS_MOCK_DIR"));
        Path base =
                configured != null ? Path.of(configured) : findFrom(Path.of("").toAbsolutePath());
        Path home = base.resolve("node_modules").resolve("kinesis-local");
        if (!Files.isRegularFile(home.resolve("main.js"))) {
            throw new IllegalStateException("kinesis-mock is not installed at " + home
                    + "; build local-aws first (./mvnw -pl local-aws install), which runs npm ci");
        }
        return home;
    }

    private static Path findFrom(Path dir) {
        for (Path d = dir; d != null; d = d.getParent()) {
            Path candidate = d.resolve("local-aws").resolve("node");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return dir.resolve("local-aws").resolve("node");
    }

    /** The Node binary, after checking it is new enough; one clear sentence when it is not. */
    static String node() {
        String node = System.getenv().getOrDefault("TIDELINE_NODE", "node");
        String version;
        try {
            Process p = new ProcessBuilder(node, "--version")
                    .redirectErrorStream(true)
                    .start();
            version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException("Tideline's local Kinesis needs Node.js " + MIN_NODE_MAJOR
                    + " or newer, and no 'node' is on the PATH.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the Node.js version", e);
        }
        Matcher m = NODE_VERSION.matcher(version);
        if (!m.matches() || Integer.parseInt(m.group(1)) < MIN_NODE_MAJOR) {
            throw new IllegalStateException("Tideline's local Kinesis needs Node.js " + MIN_NODE_MAJOR
                    + " or newer, but '" + node + " --version' says " + version + ".");
        }
        return node;
    }
}
