package dev.tideline.localaws.up;

import dev.tideline.localaws.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A Tideline service that {@code up} can run: its module, port and built jar.
 *
 * @param portVariable environment variable that overrides the port
 */
record Service(String name, int port, String portVariable, Path jar) {

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
                    .map(jar -> new Service(module, Ports.fromEnv(portVariable, defaultPort), portVariable, jar));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
