package dev.tideline.model.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideline.model.event.Fields;
import org.junit.jupiter.api.Test;

class ArchiveSchemaTest {

    @Test
    void everyEventFieldIsArchived() {
        assertThat(ArchiveSchema.COLUMNS).extracting(Column::name).containsAll(Fields.ALL);
    }

    @Test
    void columnsAddedAfterTheFirstFilesAreNullable() {
        assertThat(ArchiveSchema.COLUMNS.subList(
                        ArchiveSchema.COLUMNS.indexOf(column(Fields.USER_AGENT)), ArchiveSchema.COLUMNS.size()))
                .allMatch(Column::nullable);
    }

    @Test
    void glueTypesAreHiveDdl() {
        assertThat(ArchiveSchema.COLUMNS)
                .extracting(c -> c.name() + " " + c.type().glueType())
                .contains("received_at timestamp", "properties map<string,string>", "sub_sequence_number bigint");
    }

    private static Column column(String name) {
        return ArchiveSchema.COLUMNS.stream()
                .filter(c -> c.name().equals(name))
                .findFirst()
                .orElseThrow();
    }
}
