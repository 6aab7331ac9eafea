package dev.tideline.processor.rebuild;

/** A rebuild that cannot be done as asked; the message says why and what would allow it. */
public final class RebuildRefusedException extends RuntimeException {

    public RebuildRefusedException(String message) {
        super(message);
    }
}
