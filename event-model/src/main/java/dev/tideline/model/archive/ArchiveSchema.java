package dev.tideline.model.archive;

import dev.tideline.model.event.Fields;
import java.util.List;

/**
 * The one definition of the archived row, from which both the archiver's Parquet schema and the Glue
 * table's columns are derived, so that the files and the catalogue cannot drift apart.
 */
public final class ArchiveSchema {

    public static final String SHARD_ID = "shard_id";
    public static final String SEQUENCE_NUMBER = "sequence_number";
    public static final String SUB_SEQUENCE_NUMBER = "sub_sequence_number";
    public static final String ARRIVAL_TIME = "arrival_time";

    /** Event fields first, then where the record sat in the stream. */
    public static final List<Column> COLUMNS = List.of(
            new Column(Fields.EVENT_ID, ColumnType.STRING, false, "UUID of the event"),
            new Column(Fields.USER_ID, ColumnType.STRING, false, "user; the Kinesis partition key"),
            new Column(Fields.EVENT_TYPE, ColumnType.STRING, false, "page_view, click, add_to_cart, ..."),
            new Column(Fields.PAGE, ColumnType.STRING, true, "page URL or path"),
            new Column(Fields.REFERRER, ColumnType.STRING, true, "referrer URL"),
            new Column(Fields.SESSION_ID, ColumnType.STRING, true, "client session id"),
            new Column(Fields.OCCURRED_AT, ColumnType.TIMESTAMP, true, "client clock, UTC"),
            new Column(Fields.RECEIVED_AT, ColumnType.TIMESTAMP, false, "ingest server clock, UTC"),
            new Column(Fields.PROPERTIES, ColumnType.STRING_MAP, false, "free-form string properties"),
            new Column(SHARD_ID, ColumnType.STRING, false, "Kinesis shard the record was read from"),
            new Column(SEQUENCE_NUMBER, ColumnType.STRING, false, "Kinesis sequence number"),
            new Column(SUB_SEQUENCE_NUMBER, ColumnType.BIGINT, false, "index within a KPL aggregate"),
            new Column(ARRIVAL_TIME, ColumnType.TIMESTAMP, false, "Kinesis approximate arrival time, UTC"),
            // Added later, so optional and last (docs/ARCHITECTURE.md, "Changing the schema"): files
            // written before them lack them, and readers that merge schemas by name read both.
            new Column(Fields.USER_AGENT, ColumnType.STRING, true, "client's User-Agent, stamped at ingest"),
            new Column(Fields.IP, ColumnType.STRING, true, "client address, anonymized (IPv4 /24, IPv6 /48)"),
            new Column(Fields.BROWSER, ColumnType.STRING, true, "browser name and major version"),
            new Column(Fields.OS, ColumnType.STRING, true, "operating system"),
            new Column(Fields.DEVICE_CLASS, ColumnType.STRING, true, "Desktop, Phone, Tablet, Robot, ..."),
            new Column(Fields.IS_BOT, ColumnType.BOOLEAN, true, "whether the user agent is a robot"));

    /** Hive-style partition keys of the archive layout, both strings: {@code dt=YYYY-MM-DD/hour=HH}. */
    public static final List<String> PARTITION_KEYS = List.of("dt", "hour");

    private ArchiveSchema() {}
}
