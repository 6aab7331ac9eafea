package dev.tideline.processor.generation;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The generation pointer, one item moved by conditional writes: every step checks the state it
 * moves from, so two rebuilds cannot both build, and a switch happens once. Reads are consistent.
 */
public interface Generations {

    Pointer read();

    /**
     * Starts building {@code next} from {@code plan} under {@code rules} if {@code current} is current
     * and nothing is being built.
     */
    boolean begin(Generation current, Generation next, String plan, Rules rules);

    /** Records that {@code building}'s items and lease table are written. */
    boolean loaded(Generation building);

    /**
     * Serves {@code next} from now on, if {@code current} is still current and {@code next} is the one
     * loaded, with the rules it was built by; {@code current} becomes the previous generation, to be deleted after {@code deleteAfter}
     * (never when null).
     */
    boolean switchTo(Generation current, Generation next, @Nullable Instant deleteAfter);

    /** Forgets {@code building} without serving it, once its tables are deleted: the rebuild is abandoned. */
    boolean abandon(Generation building);

    /** Forgets the previous generation once its tables are deleted. */
    boolean forget(Generation previous);

    /** Creates a generation's aggregates table if it does not exist, and waits until it is active. */
    void createTable(Generation generation);

    /** Deletes a generation's aggregates table and lease table; never the first generation's. */
    void delete(Generation generation);
}
