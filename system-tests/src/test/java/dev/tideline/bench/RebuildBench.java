package dev.tideline.bench;

import dev.tideline.localaws.LocalAwsStack;
import dev.tideline.localaws.Provisioner;
import dev.tideline.localaws.junit.CommandJvm;
import dev.tideline.localaws.junit.LocalAws;
import dev.tideline.localaws.junit.ServiceJvm;
import dev.tideline.localaws.junit.StreamFeeder;
import dev.tideline.localaws.truth.Clickstream;
import dev.tideline.model.event.ClickEvent;
import dev.tideline.model.names.ResourceNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.kinesis.common.InitialPositionInStream;

/**
 * {@code ./tideline bench rebuild}. On one embedded stack, in one run, the same history of events
 * (on the stream, and archived by the archiver's built jar):
 *
 * <ol>
 *   <li>the live processor (its built jar, one worker, four shards) applies it from the start of
 *       the stream: events per second from its first applied record to its last;
 *   <li>the rebuild (the processor's jar, {@code rebuild}) folds the archive into a new generation:
 *       events per second from the moment it began building to the moment the generation was
 *       loaded (copy, SQL fold, items written), and end to end, JVM start and switch included.
 * </ol>
 *
 * It prints both rates, their ratio (the target is at least 10), and the items written per 1,000
 * archived events. A replay of the default history lasts about a second, so its rate varies from run
 * to run; the live rate is the median of several replays, each by a processor of its own. Options:
 * {@code -Dbench.events=60000 -Dbench.users=600} (a hundred events per user by default: a history),
 * {@code -Dbench.replays=3}.
 */
public final class RebuildBench {

    private static final Pattern STAMP = Pattern.compile("^(\\S+Z)\\s");
    private static final String APPLICATION = "--tideline.processor.kcl.application=";
    private static final String TABLE = "--tideline.processor.table=";

    private RebuildBench() {}

    public static void main(String[] args) throws Exception {
        int events = Integer.getInteger("bench.events", 60_000);
        int users = Integer.getInteger("bench.users", 600);
        Path work = Files.createTempDirectory("tideline-rebuild-bench");
        try (LocalAwsStack stack = LocalAwsStack.startOnFreePorts(null)) {
            ResourceNames names = ResourceNames.DEFAULT.withSuffix("bench");
            LocalAws aws = LocalAws.on(stack, names);
            new Provisioner(aws.clients()).provision(names, ResourceNames.LOCAL_SHARDS);
            aws.precreateLeases(names.processorApp(), InitialPositionInStream.TRIM_HORIZON);
            aws.precreateLeases(names.archiverApp(), InitialPositionInStream.TRIM_HORIZON);
            System.out.printf("Putting %,d events of %,d users on the stream...%n", events, users);
            Clickstream clicks = new Clickstream(2026, users, "bench-");
            try (KinesisClient kinesis = aws.clients().kinesis()) {
                StreamFeeder feeder = new StreamFeeder(kinesis, names.stream());
                for (int sent = 0; sent < events; sent += 5_000) {
                    List<ClickEvent> batch = clicks.next(Math.min(5_000, events - sent));
                    feeder.aggregated(batch);
                }
            }

            List<String> archiverArguments = new ArrayList<>(aws.archiverArguments("bench-archiver"));
            archiverArguments.add("--tideline.archiver.buffer.interval=5s");
            try (ServiceJvm archiver = ServiceJvm.startJar("archiver-service", "bench-archiver", archiverArguments)) {
                awaitCount(archiver, "tideline_archiver_records_total", "outcome=\"archived\"", events);
                archiver.stop();
            }

            Provisioner provisioner = new Provisioner(aws.clients());
            List<Double> replays = new ArrayList<>();
            for (int replay = 1; replay <= Integer.getInteger("bench.replays", 3); replay++) {
                replays.add(replay(aws, provisioner, replay, events));
            }
            double live = median(replays);

            Instant started = Instant.now();
            String log;
            try (CommandJvm rebuild =
                    CommandJvm.start("rebuild", "bench-rebuild", aws.rebuildArguments(work), List.of())) {
                int exit = rebuild.await(Duration.ofMinutes(30));
                log = rebuild.log();
                if (exit != 0) {
                    throw new IllegalStateException("the rebuild failed (exit " + exit + "):\n" + log);
                }
            }
            Duration endToEnd = Duration.between(started, Instant.now());
            Duration load = Duration.between(stamp(log, "Building generation 2"), stamp(log, "Loaded generation 2"));
            long items = lastNumber(log, "Loaded generation 2 from .*: ([0-9,]+) items");
            long archiveBytes;
            try (S3Client s3 = aws.clients().s3()) {
                archiveBytes = s3.listObjectsV2Paginator(r -> r.bucket(names.bucket())).contents().stream()
                        .filter(o -> o.key().endsWith(".parquet"))
                        .mapToLong(S3Object::size)
                        .sum();
            }
            double rebuilt = events / seconds(load);

            System.out.println();
            System.out.printf("| | events/s | time |%n|---|---|---|%n");
            System.out.printf(
                    "| live processor, 1 worker, 4 shards (median of %d replays: %s) | %,.0f | %.1f s |%n",
                    replays.size(),
                    replays.stream().map(r -> String.format("%,.0f", r)).collect(Collectors.joining(", ")),
                    live,
                    events / live);
            System.out.printf(
                    "| rebuild, load (copy, SQL fold, items written) | %,.0f | %.1f s |%n", rebuilt, seconds(load));
            System.out.printf(
                    "| rebuild, end to end (JVM start, plan, load, catch-up, switch) | %,.0f | %.1f s |%n",
                    events / seconds(endToEnd), seconds(endToEnd));
            System.out.println();
            System.out.printf(
                    "Rebuild load against the live processor: %.1fx (target: at least 10x)%n", rebuilt / live);
            System.out.printf(
                    "Items written per 1,000 archived events: %.1f (%,d items for %,d events of %,d users)%n",
                    items * 1000.0 / events, items, events, users);
            System.out.printf(
                    "Archive read: %,.1f MB of Parquet, %.1f s per GB of Parquet at this rate%n",
                    archiveBytes / 1e6, seconds(load) / (archiveBytes / 1e9));
        }
    }

