package dev.tideline.model.shard;

import java.math.BigInteger;
import org.jspecify.annotations.Nullable;

/**
 * Whether a consumer's lease is an earlier stream's. A stream deleted and created again under the
 * same name has new shards under the old shard ids. KCL reads a deleted stream's shards to their
 * end, so the old leases end shards the new stream has open, and KCL never reads those: the
 * consumer would look healthy, with no lag, while every new record waits unread. The consumers'
 * readiness and the console both ask this, and say so.
 */
public final class EarlierStream {

    /** KCL's checkpoint of a shard read to its end. */
    public static final String SHARD_END = "SHARD_END";

    private EarlierStream() {}

    /**
     * True when {@code checkpoint} cannot be a checkpoint of the open shard it is kept for: the
     * shard's end (KCL records it only for a shard that was closed), or a sequence number before the
     * shard's first. A shard that a split or a merge closed is not open, so its ended lease is not
     * an earlier stream's.
     *
     * @param open whether the stream has the shard open (no ending sequence number)
     * @param firstSequence the shard's starting sequence number, as the stream lists it
     * @param checkpoint the lease's checkpoint: a sequence number or one of KCL's sentinels
     */
    public static boolean checkpoint(boolean open, @Nullable String firstSequence, @Nullable String checkpoint) {
        if (!open || checkpoint == null) {
            return false;
        }
        return checkpoint.equals(SHARD_END)
                || firstSequence != null
                        && !checkpoint.isEmpty()
                        && checkpoint.chars().allMatch(Character::isDigit)
                        && new BigInteger(checkpoint).compareTo(new BigInteger(firstSequence)) < 0;
    }
}
