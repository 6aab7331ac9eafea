package dev.tideline.model.event;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/** Reads the fields of one event object from a parser, collecting every broken rule. Not thread-safe. */
final class EventReader {

    enum Mode {
        /** From a client: no {@code received_at}; {@code event_id} optional. */
        SUBMITTED,
        /** From the stream: {@code event_id} and {@code received_at} required. */
        STORED,
        /**
         * From the stream, as {@link #STORED}, but top-level fields the contract does not know are
         * dropped: for records a producer wrote ahead of the contract, once operators chose to keep
         * their known fields.
         */
        STORED_DROPPING_UNKNOWN
    }

    private static final int NAME_SHOWN_MAX = 64;

    private final Mode mode;
    private final List<FieldError> errors = new ArrayList<>();
    private final Set<String> seen = new HashSet<>();
    private @Nullable String eventId;
    private @Nullable String userId;
    private @Nullable String eventType;
    private @Nullable String page;
    private @Nullable String referrer;
    private @Nullable String sessionId;
    private @Nullable Instant occurredAt;
    private @Nullable Instant receivedAt;
    private Map<String, String> properties = Map.of();
    private final Map<String, String> context = new HashMap<>();
    private @Nullable Boolean bot;

    EventReader(Mode mode) {
        this.mode = mode;
    }

