package dev.tideline.processor.apply;

/** The aggregate store could not be reached, or failed the call; trying again later may succeed. */
public final class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
