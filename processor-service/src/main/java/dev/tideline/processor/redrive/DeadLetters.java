package dev.tideline.processor.redrive;

import dev.tideline.processor.apply.DeadLetter;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The processor's dead letters, as the redrive reads and settles them. */
public interface DeadLetters {

    /**
     * A dead letter as kept.
     *
     * @param keptWhole whether its raw bytes were kept whole (a payload over the kept size was cut)
     * @param claimedAt when a redrive began publishing it; null when none did
     */
    record Kept(DeadLetter letter, boolean keptWhole, @Nullable Instant claimedAt) {}

    /** Every dead letter, of every shard. */
    List<Kept> list();

    /** Records that a redrive publishes it from {@code at} on, unless its claim changed since it was listed. */
    boolean claim(Kept letter, Instant at);

    /** Removes it, once its event is on the stream again. */
    void delete(Kept letter);
}
