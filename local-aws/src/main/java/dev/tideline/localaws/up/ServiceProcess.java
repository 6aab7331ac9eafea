package dev.tideline.localaws.up;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service JVM under supervision: started with the {@code local} profile, restarted with backoff
 * when it dies after it was once ready (so a user can {@code kill -9} it and watch the pipeline
 * recover), and stopped with SIGTERM so that Spring's graceful shutdown runs.
 */
final class ServiceProcess {

    private static final Duration GRACE = Duration.ofSeconds(35);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    private static final Duration STABLE = Duration.ofSeconds(60);

    private final Service service;
    private final Map<String, String> environment;
    private final Path log;
    private final PrintStream out;
    private volatile boolean stopping;
    private volatile boolean wasReady;
    private volatile Process process;
    private volatile long startedAt;
    private Duration backoff = Duration.ofSeconds(1);

    ServiceProcess(Service service, Map<String, String> environment, Path log, PrintStream out) {
        this.service = service;
        this.environment = environment;
        this.log = log;
        this.out = out;
    }

    synchronized void start() {
        List<String> command = new ArrayList<>(List.of(javaBinary()));
        command.addAll(service.jvm());
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.addAll(service.launch());
        command.addAll(List.of("--spring.profiles.active=local", "--server.port=" + service.port()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + service.name(), e);
        }
        startedAt = System.nanoTime();
        process.onExit().thenAccept(this::exited);
    }

    Service service() {
        return service;
    }

    Path log() {
        return log;
    }

    boolean alive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** It answered ready once: from now on, a death is a crash to recover from by a restart. */
    void ready() {
        wasReady = true;
    }

    /** The last {@code n} lines of its log, or none when there is no log. */
    List<String> lastLines(int n) {
        try {
            List<String> lines = java.nio.file.Files.readAllLines(log);
            return lines.subList(Math.max(0, lines.size() - n), lines.size());
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of();
        }
    }

    /** SIGTERM, then SIGKILL if it has not finished its graceful shutdown in time. */
    void stop() {
        stopping = true;
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(GRACE.toSeconds(), TimeUnit.SECONDS)) {
                out.printf("%s did not stop within %d s; killing it%n", service.name(), GRACE.toSeconds());
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void exited(Process p) {
        if (stopping || !wasReady) {
            return; // a service that never started is reported by up, not restarted forever
        }
        long upSeconds = (System.nanoTime() - startedAt) / 1_000_000_000L;
        if (Duration.ofSeconds(upSeconds).compareTo(STABLE) > 0) {
            backoff = Duration.ofSeconds(1);
        }
        out.printf(
                "%s exited with code %d after %d s; restarting in %d s (log: %s)%n",
                service.name(), p.exitValue(), upSeconds, backoff.toSeconds(), log);
        Duration wait = backoff;
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        // Ctrl-C reaches the whole process group: a service may exit before our shutdown hook runs.
        // Waiting first lets the hook mark us stopping, so nothing is restarted on the way down.
        Thread restart = new Thread(() -> {
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            synchronized (this) {
                if (!stopping) {
                    start();
                    out.printf("%s restarted (pid %d)%n", service.name(), process.pid());
                }
            }
        });
        restart.setDaemon(true);
        restart.start();
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
