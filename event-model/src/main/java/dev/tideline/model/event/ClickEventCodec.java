package dev.tideline.model.event;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;

/**
 * Reads and writes {@link ClickEvent}s in their JSON form, enforcing the event contract.
 *
 * <p>Reading streams tokens rather than building a tree, so a hostile body (deep nesting, huge
 * strings) is refused after reading at most a few kilobytes past the limit. Every broken rule of an
 * event is reported, not only the first. Instances are immutable and thread-safe.
 */
public final class ClickEventCodec {

    /**
     * Largest serialized event, in bytes, including the {@code received_at} the server adds. The
     * client context the server stamps comes on top (at most {@link #MAX_CONTEXT_BYTES}).
     */
    public static final int MAX_EVENT_BYTES = 32 * 1024;

    /** An event is an object holding one flat object; a batch adds one array around it. */
    static final int MAX_NESTING_DEPTH = 8;

    /** The most the stamped client context adds to an event: every character of it escaped. */
    public static final int MAX_CONTEXT_BYTES = 6 * (ClientContext.USER_AGENT_MAX + 5 * ClientContext.PARSED_MAX) + 128;

    // `,"received_at":"+10000-12-31T23:59:59.999Z"` is the longest stamp the server can add.
    private static final int RECEIVED_AT_ALLOWANCE = 44;

    private final JsonFactory factory;
    private final Supplier<UUID> ids;
    private final EventReader.Mode stored;

    /** A codec that assigns random (version 4) event ids. */
    public ClickEventCodec() {
        this(UUID::randomUUID);
    }

    /** A codec that takes missing event ids from {@code ids}, which must be thread-safe. */
    public ClickEventCodec(Supplier<UUID> ids) {
        this(ids, EventReader.Mode.STORED);
    }

    /**
     * A codec whose {@link #readStored} drops top-level fields the contract does not know instead of
     * refusing the event: for records a producer wrote to the stream ahead of the contract, once
     * operators chose to keep their known fields (the processor's
     * {@code tideline.processor.drop-unknown-fields}, and the redrive of their dead letters).
     */
    public static ClickEventCodec droppingUnknownFields() {
        return new ClickEventCodec(UUID::randomUUID, EventReader.Mode.STORED_DROPPING_UNKNOWN);
    }

