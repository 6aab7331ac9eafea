package dev.tideline.model.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClickEventCodecTest {

    private static final UUID FIXED_ID = UUID.fromString("00000000-0000-4000-8000-000000000001");

    private final ClickEventCodec codec = new ClickEventCodec(() -> FIXED_ID);

    @Test
    void readsEveryFieldOfAFullEvent() {
        ClickEvent e = codec.readSubmitted(
                utf8(
                        """
                {"event_id":"3F1C2A9E-5B7D-4E8F-9A0B-1C2D3E4F5A6B","user_id":"u-1","event_type":"add_to_cart",
                 "page":"/cart","referrer":"https://example.com/","session_id":"s-9",
                 "occurred_at":"2026-11-22T10:15:30.123Z","properties":{"sku":"A-1","qty":"2"}}"""));

        assertThat(e.eventId()).isEqualTo("3f1c2a9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b");
        assertThat(e.userId()).isEqualTo("u-1");
        assertThat(e.eventType()).isEqualTo("add_to_cart");
        assertThat(e.page()).isEqualTo("/cart");
        assertThat(e.referrer()).isEqualTo("https://example.com/");
        assertThat(e.sessionId()).isEqualTo("s-9");
        assertThat(e.occurredAt()).isEqualTo(Instant.parse("2026-11-22T10:15:30.123Z"));
        assertThat(e.receivedAt()).isNull();
        assertThat(e.properties()).containsExactly(Map.entry("sku", "A-1"), Map.entry("qty", "2"));
    }

    @Test
    void aStoredRecordWithFieldsAheadOfTheContractIsRefusedUnlessUnknownFieldsAreDropped() {
        byte[] ahead = utf8("{\"event_id\":\"3f1c2a9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b\",\"user_id\":\"u-1\","
                + "\"event_type\":\"click\",\"received_at\":\"2026-11-22T10:15:30Z\","
                + "\"app_version\":\"4.2\",\"experiment\":{\"arm\":\"b\"}}");

        assertThatThrownBy(() -> codec.readStored(ahead))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("app_version");
        ClickEvent kept = ClickEventCodec.droppingUnknownFields().readStored(ahead);
        assertThat(kept.eventId()).isEqualTo("3f1c2a9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b");
        assertThat(codec.readStored(codec.write(kept))).isEqualTo(kept);
        // Still refused for what the contract does say: a known field broken, or one missing.
        assertThatThrownBy(() -> ClickEventCodec.droppingUnknownFields()
                        .readStored(utf8("{\"user_id\":\"u-1\",\"event_type\":\"Click\",\"x\":1}")))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("event_type")
                .hasMessageContaining("event_id");
        assertThatThrownBy(() -> ClickEventCodec.droppingUnknownFields()
                        .readSubmitted(utf8("{\"user_id\":\"u-1\",\"event_type\":\"click\",\"x\":1}")))
                .as("clients are always held to the contract")
                .isInstanceOf(InvalidEventException.class);
    }

    @Test
    void assignsAnEventIdWhenTheClientSentNone() {
        ClickEvent e = codec.readSubmitted(utf8("{\"user_id\":\"u\",\"event_type\":\"click\"}"));

        assertThat(e.eventId()).isEqualTo(FIXED_ID.toString());
        assertThat(e.properties()).isEmpty();
    }

    @Test
    void storedFormRoundTripsExactly() {
        ClickEvent sent = codec.readSubmitted(
                        utf8(
                                """
                {"user_id":"ü-😀","event_type":"page_view","page":"/a\\u0000b","properties":{"k":"v"}}"""))
                .withReceivedAt(Instant.parse("2026-11-22T10:15:30.123Z"));

        byte[] json = codec.write(sent);

        assertThat(codec.readStored(json)).isEqualTo(sent);
        assertThat(new String(json, StandardCharsets.UTF_8))
                .isEqualTo("{\"event_id\":\"00000000-0000-4000-8000-000000000001\",\"user_id\":\"ü-😀\","
                        + "\"event_type\":\"page_view\",\"page\":\"/a\\u0000b\","
                        + "\"received_at\":\"2026-11-22T10:15:30.123Z\",\"properties\":{\"k\":\"v\"}}");
    }

    @Test
    void theClientContextTravelsFlatAndRoundTrips() {
        ClickEvent sent = codec.readSubmitted(utf8("{\"user_id\":\"u\",\"event_type\":\"click\"}"))
                .withReceivedAt(Instant.parse("2026-11-22T10:15:30.123Z"))
                .withContext(new ClientContext("Mozilla/5.0", "192.0.2.0", "Chrome 156", "Linux", "Desktop", true));

        byte[] json = codec.write(sent);

        assertThat(codec.readStored(json)).isEqualTo(sent);
        assertThat(codec.readStored(json).fromBot()).isTrue();
        assertThat(new String(json, StandardCharsets.UTF_8))
                .endsWith("\"received_at\":\"2026-11-22T10:15:30.123Z\",\"user_agent\":\"Mozilla/5.0\","
                        + "\"ip\":\"192.0.2.0\",\"browser\":\"Chrome 156\",\"os\":\"Linux\","
                        + "\"device_class\":\"Desktop\",\"is_bot\":true}");
    }

    @Test
    void anEventStoredBeforeContextsExistedReadsWithoutOne() {
        ClickEvent old = codec.readStored(utf8("{\"event_id\":\"" + FIXED_ID
                + "\",\"user_id\":\"u\",\"event_type\":\"click\",\"received_at\":\"2026-11-22T10:15:30Z\"}"));

        assertThat(old.context()).isNull();
        assertThat(old.fromBot()).isFalse();
    }

    @Test
    void aClientCannotSendTheContextTheServerStamps() {
        assertThatThrownBy(() -> codec.readSubmitted(
                        utf8("{\"user_id\":\"u\",\"event_type\":\"click\",\"ip\":\"1.2.3.4\",\"is_bot\":false}")))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.errors())
                        .containsExactly(
                                new FieldError("ip", "is set by the server and must not be sent"),
                                new FieldError("is_bot", "is set by the server and must not be sent")));
    }

    @Test
    void aStampedContextDoesNotCountAgainstTheClientsSizeLimit() {
        String big = "x".repeat(ClickEventCodec.MAX_EVENT_BYTES - 200);
        ClickEvent sent = codec.readSubmitted(utf8("{\"user_id\":\"u\",\"event_type\":\"click\",\"page\":\"/\","
                        + "\"properties\":{\"k\":\"" + big + "\"}}"))
                .withReceivedAt(Instant.parse("2026-11-22T10:15:30.123Z"))
                .withContext(new ClientContext("\u0001".repeat(2000), "192.0.2.0", "b", "o", "d", false));

        byte[] json = codec.write(sent);

        assertThat(json.length).isGreaterThan(ClickEventCodec.MAX_EVENT_BYTES);
        assertThat(json.length)
                .isLessThanOrEqualTo(ClickEventCodec.MAX_EVENT_BYTES + ClickEventCodec.MAX_CONTEXT_BYTES);
        assertThat(codec.readStored(json)).isEqualTo(sent);
        assertThat(sent.context().userAgent()).hasSize(ClientContext.USER_AGENT_MAX);
    }

    @Test
    void storedFormRequiresTheServerFields() {
        assertThatThrownBy(() -> codec.readStored(utf8("{\"user_id\":\"u\",\"event_type\":\"click\"}")))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.errors())
                        .containsExactly(
                                new FieldError("event_id", "is required"),
                                new FieldError("received_at", "is required")));
    }

    static Stream<Arguments> hostileEvents() {
        String deep = "{\"user_id\":\"u\",\"event_type\":\"click\",\"properties\":" + "[".repeat(10_000)
                + "]".repeat(10_000) + "}";
        String longUser = "x".repeat(257);
        String huge = "{\"user_id\":\"u\",\"event_type\":\"click\",\"page\":\"" + "p".repeat(5 * 1024 * 1024) + "\"}";
        String manyProps = "{\"user_id\":\"u\",\"event_type\":\"click\",\"properties\":{"
                + String.join(
                        ",",
                        java.util.stream.IntStream.range(0, 65)
                                .mapToObj(i -> "\"k" + i + "\":\"v\"")
                                .toList())
                + "}}";
        String nearLimit = "{\"user_id\":\"u\",\"event_type\":\"click\",\"properties\":{"
                + String.join(
                        ",",
                        java.util.stream.IntStream.range(0, 20)
                                .mapToObj(i -> "\"k" + i + "\":\"" + "v".repeat(2000) + "\"")
                                .toList())
                + "}}";
        return Stream.of(
                row("missing required fields", "{}", "user_id: is required", "event_type: is required"),
                row(
                        "null required fields",
                        "{\"user_id\":null,\"event_type\":null}",
                        "user_id: is required",
                        "event_type: is required"),
                row(
                        "wrong types",
                        "{\"user_id\":42,\"event_type\":true,\"page\":[],\"occurred_at\":{}}",
                        "user_id: must be a string",
                        "event_type: must be a string",
                        "page: must be a string",
                        "occurred_at: must be a string"),
                row(
                        "empty user id",
                        "{\"user_id\":\"\",\"event_type\":\"click\"}",
                        "user_id: must be 1 to 256 characters"),
                row(
                        "user id past the partition-key limit",
                        "{\"user_id\":\"" + longUser + "\",\"event_type\":\"click\"}",
                        "user_id: must be 1 to 256 characters"),
                row(
                        "control characters in identifiers",
                        "{\"user_id\":\"u\\u0000v\",\"event_type\":\"click\",\"session_id\":\"s\\n\"}",
                        "user_id: must not hold control characters (U+0000 to U+001F)",
                        "session_id: must not hold control characters (U+0000 to U+001F)"),
                row(
                        "event type with capitals",
                        "{\"user_id\":\"u\",\"event_type\":\"Click\"}",
                        "event_type: must match ^[a-z][a-z0-9_]{0,63}$"),
                row(
                        "empty event type",
                        "{\"user_id\":\"u\",\"event_type\":\"\"}",
                        "event_type: must match ^[a-z][a-z0-9_]{0,63}$"),
                row(
                        "event id that is not a UUID",
                        "{\"event_id\":\"1-1-1-1-1\",\"user_id\":\"u\",\"event_type\":\"click\"}",
                        "event_id: must be a UUID such as 3f1c2a9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"),
                row(
                        "bad instant",
                        "{\"user_id\":\"u\",\"event_type\":\"click\",\"occurred_at\":\"yesterday\"}",
                        "occurred_at: must be an ISO-8601 instant such as 2026-11-22T10:15:30Z"),
                row(
                        "long page",
                        "{\"user_id\":\"u\",\"event_type\":\"click\",\"page\":\"" + "p".repeat(2049) + "\"}",
                        "page: must be at most 2048 characters"),
                row(
                        "long session",
                        "{\"user_id\":\"u\",\"event_type\":\"click\",\"session_id\":\"" + "s".repeat(129) + "\"}",
                        "session_id: must be at most 128 characters"),
                row(
                        "unknown fields are named",
                        "{\"user_id\":\"u\",\"event_type\":\"click\",\"userid\":\"u\",\"extra\":{\"a\":[1]}}",
                        "userid: is not a field of an event",
                        "extra: is not a field of an event"),
                row(
                        "received_at from a client",
                        "{\"user_id\":\"u\",\"event_type\":\"click\",\"received_at\":\"2026-01-01T00:00:00Z\"}",
                        "received_at: is set by the server and must not be sent"),
                row(
                        "duplicate keys",
                        "{\"user_id\":\"u\",\"user_id\":\"v\",\"event_type\":\"click\"}",
                        "user_id: appears more than once"),
                row(
                        "properties not an object",
                        "{\"user_id\":\"u\",\"event_type\":\"click\",\"properties\":[\"a\"]}",
                        "properties: must be a JSON object of strings"),
                row(
                        "property values not strings",
                        "{\"user_id\":\"u\",\"event_type\":\"click\",\"properties\":{\"a\":1,\"b\":null,\"c\":{}}}",
                        "properties.a: must be a string",
                        "properties.b: must be a string",
                        "properties.c: must be a string"),
                row("too many properties", manyProps, "properties: must have at most 64 entries"),
                row(
                        "unpaired surrogate",
                        "{\"user_id\":\"\\ud800\",\"event_type\":\"click\"}",
                        "user_id: must be valid Unicode text (it holds an unpaired surrogate)"),
                row("not an object", "[1,2]", "an event must be a JSON object"),
                row("a bare string", "\"click\"", "an event must be a JSON object"),
                row("empty body", "", "an event must be a JSON object"),
                row("truncated JSON", "{\"user_id\":\"u\",\"event_type\":\"cli", "malformed JSON at line 1, column 33"),
                row(
                        "trailing garbage",
                        "{\"user_id\":\"u\",\"event_type\":\"click\"} x",
                        "malformed JSON at line 1, column 38"),
                row(
                        "two objects",
                        "{\"user_id\":\"u\",\"event_type\":\"click\"}{}",
                        "malformed JSON: unexpected content after the end at line 1, column 37"),
                row(
                        "NUL bytes",
                        "{\"user_id\":\"u\0\",\"event_type\":\"click\"}",
                        "malformed JSON at line 1, column 14"),
                row("deep nesting", deep, "JSON is nested deeper than 8 levels"),
                row("huge string", huge, "a JSON string is longer than 32768 characters"),
                row(
                        "over 32 KiB serialized",
                        nearLimit,
                        "the event is 40315 bytes serialized; at most 32768 are allowed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileEvents")
    void rejectsHostileEventsNamingEveryBrokenRule(String title, byte[] json, List<String> expected) {
        assertThatThrownBy(() -> codec.readSubmitted(json))
                .isInstanceOfSatisfying(
                        InvalidEventException.class,
                        e -> assertThat(e.errors()).map(FieldError::toString).containsExactlyElementsOf(expected));
    }

    @Test
    void rejectsInvalidUtf8() {
        byte[] json = utf8("{\"user_id\":\"u?\",\"event_type\":\"click\"}");
        json[13] = (byte) 0xC3; // a lead byte followed by '"' is not UTF-8

        assertThatThrownBy(() -> codec.readSubmitted(json))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.errors())
                        .map(FieldError::toString)
                        .singleElement()
                        .asString()
                        .startsWith("invalid UTF-8 at line 1"));
    }

    @Test
    void acceptsUnicodeAtTheLimitsCountingCharactersNotBytes() {
        String user = "😀".repeat(256);
        ClickEvent e =
                codec.readSubmitted(utf8("{\"user_id\":\"" + user + "\",\"event_type\":\"a" + "b".repeat(63) + "\"}"));

        assertThat(e.userId()).isEqualTo(user);
    }

    @Test
    void batchArrayReportsEachElementAtItsIndex() {
        List<ClickEventCodec.Parsed> parsed = codec.readSubmittedArray(
                utf8(
                        """
                [{"user_id":"a","event_type":"click"}, 7, {"user_id":"b"}, {"user_id":"c","event_type":"view"}]"""));

        assertThat(parsed).extracting(ClickEventCodec.Parsed::index).containsExactly(0, 1, 2, 3);
        assertThat(parsed).extracting(ClickEventCodec.Parsed::valid).containsExactly(true, false, false, true);
        assertThat(parsed.get(1).errors()).containsExactly(new FieldError(null, "an event must be a JSON object"));
        assertThat(parsed.get(2).errors()).containsExactly(new FieldError("event_type", "is required"));
        assertThat(parsed.get(3).event().userId()).isEqualTo("c");
    }

    @Test
    void malformedBatchArrayIsRejectedWhole() {
        assertThatThrownBy(() -> codec.readSubmittedArray(utf8("[{\"user_id\":\"a\",\"event_type\":\"click\"},")))
                .isInstanceOf(InvalidEventException.class);
        assertThatThrownBy(() -> codec.readSubmittedArray(utf8("{\"user_id\":\"a\"}")))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.errors())
                        .containsExactly(new FieldError(null, "a batch must be a JSON array of events")));
    }

    @Test
    void ndjsonReportsAMalformedLineAtItsIndexAndReadsTheRest() {
        List<ClickEventCodec.Parsed> parsed = codec.readSubmittedLines(
                utf8(
                        """
                {"user_id":"a","event_type":"click"}

                {"user_id":"b",
                {"user_id":"c","event_type":"view"}\r
                """));

        assertThat(parsed).extracting(ClickEventCodec.Parsed::valid).containsExactly(true, false, true);
        assertThat(parsed.get(1).errors())
                .map(FieldError::toString)
                .containsExactly("malformed JSON at line 1, column 16");
        assertThat(parsed.get(2).event().userId()).isEqualTo("c");
    }

    private static Arguments row(String title, String json, String... errors) {
        return Arguments.of(title, utf8(json), List.of(errors));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
