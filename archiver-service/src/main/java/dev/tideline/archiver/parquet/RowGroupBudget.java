package dev.tideline.archiver.parquet;

/**
 * One worker's memory for Parquet row groups, shared by all the files it has open. A Parquet writer
 * holds its current row group in memory until it reaches the row-group size, so each open file is
 * granted a size from this budget when it starts and gives it back when it closes: 8 MiB while the
 * budget lasts, then what is left, and never less than 64 KiB. The row groups of all open files
 * thus take at most the budget, plus 64 KiB for each file opened after it ran out (smaller row
 * groups, same rows). Thread-safe.
 */
public final class RowGroupBudget {

    public static final long MAX_ROW_GROUP = 8L << 20;
    public static final long MIN_ROW_GROUP = 64L << 10;

    private final long total;
    private long reserved;

    /** @param total bytes, at least one full row group */
    public RowGroupBudget(long total) {
        if (total < MAX_ROW_GROUP) {
            throw new IllegalArgumentException("the row-group budget is at least 8 MiB, not " + total + " bytes");
        }
        this.total = total;
    }

    /** @return the row-group size granted, to be given back with {@link #release} */
    synchronized long reserve() {
        long grant = Math.max(MIN_ROW_GROUP, Math.min(MAX_ROW_GROUP, total - reserved));
        reserved += grant;
        return grant;
    }

    synchronized void release(long grant) {
        reserved -= grant;
    }

    /** Bytes granted to the files open now. */
    public synchronized long reserved() {
        return reserved;
    }
}
