package dev.tideline.localaws.up;

import dev.tideline.localaws.Ports;
import dev.tideline.localaws.QuickStart;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A Tideline service that {@code up} can run: its module, port and built jar.
 *
 * @param portVariable environment variable that overrides the port
 * @param jvm options of its JVM
 */
record Service(String name, int port, String portVariable, Path jar, List<String> jvm) {

    /** What a service's JVM gets unless it says otherwise. */
    static final List<String> DEFAULT_JVM = List.of("-Xmx512m");

    /** The same service in a JVM with these options instead. */
    Service jvm(String... options) {
        return new Service(name, port, portVariable, jar, List.of(options));
    }

    /** The service's executable jar under {@code root}, when it has been built. */
    static Optional<Service> find(Path root, String module, String portVariable, int defaultPort) {
        return Optional.ofNullable(QuickStart.jarIn(root.resolve(module).resolve("target"), module))
                .map(jar ->
                        new Service(module, Ports.fromEnv(portVariable, defaultPort), portVariable, jar, DEFAULT_JVM));
    }

    /**
     * The JVM's options that run it: from the quick start a build with the tests leaves beside the
     * jar, while it is newer than the jar; else from the jar.
     */
    List<String> launch() {
        return QuickStart.launch(jar);
    }
}
