package dev.tideline.processor.apply;

/** What a {@link ShardApplier} reports as it goes; implementations are thread-safe and quick. */
public interface ApplyListener {

    /** Records at or before the shard's marker, skipped because their effects are already stored. */
    void duplicates(String shardId, int records);

    /** Events whose effects were written. */
    void applied(String shardId, int events);

    void deadLetter(String shardId, String reason);

    /** A write refused because another worker had moved the shard's marker. */
    void fenced(String shardId);

    /** A transaction that was written, with its item count. */
    void transaction(String shardId, int items);

    /** A write tried again after an error or a stale cache. */
    void retry(String shardId);
}
