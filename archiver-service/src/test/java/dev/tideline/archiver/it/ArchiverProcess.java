package dev.tideline.archiver.it;

import dev.tideline.localaws.Endpoints;
import dev.tideline.localaws.junit.LocalAws;
import dev.tideline.localaws.junit.ServiceJvm;
import java.util.ArrayList;
import java.util.List;

/** The archiver service in a JVM of its own, on a test class's resources, flushing every 2 s. */
final class ArchiverProcess {

    private ArchiverProcess() {}

    static ServiceJvm start(LocalAws aws, String workerId, String... extra) {
        List<String> arguments = new ArrayList<>(List.of(
                "--spring.cloud.aws.region.static=" + Endpoints.REGION.id(),
                "--spring.cloud.aws.kinesis.endpoint=" + aws.endpoints().kinesis(),
                "--spring.cloud.aws.dynamodb.endpoint=" + aws.endpoints().dynamoDb(),
                "--spring.cloud.aws.s3.endpoint=" + aws.endpoints().s3(),
                "--tideline.archiver.kcl.stream=" + aws.names().stream(),
                "--tideline.archiver.kcl.application=" + aws.names().archiverApp(),
                "--tideline.archiver.bucket=" + aws.names().bucket(),
                "--tideline.archiver.kcl.worker-id=" + workerId,
                "--tideline.archiver.buffer.interval=2s"));
        arguments.addAll(List.of(extra));
        return ServiceJvm.start(
                "dev.tideline.archiver.ArchiverApplication", aws.names().stream() + "-" + workerId, arguments);
    }
}
