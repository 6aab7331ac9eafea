package dev.tideline.processor.rebuild;

import dev.tideline.processor.generation.Generation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** A rebuild's work directory on this machine: a directory {@code g<n>} per generation built. */
final class WorkDirs {

    private WorkDirs() {}

    static Path of(Path work, Generation generation) {
        return work.resolve("g" + generation.number());
    }

    /** Deletes the directory of every generation but {@code keep} (of every one when null). */
    static void clean(Path work, @Nullable Generation keep) throws IOException {
        if (!Files.isDirectory(work)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(work)) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().matches("g[0-9]+"))
                    .filter(d -> keep == null || !d.equals(of(work, keep)))
                    .toList()) {
                delete(dir);
            }
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
