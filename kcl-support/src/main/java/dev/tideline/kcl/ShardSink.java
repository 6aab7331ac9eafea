package dev.tideline.kcl;

import dev.tideline.model.shard.Position;
import dev.tideline.model.shard.StreamRecord;
import java.util.List;
import java.util.Optional;

/**
 * What a consumer does with one shard's records. {@link ShardConsumer} is KCL's side of it: it
 * reads, checkpoints where the sink says its records are durable, and stops taking a shard whose
 * sink failed. Called from one thread at a time.
 */
public interface ShardSink {

    /**
     * Takes the shard's next records, in order; when the consumer asks for empty batches, also none
     * while the shard is quiet.
     *
     * @param millisBehindLatest how far the reader is behind the tip of the shard, as KCL reports it
     * @return false when nothing more may be taken from this shard here: it is fenced, or the worker
     *     stops while the destination cannot be reached. Nothing past {@link #durable()} is
     *     checkpointed then, and the records are read again by whoever takes the shard.
     * @throws RuntimeException on a failure nobody expected; the shard stops here just the same
     */
    boolean accept(List<StreamRecord> records, long millisBehindLatest);

    /** The last record whose effects are durable: where a checkpoint may go. */
    Optional<Position> durable();

    /** Makes everything taken durable, as a graceful stop needs. */
    void flush();

    /**
     * The shard was read to its end: makes everything durable and records whatever must be known
     * before the end is checkpointed.
     *
     * @return false when the end must not be checkpointed here
     */
    boolean finish();

    /** Drops whatever is not durable: the lease was lost, or a batch failed. */
    void discard();

    /** This worker no longer reads the shard. */
    default void close() {}
}
