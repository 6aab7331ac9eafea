package dev.tideline.archiver.it;

import dev.tideline.archiver.ArchiverApplication;
import dev.tideline.localaws.junit.LocalAws;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The archiver service in this JVM, with the local profile, on a test class's resources. */
final class ArchiverApp {

    private ArchiverApp() {}

    static ConfigurableApplicationContext start(LocalAws aws, String workerId) {
        aws.precreateLeases(
                aws.names().archiverApp(), software.amazon.kinesis.common.InitialPositionInStream.TRIM_HORIZON);
        List<String> arguments = new ArrayList<>(List.of("--spring.profiles.active=local", "--server.port=0"));
        arguments.addAll(aws.archiverArguments(workerId));
        arguments.add("--tideline.archiver.buffer.interval=2s");
        return new SpringApplicationBuilder(ArchiverApplication.class).run(arguments.toArray(String[]::new));
    }
}
