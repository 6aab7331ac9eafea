package dev.tideline.archiver.parquet;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.jspecify.annotations.Nullable;

/**
 * Writes {@link ArchiveRow}s as records of a {@link RowSchema}, column i of the schema from value i
 * of the row. A required column with no value fails the write before the record is started.
 */
final class RowWriteSupport extends WriteSupport<ArchiveRow> {

    private final MessageType schema;
    private @Nullable RecordConsumer out;

    RowWriteSupport(MessageType schema) {
        this.schema = schema;
    }

    @Override
    public WriteContext init(ParquetConfiguration configuration) {
        return new WriteContext(schema, Map.of());
    }

    /** Hadoop's variant, which the writer never calls: it is given a Parquet configuration. */
    @Override
    @SuppressWarnings("deprecation") // abstract: a write support must still override it
    public WriteContext init(org.apache.hadoop.conf.Configuration configuration) {
        throw new UnsupportedOperationException("the archive's files are written without Hadoop's configuration");
    }

    @Override
    public String getName() {
        return "tideline";
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
        this.out = recordConsumer;
    }

    @Override
    public void write(ArchiveRow row) {
        for (int i = 0; i < schema.getFieldCount(); i++) {
            if (row.get(i) == null && schema.getType(i).isRepetition(Type.Repetition.REQUIRED)) {
                throw new IllegalArgumentException("the archive's column " + schema.getFieldName(i) + " needs a value");
            }
        }
        RecordConsumer out = consumer();
        out.startMessage();
        for (int i = 0; i < schema.getFieldCount(); i++) {
            Object value = row.get(i);
            if (value != null) {
                Type type = schema.getType(i);
                out.startField(type.getName(), i);
                if (type.isPrimitive()) {
                    primitive(out, type.asPrimitiveType(), value);
                } else {
                    map(out, (Map<?, ?>) value);
                }
                out.endField(type.getName(), i);
            }
        }
        out.endMessage();
    }

    private static void primitive(RecordConsumer out, PrimitiveType type, Object value) {
        switch (type.getPrimitiveTypeName()) {
            case BINARY:
                out.addBinary(utf8((String) value));
                break;
            case INT64:
                out.addLong((Long) value);
                break;
            case BOOLEAN:
                out.addBoolean((Boolean) value);
                break;
            default:
                throw new IllegalArgumentException("the archive has no column of type " + type);
        }
    }

    /** A map of strings; an empty map is a group with no entries, as Parquet wants it. */
    private static void map(RecordConsumer out, Map<?, ?> map) {
        out.startGroup();
        if (!map.isEmpty()) {
            out.startField(RowSchema.MAP_ENTRY, 0);
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.startGroup();
                out.startField(RowSchema.MAP_KEY, 0);
                out.addBinary(utf8((String) e.getKey()));
                out.endField(RowSchema.MAP_KEY, 0);
                out.startField(RowSchema.MAP_VALUE, 1);
                out.addBinary(utf8((String) e.getValue()));
                out.endField(RowSchema.MAP_VALUE, 1);
                out.endGroup();
            }
            out.endField(RowSchema.MAP_ENTRY, 0);
        }
        out.endGroup();
    }

    /**
     * A string's UTF-8 bytes as a byte-array binary, which the column's dictionary keeps as it is. The
     * dictionary hashes and compares every value; {@link Binary#fromString}'s buffer-backed binary made
     * that about a fifth of the writer's time, and the writer about an eighth slower.
     */
    private static Binary utf8(String s) {
        return Binary.fromConstantByteArray(s.getBytes(StandardCharsets.UTF_8));
    }

    private RecordConsumer consumer() {
        if (out == null) {
            throw new IllegalStateException("written to before the writer was prepared");
        }
        return out;
    }
}
