package dev.tideline.archiver.parquet;

import static org.apache.parquet.schema.LogicalTypeAnnotation.stringType;
import static org.apache.parquet.schema.LogicalTypeAnnotation.timestampType;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BINARY;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BOOLEAN;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT64;

import dev.tideline.model.archive.ArchiveSchema;
import dev.tideline.model.archive.Column;
import java.util.List;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * The archive's Parquet schema, made from {@link ArchiveSchema#COLUMNS}. It is the schema the
 * archiver has always written (parquet-avro's form of the same columns): strings are UTF-8 binary,
 * timestamps are {@code TIMESTAMP(MILLIS, true)}, and the string map is the standard three-level
 * {@code MAP} whose repeated group is {@code key_value}. Readers find columns by name, so old and new
 * files read as one table.
 */
final class RowSchema {

    static final MessageType ARCHIVE = of(ArchiveSchema.COLUMNS);

    static final String MAP_ENTRY = "key_value";
    static final String MAP_KEY = "key";
    static final String MAP_VALUE = "value";

    private RowSchema() {}

    /** The schema of these columns, in this order. */
    static MessageType of(List<Column> columns) {
        Types.MessageTypeBuilder message = Types.buildMessage();
        for (Column c : columns) {
            message.addField(type(c));
        }
        return message.named("dev.tideline.ClickEventRow");
    }

    private static Type type(Column c) {
        Type.Repetition repetition = c.nullable() ? Type.Repetition.OPTIONAL : Type.Repetition.REQUIRED;
        switch (c.type()) {
            case STRING:
                return Types.primitive(BINARY, repetition).as(stringType()).named(c.name());
            case BOOLEAN:
                return Types.primitive(BOOLEAN, repetition).named(c.name());
            case BIGINT:
                return Types.primitive(INT64, repetition).named(c.name());
            case TIMESTAMP:
                return Types.primitive(INT64, repetition)
                        .as(timestampType(true, LogicalTypeAnnotation.TimeUnit.MILLIS))
                        .named(c.name());
            case STRING_MAP:
                return Types.buildGroup(repetition)
                        .as(LogicalTypeAnnotation.mapType())
                        .repeatedGroup()
                        .required(BINARY)
                        .as(stringType())
                        .named(MAP_KEY)
                        .required(BINARY)
                        .as(stringType())
                        .named(MAP_VALUE)
                        .named(MAP_ENTRY)
                        .named(c.name());
            default:
                throw new IllegalArgumentException("no Parquet type for " + c.type());
        }
    }
}
