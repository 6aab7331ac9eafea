package dev.tideline.processor.consume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideline.localaws.junit.PublishedMeters;
import dev.tideline.model.event.Decoded;
import dev.tideline.model.metrics.Meters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ProcessorMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ProcessorMetrics metrics = new ProcessorMetrics(registry);

    @Test
    void publishesEveryMeterTheDashboardReads() {
        metrics.deadLetter("shardId-000000000000", Decoded.INVALID);
        metrics.lag("shardId-000000000000", 300, 250);

        PublishedMeters.assertRegistered(registry, Meters.of("processor"));
    }

    @Test
    void lagIsTheLargestIteratorAgeOverTheWorkersShards() {
        metrics.lag("shardId-000000000000", 0, 250);
        metrics.lag("shardId-000000000001", 0, 1_700);
        metrics.lag("shardId-000000000002", 0, 40);

        assertThat(lag()).isEqualTo(1_700);

        metrics.forget("shardId-000000000001");

        assertThat(lag()).isEqualTo(250);
    }

    @Test
    void lagGoesMissingWhileTheKclSchedulerIsNotRunning() {
        AtomicBoolean running = new AtomicBoolean(true);
        metrics.reportWhile(running::get);
        metrics.lag("shardId-000000000000", 0, 250);
        assertThat(lag()).isEqualTo(250);

        running.set(false);

        // NaN is not published, so the lag alarm, which treats missing data as breaching, fires.
        assertThat(lag()).isNaN();
    }

    private double lag() {
        return registry.get(Meters.PROCESSOR_LAG.name()).timeGauge().value(TimeUnit.MILLISECONDS);
    }
}
