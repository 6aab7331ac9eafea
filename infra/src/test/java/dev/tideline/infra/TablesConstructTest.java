package dev.tideline.infra;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

class TablesConstructTest {

    private final Template template = StackFixture.template(Parameters.defaults());

    @Test
    void leaseTablesHaveKclsKeySchemaOnDemandWithPointInTimeRecovery() {
        for (String name : List.of("tideline-processor", "tideline-archiver")) {
            template.hasResourceProperties(
                    "AWS::DynamoDB::Table",
                    Map.of(
                            "TableName",
                            name,
                            "KeySchema",
                            List.of(Map.of("AttributeName", "leaseKey", "KeyType", "HASH")),
                            "BillingMode",
                            "PAY_PER_REQUEST",
                            "PointInTimeRecoverySpecification",
                            Map.of("PointInTimeRecoveryEnabled", true)));
        }
    }

    @Test
    void aggregatesTableIsSingleTableWithTtl() {
        template.hasResourceProperties(
                "AWS::DynamoDB::Table",
                Map.of(
                        "TableName", "tideline-aggregates",
                        "KeySchema",
                                List.of(
                                        Map.of("AttributeName", "pk", "KeyType", "HASH"),
                                        Map.of("AttributeName", "sk", "KeyType", "RANGE")),
                        "TimeToLiveSpecification", Map.of("AttributeName", "expires_at", "Enabled", true),
                        "BillingMode", "PAY_PER_REQUEST",
                        "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true)));
        template.hasResource("AWS::DynamoDB::Table", Map.of("DeletionPolicy", "Retain"));
    }
}
