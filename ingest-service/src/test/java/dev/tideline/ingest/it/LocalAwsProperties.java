package dev.tideline.ingest.it;

import dev.tideline.localaws.Endpoints;
import dev.tideline.localaws.junit.LocalAws;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Points the ingest service at a test class's resources on the embedded stack. */
final class LocalAwsProperties {

    private LocalAwsProperties() {}

    static void register(DynamicPropertyRegistry registry, LocalAws aws) {
        registry.add("spring.cloud.aws.region.static", Endpoints.REGION::id);
        registry.add("spring.cloud.aws.credentials.access-key", () -> Endpoints.ACCESS_KEY);
        registry.add("spring.cloud.aws.credentials.secret-key", () -> Endpoints.SECRET_KEY);
        registry.add(
                "spring.cloud.aws.kinesis.endpoint",
                () -> aws.endpoints().kinesis().toString());
        registry.add("tideline.ingest.stream", () -> aws.names().stream());
        registry.add("tideline.ingest.auth.api-keys[0]", () -> IngestClient.KEY);
    }
}
