package dev.tideline.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** {@code ./tideline} run as a user runs it, from the checkout's root: for tests that read its output and exit code. */
public final class Launcher {

    /** The launcher script of this checkout. */
    public static final Path SCRIPT = Path.of("..", "tideline").toAbsolutePath().normalize();

    private Launcher() {}

    /** What a run printed, and how it ended. */
    public record Run(int exit, String out, String err) {}

    /**
     * Runs {@code ./tideline args} with {@code TIDELINE_NO_BUILD=1} and {@code env}, and waits up to 180 s
     * for it to return.
     */
    public static Run run(Map<String, String> env, String... args) {
        try {
            ProcessBuilder builder = new ProcessBuilder();
            builder.command().add(SCRIPT.toString());
            builder.command().addAll(List.of(args));
            builder.directory(SCRIPT.getParent().toFile());
            builder.environment().put("TIDELINE_NO_BUILD", "1");
            builder.environment().putAll(env);
            Process p = builder.start();
            CompletableFuture<String> out = read(p.getInputStream());
            CompletableFuture<String> err = read(p.getErrorStream());
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroy();
                p.waitFor(60, TimeUnit.SECONDS);
                throw new AssertionError("./tideline " + String.join(" ", args) + " did not return in 180 s");
            }
            return new Run(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static CompletableFuture<String> read(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
