package dev.tideline.archiver.store;

/** The bucket could not be reached, or failed the call; trying again later may succeed. */
public final class ArchiveUnavailableException extends RuntimeException {

    ArchiveUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
