package dev.tideline.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.cloudwatch2.CloudWatchConfig;
import io.micrometer.cloudwatch2.CloudWatchMeterRegistry;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Meter;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;

class CloudWatchMetricsAutoConfigurationTest {

    /** Publishing is off: the registry is only a place to register meters in. */
    private static final CloudWatchConfig NOT_PUBLISHING = new CloudWatchConfig() {
        @Override
        public String get(String key) {
            return null;
        }

        @Override
        public String namespace() {
            return "Tideline";
        }

        @Override
        public boolean enabled() {
            return false;
        }
    };

    @Test
    void onlyTidelineMetersReachCloudWatch() {
        try (CloudWatchAsyncClient client = CloudWatchAsyncClient.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .build()) {
            CloudWatchMeterRegistry registry = new CloudWatchMeterRegistry(NOT_PUBLISHING, Clock.SYSTEM, client);
            new CloudWatchMetricsAutoConfiguration()
                    .onlyTidelineMetersToCloudWatch()
                    .customize(registry);

            registry.counter("jvm.gc.pause");
            registry.timer("http.server.requests", "uri", "/v1/events");
            registry.counter("tideline.processor.records", "outcome", "applied");
            registry.gauge("tideline.processor.lag", 0);

            assertThat(registry.getMeters().stream().map(Meter::getId).map(Meter.Id::getName))
                    .containsExactlyInAnyOrder("tideline.processor.records", "tideline.processor.lag");
            registry.close();
        }
    }
}
