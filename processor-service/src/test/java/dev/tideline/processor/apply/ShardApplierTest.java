package dev.tideline.processor.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideline.model.event.ClickEvent;
import dev.tideline.model.event.ClickEventCodec;
import dev.tideline.model.shard.Position;
import dev.tideline.processor.truth.Clickstream;
import dev.tideline.processor.truth.GroundTruth;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ShardApplierTest {

    private static final String SHARD = "shardId-000000000000";
    private static final ClickEventCodec CODEC = new ClickEventCodec();

    private final InMemoryStore store = new InMemoryStore();
    private final CountingListener listener = new CountingListener();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private long sequence = 49_000_000_000L;

    private ShardApplier applier(int maxItems) {
        var settings = new ApplySettings(
                GroundTruth.SESSION_GAP, maxItems, 256, 10_000, Duration.ofMillis(1), Duration.ofMillis(4));
        return new ShardApplier(SHARD, store, settings, listener, stopping::get);
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

    private void assertExact(GroundTruth truth) {
        Map<String, GroundTruth.User> expected = truth.users();
        assertThat(store.users).hasSameSizeAs(expected);
        expected.forEach((id, u) -> {
            UserActivity a = store.users.get(id);
            assertThat(new GroundTruth.User(
                            a.userId(),
                            a.totalEvents(),
                            new java.util.TreeMap<>(a.eventsByType()),
                            a.firstSeen(),
                            a.lastSeen(),
                            a.lastPage(),
                            a.sessions()))
                    .as("user %s", id)
                    .isEqualTo(u);
        });
        Map<Instant, Map<String, Long>> views = new java.util.TreeMap<>();
        store.views.forEach((k, v) -> views.computeIfAbsent(k.minute(), m -> new java.util.TreeMap<>())
                .put(k.page(), v));
        assertThat(views).isEqualTo(truth.pageViews());
    }

    @Test
    void foldsEveryEventIntoItsUsersAggregateExactlyOnce() {
        var events = new Clickstream(1, 40, "u").next(2_000);
        ShardApplier applier = applier(100);

        assertThat(applier.apply(records(events, 7))).isEqualTo(ShardApplier.Outcome.APPLIED);

        assertExact(new GroundTruth().add(events));
        assertThat(listener.applied).hasValue(2_000);
        assertThat(store.markers.get(SHARD)).isEqualTo(applier.marker());
    }

    @Test
    void cutsRunsSoThatNoTransactionHoldsMoreThanTheLimit() {
        var events = new Clickstream(2, 200, "u").next(1_000);
        ShardApplier applier = applier(10);

        applier.apply(records(events, 1));

        assertThat(store.committed).allSatisfy(t -> assertThat(t.items()).isLessThanOrEqualTo(10));
        assertThat(store.committed).hasSizeGreaterThan(100);
        assertExact(new GroundTruth().add(events));
    }

    @Test
    void aReplayedBatchChangesNothing() {
        var events = new Clickstream(3, 30, "u").next(500);
        List<StreamRecord> batch = records(events, 5);
        applier(100).apply(batch);
        int writes = store.committed.size();

        ShardApplier restarted = applier(100);
        assertThat(restarted.apply(batch)).isEqualTo(ShardApplier.Outcome.APPLIED);
        assertThat(restarted.apply(batch.subList(100, 300))).isEqualTo(ShardApplier.Outcome.APPLIED);

        assertThat(store.committed).hasSize(writes);
        assertThat(listener.duplicates).hasValue(700);
        assertExact(new GroundTruth().add(events));
    }

    @Test
    void aReplayFromTheMiddleAppliesOnlyWhatIsNew() {
        var events = new Clickstream(4, 30, "u").next(600);
        List<StreamRecord> batch = records(events, 3);
        applier(100).apply(batch.subList(0, 400));

        applier(100).apply(batch.subList(250, 600));

        assertThat(listener.duplicates).hasValue(150);
        assertExact(new GroundTruth().add(events));
    }

    @Test
    void aWorkerWhoseMarkerWasMovedByAnotherIsFencedAndWritesNothing() {
        var stream = new Clickstream(5, 30, "u");
        var first = stream.next(200);
        var second = stream.next(200);
        List<StreamRecord> a = records(first, 4);
        List<StreamRecord> b = records(second, 4);
        ShardApplier zombie = applier(100);
        zombie.apply(a);

        ShardApplier successor = applier(100);
        successor.apply(a);
        successor.apply(b);
        int writes = store.committed.size();

        // The zombie still holds the first half of the batch its successor has applied whole.
        assertThat(zombie.apply(b.subList(0, 100))).isEqualTo(ShardApplier.Outcome.FENCED);
        assertThat(zombie.apply(b.subList(100, 200))).isEqualTo(ShardApplier.Outcome.FENCED);
        assertThat(store.committed).hasSize(writes);
        assertThat(listener.fenced).hasValue(1);
        List<ClickEvent> all = new ArrayList<>(first);
        all.addAll(second);
        assertExact(new GroundTruth().add(all));
    }

    @Test
    void aWriteWhoseAnswerWasLostIsRecognisedByTheMarkerNotWrittenTwice() {
        var events = new Clickstream(6, 30, "u").next(300);
        store.failAfter = 2;

        assertThat(applier(20).apply(records(events, 2))).isEqualTo(ShardApplier.Outcome.APPLIED);

        assertExact(new GroundTruth().add(events));
        assertThat(listener.fenced).hasValue(0);
    }

    @Test
    void anUnreachableStoreIsWaitedOutWithoutLosingAnything() {
        var events = new Clickstream(7, 30, "u").next(300);
        store.failBefore = 5;

        assertThat(applier(100).apply(records(events, 2))).isEqualTo(ShardApplier.Outcome.APPLIED);

        assertThat(listener.retries).hasValue(5);
        assertExact(new GroundTruth().add(events));
    }

    @Test
    void aStaleCacheIsReadAgainWhenTheStoredTotalDiffers() {
        var stream = new Clickstream(8, 5, "u");
        var first = stream.next(50);
        var second = stream.next(50);
        ShardApplier applier = applier(100);
        applier.apply(records(first, 1));
        // Another shard's earlier worker wrote this user (as after resharding): the cache is behind.
        ClickEvent elsewhere = stream.next(1).get(0);
        store.users.put(
                elsewhere.userId(), store.users.get(elsewhere.userId()).plus(elsewhere, GroundTruth.SESSION_GAP, 256));

        applier.apply(records(second, 1));

        List<ClickEvent> all = new ArrayList<>(first);
        all.add(elsewhere);
        all.addAll(second);
        Map<String, GroundTruth.User> expected =
                new GroundTruth().add(first).add(List.of(elsewhere)).add(second).users();
        assertThat(store.users.get(elsewhere.userId()).totalEvents())
                .isEqualTo(expected.get(elsewhere.userId()).totalEvents());
        assertThat(listener.retries).hasValueGreaterThanOrEqualTo(1);
    }

    @Test
    void poisonRecordsGoToTheDeadLettersAndTheGoodOnesAreApplied() {
        var events = new Clickstream(9, 10, "u").next(100);
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
        batch.addAll(records(new Clickstream(10, 10, "v").next(20), 1));

        assertThat(applier(100).apply(batch)).isEqualTo(ShardApplier.Outcome.APPLIED);

        assertThat(store.deadLetters)
                .extracting(DeadLetter::reason)
                .containsExactly("undecodable", "invalid", "partition_key_mismatch");
        assertThat(listener.deadLetters).containsEntry("undecodable", 1).containsEntry("invalid", 1);
        assertThat(listener.applied).hasValue(120);
    }

    @Test
    void stoppingEndsTheWaitOnAnUnreachableStoreWithoutWriting() {
        var events = new Clickstream(11, 10, "u").next(50);
        store.failBefore = Integer.MAX_VALUE;
        stopping.set(true);

        assertThat(applier(100).apply(records(events, 1))).isEqualTo(ShardApplier.Outcome.ABANDONED);

        assertThat(store.users).isEmpty();
        assertThat(store.markers).isEmpty();
    }
}
