package dev.tideline.ingest.it;

import dev.tideline.localaws.Endpoints;
import dev.tideline.localaws.junit.LocalAws;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Points the ingest service at a test class's resources on the embedded stack. */
final class LocalAwsProperties {

    private LocalAwsProperties() {}

    static Map<String, String> of(LocalAws aws) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("spring.cloud.aws.region.static", Endpoints.REGION.id());
        p.put("spring.cloud.aws.credentials.access-key", Endpoints.ACCESS_KEY);
        p.put("spring.cloud.aws.credentials.secret-key", Endpoints.SECRET_KEY);
        p.put("spring.cloud.aws.kinesis.endpoint", aws.endpoints().kinesis().toString());
        p.put("spring.cloud.aws.cloudwatch.enabled", "false");
        p.put("tideline.ingest.stream", aws.names().stream());
        p.put("tideline.ingest.auth.api-keys[0]", IngestClient.KEY);
        return p;
    }

    static void register(DynamicPropertyRegistry registry, LocalAws aws) {
        of(aws).forEach((name, value) -> registry.add(name, () -> value));
    }

    /** The same properties as command-line arguments, for an application the test starts itself. */
    static String[] arguments(LocalAws aws, String... more) {
        return java.util.stream.Stream.concat(
                        of(aws).entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()),
                        java.util.Arrays.stream(more))
                .toArray(String[]::new);
    }
}
