package dev.tideline.localaws;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A Tideline service's readiness probe, as the launcher, the tests and the benchmarks wait for it:
 * {@code GET /actuator/health/readiness} answering 200. The one place that polls it.
 */
public final class Readiness {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration POLL = Duration.ofMillis(250);

    private Readiness() {}

    /** Whether the service on this port answers its readiness probe with 200 now. */
    public static boolean ready(int port) {
        try {
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(2))
                    .build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet, or going away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Waits until the service is ready.
     *
     * @param alive false once the service's process has exited, which ends the wait at once
     * @return true when it is ready; false when it exited or {@code timeout} passed first
     */
    public static boolean await(int port, BooleanSupplier alive, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (alive.getAsBoolean() && System.nanoTime() < deadline) {
            if (ready(port)) {
                return true;
            }
            Thread.sleep(POLL.toMillis()); // polling a child process's probe; it has no other signal
        }
        return false;
    }
}
