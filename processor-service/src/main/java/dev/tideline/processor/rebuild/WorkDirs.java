package dev.tideline.processor.rebuild;

import dev.tideline.processor.generation.Generation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A rebuild's work directory on this machine: a directory {@code g<n>} per generation built, holding
 * the copy of the archive ({@code objects}) or Athena's answers ({@code athena}).
 */
final class WorkDirs {

    private static final Set<String> OURS = Set.of("objects", "athena");

    private WorkDirs() {}

    static Path of(Path work, Generation generation) {
        return work.resolve("g" + generation.number());
    }

    /**
     * Deletes the directory of every generation but {@code keep} (of every one when null). A directory
     * named so that holds anything a rebuild does not write is left alone: the work directory is the
     * user's to choose.
     */
    static void clean(Path work, @Nullable Generation keep) throws IOException {
        if (!Files.isDirectory(work)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(work)) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().matches("g[0-9]+"))
                    .filter(d -> keep == null || !d.equals(of(work, keep)))
                    .filter(WorkDirs::ours)
                    .toList()) {
                delete(dir);
            }
        }
    }

    private static boolean ours(Path dir) {
        try (Stream<Path> children = Files.list(dir)) {
            return children.allMatch(
                    c -> Files.isDirectory(c) && OURS.contains(c.getFileName().toString()));
        } catch (IOException e) {
            return false;
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
