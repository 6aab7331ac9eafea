package dev.tideline.ingest.publish;

import java.time.Duration;

/** A record was not acknowledged by the stream; the client should retry after {@link #retryAfter()}. */
public final class PublishRejectedException extends RuntimeException {

    /** Why a record was not published. */
    public enum Reason {
        /** The publisher holds as many bytes as it may; refused at once. */
        BUFFER_FULL,
        /** Kinesis throttled or failed the record until the deadline passed. */
        DEADLINE,
        /** The stream could not be reached. */
        UNAVAILABLE,
        /** The service is shutting down. */
        SHUTTING_DOWN
    }

    private final Reason reason;
    private final transient Duration retryAfter;

    public PublishRejectedException(Reason reason, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.reason = reason;
        this.retryAfter = retryAfter;
    }

    public Reason reason() {
        return reason;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
