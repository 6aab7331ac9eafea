package dev.tideline.processor.it;

import dev.tideline.localaws.Endpoints;
import dev.tideline.localaws.junit.LocalAws;
import dev.tideline.localaws.junit.ServiceJvm;
import java.util.ArrayList;
import java.util.List;

/** The processor service in a JVM of its own, on a test class's resources, with the local profile's tuning. */
final class ProcessorProcess {

    private ProcessorProcess() {}

    static ServiceJvm start(LocalAws aws, String workerId, String... extra) {
        List<String> arguments = new ArrayList<>(List.of(
                "--spring.cloud.aws.region.static=" + Endpoints.REGION.id(),
                "--spring.cloud.aws.kinesis.endpoint=" + aws.endpoints().kinesis(),
                "--spring.cloud.aws.dynamodb.endpoint=" + aws.endpoints().dynamoDb(),
                "--tideline.processor.kcl.stream=" + aws.names().stream(),
                "--tideline.processor.kcl.application=" + aws.names().processorApp(),
                "--tideline.processor.table=" + aws.names().aggregatesTable(),
                "--tideline.processor.kcl.worker-id=" + workerId));
        arguments.addAll(List.of(extra));
        return ServiceJvm.start(
                "dev.tideline.processor.ProcessorApplication", aws.names().stream() + "-" + workerId, arguments);
    }
}
