package dev.tideline.archiver.it;

import dev.tideline.localaws.junit.LocalAws;
import dev.tideline.localaws.junit.ServiceJvm;
import java.util.ArrayList;
import java.util.List;

/** The archiver service in a JVM of its own, on a test class's resources, flushing every 2 s. */
final class ArchiverProcess {

    private ArchiverProcess() {}

    static ServiceJvm start(LocalAws aws, String workerId, String... extra) {
        List<String> arguments = new ArrayList<>(aws.archiverArguments(workerId));
        arguments.add("--tideline.archiver.buffer.interval=2s");
        arguments.addAll(List.of(extra));
        return ServiceJvm.start(
                "dev.tideline.archiver.ArchiverApplication", aws.names().stream() + "-" + workerId, arguments);
    }
}
