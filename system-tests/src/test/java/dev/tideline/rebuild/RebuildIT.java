package dev.tideline.rebuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tideline.localaws.junit.CommandJvm;
import dev.tideline.localaws.junit.LocalAws;
import dev.tideline.localaws.junit.LocalAwsExtension;
import dev.tideline.localaws.junit.ServiceJvm;
import dev.tideline.localaws.junit.StreamFeeder;
import dev.tideline.localaws.truth.Clickstream;
import dev.tideline.localaws.truth.GroundTruth;
import dev.tideline.model.event.ClickEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.kinesis.common.InitialPositionInStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A rebuild on the embedded stack, with the real jars: a clickstream is counted and archived under
 * the 30-minute session gap; the aggregates are rebuilt from the archive under a 5-minute gap while
 * events keep coming, client retries of archived events among them, and the rebuild is killed with
 * SIGKILL three times (as it begins, while it writes items, while it catches up) before it
 * is let finish. Then every user's aggregate and the page views equal ground truth under the new
 * gap; one user, left out of the live events, was answered the old generation's aggregate until
 * the switch and the new one ever after; and the processor keeps the new generation.
 */
class RebuildIT {

    @RegisterExtension
    static final LocalAwsExtension LOCAL = new LocalAwsExtension();

    private static final Duration NEW_GAP = Duration.ofMinutes(5);
    /** Enough users that writing their items takes a while, so that the rebuild can be killed doing it. */
    private static final int USERS = 2_000;

    private static final int HISTORY = 16_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path work;

    @Test
    void aRebuildUnderANewRuleEqualsGroundTruthAndSwitchesWithoutLosingAnEvent() throws Exception {
        LocalAws aws = LOCAL.aws();
        aws.precreateLeases(aws.names().processorApp(), InitialPositionInStream.TRIM_HORIZON);
        aws.precreateLeases(aws.names().archiverApp(), InitialPositionInStream.TRIM_HORIZON);
        String name = aws.names().stream();
        Clickstream clicks = new Clickstream(12, USERS, "r");
        GroundTruth truth = new GroundTruth();
        try (KinesisClient kinesis = aws.clients().kinesis();
                DynamoDbClient dynamo = aws.clients().dynamoDb();
                ServiceJvm archiver = aws.startArchiverJar("archiver-1");
                ServiceJvm processor = ServiceJvm.startJar(
                        "processor-service", name + "-processor", aws.processorArguments("processor-1"))) {
            StreamFeeder feeder = new StreamFeeder(kinesis, name);
            List<ClickEvent> history = clicks.next(HISTORY);
            feeder.aggregated(history);
            truth.add(history);
            // A comparison asks for each of the 2,000 users: first wait for the counter to say all is in.
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() ->
                            processor.metric("tideline_processor_records_total", "outcome=\"applied\"") >= HISTORY);
            await().atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptions()
                    .untilAsserted(() ->
                            assertThat(QueryAnswers.users(processor, truth)).isEqualTo(truth.users()));
            await().atMost(Duration.ofMinutes(1))
                    .until(() -> archiver.metric("tideline_archiver_records_total", "outcome=\"archived\"") >= HISTORY);
            String user = mostChangedUser(truth);
            long oldSessions = truth.users().get(user).sessions();
            long newSessions = truth.users(NEW_GAP).get(user).sessions();
            assertThat(newSessions).isGreaterThan(oldSessions);

            // What the query API answers for one user while the rebuild runs, and the pointer then.
            List<String> answers = new CopyOnWriteArrayList<>();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleWithFixedDelay(
                    () -> sample(processor, dynamo, aws, user, answers), 0, 200, TimeUnit.MILLISECONDS);

            List<String> arguments = new ArrayList<>(aws.rebuildArguments(work));
            arguments.add("--tideline.processor.aggregates.session-gap=" + NEW_GAP.toMinutes() + "m");
            arguments.add("--tideline.rebuild.keep=true");
            // Killed as it begins, while it writes the items, and while it catches up.
            String g2 = aws.names().aggregatesTable() + "-g2";
            List<java.util.function.Predicate<CommandJvm>> killPoints = List.of(
                    r -> r.log().contains("Building generation 2"), r -> itemsIn(dynamo, g2) > USERS / 3, r -> r.log()
                            .contains("Step: catch up"));
            for (int attempt = 1; attempt <= 3; attempt++) {
                try (CommandJvm rebuild = CommandJvm.start("rebuild", name + "-rebuild-" + attempt, arguments)) {
                    var killPoint = killPoints.get(attempt - 1);
                    await().atMost(Duration.ofMinutes(2))
                            .pollInterval(Duration.ofMillis(50))
                            .until(() -> !rebuild.alive() || killPoint.test(rebuild));
                    assertThat(rebuild.alive())
                            .as("attempt %d runs until killed; its log:%n%s", attempt, rebuild.log())
                            .isTrue();
                    rebuild.kill();
                }
                // Live events between the attempts: new ones, and clients' retries of archived ones.
                List<ClickEvent> live = new ArrayList<>(clicks.next(200));
                live.addAll(history.subList(HISTORY - 400 + attempt * 100, HISTORY - 300 + attempt * 100));
                live.removeIf(e -> e.userId().equals(user));
                feeder.aggregated(live);
                truth.add(live);
            }
            try (CommandJvm rebuild = CommandJvm.start("rebuild", name + "-rebuild-4", arguments)) {
                List<ClickEvent> during = new ArrayList<>(clicks.next(300));
                during.removeIf(e -> e.userId().equals(user));
                feeder.aggregated(during);
                truth.add(during);
                assertThat(rebuild.await(Duration.ofMinutes(3)))
                        .as("the rebuild's exit code; its log:%n%s", rebuild.log())
                        .isZero();
                assertThat(rebuild.log()).contains("Resuming the rebuild of generation 2");
            }
            try (Stream<Path> left = Files.list(work)) {
                assertThat(left.map(p -> p.getFileName().toString()))
                        .as("the copy of the archive is deleted once the generation is served")
                        .noneMatch(n -> n.matches("g[0-9]+"));
            }
            List<ClickEvent> after = new ArrayList<>(clicks.next(300));
            after.removeIf(e -> e.userId().equals(user));
            feeder.aggregated(after);
            truth.add(after);

            assertThat(pointer(dynamo, aws)).containsEntry("current", "2");
            // The users of the last events first (each shard's last records among them), then all.
            Map<String, GroundTruth.User> expected = truth.users(NEW_GAP);
            Set<String> last = after.stream().map(ClickEvent::userId).collect(Collectors.toSet());
            Map<String, GroundTruth.User> theirs = new TreeMap<>(expected);
            theirs.keySet().retainAll(last);
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptions()
                    .untilAsserted(() ->
                            assertThat(QueryAnswers.users(processor, last)).isEqualTo(theirs));
            await().atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptions()
                    .untilAsserted(() -> assertThat(QueryAnswers.users(processor, expected.keySet()))
                            .isEqualTo(expected));
            assertThat(QueryAnswers.topPages(processor)).isEqualTo(QueryAnswers.lastHourViews(truth));
            // No interrupt: the SDK would end a read in flight with an error, which would be sampled.
            // The periodic sampling stops; the one in flight ends as it would.
            sampler.shutdown();
            assertThat(sampler.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

            List<String> seen = collapse(answers);
            assertThat(seen)
                    .as("the answers for %s (sessions @ pointer's current generation), in order", user)
                    .startsWith(oldSessions + "@1")
                    .endsWith(newSessions + "@2")
                    .allMatch(a -> a.startsWith(oldSessions + "@") || a.startsWith(newSessions + "@"));
            int firstNew = Collections.indexOfSubList(
                    seen.stream().map(a -> a.substring(0, a.indexOf('@'))).toList(),
                    List.of(String.valueOf(newSessions)));
            assertThat(seen.subList(firstNew, seen.size()))
                    .as("never the old answer again once the new one was given")
                    .allMatch(a -> a.startsWith(newSessions + "@"));
            assertThat(seen.subList(0, firstNew))
                    .as("the new answer only once the pointer moved")
                    .allMatch(a -> a.startsWith(oldSessions + "@"));
            assertThat(processor.metric("tideline_processor_records_total", "outcome=\"duplicate\""))
                    .as("the retries of archived events were told apart")
                    .isPositive();
        }
    }

