package dev.tideline.processor.it;

import static org.awaitility.Awaitility.await;

import dev.tideline.localaws.Endpoints;
import dev.tideline.localaws.junit.LocalAws;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A processor service in a JVM of its own, on the test class path, so that a test can kill it with
 * SIGKILL, freeze it with SIGSTOP, or stop it with SIGTERM as an operator would.
 */
final class ProcessorProcess implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String workerId;
    private final int port;
    private final Process process;
    private final Path log;

    private ProcessorProcess(String workerId, int port, Process process, Path log) {
        this.workerId = workerId;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** Starts a worker with the local profile's KCL tuning on the test class's resources. */
    static ProcessorProcess start(LocalAws aws, String workerId, String... extra) {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                classPath(),
                "dev.tideline.processor.ProcessorApplication",
                "--spring.profiles.active=local",
                "--server.port=" + port,
                "--spring.cloud.aws.region.static=" + Endpoints.REGION.id(),
                "--spring.cloud.aws.kinesis.endpoint=" + aws.endpoints().kinesis(),
                "--spring.cloud.aws.dynamodb.endpoint=" + aws.endpoints().dynamoDb(),
                "--tideline.processor.stream=" + aws.names().stream(),
                "--tideline.processor.application=" + aws.names().processorApp(),
                "--tideline.processor.table=" + aws.names().aggregatesTable(),
                "--tideline.processor.worker-id=" + workerId));
        command.addAll(List.of(extra));
        try {
            Path dir = Files.createDirectories(Path.of("target", "it-logs"));
            Path log = dir.resolve(aws.names().stream() + "-" + workerId + ".log");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            ProcessorProcess p = new ProcessorProcess(workerId, port, process, log);
            p.awaitReady();
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String classPath() {
        // Failsafe runs tests from a manifest-only jar; it names the real class path here.
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank()
                ? cp.replace(' ', File.pathSeparatorChar)
                : System.getProperty("java.class.path");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String workerId() {
        return workerId;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    private void awaitReady() {
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250))
                .failFast("worker " + workerId + " exited; see " + log.toAbsolutePath(), () -> !process.isAlive())
                .ignoreExceptions()
                .until(() -> get("/actuator/health/readiness").statusCode() == 200);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The sum of a Prometheus series' values whose name and labels contain the given text. */
    double metric(String name, String labelText) {
        try {
            String body = get("/actuator/prometheus").body();
            double sum = 0;
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? ([0-9.eE+-]+)$")
                    .matcher(body);
            while (m.find()) {
                String labels = m.group(1) == null ? "" : m.group(1);
                if (labels.contains(labelText)) {
                    sum += Double.parseDouble(m.group(2));
                }
            }
            return sum;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL: no shutdown hook, no checkpoint, no flush. */
    void kill() {
        process.destroyForcibly();
        waitFor();
    }

    /** SIGTERM: Spring's graceful shutdown, which stops the KCL worker first. */
    void stop() {
        process.destroy();
        waitFor();
    }

    void pause() {
        signal("STOP");
    }

    void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            int exit = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                    .inheritIO()
                    .start()
                    .waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void waitFor() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            resume();
            process.destroyForcibly();
            waitFor();
        }
    }
}
