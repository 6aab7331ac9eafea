package dev.tideline.processor.rebuild;

/**
 * What differs between the engines that run {@link FoldSql}: every function whose name or form is
 * not the same in DuckDB and in Athena (Trino) is spelled here, and nowhere else.
 */
public interface SqlDialect {

    /** DuckDB, embedded: the archive's files on this machine. */
    SqlDialect DUCKDB = new SqlDialect() {
        @Override
        public String micros(String timestamp) {
            return "epoch_us(" + timestamp + ")";
        }

        @Override
        public String integer(String digits) {
            return "CAST(" + digits + " AS HUGEINT)";
        }

        @Override
        public String argMax(String value, String key) {
            return "arg_max(" + value + ", " + key + ")";
        }

        @Override
        public String argMin(String value, String key) {
            return "arg_min(" + value + ", " + key + ")";
        }

        @Override
        public String list(String value, String key) {
            // Faster than an ordered aggregate, which sorts each group's rows by the key as it goes.
            return "list_transform(list_sort(list(struct_pack(k := " + key + ", v := " + value + "))), x -> x.v)";
        }

        @Override
        public String integerDivide(String dividend, long divisor) {
            return "(" + dividend + " // " + divisor + ")";
        }
    };

    /** Microseconds since the epoch of a timestamp column. */
    String micros(String timestamp);

    /** A string of at most 32 decimal digits as an integer, to compare and sort as a number. */
    String integer(String digits);

    /** The {@code value} of the row with the greatest {@code key}. */
    String argMax(String value, String key);

    /** The {@code value} of the row with the least {@code key}. */
    String argMin(String value, String key);

    /** The values of the group as an array, in the order of {@code key}. */
    String list(String value, String key);

    /** Integer division rounding down, for non-negative numbers. */
    String integerDivide(String dividend, long divisor);
}
