package dev.tideline.model.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideline.model.event.Fields;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class ArchiveSchemaTest {

    @Test
    void avroFieldsFollowTheColumnsInOrder() {
        assertThat(ArchiveSchema.avro().getFields())
                .extracting(Schema.Field::name)
                .containsExactlyElementsOf(
                        ArchiveSchema.COLUMNS.stream().map(Column::name).toList());
    }

    @Test
    void everyEventFieldIsArchived() {
        assertThat(ArchiveSchema.COLUMNS).extracting(Column::name).containsAll(Fields.ALL);
    }

    @Test
    void timesAreUtcMillisAndPropertiesAMap() {
        Schema received = ArchiveSchema.avro().getField(Fields.RECEIVED_AT).schema();
        Schema occurred = ArchiveSchema.avro().getField(Fields.OCCURRED_AT).schema();
        Schema properties = ArchiveSchema.avro().getField(Fields.PROPERTIES).schema();

        assertThat(received.getLogicalType()).isEqualTo(LogicalTypes.timestampMillis());
        assertThat(occurred.getType()).isEqualTo(Schema.Type.UNION);
        assertThat(occurred.getTypes().get(1).getLogicalType()).isEqualTo(LogicalTypes.timestampMillis());
        assertThat(properties.getType()).isEqualTo(Schema.Type.MAP);
        assertThat(properties.getValueType().getType()).isEqualTo(Schema.Type.STRING);
    }

    @Test
    void glueTypesAreHiveDdl() {
        assertThat(ArchiveSchema.COLUMNS)
                .extracting(c -> c.name() + " " + c.type().glueType())
                .contains("received_at timestamp", "properties map<string,string>", "sub_sequence_number bigint");
    }
}