    /** The user whose sessions the new gap changes most. */
    private static String mostChangedUser(GroundTruth truth) {
        Map<String, GroundTruth.User> before = truth.users();
        Map<String, GroundTruth.User> after = truth.users(NEW_GAP);
        return before.keySet().stream()
                .max((a, b) -> Long.compare(
                        after.get(a).sessions() - before.get(a).sessions(),
                        after.get(b).sessions() - before.get(b).sessions()))
                .orElseThrow();
    }

    /** One answer for {@code user}, with the pointer's current generation read just after it. */
    private static void sample(
            ServiceJvm processor, DynamoDbClient dynamo, LocalAws aws, String user, List<String> answers) {
        try {
            JsonNode a = JSON.readTree(
                    processor.get("/v1/users/" + user + "/activity").body());
            String current = pointer(dynamo, aws).getOrDefault("current", "1");
            answers.add(a.get("sessions").asLong() + "@" + current);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            answers.add("error " + e);
        }
    }

    private static long itemsIn(DynamoDbClient dynamo, String table) {
        try {
            return dynamo.scan(
                            r -> r.tableName(table).select(software.amazon.awssdk.services.dynamodb.model.Select.COUNT))
                    .count();
        } catch (software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException e) {
            return 0;
        }
    }

    /** Runs of the same answer as one. */
    private static List<String> collapse(List<String> answers) {
        List<String> out = new ArrayList<>();
        for (String a : answers) {
            if (out.isEmpty() || !out.get(out.size() - 1).equals(a)) {
                out.add(a);
            }
        }
        return out;
    }

    private static Map<String, String> pointer(DynamoDbClient dynamo, LocalAws aws) {
        Map<String, AttributeValue> item = dynamo.getItem(
                        r -> r.tableName(aws.names().aggregatesTable())
                                .key(Map.of(
                                        "pk", AttributeValue.fromS("generation"),
                                        "sk", AttributeValue.fromS("pointer")))
                                .consistentRead(true))
                .item();
        Map<String, String> out = new TreeMap<>();
        item.forEach((k, v) -> out.put(k, v.n() != null ? v.n() : String.valueOf(v.s())));
        return out;
    }
}
