package dev.tideline.processor.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideline.kcl.KclProperties;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.kinesis.common.InitialPositionInStream;

class ProcessorPropertiesTest {

    @EnableConfigurationProperties(ProcessorProperties.class)
    static class Bound {}

    // With the service's own application.yml, which names the KCL application.
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withInitializer(new ConfigDataApplicationContextInitializer())
            .withUserConfiguration(Bound.class);

    @Test
    void defaultsAreKclsOwnAndTheSharedNames() {
        runner.run(context -> {
            ProcessorProperties p = context.getBean(ProcessorProperties.class);
            assertThat(p.kcl().stream()).isEqualTo("tideline-events");
            assertThat(p.kcl().application()).isEqualTo("tideline-processor");
            assertThat(p.table()).isEqualTo("tideline-aggregates");
            KclProperties kcl = p.kcl();
            assertThat(kcl.initialPositionInStream().getInitialPositionInStream())
                    .isEqualTo(InitialPositionInStream.TRIM_HORIZON);
            assertThat(kcl.fanOutConsumerName()).isNull();
            assertThat(kcl.pollInterval()).isEqualTo(Duration.ofSeconds(1));
            assertThat(kcl.failoverTime()).isEqualTo(Duration.ofSeconds(10));
            assertThat(kcl.cloudWatchMetrics()).isTrue();
            assertThat(KclProperties.workerId(p.kcl().workerId()))
                    .contains(":" + ProcessHandle.current().pid() + ":");
            assertThat(p.aggregates().sessionGap()).isEqualTo(Duration.ofMinutes(30));
        });
    }

    @Test
    void fanOutAndAtTimestampAreOptions() {
        runner.withPropertyValues(
                        "tideline.processor.kcl.worker-id=w-1",
                        "tideline.processor.kcl.retrieval=FAN_OUT",
                        "tideline.processor.kcl.initial-position=AT_TIMESTAMP",
                        "tideline.processor.kcl.initial-timestamp=2026-11-01T00:00:00Z")
                .run(context -> {
                    ProcessorProperties p = context.getBean(ProcessorProperties.class);
                    assertThat(KclProperties.workerId(p.kcl().workerId())).isEqualTo("w-1");
                    assertThat(p.kcl().fanOutConsumerName()).isEqualTo("tideline-processor");
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
