package dev.tideline.model.event;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * {@code event_id}s as the consumers' dedupe windows keep them: 64 bits of their SHA-256. Two ids of
 * one window collide with a probability of about its size over 2^64, far below any other cause of
 * error, and a client cannot choose an id that collides with another's. Thread-safe.
 */
public final class EventIds {

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(EventIds::sha256);

    private EventIds() {}

    public static long hash64(String eventId) {
        return ByteBuffer.wrap(SHA256.get().digest(eventId.getBytes(StandardCharsets.UTF_8)))
                .getLong();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
