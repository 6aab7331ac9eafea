package dev.tideline.kcl;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

/**
 * Readiness of a consumer: the stream can be described, and so can the place the consumer writes
 * to.
 */
public final class StreamReadiness implements HealthIndicator {

    /** The consumer's own destination, checked after the stream. */
    @FunctionalInterface
    public interface Destination {

        /**
         * @return details to show when it is ready
         * @throws RuntimeException when it is not
         */
        Map<String, Object> check();
    }

    /** A probe answers within its own timeout: a hanging call is a DOWN, not a hung health endpoint. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final KinesisAsyncClient kinesis;
    private final String stream;
    private final Destination destination;

    public StreamReadiness(KinesisAsyncClient kinesis, String stream, Destination destination) {
        this.kinesis = kinesis;
        this.stream = stream;
        this.destination = destination;
    }

    @Override
    public Health health() {
        return probe("the stream", () -> {
            var summary = kinesis.describeStreamSummary(r -> r.streamName(stream))
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .streamDescriptionSummary();
            Health.Builder health = Health.up()
                    .withDetail("stream", summary.streamName() + " " + summary.streamStatusAsString())
                    .withDetail("openShards", summary.openShardCount());
            destination.check().forEach(health::withDetail);
            return health.build();
        });
    }

    /** A readiness check whose calls wait at most {@link #TIMEOUT} each. */
    @FunctionalInterface
    interface Probe {
        Health run() throws ExecutionException, InterruptedException, TimeoutException;
    }

    /** The probe's health, or DOWN with what went wrong: {@code what} did not answer in time, or failed. */
    static Health probe(String what, Probe probe) {
        try {
            return probe.run();
        } catch (TimeoutException e) {
            return Health.down()
                    .withDetail("error", what + " did not answer within " + TIMEOUT.toSeconds() + " s")
                    .build();
        } catch (ExecutionException e) {
            return Health.down().withDetail("error", e.getCause().toString()).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down().withDetail("error", "interrupted").build();
        } catch (RuntimeException e) {
            return Health.down().withDetail("error", e.toString()).build();
        }
    }
}
