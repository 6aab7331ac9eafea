package dev.tideline.archiver.parquet;

import dev.tideline.model.archive.ArchiveSchema;
import dev.tideline.model.archive.Column;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One row of an archive file, a value per column of {@link ArchiveSchema#COLUMNS} in that order:
 * a {@code String}, a {@code Long} (timestamps in epoch milliseconds), a {@code Boolean} or a
 * {@code Map<String, String>}, as the column's type says; null where the row has no value. Rows are
 * copied between files as they are, so nothing is converted on the way. Not thread-safe.
 */
public final class ArchiveRow {

    private static final Map<String, Integer> INDEX = index(ArchiveSchema.COLUMNS);

    private final @Nullable Object[] values = new Object[ArchiveSchema.COLUMNS.size()];

    /** The value of the column of that name; null where the row has none. */
    public @Nullable Object get(String column) {
        return values[indexOf(column)];
    }

    @Nullable
    Object get(int column) {
        return values[column];
    }

    ArchiveRow set(int column, @Nullable Object value) {
        values[column] = value;
        return this;
    }

    ArchiveRow set(String column, @Nullable Object value) {
        return set(indexOf(column), value);
    }

    static int indexOf(String column) {
        Integer i = INDEX.get(column);
        if (i == null) {
            throw new IllegalArgumentException("the archive has no column " + column);
        }
        return i;
    }

    private static Map<String, Integer> index(List<Column> columns) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            index.put(columns.get(i).name(), i);
        }
        return Map.copyOf(index);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArchiveRow other && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return Arrays.toString(values);
    }
}
