package dev.tideline.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideline.model.archive.ArchiveSchema;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class CatalogConstructTest {

    private final Template template = StackFixture.template(Parameters.defaults());

    @Test
    void glueColumnsAreTheArchiveSchemaInOrder() {
        Map<String, Map<String, Object>> tables = template.findResources("AWS::Glue::Table");
        assertThat(tables).hasSize(1);
        Map<String, Object> descriptor =
                storageDescriptor(tables.values().iterator().next());

        List<String> glue = columns(descriptor).stream()
                .map(c -> c.get("Name") + " " + c.get("Type"))
                .toList();
        List<String> archive = ArchiveSchema.COLUMNS.stream()
                .map(c -> c.name() + " " + c.type().glueType())
                .toList();

        assertThat(glue).isEqualTo(archive);
        assertThat(glue).contains("properties map<string,string>", "received_at timestamp");
    }

    @Test
    void partitionsAreProjectedOverTheArchiveLayout() {
        template.hasResourceProperties(
                "AWS::Glue::Table",
                Map.of(
                        "DatabaseName",
                        "tideline",
                        "TableInput",
                        Match.objectLike(Map.of(
                                "Name",
                                "events",
                                "PartitionKeys",
                                List.of(
                                        Map.of("Name", "dt", "Type", "string"),
                                        Map.of("Name", "hour", "Type", "string")),
                                "Parameters",
                                Match.objectLike(Map.of(
                                        "projection.enabled", "true",
                                        "projection.dt.type", "date",
                                        "projection.dt.format", "yyyy-MM-dd",
                                        "projection.dt.range", "2026-01-01,NOW",
                                        "projection.dt.interval.unit", "DAYS",
                                        "projection.hour.type", "integer",
                                        "projection.hour.range", "0,23",
                                        "projection.hour.digits", "2",
                                        "classification", "parquet"))))));
        Map<String, Object> table =
                template.findResources("AWS::Glue::Table").values().iterator().next();
        assertThat(String.valueOf(table)).contains("/events/dt=${dt}/hour=${hour}/");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> storageDescriptor(Map<String, Object> table) {
        var props = (Map<String, Object>) table.get("Properties");
        var input = (Map<String, Object>) props.get("TableInput");
        return (Map<String, Object>) input.get("StorageDescriptor");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> columns(Map<String, Object> descriptor) {
        return (List<Map<String, Object>>) descriptor.get("Columns");
    }
}
