package dev.tideline.localaws;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A service's quick start, as the build leaves it beside the service's jar when it runs the tests:
 * the jar extracted ({@code target/app/<module>.jar}, its libraries in {@code lib/}) and a
 * class-data archive of a run of it ({@code <module>.jsa}). A JVM started with the archive maps the
 * classes that run loaded instead of loading and verifying them from the jar, which costs about half
 * the CPU of a start; the tests start services some hundred times, and {@code ./tideline up} four
 * at once. Used only when the build made it after the service's jar: a build without the tests (as
 * {@code ./tideline up} builds) repackages the jar and leaves an older quick start behind, which is
 * then ignored. A JVM that cannot use the archive (another JDK, say) says so in the service's log
 * and starts without it.
 */
public final class QuickStart {

    private final Path app;
    private final Path archive;

    private QuickStart(Path app, Path archive) {
        this.app = app;
        this.archive = archive;
    }

    /** The quick start in {@code target} (a module's build directory), if there is a current one. */
    public static Optional<QuickStart> in(Path target) {
        Path dir = target.resolve("app");
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> archives = files.filter(f -> f.getFileName().toString().endsWith(".jsa"))
                    .toList();
            if (archives.size() != 1) {
                return Optional.empty();
            }
            Path archive = archives.get(0);
            String module = archive.getFileName().toString().replaceFirst("\\.jsa$", "");
            Path app = dir.resolve(module + ".jar");
            Path jar = jarIn(target, module);
            boolean current = Files.isRegularFile(app)
                    && jar != null
                    && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) >= 0;
            return current ? Optional.of(new QuickStart(app, archive)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The executable jar of {@code module} in its build directory {@code target}, or null when there
     * is none (the fault hooks' jar is in {@code target/faults/}, out of this one's way).
     */
    public static @Nullable Path jarIn(Path target, String module) {
        if (!Files.isDirectory(target)) {
            return null;
        }
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().matches(module + "-[0-9].*[0-9T]\\.jar"))
                    .findFirst()
                    .orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The JVM's options that run the service of {@code jar} (as {@link #jarIn} finds it): from the
     * quick start beside it when that is current, else from the jar itself.
     */
    public static List<String> launch(Path jar) {
        return in(jar.getParent()).map(QuickStart::jar).orElseGet(() -> List.of("-jar", jar.toString()));
    }

    /**
     * The jars in {@code dir}, by name, to put after the quick start on a class path (a module's
     * fault hooks in {@code target/faults}, the rebuild's {@code rebuild-lib}); none when it does
     * not exist.
     */
    public static List<Path> jarsIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JVM's options that run the service as its jar does. */
    public List<String> jar() {
        return List.of("-XX:SharedArchiveFile=" + archive, "-jar", app.toString());
    }

    /**
     * The JVM's options that run {@code mainClass} from the service's own classes and libraries,
     * with {@code extra} after them (the archive allows entries after its own).
     */
    public List<String> classPath(String mainClass, List<Path> extra) {
        List<String> path = new ArrayList<>(List.of(app.toString()));
        extra.forEach(p -> path.add(p.toString()));
        return List.of("-XX:SharedArchiveFile=" + archive, "-cp", String.join(File.pathSeparator, path), mainClass);
    }
}
