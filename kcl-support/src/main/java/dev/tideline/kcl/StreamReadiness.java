package dev.tideline.kcl;

import java.util.Map;
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
        try {
            var summary = kinesis.describeStreamSummary(r -> r.streamName(stream))
                    .join()
                    .streamDescriptionSummary();
            Health.Builder health = Health.up()
                    .withDetail("stream", summary.streamName() + " " + summary.streamStatusAsString())
                    .withDetail("openShards", summary.openShardCount());
            destination.check().forEach(health::withDetail);
            return health.build();
        } catch (RuntimeException e) {
            return Health.down().withDetail("error", e.toString()).build();
        }
    }
}
