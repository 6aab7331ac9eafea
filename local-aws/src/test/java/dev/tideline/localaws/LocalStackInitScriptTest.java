package dev.tideline.localaws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideline.localaws.junit.SharedLocalStack;
import dev.tideline.model.names.Layout;
import dev.tideline.model.names.ResourceNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The LocalStack init script is shell, so it cannot read {@link ResourceNames}; this test holds it to
 * them, and to the keys the services rely on, so that LocalStack and the embedded stack agree.
 */
class LocalStackInitScriptTest {

    static final Path SCRIPT = Path.of("..", "localstack", "init", "ready.d", "10-tideline.sh");

    @Test
    void scriptCreatesTheResourcesByTheirSharedNames() throws IOException {
        String script = Files.readString(SCRIPT);
        Map<String, String> vars = variables(script);
        ResourceNames names = ResourceNames.DEFAULT;

        assertThat(vars)
                .containsEntry("STREAM", names.stream())
                .containsEntry("SHARDS", String.valueOf(ResourceNames.LOCAL_SHARDS))
                .containsEntry("PROCESSOR_LEASES", names.processorApp())
                .containsEntry("ARCHIVER_LEASES", names.archiverApp())
                .containsEntry("AGGREGATES", names.aggregatesTable())
                .containsEntry("BUCKET", names.bucket());
        assertThat(script)
                .contains("AttributeName=" + Layout.LEASE_KEY + ",KeyType=HASH")
                .contains("AttributeName=" + Layout.AGGREGATES_PARTITION_KEY + ",KeyType=HASH")
                .contains("AttributeName=" + Layout.AGGREGATES_SORT_KEY + ",KeyType=RANGE")
                .contains("AttributeName=" + Layout.AGGREGATES_TTL);
        assertThat(Files.isExecutable(SCRIPT))
                .as("LocalStack runs only executable init scripts")
                .isTrue();
    }

    @Test
    void composeAndTheTestsUseOneLocalStackImage() throws IOException {
        String compose = Files.readString(Path.of("..", "docker-compose.yml"));

        assertThat(compose).contains("image: " + SharedLocalStack.IMAGE);
        assertThat(SharedLocalStack.script()).isEqualTo(SCRIPT.toAbsolutePath().normalize());
    }

    private static Map<String, String> variables(String script) {
        Map<String, String> vars = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^([A-Z_]+)=(\\S+)$").matcher(script);
        while (m.find()) {
            vars.put(m.group(1), m.group(2));
        }
        return vars;
    }
}
