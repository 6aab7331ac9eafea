package dev.tideline.model.event;

import java.nio.ByteBuffer;

/**
 * {@code event_id}s as the consumers' dedupe windows keep them: 64 bits of their SHA-256. Two ids of
 * one window collide with a probability of about its size over 2^64, far below any other cause of
 * error, and a client cannot choose an id that collides with another's. Thread-safe.
 */
public final class EventIds {

    private EventIds() {}

    public static long hash64(String eventId) {
        return ByteBuffer.wrap(Sha256.of(eventId)).getLong();
    }
}
