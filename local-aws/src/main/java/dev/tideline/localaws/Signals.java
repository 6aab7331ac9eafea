package dev.tideline.localaws;

import java.io.IOException;
import java.io.UncheckedIOException;

/** POSIX signals to a child process, which Java's process API cannot send beyond TERM and KILL. */
public final class Signals {

    private Signals() {}

    /**
     * Sends {@code SIG<name>} (e.g. {@code STOP}, {@code CONT}) to {@code pid} with {@code kill}.
     *
     * @throws IllegalStateException if {@code kill} fails, e.g. because the process is gone
     */
    public static void send(long pid, String name) {
        try {
            int exit = new ProcessBuilder("kill", "-" + name, Long.toString(pid))
                    .inheritIO()
                    .start()
                    .waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill -" + name + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
