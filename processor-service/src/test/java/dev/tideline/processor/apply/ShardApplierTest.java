package dev.tideline.processor.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideline.localaws.truth.Clickstream;
import dev.tideline.localaws.truth.GroundTruth;
import dev.tideline.model.event.ClickEvent;
import dev.tideline.model.event.ClickEventCodec;
import dev.tideline.model.event.ClientContext;
import dev.tideline.model.retry.Backoff;
import dev.tideline.model.shard.Position;
import dev.tideline.model.shard.StreamRecord;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ShardApplierTest {

    private static final String SHARD = "shardId-000000000000";
    private static final String CHILD = "shardId-000000000004";
    private static final ClickEventCodec CODEC = new ClickEventCodec();
    private static final ApplySettings SETTINGS = new ApplySettings(
            GroundTruth.SESSION_GAP,
            256,
            new DedupeSettings(Duration.ofMinutes(15), 100),
            10_000,
            new Backoff(Duration.ofMillis(1), Duration.ofMillis(4)));

    private final InMemoryStore store = new InMemoryStore();
    private final CountingListener listener = new CountingListener();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private long sequence = 49_000_000_000L;

    private ShardApplier applier() {
        return applier(SHARD);
    }

    private ShardApplier applier(String shardId) {
        return new ShardApplier(shardId, store, SETTINGS, listener, stopping::get);
    }

    /** Each event its own record, or {@code perAggregate} user records sharing one sequence number. */
    private List<StreamRecord> records(List<ClickEvent> events, int perAggregate) {
        List<StreamRecord> out = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            if (i % perAggregate == 0) {
                sequence += 1_000;
            }
            ClickEvent e = events.get(i);
            out.add(new StreamRecord(
                    new Position(BigInteger.valueOf(sequence), i % perAggregate),
                    e.userId(),
                    CODEC.write(e),
                    e.receivedAt()));
        }
        return out;
    }

    /** {@code events} with about a fifth sent again later in the stream, as clients retry. */
    private static List<ClickEvent> withRetries(List<ClickEvent> events, long seed) {
        Random random = new Random(seed);
        List<ClickEvent> sent = new ArrayList<>(events);
        for (ClickEvent e : events) {
            if (random.nextInt(5) == 0) {
                // Later than the original, but before the user's next events may have moved on much.
                int at = Math.min(sent.size(), sent.indexOf(e) + 1 + random.nextInt(20));
                sent.add(at, e);
            }
        }
        return sent;
    }

    private void assertExact(GroundTruth truth) {
        Map<String, GroundTruth.User> expected = truth.users();
        assertThat(store.users).hasSameSizeAs(expected);
        expected.forEach((id, u) -> {
            UserActivity a = store.users.get(id).activity();
            assertThat(new GroundTruth.User(
                            a.userId(),
                            a.totalEvents(),
                            new TreeMap<>(a.eventsByType()),
                            a.firstSeen(),
                            a.lastSeen(),
                            a.lastPage(),
                            a.sessions(),
                            a.botEvents()))
                    .as("user %s", id)
                    .isEqualTo(u);
        });
        Map<Instant, Map<String, Long>> views = new TreeMap<>();
        store.allViews().forEach((k, v) -> {
            if (v > 0) {
                views.computeIfAbsent(k.minute(), m -> new TreeMap<>()).put(k.page(), v);
            }
        });
        assertThat(views).isEqualTo(truth.pageViews());
    }

    @Test
    void foldsEveryEventIntoItsUsersAggregateExactlyOnce() {
        var events = new Clickstream(1, 40, "u").next(2_000);
        ShardApplier applier = applier();
        List<StreamRecord> batch = records(events, 7);

        assertThat(applier.apply(batch)).isEqualTo(ShardApplier.Outcome.APPLIED);

        assertExact(new GroundTruth().add(events));
        assertThat(listener.applied).hasValue(2_000);
        assertThat(applier.marker()).isEqualTo(batch.get(batch.size() - 1).position());
        assertThat(store.written).allSatisfy(w -> assertThat(w).isNotInstanceOf(Write.Dead.class));
    }

    @Test
    void eachItemIsWrittenOncePerBatch() {
        var events = new Clickstream(2, 30, "u").next(1_000);

        applier().apply(records(events, 5));

        long users = events.stream().map(ClickEvent::userId).distinct().count();
        assertThat(store.written.stream().filter(Write.User.class::isInstance)).hasSize((int) users);
    }

    @Test
    void aMinutesViewsAreOneItemPerShardUntilItHoldsTheMostPagesItMay() {
        Instant minute = Instant.parse("2026-11-28T10:00:00Z");
        var events = new ArrayList<ClickEvent>(views("e", ShardMinute.MAX_PAGES + 40, minute));
        events.addAll(views("f", ShardMinute.MAX_PAGES + 40, minute));
        events.add(new ClickEvent(
                id("long"), "u1", "page_view", "/" + "x".repeat(300), null, null, null, minute, Map.of()));

        assertThat(applier().apply(records(withRetries(events, 16), 3))).isEqualTo(ShardApplier.Outcome.APPLIED);

        assertThat(store.deadLetters).isEmpty();
        assertThat(store.minutes.get(SHARD).get(minute).views()).hasSize(ShardMinute.MAX_PAGES);
        assertThat(store.views.get(SHARD)).hasSize(41);
        assertExact(new GroundTruth().add(events));
    }

    @Test
    void aCrashBetweenAMinutesItemAndItsPagesOwnItemsIsRepairedByTheReplay() {
        var events = views("g", ShardMinute.MAX_PAGES + 30, Instant.parse("2026-11-28T11:00:00Z"));
        List<StreamRecord> batch = records(withRetries(events, 17), 2);
        store.unreachableFor = w -> w instanceof Write.PageViews;
        stopping.set(true);
        assertThat(applier().apply(batch)).isEqualTo(ShardApplier.Outcome.ABANDONED);
        assertThat(store.minutes.get(SHARD)).isNotEmpty();
        assertThat(store.users).isEmpty();

        store.unreachableFor = w -> false;
        stopping.set(false);
        assertThat(applier().apply(batch)).isEqualTo(ShardApplier.Outcome.APPLIED);

        assertExact(new GroundTruth().add(events));
    }

    /** One view of each of {@code count} pages in a minute, from a few users. */
    private static List<ClickEvent> views(String prefix, int count, Instant minute) {
        List<ClickEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(new ClickEvent(
                    id(prefix + i),
                    "u" + (i % 7),
                    "page_view",
                    "/p/" + i,
                    null,
                    null,
                    null,
                    minute.plusMillis(i),
                    Map.of()));
        }
        return events;
    }

    private static String id(String name) {
        return java.util
                .UUID
                .nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    @Test
    void aRobotsEventsCountForItsUserApartAndItsViewsLeaveTheTopPagesAlone() {
        Instant minute = Instant.parse("2026-11-28T10:00:00Z");
        ClientContext crawler = new ClientContext("Googlebot/2.1", "192.0.2.0", "Googlebot 2", "Cloud", "Robot", true);
        ClientContext person = new ClientContext("Mozilla/5.0", "192.0.2.0", "Chrome 156", "Linux", "Desktop", false);
        List<ClickEvent> events = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ClientContext who = i % 3 == 0 ? crawler : person;
            events.add(new ClickEvent(
                            id("bot" + i),
                            "u" + (i % 4),
                            "page_view",
                            "/p/" + (i % 5),
                            null,
                            null,
                            null,
                            minute.plusMillis(i),
                            Map.of())
                    .withContext(who));
        }

        assertThat(applier().apply(records(withRetries(events, 17), 2))).isEqualTo(ShardApplier.Outcome.APPLIED);

        GroundTruth truth = new GroundTruth().add(events);
        assertExact(truth);
        assertThat(truth.users().values().stream()
                        .mapToLong(GroundTruth.User::botEvents)
                        .sum())
                .isEqualTo(10);
        assertThat(truth.pageViews().get(minute).values().stream()
                        .mapToLong(Long::longValue)
                        .sum())
                .isEqualTo(20);
    }

    @Test
    void aReplayedBatchChangesNothing() {
        var events = new Clickstream(3, 30, "u").next(500);
        List<StreamRecord> batch = records(events, 5);
        applier().apply(batch);
        int writes = store.written.size();

        ShardApplier restarted = applier();
        assertThat(restarted.apply(batch)).isEqualTo(ShardApplier.Outcome.APPLIED);
        assertThat(restarted.apply(batch.subList(100, 300))).isEqualTo(ShardApplier.Outcome.APPLIED);

        assertThat(store.written).hasSize(writes);
        assertThat(listener.replayed).hasValue(700);
        assertExact(new GroundTruth().add(events));
    }

    @Test
    void aReplayFromTheMiddleAppliesOnlyWhatIsNew() {
        var events = new Clickstream(4, 30, "u").next(600);
        List<StreamRecord> batch = records(events, 3);
        applier().apply(batch.subList(0, 400));

        applier().apply(batch.subList(250, 600));

        assertThat(listener.replayed).hasValue(150);
        assertExact(new GroundTruth().add(events));
    }

    @Test
    void aClientsRetryOfAnEventIdIsCountedNowhere() {
        var events = new Clickstream(5, 30, "u").next(1_000);
        List<ClickEvent> sent = withRetries(events, 5);

        applier().apply(records(sent, 4));

        assertExact(new GroundTruth().add(sent));
        assertThat(listener.applied).hasValue(1_000);
        assertThat(listener.duplicates).hasValue(sent.size() - 1_000);
    }

    @Test
    void retriesGiveTheSameAnswerWhenReplayedFromAnyPoint() {
        var events = new Clickstream(6, 20, "u").next(800);
        List<StreamRecord> batch = records(withRetries(events, 6), 3);
        applier().apply(batch.subList(0, 500));

        for (int from : new int[] {0, 120, 333, 499}) {
            applier().apply(batch.subList(from, batch.size()));
        }

        assertExact(new GroundTruth().add(events));
    }

    @Test
    void aWorkerWhoseLeaseMovedWritesNothingTwice() {
        var stream = new Clickstream(7, 30, "u");
        var first = withRetries(stream.next(200), 71);
        var second = withRetries(stream.next(200), 72);
        List<StreamRecord> a = records(first, 4);
        List<StreamRecord> b = records(second, 4);
        ShardApplier zombie = applier();
        zombie.apply(a);

        ShardApplier successor = applier();
        successor.apply(a);
        successor.apply(b);

        // The zombie still holds a batch its successor has applied whole.
        assertThat(zombie.apply(b.subList(0, 100))).isEqualTo(ShardApplier.Outcome.APPLIED);
        assertThat(zombie.apply(b.subList(100, b.size()))).isEqualTo(ShardApplier.Outcome.APPLIED);
        List<ClickEvent> all = new ArrayList<>(first);
        all.addAll(second);
        assertExact(new GroundTruth().add(all));
    }

    @Test
    void aCrashAfterTheCountsButBeforeTheUsersIsRepairedByTheReplay() {
        var events = withRetries(new Clickstream(8, 30, "u").next(600), 8);
        List<StreamRecord> batch = records(events, 3);
        store.unreachableFor = w -> w instanceof Write.User;
        stopping.set(true);
        assertThat(applier().apply(batch)).isEqualTo(ShardApplier.Outcome.ABANDONED);
        assertThat(store.users).isEmpty();
        assertThat(store.allViews()).isNotEmpty();

        store.unreachableFor = w -> false;
        stopping.set(false);
        assertThat(applier().apply(batch)).isEqualTo(ShardApplier.Outcome.APPLIED);

        assertExact(new GroundTruth().add(events));
    }

    @Test
    void aWriteWhoseAnswerWasLostIsRecognisedByItsMarkNotWrittenTwice() {
        var events = new Clickstream(9, 30, "u").next(300);
        store.failAfter = 7;

        assertThat(applier().apply(records(events, 2))).isEqualTo(ShardApplier.Outcome.APPLIED);

        assertExact(new GroundTruth().add(events));
        assertThat(listener.applied).hasValue(300);
    }

    @Test
    void anUnreachableStoreIsWaitedOutWithoutLosingAnything() {
        var events = new Clickstream(10, 30, "u").next(300);
        store.failBefore = 5;

        assertThat(applier().apply(records(events, 2))).isEqualTo(ShardApplier.Outcome.APPLIED);

        assertThat(listener.retries).hasValue(5);
        assertExact(new GroundTruth().add(events));
    }

    @Test
    void aChildShardContinuesItsParentsUsersAndTheirWindows() {
        var stream = new Clickstream(11, 10, "u");
        var before = stream.next(200);
        var after = stream.next(200);
        applier(SHARD).apply(records(before, 2));
        store.shardEnded(SHARD);

        // The child's records carry larger positions, but any would do: marks of another shard are an ancestor's.
        List<ClickEvent> retriedAcrossTheSplit = new ArrayList<>(before.subList(190, 200));
        retriedAcrossTheSplit.addAll(after);
        sequence = 1;
        assertThat(applier(CHILD).apply(records(retriedAcrossTheSplit, 2))).isEqualTo(ShardApplier.Outcome.APPLIED);

        List<ClickEvent> all = new ArrayList<>(before);
        all.addAll(after);
        assertExact(new GroundTruth().add(all));
        assertThat(listener.duplicates).hasValue(10);
    }

    @Test
    void aWorkerOfAnEndedShardIsFencedOnceAChildOwnsItsUsers() {
        var stream = new Clickstream(12, 10, "u");
        var before = stream.next(200);
        List<StreamRecord> parent = records(before, 2);
        ShardApplier zombie = applier(SHARD);
        zombie.apply(parent.subList(0, 100));
        applier(SHARD).apply(parent);
        store.shardEnded(SHARD);
        var after = stream.next(100);
        applier(CHILD).apply(records(after, 2));
        int writes = store.written.size();

        assertThat(zombie.apply(parent.subList(100, 200))).isEqualTo(ShardApplier.Outcome.FENCED);

        assertThat(store.written).hasSize(writes);
        assertThat(listener.fenced).hasValue(1);
        List<ClickEvent> all = new ArrayList<>(before);
        all.addAll(after);
        assertExact(new GroundTruth().add(all));
    }

    @Test
    void poisonRecordsGoToTheDeadLettersOnceAndTheGoodOnesAreApplied() {
        var events = new Clickstream(13, 10, "u").next(100);
        List<StreamRecord> batch = new ArrayList<>(records(events, 1));
        sequence += 1_000;
        batch.add(new StreamRecord(
                new Position(BigInteger.valueOf(sequence), 0),
                "x",
                "not json".getBytes(StandardCharsets.UTF_8),
                Instant.now()));
        sequence += 1_000;
        batch.add(new StreamRecord(
                new Position(BigInteger.valueOf(sequence), 0),
                "x",
                "{\"event_id\":\"1\",\"user_id\":\"x\"}".getBytes(StandardCharsets.UTF_8),
                Instant.now()));
        sequence += 1_000;
        batch.add(new StreamRecord(
                new Position(BigInteger.valueOf(sequence), 0),
                "someone-else",
                CODEC.write(events.get(0)),
                Instant.now()));
        batch.addAll(records(new Clickstream(14, 10, "v").next(20), 1));

        assertThat(applier().apply(batch)).isEqualTo(ShardApplier.Outcome.APPLIED);
        assertThat(applier().apply(batch)).isEqualTo(ShardApplier.Outcome.APPLIED);

        assertThat(store.deadLetters.values())
                .extracting(DeadLetter::reason)
                .containsExactlyInAnyOrder("undecodable", "invalid", "partition_key_mismatch");
        assertThat(listener.deadLetters)
                .containsEntry("undecodable", 1)
                .containsEntry("invalid", 1)
                .containsEntry("partition_key_mismatch", 1);
        assertThat(listener.applied).hasValue(120);
    }

    @Test
    void stoppingEndsTheWaitOnAnUnreachableStoreWithoutWriting() {
        var events = new Clickstream(15, 10, "u").next(50);
        store.failBefore = Integer.MAX_VALUE;
        stopping.set(true);

        assertThat(applier().apply(records(events, 1))).isEqualTo(ShardApplier.Outcome.ABANDONED);

        assertThat(store.users).isEmpty();
        assertThat(store.written).isEmpty();
    }
}
