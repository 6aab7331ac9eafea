package dev.tideline.archiver.archive;

/** What a {@link ShardArchiver} reports; implementations are thread-safe and quick. */
public interface ArchiverListener {

    /** Records that were already in an object, skipped: a replay after a restart or a lease move. */
    void replayed(String shardId, int records);

    /** Events whose {@code event_id} the shard had archived already: clients' retries, left out. */
    void duplicates(String shardId, int events);

    /** An object written: its rows, the input bytes they came from, and its own size. */
    void archived(String shardId, long rows, long inputBytes, long objectBytes);

    /** Records that could not be archived as events, kept under {@code errors/}. */
    void errors(String shardId, String reason, int records);

    /** An S3 call tried again. */
    void retry(String shardId);
}
