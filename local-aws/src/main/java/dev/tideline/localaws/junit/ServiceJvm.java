package dev.tideline.localaws.junit;

import dev.tideline.localaws.Ports;
import dev.tideline.localaws.PrometheusText;
import dev.tideline.localaws.QuickStart;
import dev.tideline.localaws.Readiness;
import dev.tideline.localaws.Signals;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
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

/**
 * A Spring Boot service in a JVM of its own, so that a test can kill it with SIGKILL, freeze it with
 * SIGSTOP, or stop it with SIGTERM as an operator would. It runs from the service's quick start
 * when the build made one ({@link QuickStart}), else from its jar or the test class path.
 */
public final class ServiceJvm implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port;
    private final List<String> command;
    private final Process process;
    private final Path log;

    private ServiceJvm(String name, int port, List<String> command, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.command = command;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code mainClass} with the {@code local} profile on a free port and waits until its
     * readiness probe answers 200.
     *
     * @param name names the log, {@code target/it-logs/<name>.log}
     * @param arguments Spring Boot command-line arguments
     */
    public static ServiceJvm start(String mainClass, String name, List<String> arguments) {
        // From the module's quick start when the build made one, with the module's fault hooks
        // (target/faults/) after it; else from the test class path.
        Path target = Path.of("target").toAbsolutePath();
        List<String> what = QuickStart.in(target)
                .map(quick -> quick.classPath(mainClass, QuickStart.jarsIn(target.resolve("faults"))))
                .orElseGet(() -> List.of("-cp", classPath(), mainClass));
        return launch(what, name, arguments);
    }

    /**
     * Starts another module's service from its built jar, as {@link #start} does: for tests that run
     * the whole pipeline, whose services cannot share one class path.
     *
     * @param module the module's directory beside this one, e.g. {@code ingest-service}
     * @throws IllegalStateException when the jar is not built; the full build packages it first
     */
    public static ServiceJvm startJar(String module, String name, List<String> arguments) {
        return launch(QuickStart.launch(jar(module)), name, arguments);
    }

    /**
     * The built jar of a module beside this one.
     *
     * @throws IllegalStateException when the jar is not built; the full build packages it first
     */
    public static Path jar(String module) {
        // A test runs in its module's directory; a benchmark (exec:java) in the repository's.
        Path beside = Path.of("..", module, "target").toAbsolutePath().normalize();
        Path target =
                Files.isDirectory(beside) ? beside : Path.of(module, "target").toAbsolutePath();
        Path jar = QuickStart.jarIn(target, module);
        if (jar == null) {
            throw new IllegalStateException("no jar of " + module + " in " + target
                    + "; build it first (./mvnw verify builds every module in order)");
        }
        return jar;
    }

    private static ServiceJvm launch(List<String> what, String name, List<String> arguments) {
        int port = Ports.freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1"));
        command.addAll(what);
        command.addAll(List.of("--spring.profiles.active=local", "--server.port=" + port));
        command.addAll(arguments);
        return run(name, port, command);
    }

    private static ServiceJvm run(String name, int port, List<String> command) {
        Path log = log(name);
        ServiceJvm jvm = new ServiceJvm(name, port, List.copyOf(command), spawn(command, log, true), log);
        jvm.awaitReady();
        return jvm;
    }

    /** {@code target/it-logs/<name>.log}. */
    static Path log(String name) {
        try {
            return Files.createDirectories(Path.of("target", "it-logs")).resolve(name + ".log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts {@code command}, its output and errors to {@code log}, appended or from empty. */
    static Process spawn(List<String> command, Path log, boolean append) {
        try {
            return new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(
                            append
                                    ? ProcessBuilder.Redirect.appendTo(log.toFile())
                                    : ProcessBuilder.Redirect.to(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The same service started again, on the same port with the same arguments, once this one has
     * stopped: as an operator's restart looks to its clients.
     */
    public ServiceJvm restart() {
        if (process.isAlive()) {
            throw new IllegalStateException(name + " is still running; kill or stop it first");
        }
        return run(name, port, command);
    }

    public int port() {
        return port;
    }

    private static String classPath() {
        // Failsafe runs tests from a manifest-only jar; it names the real class path here.
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank()
                ? cp.replace(' ', File.pathSeparatorChar)
                : System.getProperty("java.class.path");
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    private void awaitReady() {
        try {
            if (Readiness.await(port, process::isAlive, Duration.ofSeconds(90))) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited; see " + log.toAbsolutePath());
        }
        throw new IllegalStateException(name + " was not ready within 90 s; see " + log.toAbsolutePath());
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs a JSON body with the given headers (name, value, ...). */
    public HttpResponse<String> postJson(String path, String json, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The sum of a Prometheus series' values whose name and labels contain the given text. */
    public double metric(String name, String labelText) {
        try {
            return PrometheusText.sum(get("/actuator/prometheus").body(), name, labelText);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL: no shutdown hook, no checkpoint, no flush. */
    public void kill() {
        process.destroyForcibly();
        waitFor();
    }

    /** SIGTERM: Spring's graceful shutdown, which stops the KCL worker first. */
    public void stop() {
        process.destroy();
        waitFor();
    }

    public void pause() {
        signal("STOP");
    }

    public void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        Signals.send(process.pid(), name);
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
