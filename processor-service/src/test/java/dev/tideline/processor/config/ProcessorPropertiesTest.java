package dev.tideline.processor.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideline.kcl.KclProperties;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.kinesis.common.InitialPositionInStream;

class ProcessorPropertiesTest {

    @EnableConfigurationProperties(ProcessorProperties.class)
    static class Bound {}

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Bound.class);

    @Test
    void defaultsAreKclsOwnAndTheSharedNames() {
        runner.run(context -> {
            ProcessorProperties p = context.getBean(ProcessorProperties.class);
            assertThat(p.stream()).isEqualTo("tideline-events");
            assertThat(p.application()).isEqualTo("tideline-processor");
            assertThat(p.table()).isEqualTo("tideline-aggregates");
            KclProperties kcl = p.kcl();
            assertThat(kcl.initialPositionInStream().getInitialPositionInStream())
                    .isEqualTo(InitialPositionInStream.TRIM_HORIZON);
            assertThat(kcl.fanOutConsumerName(p.application())).isNull();
            assertThat(kcl.pollInterval()).isEqualTo(Duration.ofSeconds(1));
            assertThat(kcl.failoverTime()).isEqualTo(Duration.ofSeconds(10));
            assertThat(kcl.cloudWatchMetrics()).isTrue();
            assertThat(KclProperties.workerId(p.workerId()))
                    .contains(":" + ProcessHandle.current().pid() + ":");
            assertThat(p.aggregates().sessionGap()).isEqualTo(Duration.ofMinutes(30));
        });
    }

    @Test
    void fanOutAndAtTimestampAreOptions() {
        runner.withPropertyValues(
                        "tideline.processor.worker-id=w-1",
                        "tideline.processor.kcl.retrieval=FAN_OUT",
                        "tideline.processor.kcl.initial-position=AT_TIMESTAMP",
                        "tideline.processor.kcl.initial-timestamp=2026-11-01T00:00:00Z")
                .run(context -> {
                    ProcessorProperties p = context.getBean(ProcessorProperties.class);
                    assertThat(KclProperties.workerId(p.workerId())).isEqualTo("w-1");
                    assertThat(p.kcl().fanOutConsumerName(p.application())).isEqualTo("tideline-processor");
                    assertThat(p.kcl().initialPositionInStream().getInitialPositionInStream())
                            .isEqualTo(InitialPositionInStream.AT_TIMESTAMP);
                    assertThat(p.kcl().initialPositionInStream().getTimestamp().toInstant())
                            .hasToString("2026-11-01T00:00:00Z");
                });
    }

    @Test
    void atTimestampWithoutATimestampFailsAtStartUpNamingTheProperty() {
        runner.withPropertyValues("tideline.processor.kcl.initial-position=AT_TIMESTAMP")
                .run(context ->
                        assertThat(context).getFailure().rootCause().hasMessageContaining("kcl.initial-timestamp"));
    }

    @Test
    void aDedupeWindowOfNoIdsIsRefused() {
        runner.withPropertyValues("tideline.processor.aggregates.dedupe-max-ids=0")
                .run(context -> assertThat(context).hasFailed());
    }
}
