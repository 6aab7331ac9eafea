package dev.tideline.kcl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.kinesis.metrics.MetricsConfig;
import software.amazon.kinesis.metrics.MetricsLevel;
import software.amazon.kinesis.metrics.NullMetricsFactory;

class SchedulersTest {

    @Test
    void kclPublishesASummaryPerOperationAndShardWithoutTheWorkerId() {
        MetricsConfig config = Schedulers.metrics(new MetricsConfig(null, "tideline-processor"), true);

        assertThat(config.metricsLevel()).isEqualTo(MetricsLevel.SUMMARY);
        assertThat(config.metricsEnabledDimensions()).containsExactlyInAnyOrder("Operation", "ShardId");
    }

    @Test
    void offPublishesNothing() {
        MetricsConfig config = Schedulers.metrics(new MetricsConfig(null, "tideline-processor"), false);

        assertThat(config.metricsFactory()).isInstanceOf(NullMetricsFactory.class);
    }

    @Test
    void twoWorkersInContainersGetDifferentIds() {
        assertThat(KclProperties.workerId(null)).isNotEqualTo(KclProperties.workerId(null));
        assertThat(KclProperties.workerId("w-1")).isEqualTo("w-1");
    }
}
