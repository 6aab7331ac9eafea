package dev.tideline.localaws.junit;

import dev.tideline.localaws.QuickStart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command of the processor's image ({@code processor-service.jar rebuild} or {@code redrive}) in
 * a JVM of its own, as {@code ./tideline rebuild} and {@code redrive} run them: the service's jar
 * (or its quick start, {@link QuickStart}) with DuckDB beside it, the {@code local} profile. Its
 * output goes to {@code target/it-logs/<name>.log}.
 */
public final class CommandJvm implements AutoCloseable {

    private final Process process;
    private final Path log;

    private CommandJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * A test's command: C1 alone, as the services' JVMs, since it is mostly its start (a redrive with
     * nothing to do: 4.2 CPU-seconds so, 6.9 with C2).
     *
     * @param command {@code rebuild} or {@code redrive}
     * @param arguments Spring Boot command-line arguments, e.g. {@link LocalAws#rebuildArguments}
     */
    public static CommandJvm start(String command, String name, List<String> arguments) {
        return start(command, name, arguments, List.of("-XX:TieredStopAtLevel=1"));
    }

    /**
     * The command with other JVM options.
     *
     * @param jvmOptions after the heap's and the collector's; none for a benchmark, which measures the
     *     command with both JIT compilers, as {@code ./tideline} runs it
     */
    public static CommandJvm start(String command, String name, List<String> arguments, List<String> jvmOptions) {
        Path jar = ServiceJvm.jar("processor-service");
        Path lib = jar.resolveSibling("rebuild-lib");
        List<String> line = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-XX:+UseSerialGC"));
        line.addAll(jvmOptions);
        // From the quick start when there is one, with rebuild-lib's jars after the service's; else
        // as ./tideline runs it.
        line.addAll(QuickStart.in(jar.getParent())
                .map(quick -> quick.classPath("dev.tideline.processor.ProcessorApplication", QuickStart.jarsIn(lib)))
                .orElseGet(() -> List.of(
                        "-Dloader.path=" + lib,
                        "-cp",
                        jar.toString(),
                        "org.springframework.boot.loader.launch.PropertiesLauncher")));
        line.addAll(List.of(command, "--spring.profiles.active=local"));
        line.addAll(arguments);
        Path log = ServiceJvm.log(name);
        return new CommandJvm(ServiceJvm.spawn(line, log, false), log);
    }

    /** Its exit code once it ends. */
    public int await(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(
                    "the rebuild did not end within " + timeout + "; see " + log.toAbsolutePath());
        }
        return process.exitValue();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL, at whatever step it is. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** Everything it logged so far. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
