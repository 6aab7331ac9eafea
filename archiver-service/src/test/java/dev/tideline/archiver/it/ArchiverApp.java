package dev.tideline.archiver.it;

import dev.tideline.archiver.ArchiverApplication;
import dev.tideline.localaws.Endpoints;
import dev.tideline.localaws.junit.LocalAws;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The archiver service in this JVM, with the local profile, on a test class's resources. */
final class ArchiverApp {

    private ArchiverApp() {}

    static ConfigurableApplicationContext start(LocalAws aws, String workerId) {
        aws.precreateLeases(
                aws.names().archiverApp(), software.amazon.kinesis.common.InitialPositionInStream.TRIM_HORIZON);
        return new SpringApplicationBuilder(ArchiverApplication.class)
                .run(
                        "--spring.profiles.active=local",
                        "--server.port=0",
                        "--spring.cloud.aws.region.static=" + Endpoints.REGION.id(),
                        "--spring.cloud.aws.kinesis.endpoint=" + aws.endpoints().kinesis(),
                        "--spring.cloud.aws.dynamodb.endpoint="
                                + aws.endpoints().dynamoDb(),
                        "--spring.cloud.aws.s3.endpoint=" + aws.endpoints().s3(),
                        "--tideline.archiver.kcl.stream=" + aws.names().stream(),
                        "--tideline.archiver.kcl.application=" + aws.names().archiverApp(),
                        "--tideline.archiver.bucket=" + aws.names().bucket(),
                        "--tideline.archiver.kcl.worker-id=" + workerId,
                        "--tideline.archiver.buffer.interval=2s");
    }
}
