package dev.tideline.processor.rebuild;

import dev.tideline.model.archive.ArchiveSchema;
import dev.tideline.model.archive.Column;
import dev.tideline.model.event.ClickEvent;
import dev.tideline.model.shard.Position;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** Records as the archive holds them, in a DuckDB table {@code archive} of the archive's columns. */
public final class ArchiveTable {

    /** One record of the stream: its event, shard and position, and when it arrived. */
    public record Row(ClickEvent event, String shard, Position position, Instant arrived) {}

    private ArchiveTable() {}

    /**
     * The columns the fold reads of one record, by name ({@link ArchiveSchema}); null where the record
     * has no value. Timestamps are {@link Instant}s.
     */
    public static Map<String, Object> columns(Row sent) {
        ClickEvent e = sent.event();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("event_id", e.eventId());
        row.put("user_id", e.userId());
        row.put("event_type", e.eventType());
        row.put("page", e.page());
        row.put("occurred_at", e.occurredAt());
        row.put("received_at", e.receivedAt());
        row.put(ArchiveSchema.SHARD_ID, sent.shard());
        row.put(ArchiveSchema.SEQUENCE_NUMBER, sent.position().sequenceNumber());
        row.put(ArchiveSchema.SUB_SEQUENCE_NUMBER, sent.position().subSequence());
        row.put(ArchiveSchema.ARRIVAL_TIME, sent.arrived());
        row.put("is_bot", e.context() == null ? null : e.context().bot());
        return row;
    }

    /** Creates the table {@code archive} with one row per record. */
    public static void create(Connection duck, List<Row> stream) throws SQLException {
        StringJoiner columns = new StringJoiner(", ");
        StringJoiner marks = new StringJoiner(", ");
        for (Column c : ArchiveSchema.COLUMNS) {
            String type =
                    switch (c.type()) {
                        case STRING -> "VARCHAR";
                        case BOOLEAN -> "BOOLEAN";
                        case BIGINT -> "BIGINT";
                        case TIMESTAMP -> "TIMESTAMP";
                        case STRING_MAP -> "MAP(VARCHAR, VARCHAR)";
                    };
            columns.add(c.name() + " " + type);
            marks.add(c.type().name().equals("STRING_MAP") ? "MAP {}" : "?");
        }
        try (Statement s = duck.createStatement()) {
            s.execute("CREATE TABLE archive (" + columns + ")");
        }
        try (PreparedStatement insert = duck.prepareStatement("INSERT INTO archive VALUES (" + marks + ")")) {
            for (Row sent : stream) {
                Map<String, Object> row = columns(sent);
                int i = 1;
                for (Column c : ArchiveSchema.COLUMNS) {
                    if (c.type().name().equals("STRING_MAP")) {
                        continue;
                    }
                    Object v = row.get(c.name());
                    if (v == null) {
                        insert.setNull(i++, Types.NULL);
                    } else if (v instanceof Instant at) {
                        insert.setObject(i++, LocalDateTime.ofInstant(at, ZoneOffset.UTC));
                    } else {
                        insert.setObject(i++, v);
                    }
                }
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}
