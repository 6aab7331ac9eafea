package dev.tideline.localaws.up;

import dev.tideline.localaws.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

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
        Path target = root.resolve(module).resolve("target");
        if (!Files.isDirectory(target)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().matches(module + "-[^-]+.*\\.jar"))
                    .filter(f -> !f.getFileName().toString().endsWith("-plain.jar"))
                    .findFirst()
                    .map(jar -> new Service(
                            module, Ports.fromEnv(portVariable, defaultPort), portVariable, jar, DEFAULT_JVM));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
