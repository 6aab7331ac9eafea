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

        @Override
        public String hash64(String text) {
            // The digest's first 16 hex digits, unsigned, then taken as two's complement.
            String unsigned = "CAST(('0x' || substr(sha256(" + text + "), 1, 16)) AS UBIGINT)";
            return "CAST(CAST(" + unsigned + " AS HUGEINT) - CASE WHEN " + unsigned
                    + " >= 9223372036854775808 THEN 18446744073709551616 ELSE 0 END AS BIGINT)";
        }
    };

    /**
     * Athena (engine version 3, which is Trino) over the Glue table. It reads the archive's
     * timestamps to the millisecond, which is all they hold. A timestamp is counted from the epoch
     * as a timestamp of its own, so the session's time zone does not enter.
     */
    SqlDialect ATHENA = new SqlDialect() {
        @Override
        public String micros(String timestamp) {
            return "(date_diff('millisecond', TIMESTAMP '1970-01-01 00:00:00.000', " + timestamp + ") * 1000)";
        }

        @Override
        public String integer(String digits) {
            return "CAST(" + digits + " AS DECIMAL(32, 0))";
        }

        @Override
        public String argMax(String value, String key) {
            return "max_by(" + value + ", " + key + ")";
        }

        @Override
        public String argMin(String value, String key) {
            return "min_by(" + value + ", " + key + ")";
        }

        @Override
        public String list(String value, String key) {
            return "array_agg(" + value + " ORDER BY " + key + ")";
        }

        @Override
        public String integerDivide(String dividend, long divisor) {
            // Integer operands: Trino's division truncates, which for non-negative numbers rounds down.
            return "(" + dividend + " / " + divisor + ")";
        }

        @Override
        public String hash64(String text) {
            return "from_big_endian_64(substr(sha256(to_utf8(" + text + ")), 1, 8))";
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

    /**
     * The first 64 bits of the SHA-256 of a string's UTF-8 bytes, as a signed integer: an event id
     * as the dedupe windows keep it ({@code EventIds.hash64}).
     */
    String hash64(String text);
}