    /**
     * One replay of the whole stream by a processor of its own, in events per second. The first is
     * the stack's processor, whose aggregates become the generation the rebuild follows; each
     * other one has a lease table and an aggregates table of its own, so that it too starts from
     * nothing.
     */
    private static double replay(LocalAws aws, Provisioner provisioner, int replay, int events)
            throws InterruptedException {
        List<String> arguments = new ArrayList<>(aws.processorArguments("bench-processor"));
        if (replay > 1) {
            String app = aws.names().processorApp() + "-replay-" + replay;
            String table = aws.names().aggregatesTable() + "-replay-" + replay;
            aws.precreateLeases(app, InitialPositionInStream.TRIM_HORIZON);
            provisioner.provisionAggregatesTable(table);
            arguments.replaceAll(
                    a -> a.startsWith(APPLICATION) ? APPLICATION + app : a.startsWith(TABLE) ? TABLE + table : a);
        }
        try (ServiceJvm processor = ServiceJvm.startJar("processor-service", "bench-processor-" + replay, arguments)) {
            double rate = rate(processor, events);
            processor.stop();
            System.out.printf("Replay %d: %,.0f events/s%n", replay, rate);
            return rate;
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Events per second from the first applied record to the last, by the processor's own counter. */
    private static double rate(ServiceJvm processor, int events) throws InterruptedException {
        long first = 0;
        double applied;
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        double firstCount = 0;
        do {
            Thread.sleep(100);
            applied = processor.metric("tideline_processor_records_total", "outcome=\"applied\"");
            if (first == 0 && applied > 0) {
                first = System.nanoTime();
                firstCount = applied;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the processor applied " + applied + " of " + events);
            }
        } while (applied < events);
        return (applied - firstCount) / ((System.nanoTime() - first) / 1e9);
    }

    private static void awaitCount(ServiceJvm service, String name, String labels, int count)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (service.metric(name, labels) < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not reach " + count);
            }
            Thread.sleep(500);
        }
    }

    private static Instant stamp(String log, String text) {
        for (String line : log.split("\n")) {
            Matcher m = STAMP.matcher(line);
            if (line.contains(text) && m.find()) {
                return Instant.parse(m.group(1));
            }
        }
        throw new IllegalStateException("the rebuild's log has no line with \"" + text + "\"");
    }

    private static long lastNumber(String log, String regex) {
        Matcher m = Pattern.compile(regex).matcher(log);
        long found = -1;
        while (m.find()) {
            found = Long.parseLong(m.group(1).replace(",", ""));
        }
        return found;
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
