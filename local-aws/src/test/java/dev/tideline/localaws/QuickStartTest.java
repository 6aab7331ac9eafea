package dev.tideline.localaws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuickStartTest {

    private static final Instant BUILT = Instant.parse("2026-12-05T08:00:00Z");

    @TempDir
    Path target;

    private Path jar;

    @BeforeEach
    void build() throws IOException {
        jar = file(target.resolve("processor-service-0.1.0-SNAPSHOT.jar"), BUILT);
        file(target.resolve("processor-service-0.1.0-SNAPSHOT.jar.original"), BUILT);
        file(target.resolve("faults").resolve("processor-service-0.1.0-SNAPSHOT-faults.jar"), BUILT);
        file(target.resolve("app").resolve("processor-service.jar"), BUILT.plusSeconds(5));
    }

    @Test
    void theServiceJarIsFoundAmongTheBuildsOtherFiles() {
        assertThat(QuickStart.jarIn(target, "processor-service")).isEqualTo(jar);
        assertThat(QuickStart.jarIn(target, "archiver-service")).isNull();
        assertThat(QuickStart.jarIn(target.resolve("missing"), "processor-service"))
                .isNull();
    }

    @Test
    void anArchiveMadeAfterTheJarIsUsed() throws IOException {
        Path archive = file(target.resolve("app").resolve("processor-service.jsa"), BUILT.plusSeconds(12));

        assertThat(QuickStart.launch(jar))
                .isEqualTo(List.of(
                        "-XX:SharedArchiveFile=" + archive,
                        "-jar",
                        target.resolve("app").resolve("processor-service.jar").toString()));
    }

    @Test
    void aJarRepackagedSinceIsRunItselfAsIsOneWithNoQuickStart() throws IOException {
        file(target.resolve("app").resolve("processor-service.jsa"), BUILT.minusSeconds(60));

        assertThat(QuickStart.launch(jar)).isEqualTo(List.of("-jar", jar.toString()));

        Files.delete(target.resolve("app").resolve("processor-service.jsa"));
        assertThat(QuickStart.launch(jar)).isEqualTo(List.of("-jar", jar.toString()));
    }

    private static Path file(Path path, Instant modified) throws IOException {
        Files.createDirectories(path.getParent());
        Files.write(path, new byte[] {1});
        Files.setLastModifiedTime(path, FileTime.from(modified));
        return path;
    }
}
