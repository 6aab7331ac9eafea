package dev.tideline.archiver.parquet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.parquet.HadoopFreeReadOptions;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.jspecify.annotations.Nullable;

/**
 * Reads an archive file's rows in file order, only the columns asked for. It goes through
 * parquet-java's file reader and record assembly with options that never touch Hadoop ({@link
 * HadoopFreeReadOptions}) and the archive's own codecs ({@link Codecs}), so no Hadoop class is ever
 * loaded.
 */
final class RowReader {

    private RowReader() {}

    /**
     * Calls {@code row} with each row, in file order, holding only {@code columns} (the others
     * null); all columns when {@code columns} is empty. A column the file lacks is null in every row.
     */
    static void read(Path file, List<String> columns, Consumer<ArchiveRow> row) {
        ParquetReadOptions options = HadoopFreeReadOptions.of(Codecs.INSTANCE);
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file), options)) {
            MessageType fileSchema = reader.getFileMetaData().getSchema();
            MessageType requested = columns.isEmpty()
                    ? fileSchema
                    : new MessageType(
                            fileSchema.getName(),
                            fileSchema.getFields().stream()
                                    .filter(f -> columns.contains(f.getName()))
                                    .toList());
            reader.setRequestedSchema(requested);
            MessageColumnIO io = new ColumnIOFactory().getColumnIO(requested, fileSchema);
            for (PageReadStore group = reader.readNextRowGroup(); group != null; group = reader.readNextRowGroup()) {
                RecordReader<ArchiveRow> records = io.getRecordReader(group, new Rows(requested));
                for (long i = 0; i < group.getRowCount(); i++) {
                    row.accept(records.read());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Assembles one {@link ArchiveRow} per record; a new row each time, since callers keep them. */
    private static final class Rows extends RecordMaterializer<ArchiveRow> {

        private ArchiveRow current = new ArchiveRow();
        private final GroupConverter root;

        Rows(MessageType schema) {
            Converter[] fields = new Converter[schema.getFieldCount()];
            for (int i = 0; i < fields.length; i++) {
                Type type = schema.getType(i);
                int column = ArchiveRow.indexOf(type.getName());
                fields[i] = type.isPrimitive()
                        ? new Value(v -> current.set(column, v))
                        : new StringMap(type.asGroupType(), m -> current.set(column, m));
            }
            root = new Fields(fields, () -> current = new ArchiveRow(), () -> {});
        }

        @Override
        public ArchiveRow getCurrentRecord() {
            return current;
        }

        @Override
        public GroupConverter getRootConverter() {
            return root;
        }
    }

    private static final class Fields extends GroupConverter {

        private final Converter[] fields;
        private final Runnable onStart;
        private final Runnable onEnd;

        Fields(Converter[] fields, Runnable onStart, Runnable onEnd) {
            this.fields = fields;
            this.onStart = onStart;
            this.onEnd = onEnd;
        }

        @Override
        public Converter getConverter(int fieldIndex) {
            return fields[fieldIndex];
        }

        @Override
        public void start() {
            onStart.run();
        }

        @Override
        public void end() {
            onEnd.run();
        }
    }

    /** A string, a long or a boolean, as the column holds it. */
    private static final class Value extends PrimitiveConverter {

        private final Consumer<Object> to;

        Value(Consumer<Object> to) {
            this.to = to;
        }

        @Override
        public void addBinary(Binary value) {
            to.accept(value.toStringUsingUTF8());
        }

        @Override
        public void addLong(long value) {
            to.accept(value);
        }

        @Override
        public void addBoolean(boolean value) {
            to.accept(value);
        }
    }

    /** The three-level map of strings: the map's group, its repeated entries, a key and a value each. */
    private static final class StringMap extends GroupConverter {

        private final Consumer<Map<String, String>> to;
        private final GroupConverter entry;
        private Map<String, String> map = new LinkedHashMap<>();
        private @Nullable String key;
        private @Nullable String value;

        StringMap(GroupType type, Consumer<Map<String, String>> to) {
            this.to = to;
            GroupType entryType = type.getType(0).asGroupType();
            Converter[] keyAndValue = new Converter[2];
            keyAndValue[entryType.getFieldIndex(RowSchema.MAP_KEY)] = new Value(k -> key = (String) k);
            keyAndValue[entryType.getFieldIndex(RowSchema.MAP_VALUE)] = new Value(v -> value = (String) v);
            this.entry = new Fields(
                    keyAndValue,
                    () -> {
                        key = null;
                        value = null;
                    },
                    () -> map.put(requireRead(key), requireRead(value)));
        }

        @Override
        public Converter getConverter(int fieldIndex) {
            return entry;
        }

        @Override
        public void start() {
            map = new LinkedHashMap<>();
        }

        @Override
        public void end() {
            to.accept(map);
        }

        private static String requireRead(@Nullable String s) {
            if (s == null) {
                throw new IllegalStateException("a map entry of the archive lacks its key or value");
            }
            return s;
        }
    }
}
