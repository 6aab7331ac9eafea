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
        public String argMax(String value, String key) {
            return "arg_max(" + value + ", " + key + ")";
        }

        @Override
        public String argMin(String value, String key) {
            return "arg_min(" + value + ", " + key + ")";
        }

        @Override
        public String list(String value, String key) {
            return "list(" + value + " ORDER BY " + key + ")";
        }

        @Override
        public String integerDivide(String dividend, long divisor) {
            return "(" + dividend + " // " + divisor + ")";
        }
    };

    /** Microseconds since the epoch of a timestamp column. */
    String micros(String timestamp);

    /** The {@code value} of the row with the greatest {@code key}. */
    String argMax(String value, String key);

    /** The {@code value} of the row with the least {@code key}. */
    String argMin(String value, String key);

    /** The values of the group as an array, in the order of {@code key}. */
    String list(String value, String key);

    /** Integer division rounding down, for non-negative numbers. */
    String integerDivide(String dividend, long divisor);
}
