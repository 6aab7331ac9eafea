package dev.tideline.model.event;

import org.jspecify.annotations.Nullable;

/**
 * One reason an event was rejected.
 *
 * @param field the JSON field it concerns ({@code user_id}, {@code properties.color}); {@code null}
 *     when it concerns the event as a whole (malformed JSON, size)
 * @param message a sentence fit to show to the client; it never echoes the offending value
 */
public record FieldError(@Nullable String field, String message) {

    static FieldError of(String field, String message) {
        return new FieldError(field, message);
    }

    static FieldError whole(String message) {
        return new FieldError(null, message);
    }

    @Override
    public String toString() {
        return field == null ? message : field + ": " + message;
    }
}
