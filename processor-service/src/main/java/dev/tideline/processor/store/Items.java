package dev.tideline.processor.store;

import dev.tideline.model.event.Sha256;
import dev.tideline.model.names.Layout;
import dev.tideline.model.shard.Position;
import dev.tideline.processor.apply.DeadLetter;
import dev.tideline.processor.apply.Mark;
import dev.tideline.processor.apply.PageMinute;
import dev.tideline.processor.apply.RecentIds;
import dev.tideline.processor.apply.ShardMinute;
import dev.tideline.processor.apply.UserActivity;
import dev.tideline.processor.apply.UserState;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The single-table layout of {@code tideline-aggregates}: every item's key and attributes.
 *
 * <pre>
 * pk                                 sk                                  what
 * user#{user_id}                     activity                            one user's aggregate, mark and window of ids
 * pages#{minute, ISO-8601 UTC}       {shard_id}                          one shard's views of a minute: a map per page, TTL
 * pages#{minute, ISO-8601 UTC}       {shard_id}#{page, or sha256:hex}    one shard's views of a page past that map, TTL
 * shard#{stream}#{shard_id}          ended                               the shard was read to its end, TTL
 * dead-letter#{shard_id}             {sequence}#{sub-seq}                a poison record, TTL
 * </pre>
 *
 * <p>Users and page counts carry their {@link Mark} in {@code mark_shard}, {@code mark_sequence} and
 * {@code mark_sub} (page counts leave out the shard, which is in their key).
 */
final class Items {

    static final String PK = Layout.AGGREGATES_PARTITION_KEY;
    static final String SK = Layout.AGGREGATES_SORT_KEY;
    static final String TTL = Layout.AGGREGATES_TTL;

    static final String TOTAL = "total_events";
    static final String BOT_EVENTS = "bot_events";
    static final String SEQUENCE = "sequence_number";
    static final String SUB_SEQUENCE = "sub_sequence_number";
    static final String MARK_SHARD = "mark_shard";
    static final String MARK_SEQUENCE = "mark_sequence";
    static final String MARK_SUB = "mark_sub";
    static final String VIEWS = "views";
    static final String PAGE = "page";
    static final String DEAD_LETTER_PREFIX = "dead-letter#";
    static final String DATA_BYTES = "data_bytes";

    private static final String ACTIVITY = "activity";
    private static final String ENDED = "ended";
    private static final String RECENT_IDS = "recent_ids";

    /** Sort keys are at most 1,024 bytes; longer pages are keyed by their hash and kept in an attribute. */
    private static final int MAX_PAGE_KEY_BYTES = 512;

    private Items() {}

    static Map<String, AttributeValue> userKey(String userId) {
        return key("user#" + userId, ACTIVITY);
    }

    static Map<String, AttributeValue> endedKey(String stream, String shardId) {
        return key("shard#" + stream + "#" + shardId, ENDED);
    }

    static String minutePartition(Instant minute) {
        return "pages#" + minute;
    }

    static Map<String, AttributeValue> minuteKey(String shardId, Instant minute) {
        return key(minutePartition(minute), shardId);
    }

    static Map<String, AttributeValue> minute(String shardId, Instant minute, ShardMinute views, Instant expires) {
        Map<String, AttributeValue> item = new HashMap<>(minuteKey(shardId, minute));
        Map<String, AttributeValue> counts = new HashMap<>();
        views.views().forEach((page, n) -> counts.put(page, n(n)));
        item.put(VIEWS, AttributeValue.fromM(counts));
        item.put(MARK_SEQUENCE, s(views.mark().sequenceNumber()));
        item.put(MARK_SUB, n(views.mark().subSequence()));
        item.put(TTL, n(expires.getEpochSecond()));
        return item;
    }

    static ShardMinute minute(Map<String, AttributeValue> item) {
        Map<String, Long> views = new HashMap<>();
        item.get(VIEWS).m().forEach((page, n) -> views.put(page, Long.parseLong(n.n())));
        return new ShardMinute(markPosition(item), views);
    }

    static Map<String, AttributeValue> pageKey(String shardId, PageMinute view) {
        byte[] utf8 = view.page().getBytes(StandardCharsets.UTF_8);
        String page = utf8.length <= MAX_PAGE_KEY_BYTES ? view.page() : "sha256:" + Sha256.hex(utf8);
        return key(minutePartition(view.minute()), shardId + "#" + page);
    }

    static Map<String, AttributeValue> user(UserState state) {
        UserActivity a = state.activity();
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
        item.put(BOT_EVENTS, n(a.botEvents()));
        Mark mark = state.mark();
        item.put(MARK_SHARD, s(mark.shardId()));
        item.put(MARK_SEQUENCE, s(mark.position().sequenceNumber()));
        item.put(MARK_SUB, n(mark.position().subSequence()));
        item.put(
                RECENT_IDS,
                AttributeValue.fromB(
                        SdkBytes.fromByteArrayUnsafe(state.recentIds().toBytes())));
        return item;
    }

    static UserState userState(Map<String, AttributeValue> item) {
        AttributeValue ids = item.get(RECENT_IDS);
        return new UserState(
                activity(item),
                new Mark(item.get(MARK_SHARD).s(), markPosition(item)),
                ids == null ? RecentIds.empty() : RecentIds.fromBytes(ids.b().asByteArrayUnsafe()));
    }

    static Position markPosition(Map<String, AttributeValue> item) {
        return Position.of(
                item.get(MARK_SEQUENCE).s(), Long.parseLong(item.get(MARK_SUB).n()));
    }

    static UserActivity activity(Map<String, AttributeValue> item) {
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
                Long.parseLong(item.get("sessions").n()),
                item.containsKey(BOT_EVENTS)
                        ? Long.parseLong(item.get(BOT_EVENTS).n())
                        : 0); // absent: written before
    }

    static Map<String, AttributeValue> deadLetterKey(String shardId, Position p) {
        return key(DEAD_LETTER_PREFIX + shardId, p.sequenceNumber() + "#" + String.format("%019d", p.subSequence()));
    }

    /** A dead letter as {@link #deadLetter} wrote it. */
    static DeadLetter deadLetterOf(Map<String, AttributeValue> item) {
        return new DeadLetter(
                item.get("shard_id").s(),
                Position.of(
                        item.get(SEQUENCE).s(),
                        Long.parseLong(item.get(SUB_SEQUENCE).n())),
                item.get("partition_key").s(),
                item.get("data").b().asByteArray(),
                Instant.parse(item.get("arrived_at").s()),
                item.get("reason").s(),
                item.get("message").s());
    }

    static Map<String, AttributeValue> deadLetter(DeadLetter d, Instant expires) {
        Position p = d.position();
        Map<String, AttributeValue> item = new HashMap<>(deadLetterKey(d.shardId(), p));
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
        item.put(DATA_BYTES, n(d.data().length));
        item.put("data_sha256", s(Sha256.hex(d.data())));
        item.put("arrived_at", s(d.arrivedAt().toString()));
        item.put(TTL, n(expires.getEpochSecond()));
        return item;
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
}
