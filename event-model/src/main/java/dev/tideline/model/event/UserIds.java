package dev.tideline.model.event;

import org.jspecify.annotations.Nullable;

/**
 * The contract's rule for a {@code user_id}, for the places that take one outside an event, such as
 * the query API: 1 to 256 Unicode characters, counted as Kinesis counts partition keys (code
 * points, so an emoji is one), well-formed text, and no control character (U+0000 to U+001F).
 */
public final class UserIds {

    private UserIds() {}

    /** What the id breaks, in the contract's words; null when it is a valid id. */
    public static @Nullable String violation(String userId) {
        if (!Rules.wellFormed(userId)) {
            return Rules.UNICODE;
        }
        if (Rules.hasControl(userId)) {
            return Rules.CONTROL;
        }
        int n = Rules.characters(userId);
        return n >= 1 && n <= Rules.USER_ID_MAX ? null : Rules.USER_ID_LENGTH;
    }
}
