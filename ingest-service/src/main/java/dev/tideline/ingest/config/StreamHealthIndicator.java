package dev.tideline.ingest.config;

import dev.tideline.ingest.publish.EventPublisher;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** Readiness: whether the stream answered the publisher lately. */
final class StreamHealthIndicator implements HealthIndicator {

    private final EventPublisher publisher;

    StreamHealthIndicator(EventPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public Health health() {
        return publisher.streamReachable()
                ? Health.up().build()
                : Health.down().withDetail("stream", "not reachable").build();
    }
}
