package dev.tideline.processor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tideline.kcl.KclConsumer;
import dev.tideline.localaws.junit.LocalAws;
import dev.tideline.localaws.junit.LocalAwsExtension;
import dev.tideline.localaws.junit.PublishedMeters;
import dev.tideline.localaws.junit.StreamFeeder;
import dev.tideline.localaws.truth.Clickstream;
import dev.tideline.model.metrics.Meters;
import dev.tideline.processor.ProcessorApplication;
import io.micrometer.cloudwatch2.CloudWatchMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.kinesis.common.InitialPositionInStream;

/**
 * The processor as it runs on AWS: no profile, so the CloudWatch registry is made (its publishing
 * turned off here), with KCL at its AWS defaults. It starts, reads, and every meter the dashboard
 * and alarms read reaches the CloudWatch registry; its liveness fails once the KCL scheduler is gone.
 */
class AwsPathContextIT {

    @RegisterExtension
    static final LocalAwsExtension LOCAL = new LocalAwsExtension();

    @Test
    void startsWithNoProfileAndPublishesTheCataloguesMetersToCloudWatch() throws Exception {
        LocalAws aws = LOCAL.aws();
        aws.precreateLeases(aws.names().processorApp(), InitialPositionInStream.TRIM_HORIZON);
        try (KinesisClient kinesis = aws.clients().kinesis();
                ConfigurableApplicationContext app =
                        new SpringApplicationBuilder(ProcessorApplication.class).run(arguments(aws))) {
            assertThat(app.getEnvironment().getActiveProfiles()).isEmpty();
            CloudWatchMeterRegistry cloudWatch = app.getBean(CloudWatchMeterRegistry.class);
            StreamFeeder feeder = new StreamFeeder(kinesis, aws.names().stream());
            feeder.aggregated(new Clickstream(1, 20, "aws-").next(200));
            feeder.raw("poison", "not json".getBytes(StandardCharsets.UTF_8));

            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> PublishedMeters.assertRegistered(cloudWatch, Meters.of("processor")));
            assertThat(cloudWatch.getMeters())
                    .allSatisfy(m -> assertThat(m.getId().getName()).startsWith("tideline."));

            // Liveness follows the KCL scheduler: ECS replaces a task whose scheduler is gone.
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            assertThat(LocalAws.status(port, "/actuator/health/liveness")).isEqualTo(200);
            app.getBean(KclConsumer.class).stop();
            assertThat(LocalAws.status(port, "/actuator/health/liveness")).isEqualTo(503);
        }
    }

    private static String[] arguments(LocalAws aws) {
        List<String> arguments = new ArrayList<>(aws.noProfileArguments());
        arguments.addAll(List.of(
                "--tideline.processor.kcl.cloud-watch-metrics=false",
                "--tideline.processor.kcl.stream=" + aws.names().stream(),
                "--tideline.processor.kcl.application=" + aws.names().processorApp(),
                "--tideline.processor.table=" + aws.names().aggregatesTable()));
        return arguments.toArray(String[]::new);
    }
}
