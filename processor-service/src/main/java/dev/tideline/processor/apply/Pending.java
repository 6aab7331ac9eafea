package dev.tideline.processor.apply;

import org.jspecify.annotations.Nullable;

/** An item on its way: its next write, and how to find out what the store holds after a refusal. */
interface Pending {

    /** The next write; null when there is nothing left to write. */
    @Nullable
    Write write();

    /**
     * Reads the item again after {@code result}; true when there is still something to write, now
     * in {@link #write()}. May throw when the store cannot be read; it is then called again.
     */
    boolean refresh(Write.Result result);

    /** The item holds everything it should; reports it. */
    void landed();
}
