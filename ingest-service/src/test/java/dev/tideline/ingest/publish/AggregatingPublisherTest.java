package dev.tideline.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tideline.ingest.publish.PublishRejectedException.Reason;
import dev.tideline.model.kpl.UserRecord;
import dev.tideline.model.retry.Backoff;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AggregatingPublisherTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<AggregatingPublisher> publishers = new ArrayList<>();

    @AfterEach
    void close() {
        publishers.forEach(p -> p.close(Duration.ofSeconds(5)));
    }

    @Test
    void everyAcknowledgedRecordIsInTheStreamInEachUsersOrderWithFewCalls() {
        InMemoryStream stream = new InMemoryStream(4);
        AggregatingPublisher publisher = publisher(stream, settings().build());

        List<CompletableFuture<Published>> futures = publishMany(publisher, 200, 20, Duration.ofSeconds(10));

        List<Published> acks = futures.stream().map(CompletableFuture::join).toList();
        assertThat(acks).allSatisfy(a -> assertThat(a.shardId()).startsWith("shardId-"));
        assertEachUsersRecordsArriveOnceInOrder(stream, 200, 20);
        assertThat(stream.kinesisRecords())
                .as("Kinesis records for 4,000 user records")
                .isLessThan(4_000 / 20);
        assertThat(stream.calls()).isLessThan(4_000 / 50);
    }

    @Test
    void throttledRecordsAreRetriedAloneWithoutLossOrReorderingWithinAUser() {
        InMemoryStream stream = new InMemoryStream(4);
        stream.throttle(0.4);
        AggregatingPublisher publisher = publisher(stream, settings().build());

        List<CompletableFuture<Published>> futures = publishMany(publisher, 100, 30, Duration.ofSeconds(30));

        futures.forEach(CompletableFuture::join);
        assertEachUsersRecordsArriveOnceInOrder(stream, 100, 30);
        assertThat(registry.counter("tideline.ingest.throttles").count()).isPositive();
    }

    @Test
    void aStaleShardMapAfterASplitLosesNothing() {
        InMemoryStream stream = new InMemoryStream(2);
        AggregatingPublisher publisher = publisher(stream, settings().build());
        publishMany(publisher, 50, 2, Duration.ofSeconds(10)).forEach(CompletableFuture::join);

        stream.splitFirstShard(); // the publisher still has the old map
        List<CompletableFuture<Published>> after = new ArrayList<>();
        for (int i = 2; i < 12; i++) {
            for (int u = 0; u < 50; u++) {
                after.add(publisher.publish(
                        "user-" + u, payload(u, i), Instant.now().plusSeconds(10)));
            }
        }

        after.forEach(CompletableFuture::join);
        assertEachUsersRecordsArriveOnceInOrder(stream, 50, 12);
        assertThat(registry.counter("tideline.ingest.shardmap.refreshes").count())
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void aFullBufferRefusesAtOnce() {
        // Time stands still: nothing lingers long enough to be sent, so only the buffer can refuse.
        TestClock clock = new TestClock();
        InMemoryStream stream = new InMemoryStream(1);
        AggregatingPublisher publisher =
                publisher(stream, settings().maxBufferedBytes(10_000).build(), clock);

        List<CompletableFuture<Published>> futures = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            futures.add(publisher.publish("u", new byte[200], clock.instant().plusSeconds(30)));
        }

        assertThat(futures).filteredOn(CompletableFuture::isDone).hasSize(100 - 10_000 / (200 + 3 + 128));
        assertThat(futures).filteredOn(CompletableFuture::isDone).allSatisfy(f -> assertThat(reason(f))
                .isEqualTo(Reason.BUFFER_FULL));
        assertThat(registry.counter("tideline.ingest.publish.rejected", "reason", "buffer_full")
                        .count())
                .isEqualTo(100 - 10_000 / (200 + 3 + 128));
        assertThat(stream.calls()).isZero();
    }

    @Test
    void aRecordWaitsOutItsLingerOnThePublishersClock() {
        TestClock clock = new TestClock();
        InMemoryStream stream = new InMemoryStream(2);
        AggregatingPublisher publisher =
                publisher(stream, settings().linger(Duration.ofSeconds(5)).build(), clock);
        await().atMost(Duration.ofSeconds(10)).until(publisher::streamReachable);

        CompletableFuture<Published> published =
                publisher.publish("u", new byte[] {1}, clock.instant().plusSeconds(60));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> stream.calls() == 0);
        clock.advance(Duration.ofSeconds(5));

        assertThat(published).succeedsWithin(Duration.ofSeconds(5));
        assertThat(stream.calls()).isEqualTo(1);
    }

    @Test
    void everyRefusalIsCounted() {
        InMemoryStream stream = new InMemoryStream(1);
        AggregatingPublisher publisher = publisher(stream, settings().build());
        publisher.close(Duration.ofSeconds(5));

        assertThat(reason(publisher.publish("u", new byte[] {1}, Instant.now().plusSeconds(5))))
                .isEqualTo(Reason.SHUTTING_DOWN);
        assertThat(registry.counter("tideline.ingest.publish.rejected", "reason", "shutting_down")
                        .count())
                .isEqualTo(1);
    }

    @Test
    void anUnreachableStreamFailsRecordsByTheirDeadlineAndAcknowledgesNothing() {
        InMemoryStream stream = new InMemoryStream(2);
        AggregatingPublisher publisher = publisher(stream, settings().build());
        publishMany(publisher, 10, 1, Duration.ofSeconds(5)).forEach(CompletableFuture::join);
        stream.down(true);

        List<CompletableFuture<Published>> futures = publishMany(publisher, 10, 3, Duration.ofMillis(800));

        await().atMost(Duration.ofSeconds(10)).until(() -> futures.stream().allMatch(CompletableFuture::isDone));
        assertThat(futures).allSatisfy(f -> assertThat(reason(f)).isIn(Reason.DEADLINE, Reason.UNAVAILABLE));
        assertThat(publisher.streamReachable()).isFalse();

        stream.down(false);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(publisher
                        .publish("again", new byte[] {1}, Instant.now().plusSeconds(5))
                        .handle((ok, error) -> ok != null)
                        .join())
                .isTrue());
    }

    @Test
    void closeSendsWhatIsQueuedAndThenRefuses() {
        InMemoryStream stream = new InMemoryStream(2);
        SlowClock clock = new SlowClock();
        AggregatingPublisher publisher =
                publisher(stream, settings().linger(Duration.ofSeconds(30)).build(), clock);
        List<CompletableFuture<Published>> futures = publishMany(publisher, 20, 5, Duration.ofSeconds(60));

        // The threads that answer the callers fall behind the calls' ends: close waits for the answers.
        clock.slowDown(Duration.ofMillis(100));
        publisher.close(Duration.ofSeconds(10));

        assertThat(futures).allSatisfy(f -> assertThat(f).isCompleted().isNotCompletedExceptionally());
        assertThat(reason(
                        publisher.publish("late", new byte[] {1}, Instant.now().plusSeconds(5))))
                .isEqualTo(Reason.SHUTTING_DOWN);
    }

    private void assertEachUsersRecordsArriveOnceInOrder(InMemoryStream stream, int users, int perUser) {
        Map<String, List<String>> byUser = stream.readAsKcl().values().stream()
                .flatMap(List::stream)
                .collect(Collectors.groupingBy(
                        UserRecord::partitionKey,
                        Collectors.mapping(r -> new String(r.data(), StandardCharsets.UTF_8), Collectors.toList())));
        assertThat(byUser).hasSize(users);
        byUser.forEach((user, payloads) -> {
            int u = Integer.parseInt(user.substring("user-".length()));
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < perUser; i++) {
                expected.add(new String(payload(u, i), StandardCharsets.UTF_8));
            }
            assertThat(payloads).as(user).containsExactlyElementsOf(expected);
        });
    }

    private static List<CompletableFuture<Published>> publishMany(
            AggregatingPublisher publisher, int users, int perUser, Duration deadline) {
        List<CompletableFuture<Published>> futures = new ArrayList<>();
        for (int i = 0; i < perUser; i++) {
            for (int u = 0; u < users; u++) {
                futures.add(publisher.publish(
                        "user-" + u, payload(u, i), Instant.now().plus(deadline)));
            }
        }
        return futures;
    }

    private static byte[] payload(int user, int i) {
        return ("user-" + user + "#" + i + "-" + "x".repeat(200)).getBytes(StandardCharsets.UTF_8);
    }

    private static Reason reason(CompletableFuture<Published> f) {
        try {
            f.join();
            return null;
        } catch (CompletionException e) {
            return ((PublishRejectedException) e.getCause()).reason();
        }
    }

    private AggregatingPublisher publisher(InMemoryStream stream, PublisherSettings settings) {
        return publisher(stream, settings, Clock.systemUTC());
    }

    private AggregatingPublisher publisher(InMemoryStream stream, PublisherSettings settings, Clock clock) {
        AggregatingPublisher p = new AggregatingPublisher(stream, settings, new PublisherMetrics(registry), clock);
        publishers.add(p);
        return p;
    }

    private static SettingsBuilder settings() {
        return new SettingsBuilder();
    }

    /** Test defaults, varied per scenario. */
    static final class SettingsBuilder {
        private Duration linger = Duration.ofMillis(20);
        private long maxBufferedBytes = 64L * 1024 * 1024;

        SettingsBuilder linger(Duration d) {
            linger = d;
            return this;
        }

        SettingsBuilder maxBufferedBytes(long b) {
            maxBufferedBytes = b;
            return this;
        }

        PublisherSettings build() {
            return new Settings(
                    linger,
                    50 * 1024,
                    maxBufferedBytes,
                    8,
                    new Backoff(Duration.ofMillis(10), Duration.ofMillis(200)),
                    Duration.ofMinutes(1));
        }
    }

    record Settings(
            Duration linger,
            int maxAggregateBytes,
            long maxBufferedBytes,
            int maxConcurrentCalls,
            Backoff backoff,
            Duration shardRefresh)
            implements PublisherSettings {}

    /** A clock in UTC, as the publisher's are. */
    abstract static class UtcClock extends Clock {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** The system's clock, each of whose readings takes a while once slowed down. */
    static final class SlowClock extends UtcClock {
        private volatile Duration reading = Duration.ZERO;

        void slowDown(Duration d) {
            reading = d;
        }

        @Override
        public Instant instant() {
            try {
                Thread.sleep(reading.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Instant.now();
        }
    }

    /** A clock the test moves. */
    static final class TestClock extends UtcClock {
        private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-29T10:00:00Z"));

        void advance(Duration d) {
            now.updateAndGet(t -> t.plus(d));
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }
}
