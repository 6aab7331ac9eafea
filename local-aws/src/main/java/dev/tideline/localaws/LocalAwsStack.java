package dev.tideline.localaws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded AWS-compatible stack, open source throughout: kinesis-mock and dynalite in Node child
 * processes, S3Proxy in this JVM. Real servers spoken to over HTTP by the real AWS SDK.
 *
 * <p>{@link #close()} stops all three and leaves no process behind. Thread-safe to close once from
 * any thread.
 */
public final class LocalAwsStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalAwsStack.class);
    private static final int FREE_PORT_ATTEMPTS = 3;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Ports ports;
    private final Endpoints endpoints;
    private final List<AutoCloseable> running = new ArrayList<>();
    private KinesisMock kinesis;
    private Dynalite dynamo;

    private LocalAwsStack(Ports ports) {
        this.ports = ports;
        this.endpoints = Endpoints.of(ports);
    }

    /**
     * Starts the three servers and returns once each accepts connections.
     *
     * @param dataDir where the servers keep their data between runs, or null to keep it in memory
     * @throws IllegalStateException when a server cannot start (a port in use, Node missing), after
     *     stopping whatever had started
     */
    public static LocalAwsStack start(Ports ports, Path dataDir) {
        return start(ports, dataDir, logDir(dataDir));
    }

    /**
     * As {@link #start(Ports, Path)} on {@link Ports#free()}, tried again on other free ports when a
     * server cannot start: a port free a moment ago can be taken meanwhile (by any connection's
     * ephemeral port), and a test should not fail for it.
     */
    public static LocalAwsStack startOnFreePorts(Path dataDir) {
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= FREE_PORT_ATTEMPTS; attempt++) {
            Ports ports = Ports.free();
            try {
                return start(ports, dataDir);
            } catch (IllegalStateException e) {
                log.warn("The local AWS stack did not start on {} (attempt {}): {}", ports, attempt, e.getMessage());
                last = e;
            }
        }
        throw last;
    }

    /** As {@link #start(Ports, Path)}, with the servers' logs ({@code kinesis-mock.log}, ...) in {@code logs}. */
    public static LocalAwsStack start(Ports ports, Path dataDir, Path logs) {
        Quiet.noisyLoggers();
        LocalAwsStack stack = new LocalAwsStack(ports);
        long started = System.nanoTime();
        try {
            stack.startAll(dataDir, logs);
            log.info("Local AWS stack up in {} ms: {}", (System.nanoTime() - started) / 1_000_000, stack.endpoints);
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    /**
     * Where the Kinesis server keeps its streams under {@code dataDir} between runs: a JSON file it
     * reads when it starts. Tests edit it while the stack is stopped, e.g. to trim a stream as its
     * retention period would, which kinesis-mock does not do by itself.
     */
    public static Path kinesisDataFile(Path dataDir) {
        return dataDir.resolve("kinesis").resolve(KinesisMock.DATA_FILE);
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    /** The Node process serving Kinesis, for tests that check nothing outlives the stack. */
    public ProcessHandle kinesisProcess() {
        return ProcessHandle.of(kinesis.pid()).orElseThrow();
    }

    /** The Node process serving DynamoDB, for tests that check nothing outlives the stack. */
    public ProcessHandle dynamoDbProcess() {
        return ProcessHandle.of(dynamo.pid()).orElseThrow();
    }

    @Override
    public synchronized void close() {
        long started = System.nanoTime();
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                log.warn("Stopping {} failed", running.get(i), e);
            }
        }
        running.clear();
        log.info("Local AWS stack stopped in {} ms", (System.nanoTime() - started) / 1_000_000);
    }

    private void startAll(Path dataDir, Path logs) {
        kinesis = KinesisMock.start(
                ports, dataDir == null ? null : dataDir.resolve("kinesis"), logs.resolve("kinesis-mock.log"));
        running.add(kinesis);
        Path dynamoLog = logs.resolve("dynalite.log");
        dynamo = Dynalite.start(
                ports.dynamoDb(), dataDir == null ? null : mkdirs(dataDir.resolve("dynamodb")), dynamoLog);
        running.add(dynamo);
        running.add(startS3(dataDir));
        awaitPort("Kinesis", endpoints.kinesis(), logs.resolve("kinesis-mock.log"));
        awaitPort("Kinesis (TLS)", endpoints.kinesisTls(), logs.resolve("kinesis-mock.log"));
        awaitPort("DynamoDB", endpoints.dynamoDb(), dynamoLog);
        awaitPort("S3", endpoints.s3(), logs);
    }

    private AutoCloseable startS3(Path dataDir) {
        try {
            S3Proxy proxy = S3Proxy.builder()
                    .blobStore(
                            dataDir == null
                                    ? new TransientNio2BlobStore()
                                    : new FilesystemNio2BlobStore(
                                            mkdirs(dataDir.resolve("s3")).toString()))
                    .endpoint(URI.create("http://127.0.0.1:" + ports.s3()))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, Endpoints.ACCESS_KEY, Endpoints.SECRET_KEY)
                    .build();
            proxy.start();
            return named("S3Proxy", proxy::stop);
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not start on port " + ports.s3(), e);
        }
    }

    private void awaitPort(String name, URI uri, Path logFile) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (NodeServer server : List.of(kinesis, dynamo)) {
                if (!server.isAlive()) {
                    throw new IllegalStateException(
                            server.name() + " exited during start-up; see its log in " + logFile.getParent());
                }
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 200);
                return;
            } catch (IOException notYet) {
                pause();
            }
        }
        throw new IllegalStateException(
                name + " did not accept connections on " + uri + " within " + START_TIMEOUT + "; see " + logFile);
    }

    private static void pause() {
        try {
            Thread.sleep(50); // polling a port that is coming up; nothing to wait on instead
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the local stack", e);
        }
    }

    private static Path logDir(Path dataDir) {
        try {
            return dataDir != null ? mkdirs(dataDir.resolve("logs")) : Files.createTempDirectory("tideline-local-aws");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path mkdirs(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    /** A server's stop action, named for the log. */
    @FunctionalInterface
    private interface Stop {
        void stop() throws Exception;
    }

    private static AutoCloseable named(String name, Stop stop) {
        return new Named(name, stop);
    }

    /** A server's stop action under its name, closing without checked exceptions. */
    private record Named(String name, Stop stop) implements AutoCloseable {
        @Override
        public void close() {
            try {
                stop.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while stopping " + name, e);
            } catch (Exception e) {
                throw new IllegalStateException("stopping " + name + " failed", e);
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
