package dev.tideline.kcl;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Liveness of a consumer: its KCL scheduler runs. A scheduler that died is only logged by KCL, and
 * the service would go on answering while no shard is read; with this in the liveness group, the
 * container's health check fails and ECS replaces the task.
 */
public final class SchedulerLiveness implements HealthIndicator {

    private final KclConsumer consumer;

    public SchedulerLiveness(KclConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public Health health() {
        return consumer.alive()
                ? Health.up().build()
                : Health.down()
                        .withDetail("error", "the KCL scheduler is not running")
                        .build();
    }
}
