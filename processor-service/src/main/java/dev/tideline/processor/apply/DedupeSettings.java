package dev.tideline.processor.apply;

import java.time.Duration;

/**
 * How long a user's {@code event_id}s are remembered. An event whose id the user's window holds is
 * a duplicate. The window always covers the user's last {@code maxIds} events or the last
 * {@code window}, whichever holds fewer ids.
 *
 * @param window how far back, by the arrival of the user's newest record
 * @param maxIds the most ids kept per user, which bounds the item's size and so its write cost
 */
public record DedupeSettings(Duration window, int maxIds) {

    public DedupeSettings {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the dedupe window is positive, not " + window);
        }
        if (maxIds < 1) {
            throw new IllegalArgumentException("the dedupe window holds at least one id, not " + maxIds);
        }
    }
}
