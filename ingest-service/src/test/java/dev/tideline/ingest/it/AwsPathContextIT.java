package dev.tideline.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tideline.ingest.IngestApplication;
import dev.tideline.localaws.junit.LocalAwsExtension;
import dev.tideline.localaws.junit.PublishedMeters;
import dev.tideline.model.metrics.Meters;
import io.micrometer.cloudwatch2.CloudWatchMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The ingest service as it runs on AWS: no profile, so the CloudWatch registry is made (its
 * publishing turned off here). It starts, publishes, and every meter the dashboard and alarms read
 * reaches the CloudWatch registry, but those counted per failure reason, made on a first failure.
 */
class AwsPathContextIT {

    @RegisterExtension
    static final LocalAwsExtension LOCAL = new LocalAwsExtension();

    @Test
    void startsWithNoProfileAndPublishesTheCataloguesMetersToCloudWatch() throws Exception {
        String[] arguments = LocalAwsProperties.arguments(
                LOCAL.aws(),
                "--server.port=0",
                "--spring.cloud.aws.cloudwatch.enabled=true",
                // Nothing may leave this machine: publishing off, and nowhere to publish to.
                "--spring.cloud.aws.cloudwatch.endpoint=http://127.0.0.1:1",
                "--management.cloudwatch.metrics.export.enabled=false");
        try (ConfigurableApplicationContext app =
                new SpringApplicationBuilder(IngestApplication.class).run(arguments)) {
            assertThat(app.getEnvironment().getActiveProfiles()).isEmpty();
            CloudWatchMeterRegistry cloudWatch = app.getBean(CloudWatchMeterRegistry.class);
            IngestClient client = new IngestClient(
                    ((WebServerApplicationContext) app).getWebServer().getPort());
            assertThat(client.post("aws-user", 1).status()).isEqualTo(202);

            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> PublishedMeters.assertRegistered(
                            cloudWatch,
                            Meters.of("ingest").stream()
                                    .filter(m -> !m.equals(Meters.INGEST_RETRIES)
                                            && !m.equals(Meters.INGEST_PUBLISH_REJECTED))
                                    .toList()));
            assertThat(cloudWatch.getMeters())
                    .allSatisfy(m -> assertThat(m.getId().getName()).startsWith("tideline."));
        }
    }
}
