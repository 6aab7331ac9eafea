package dev.tideline.processor.apply;

/** What a {@link ShardApplier} reports as it goes; implementations are thread-safe and quick. */
public interface ApplyListener {

    /** Records whose effects were stored already, skipped: a replay after a restart or a lease move. */
    void replayed(String shardId, int records);

    /** Events whose {@code event_id} their user had sent already: a client's retry, counted nowhere. */
    void duplicates(String shardId, int events);

    /** Events whose effects were written. */
    void applied(String shardId, int events);

    void deadLetter(String shardId, String reason);

    /** This shard ended and a child's worker owns its users: nothing more is written from it. */
    void fenced(String shardId);

    /** A write tried again after an error, or after its condition failed. */
    void retry(String shardId);
}