    /** Reads from the current {@code START_OBJECT} through its matching {@code END_OBJECT}. */
    void readObject(JsonParser p) {
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken token = p.nextToken();
            if (!seen.add(name)) {
                errors.add(FieldError.of(shown(name), Rules.DUPLICATE));
                p.skipChildren();
                continue;
            }
            readField(p, name, token);
        }
        requirePresent(Fields.USER_ID, userId);
        requirePresent(Fields.EVENT_TYPE, eventType);
        if (mode != Mode.SUBMITTED) {
            requirePresent(Fields.EVENT_ID, eventId);
            requirePresent(Fields.RECEIVED_AT, receivedAt);
        }
    }

    List<FieldError> errors() {
        return errors;
    }

    ClickEvent build(Supplier<UUID> ids) {
        String id =
                eventId != null ? eventId.toLowerCase(Locale.ROOT) : ids.get().toString();
        ClientContext client = context.isEmpty() && bot == null
                ? null
                : new ClientContext(
                        context.get(Fields.USER_AGENT),
                        context.get(Fields.IP),
                        context.get(Fields.BROWSER),
                        context.get(Fields.OS),
                        context.get(Fields.DEVICE_CLASS),
                        Boolean.TRUE.equals(bot));
        return new ClickEvent(
                id, userId, eventType, page, referrer, sessionId, occurredAt, receivedAt, properties, client);
    }

    private void readField(JsonParser p, String name, JsonToken token) {
        switch (name) {
            case Fields.EVENT_ID ->
                eventId = check(name, text(p, name, token), Rules.UUID.asPredicate(), Rules.NOT_UUID);
            case Fields.USER_ID ->
                userId = check(
                        name, identifier(p, name, token), s -> inRange(s, 1, Rules.USER_ID_MAX), Rules.USER_ID_LENGTH);
            case Fields.EVENT_TYPE ->
                eventType = check(name, text(p, name, token), Rules.EVENT_TYPE.asPredicate(), Rules.EVENT_TYPE_FORM);
            case Fields.PAGE ->
                page = check(name, text(p, name, token), s -> inRange(s, 0, Rules.URL_MAX), Rules.URL_LENGTH);
            case Fields.REFERRER ->
                referrer = check(name, text(p, name, token), s -> inRange(s, 0, Rules.URL_MAX), Rules.URL_LENGTH);
            case Fields.SESSION_ID ->
                sessionId = check(
                        name,
                        identifier(p, name, token),
                        s -> inRange(s, 0, Rules.SESSION_ID_MAX),
                        Rules.SESSION_ID_LENGTH);
            case Fields.OCCURRED_AT -> occurredAt = instant(name, text(p, name, token));
            case Fields.RECEIVED_AT -> {
                if (serverSet(p, name)) {
                    receivedAt = instant(name, text(p, name, token));
                }
            }
            case Fields.USER_AGENT, Fields.IP, Fields.BROWSER, Fields.OS, Fields.DEVICE_CLASS -> {
                String value = serverSet(p, name) ? text(p, name, token) : null;
                if (value != null) {
                    context.put(name, value);
                }
            }
            case Fields.IS_BOT -> {
                if (serverSet(p, name)) {
                    if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
                        bot = token == JsonToken.VALUE_TRUE;
                    } else {
                        errors.add(FieldError.of(name, Rules.BOOLEAN));
                        p.skipChildren();
                    }
                }
            }
            case Fields.PROPERTIES -> properties = properties(p, token);
            default -> {
                if (mode != Mode.STORED_DROPPING_UNKNOWN) {
                    errors.add(FieldError.of(shown(name), Rules.UNKNOWN));
                }
                p.skipChildren();
            }
        }
    }

    /** Whether a field the server sets may be read here: only from the stream, never from a client. */
    private boolean serverSet(JsonParser p, String name) {
        if (mode == Mode.SUBMITTED) {
            errors.add(FieldError.of(name, Rules.SERVER_SET));
            p.skipChildren();
            return false;
        }
        return true;
    }

    /** The string value, or null when absent, JSON null, or wrong (then an error is recorded). */
    private @Nullable String text(JsonParser p, String field, JsonToken token) {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_STRING) {
            errors.add(FieldError.of(field, Rules.STRING));
            p.skipChildren();
            return null;
        }
        String value = p.getString();
        if (!Rules.wellFormed(value)) {
            errors.add(FieldError.of(field, Rules.UNICODE));
            return null;
        }
        return value;
    }

    /** A text that identifies something, and so must hold no control character. */
    private @Nullable String identifier(JsonParser p, String field, JsonToken token) {
        return check(field, text(p, field, token), s -> !Rules.hasControl(s), Rules.CONTROL);
    }

    private @Nullable String check(String field, @Nullable String value, Predicate<String> rule, String message) {
        if (value != null && !rule.test(value)) {
            errors.add(FieldError.of(field, message));
            return null;
        }
        return value;
    }

    private @Nullable Instant instant(String field, @Nullable String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            errors.add(FieldError.of(field, Rules.NOT_INSTANT));
            return null;
        }
    }

    private Map<String, String> properties(JsonParser p, JsonToken token) {
        if (token == JsonToken.VALUE_NULL) {
            return Map.of();
        }
        if (token != JsonToken.START_OBJECT) {
            errors.add(FieldError.of(Fields.PROPERTIES, Rules.OBJECT));
            p.skipChildren();
            return Map.of();
        }
        Map<String, String> values = new LinkedHashMap<>();
        boolean tooMany = false;
        String key;
        while ((key = p.nextName()) != null) {
            JsonToken valueToken = p.nextToken();
            String field = Fields.PROPERTIES + "." + shown(key);
            if (!Rules.wellFormed(key)) {
                errors.add(FieldError.of(Fields.PROPERTIES, "keys " + Rules.UNICODE));
                p.skipChildren();
            } else if (values.containsKey(key)) {
                errors.add(FieldError.of(field, Rules.DUPLICATE));
                p.skipChildren();
            } else if (values.size() == Rules.PROPERTIES_MAX) {
                tooMany = true;
                p.skipChildren();
            } else {
                String value = valueToken == JsonToken.VALUE_NULL ? null : text(p, field, valueToken);
                if (valueToken == JsonToken.VALUE_NULL) {
                    errors.add(FieldError.of(field, Rules.STRING));
                }
                if (value != null) {
                    values.put(key, value);
                }
            }
        }
        if (tooMany) {
            errors.add(FieldError.of(Fields.PROPERTIES, Rules.PROPERTIES_COUNT));
        }
        return Collections.unmodifiableMap(values);
    }

    // Absent and JSON null are both missing; a present but broken value already has its error.
    private void requirePresent(String field, @Nullable Object value) {
        if (value == null && errors.stream().noneMatch(e -> field.equals(e.field()))) {
            errors.add(FieldError.of(field, Rules.REQUIRED));
        }
    }

    private static boolean inRange(String s, int min, int max) {
        int n = Rules.characters(s);
        return n >= min && n <= max;
    }

    private static String shown(String name) {
        return name.length() <= NAME_SHOWN_MAX ? name : name.substring(0, NAME_SHOWN_MAX) + "…";
    }
}