    private ClickEventCodec(Supplier<UUID> ids, EventReader.Mode stored) {
        this.ids = ids;
        this.stored = stored;
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxStringLength(MAX_EVENT_BYTES)
                        .maxNameLength(MAX_EVENT_BYTES)
                        .maxNumberLength(64)
                        .build())
                .build();
    }

    /**
     * Reads one event as a client submits it: {@code received_at} must be absent, and a missing
     * {@code event_id} is assigned.
     *
     * @throws InvalidEventException naming every broken rule; nothing is returned in part
     */
    public ClickEvent readSubmitted(byte[] json) {
        return readOne(json, EventReader.Mode.SUBMITTED);
    }

    /**
     * Reads one event as the ingest service wrote it to the stream: {@code event_id} and
     * {@code received_at} are required.
     *
     * @throws InvalidEventException naming every broken rule
     */
    public ClickEvent readStored(byte[] json) {
        return readOne(json, stored);
    }

    /**
     * Reads a batch submitted as a JSON array. Each element gets its own result, in order; an element
     * that breaks the contract does not affect the others.
     *
     * @throws InvalidEventException when the body as a whole is not a well-formed JSON array
     */
    public List<Parsed> readSubmittedArray(byte[] json) {
        try (JsonParser parser = parser(json)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw invalid(FieldError.whole("a batch must be a JSON array of events"));
            }
            List<Parsed> results = new ArrayList<>();
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                results.add(readElement(parser, token, results.size()));
            }
            requireEnd(parser);
            return results;
        } catch (JacksonException e) {
            throw invalid(describe(e));
        }
    }

    /**
     * Reads a batch submitted as newline-delimited JSON: one event per non-blank line. A line that is
     * not well-formed JSON is reported at its index and the other lines are still read.
     */
    public List<Parsed> readSubmittedLines(byte[] ndjson) {
        List<Parsed> results = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= ndjson.length; i++) {
            if (i == ndjson.length || ndjson[i] == '\n') {
                if (!isBlank(ndjson, start, i)) {
                    results.add(readLine(ndjson, start, i, results.size()));
                }
                start = i + 1;
            }
        }
        return results;
    }

    /** The event's JSON form: UTF-8, snake_case, absent fields omitted, in a fixed field order. */
    public byte[] write(ClickEvent event) {
        return EventWriter.write(factory, event);
    }

    /**
     * The outcome of reading one element of a batch: exactly one of {@code event} and
     * {@code errors} is present.
     *
     * @param index position in the request, from 0
     * @param event the event, or {@code null} when it was rejected
     * @param errors every reason it was rejected; empty when it was accepted
     */
    public record Parsed(int index, @Nullable ClickEvent event, List<FieldError> errors) {

        public boolean valid() {
            return event != null;
        }
    }

    private ClickEvent readOne(byte[] json, EventReader.Mode mode) {
        try (JsonParser parser = parser(json)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw invalid(FieldError.whole("an event must be a JSON object"));
            }
            EventReader reader = new EventReader(mode);
            reader.readObject(parser);
            requireEnd(parser);
            return finish(reader);
        } catch (JacksonException e) {
            throw invalid(describe(e));
        }
    }

    private Parsed readElement(JsonParser parser, JsonToken token, int index) {
        if (token != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return rejected(index, List.of(FieldError.whole("an event must be a JSON object")));
        }
        EventReader reader = new EventReader(EventReader.Mode.SUBMITTED);
        reader.readObject(parser);
        return outcome(index, reader);
    }

    private Parsed readLine(byte[] ndjson, int from, int to, int index) {
        try (JsonParser parser = factory.createParser(ObjectReadContext.empty(), ndjson, from, to - from)) {
            JsonToken token = parser.nextToken();
            Parsed parsed = readElement(parser, token, index);
            requireEnd(parser);
            return parsed;
        } catch (JacksonException e) {
            return rejected(index, List.of(describe(e)));
        } catch (InvalidEventException e) {
            return rejected(index, e.errors());
        }
    }

    private Parsed outcome(int index, EventReader reader) {
        try {
            return new Parsed(index, finish(reader), List.of());
        } catch (InvalidEventException e) {
            return rejected(index, e.errors());
        }
    }

    private ClickEvent finish(EventReader reader) {
        List<FieldError> errors = reader.errors();
        if (!errors.isEmpty()) {
            throw new InvalidEventException(errors);
        }
        ClickEvent event = reader.build(ids);
        // The limit is the client's: what the server stamps on arrival is allowed for on top of it.
        ClickEvent sent = event.context() == null ? event : event.withContext(null);
        int size = write(sent).length + (event.receivedAt() == null ? RECEIVED_AT_ALLOWANCE : 0);
        if (size > MAX_EVENT_BYTES) {
            throw invalid(FieldError.whole(
                    "the event is " + size + " bytes serialized; at most " + MAX_EVENT_BYTES + " are allowed"));
        }
        return event;
    }

    private JsonParser parser(byte[] json) {
        return factory.createParser(ObjectReadContext.empty(), json);
    }

    private static void requireEnd(JsonParser parser) {
        if (parser.nextToken() != null) {
            throw invalid(FieldError.whole("malformed JSON: unexpected content after the end at "
                    + position(
                            parser.currentTokenLocation().getLineNr(),
                            parser.currentTokenLocation().getColumnNr())));
        }
    }

    private static FieldError describe(JacksonException e) {
        if (e instanceof StreamConstraintsException) {
            String m = String.valueOf(e.getOriginalMessage());
            if (m.contains("nesting depth")) {
                return FieldError.whole("JSON is nested deeper than " + MAX_NESTING_DEPTH + " levels");
            }
            if (m.contains("String value length") || m.contains("Name length")) {
                return FieldError.whole("a JSON string is longer than " + MAX_EVENT_BYTES + " characters");
            }
            return FieldError.whole("JSON exceeds the parser's limits");
        }
        var where = e.getLocation();
        String at = where == null ? "" : " at " + position(where.getLineNr(), where.getColumnNr());
        String cause = String.valueOf(e.getOriginalMessage());
        String reason = cause.contains("UTF-8") || cause.contains("UTF8") ? "invalid UTF-8" : "malformed JSON";
        return FieldError.whole(reason + at);
    }

    private static String position(int line, int column) {
        return "line " + line + ", column " + column;
    }

    private static Parsed rejected(int index, List<FieldError> errors) {
        return new Parsed(index, null, errors);
    }

    private static InvalidEventException invalid(FieldError error) {
        return new InvalidEventException(List.of(error));
    }

    private static boolean isBlank(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = bytes[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
