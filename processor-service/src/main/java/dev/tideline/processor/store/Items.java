package dev.tideline.processor.store;

import dev.tideline.model.names.Layout;
import dev.tideline.model.shard.Position;
import dev.tideline.processor.apply.DeadLetter;
import dev.tideline.processor.apply.PageMinute;
import dev.tideline.processor.apply.UserActivity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The single-table layout of {@code tideline-aggregates}: every item's key and attributes.
 *
 * <pre>
 * pk                                 sk                        what
 * user#{user_id}                     activity                  one user's aggregate
 * pages#{minute, ISO-8601 UTC}       {page, or sha256:hex}     views of a page in a minute, TTL
 * progress#{stream}#{shard_id}       marker                    the shard's applied prefix
 * dead-letter#{shard_id}             {sequence}#{sub-seq}      a poison record, TTL
 * </pre>
 */
final class Items {

    static final String PK = Layout.AGGREGATES_PARTITION_KEY;
    static final String SK = Layout.AGGREGATES_SORT_KEY;
    static final String TTL = Layout.AGGREGATES_TTL;

    static final String TOTAL = "total_events";
    static final String SEQUENCE = "sequence_number";
    static final String SUB_SEQUENCE = "sub_sequence_number";

    private static final String ACTIVITY = "activity";
    private static final String MARKER = "marker";

    /** Sort keys are at most 1,024 bytes; longer pages are keyed by their hash and kept in an attribute. */
    private static final int MAX_PAGE_KEY_BYTES = 512;

    private Items() {}

    static Map<String, AttributeValue> userKey(String userId) {
        return key("user#" + userId, ACTIVITY);
    }

    static Map<String, AttributeValue> markerKey(String stream, String shardId) {
        return key("progress#" + stream + "#" + shardId, MARKER);
    }

    static String minutePartition(Instant minute) {
        return "pages#" + minute;
    }

    static Map<String, AttributeValue> pageKey(PageMinute view) {
        byte[] utf8 = view.page().getBytes(StandardCharsets.UTF_8);
        // Key attributes cannot be empty either.
        String sk = utf8.length > 0 && utf8.length <= MAX_PAGE_KEY_BYTES ? view.page() : "sha256:" + sha256(utf8);
        return key(minutePartition(view.minute()), sk);
    }

    static Map<String, AttributeValue> user(UserActivity a) {
        Map<String, AttributeValue> item = new HashMap<>(userKey(a.userId()));
        item.put("user_id", s(a.userId()));
        item.put(TOTAL, n(a.totalEvents()));
        Map<String, AttributeValue> types = new HashMap<>();
        a.eventsByType().forEach((type, count) -> types.put(type, n(count)));
        item.put("events_by_type", AttributeValue.fromM(types));
        item.put("first_seen", s(a.firstSeen().toString()));
        item.put("last_seen", s(a.lastSeen().toString()));
        if (a.lastPage() != null) {
            item.put("last_page", s(a.lastPage()));
        }
        item.put("sessions", n(a.sessions()));
        return item;
    }

    static UserActivity user(Map<String, AttributeValue> item) {
        TreeMap<String, Long> types = new TreeMap<>();
        item.get("events_by_type").m().forEach((type, count) -> types.put(type, Long.parseLong(count.n())));
        AttributeValue lastPage = item.get("last_page");
        return new UserActivity(
                item.get("user_id").s(),
                Long.parseLong(item.get(TOTAL).n()),
                types,
                Instant.parse(item.get("first_seen").s()),
                Instant.parse(item.get("last_seen").s()),
                lastPage == null ? null : lastPage.s(),
                Long.parseLong(item.get("sessions").n()));
    }

    static Map<String, AttributeValue> marker(
            String stream, String shardId, Position at, String workerId, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(markerKey(stream, shardId));
        item.put("shard_id", s(shardId));
        item.put(SEQUENCE, s(at.sequenceNumber()));
        item.put(SUB_SEQUENCE, n(at.subSequence()));
        item.put("worker_id", s(workerId));
        item.put("updated_at", s(now.toString()));
        return item;
    }

    static @Nullable Position position(@Nullable Map<String, AttributeValue> marker) {
        if (marker == null || marker.isEmpty()) {
            return null;
        }
        return Position.of(
                marker.get(SEQUENCE).s(),
                Long.parseLong(marker.get(SUB_SEQUENCE).n()));
    }

    static Map<String, AttributeValue> deadLetter(DeadLetter d, Instant expires) {
        Position p = d.position();
        Map<String, AttributeValue> item = new HashMap<>(
                key("dead-letter#" + d.shardId(), p.sequenceNumber() + "#" + String.format("%019d", p.subSequence())));
        item.put("shard_id", s(d.shardId()));
        item.put(SEQUENCE, s(p.sequenceNumber()));
        item.put(SUB_SEQUENCE, n(p.subSequence()));
        item.put("partition_key", s(d.partitionKey()));
        item.put("reason", s(d.reason()));
        item.put("message", s(truncate(d.message(), 2000)));
        byte[] kept = d.data().length <= DeadLetter.MAX_KEPT_BYTES
                ? d.data()
                : Arrays.copyOf(d.data(), DeadLetter.MAX_KEPT_BYTES);
        item.put("data", AttributeValue.fromB(SdkBytes.fromByteArray(kept)));
        item.put("data_bytes", n(d.data().length));
        item.put("data_sha256", s(sha256(d.data())));
        item.put("arrived_at", s(d.arrivedAt().toString()));
        item.put(TTL, n(expires.getEpochSecond()));
        return item;
    }

    static String deadLetterPartition(String shardId) {
        return "dead-letter#" + shardId;
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(PK, AttributeValue.fromS(pk), SK, AttributeValue.fromS(sk));
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "...";
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
