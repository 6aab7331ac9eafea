package dev.tideline.bench;

import dev.tideline.kcl.KclClients;
import dev.tideline.kcl.KclConsumer;
import dev.tideline.kcl.KclProperties;
import dev.tideline.localaws.Endpoints;
import dev.tideline.localaws.KclLeases;
import dev.tideline.localaws.LocalAwsClients;
import dev.tideline.localaws.LocalAwsStack;
import dev.tideline.localaws.Provisioner;
import dev.tideline.localaws.truth.Clickstream;
import dev.tideline.model.event.ClickEvent;
import dev.tideline.model.event.ClickEventCodec;
import dev.tideline.model.names.ResourceNames;
import dev.tideline.model.retry.Backoff;
import dev.tideline.model.shard.Position;
import dev.tideline.model.shard.StreamRecord;
import dev.tideline.processor.apply.ApplySettings;
import dev.tideline.processor.apply.DedupeSettings;
import dev.tideline.processor.apply.ShardApplier;
import dev.tideline.processor.consume.ApplierSink;
import dev.tideline.processor.consume.ProcessorMetrics;
import dev.tideline.processor.store.DynamoAggregateStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.kinesis.common.InitialPositionInStream;

/**
 * {@code ./tideline bench processor}. On one embedded stack, in one run:
 *
 * <ol>
 *   <li>saturation: the same records of four shards applied (a) by this design, (b) by a naive
 *       per-record design; events/s, DynamoDB write calls, items and write units per 1,000 events,
 *       and the write units the transactional design before this one would have spent;
 *   <li>latency: the ingest service (its built jar) and a KCL worker polling each shard every
 *       200 ms (5 GetRecords/s, Kinesis's limit) under 500 events/s; time from the POST of a
 *       probe event to its aggregate being readable, p50/p99.
 * </ol>
 *
 * Options: {@code -Dbench.events=20000 -Dbench.users=2000 -Dbench.active=200 -Dbench.latency.seconds=30}.
 */
public final class ProcessorBench {

    private static final int SHARDS = ResourceNames.LOCAL_SHARDS;
    private static final int BATCH = 500;

    private ProcessorBench() {}

    public static void main(String[] args) throws Exception {
        int events = Integer.getInteger("bench.events", 20_000);
        int users = Integer.getInteger("bench.users", 2_000);
        int latencySeconds = Integer.getInteger("bench.latency.seconds", 30);
        int active = Integer.getInteger("bench.active", 200);
        try (LocalAwsStack stack = LocalAwsStack.startOnFreePorts(null)) {
            LocalAwsClients clients = new LocalAwsClients(stack.endpoints());
            ResourceNames names = ResourceNames.DEFAULT.withSuffix("bench");
            new Provisioner(clients).provision(names, SHARDS);
            WriteCounter counter = new WriteCounter();
            try (DynamoDbClient dynamo = DynamoDbClient.builder()
                    .endpointOverride(stack.endpoints().dynamoDb())
                    .region(Endpoints.REGION)
                    .credentialsProvider(Endpoints.credentials())
                    .httpClientBuilder(Apache5HttpClient.builder().maxConnections(64))
                    .overrideConfiguration(c -> c.addExecutionInterceptor(counter))
                    .build()) {
                // A warm-up on other users, so that neither side pays for the JIT.
                saturate("warm-up", designed(dynamo, names), records(4_000, 500, 500), counter, 4_000);
                System.out.printf(
                        "Uniform: %,d events, each from any of %,d users (the worst case for folding)%n",
                        events, users);
                compare(dynamo, names, records(events, users, users), counter, events);
                System.out.printf(
                        "Sessions: %,d events; %d users active at a time, each for about 10 events%n", events, active);
                compare(dynamo, names, records(events, events / 10, active), counter, events);
                latency(stack, clients, names, latencySeconds);
            }
        }
    }

    private static void compare(
            DynamoDbClient dynamo,
            ResourceNames names,
            List<List<StreamRecord>> shards,
            WriteCounter counter,
            int events)
            throws Exception {
        Result a = saturate("(a) this design", designed(dynamo, names), shards, counter, events);
        Result b = saturate("(b) naive per record", naive(dynamo, names), shards, counter, events);
        System.out.printf(
                "  (a)/(b) events/s %.1fx (target 5x); (a) write calls per 1,000 events %.1f%n",
                a.eventsPerSecond / b.eventsPerSecond, a.callsPerThousand);
        System.out.printf(
                "  write units per 1,000 events: (a) %.1f, measured; the transactional design %.1f, from the same"
                        + " items; ratio %.2f (target at most 0.60)%n",
                a.unitsPerThousand,
                a.transactionalUnitsPerThousand,
                a.unitsPerThousand / a.transactionalUnitsPerThousand);
    }

    interface Design {
        void apply(int shard, List<StreamRecord> batch);
    }

    /**
     * @param transactionalUnitsPerThousand what the same items cost in the transactional design that
     *     came before this one (see {@link WriteCounter})
     */
    record Result(
            double eventsPerSecond,
            double callsPerThousand,
            double unitsPerThousand,
            double transactionalUnitsPerThousand) {}

    /** The service's defaults for applying. */
    private static final ApplySettings APPLY = new ApplySettings(
            Duration.ofMinutes(30), 256, new DedupeSettings(Duration.ofMinutes(15), 100), 20_000, Backoff.DEFAULT);

    private static DynamoAggregateStore store(DynamoDbClient dynamo, ResourceNames names, String workerId) {
        return new DynamoAggregateStore(
                dynamo,
                names.aggregatesTable(),
                names.stream(),
                new DynamoAggregateStore.StoreSettings(Duration.ofDays(2), Duration.ofDays(14), Duration.ofDays(7), 16),
                Clock.systemUTC());
    }

    private static Design designed(DynamoDbClient dynamo, ResourceNames names) {
        var store = store(dynamo, names, "bench");
        var settings = APPLY;
        var metrics = new ProcessorMetrics(new SimpleMeterRegistry());
        Map<Integer, ShardApplier> appliers = new HashMap<>();
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < SHARDS; i++) {
            appliers.put(i, new ShardApplier("bench-" + run + "-" + i, store, settings, metrics, () -> false));
        }
        return (shard, batch) -> {
            if (appliers.get(shard).apply(batch) != ShardApplier.Outcome.APPLIED) {
                throw new IllegalStateException("a batch was not applied");
            }
        };
    }

    private static Design naive(DynamoDbClient dynamo, ResourceNames names) {
        NaiveApplier naive = new NaiveApplier(dynamo, names.aggregatesTable());
        // Each run its own shard names, so that one run's sequence numbers are not another's duplicates.
        String run = UUID.randomUUID().toString().substring(0, 8);
        return (shard, batch) -> naive.apply("bench-naive-" + run + "-" + shard, batch);
    }

    /** Applies each shard's records in batches on a thread per shard, as KCL would. */
    private static Result saturate(
            String label, Design design, List<List<StreamRecord>> shards, WriteCounter counter, int events)
            throws Exception {
        counter.reset();
        long cpuBefore = cpuNanos();
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(shards.size());
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int s = 0; s < shards.size(); s++) {
                int shard = s;
                List<StreamRecord> records = shards.get(s);
                done.add(pool.submit(() -> {
                    for (int from = 0; from < records.size(); from += BATCH) {
                        design.apply(shard, records.subList(from, Math.min(records.size(), from + BATCH)));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpuMs = (cpuNanos() - cpuBefore) / 1e6;
        Result r = new Result(
                events / seconds,
                counter.calls.get() * 1000.0 / events,
                counter.units.get() * 1000.0 / events,
                (counter.transactionalUnits.get() + transactionalPagesAndMarkers(shards)) * 1000.0 / events);
        System.out.printf(
                "%-22s %,10.0f events/s   write calls/1000 %7.1f   items/1000 %7.1f   write units/1000 %7.1f"
                        + "   bench-JVM CPU ms/1000 %6.1f%n",
                label,
                r.eventsPerSecond,
                r.callsPerThousand,
                counter.items.get() * 1000.0 / events,
                r.unitsPerThousand,
                cpuMs * 1000 / events);
        return r;
    }

    /**
     * The write units the transactional design spent on what is not a user's item, batch by batch:
     * an item per page and minute touched (under 1 KB, two units in a transaction) and a marker per
     * transaction of at most 100 items (two units).
     */
    private static long transactionalPagesAndMarkers(List<List<StreamRecord>> shards) {
        ClickEventCodec codec = new ClickEventCodec();
        long units = 0;
        for (List<StreamRecord> records : shards) {
            for (int from = 0; from < records.size(); from += BATCH) {
                Set<String> users = new HashSet<>();
                Set<String> pages = new HashSet<>();
                for (StreamRecord r : records.subList(from, Math.min(records.size(), from + BATCH))) {
                    ClickEvent e = codec.readStored(r.data());
                    users.add(e.userId());
                    if (e.eventType().equals("page_view") && e.page() != null) {
                        pages.add(e.receivedAt().truncatedTo(java.time.temporal.ChronoUnit.MINUTES) + e.page());
                    }
                }
                long items = users.size() + pages.size();
                units += 2L * pages.size() + 2L * ((items + 98) / 99);
            }
        }
        return units;
    }

    private static long cpuNanos() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    /**
     * Events of a synthetic clickstream as each shard would deliver them, each its own record: of
     * {@code users} in all, {@code active} at a time send events, the active set moving on every
     * {@code active * 10} events, as sessions begin and end.
     */
    private static List<List<StreamRecord>> records(int events, int users, int active) {
        ClickEventCodec codec = new ClickEventCodec();
        String prefix = "u" + UUID.randomUUID().toString().substring(0, 6) + "-";
        List<ClickEvent> stream = new ArrayList<>(events);
        int perSet = active >= users ? events : active * 10;
        for (int set = 0; stream.size() < events; set++) {
            stream.addAll(
                    new Clickstream(set, active, prefix + set + "-").next(Math.min(perSet, events - stream.size())));
        }
        List<List<StreamRecord>> shards = new ArrayList<>();
        for (int i = 0; i < SHARDS; i++) {
            shards.add(new ArrayList<>());
        }
        long sequence = 49_000_000_000_000L;
        for (ClickEvent e : stream) {
            int shard = Math.floorMod(e.userId().hashCode(), SHARDS);
            sequence += 10;
            shards.get(shard)
                    .add(new StreamRecord(
                            new Position(BigInteger.valueOf(sequence), 0), e.userId(), codec.write(e), e.receivedAt()));
        }
        return shards;
    }

    /** Stream acknowledgement to readable aggregate, through KCL polling at Kinesis's legal rate. */
    private static void latency(LocalAwsStack stack, LocalAwsClients clients, ResourceNames names, int seconds)
            throws Exception {
        try (var kinesisAsync = clients.kinesisAsync();
                var dynamoAsync = clients.dynamoDbAsync();
                var cloudWatch = clients.unusedCloudWatch();
                KinesisClient kinesis = clients.kinesis();
                DynamoDbClient dynamo = clients.dynamoDb()) {
            KclLeases.precreate(
                    kinesisAsync, dynamoAsync, names.processorApp(), names.stream(), InitialPositionInStream.LATEST);
            var store = store(dynamo, names, "bench-kcl");
            KclProperties kcl = new KclProperties(
                    names.stream(),
                    names.processorApp(),
                    "bench-kcl",
                    KclProperties.InitialPosition.LATEST,
                    null,
                    KclProperties.Retrieval.POLLING,
                    Duration.ofMillis(200),
                    10_000,
                    null,
                    Duration.ofSeconds(3),
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(1),
                    false,
                    Duration.ofSeconds(10));
            KclConsumer consumer = KclConsumer.create(
                    kcl,
                    new KclClients(kinesisAsync, dynamoAsync, cloudWatch),
                    ApplierSink.sinks(store, APPLY, new ProcessorMetrics(new SimpleMeterRegistry()), Clock.systemUTC()),
                    false,
                    Clock.systemUTC());
            consumer.start();
            try {
                try (PipelineLatency pipeline = new PipelineLatency(stack.endpoints(), names)) {
                    report(pipeline.measure(dynamo, names.aggregatesTable(), 500, seconds));
                }
            } finally {
                consumer.stop();
            }
        }
    }

    private static void report(List<Long> latencies) {
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf(
                "POST to readable aggregate at ~500 events/s, polling 200 ms: p50 %d ms, p99 %d ms, max %d ms over %d probes (target p99 < 1000 ms)%n",
                sorted[sorted.length / 2],
                sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)],
                sorted[sorted.length - 1],
                sorted.length);
        if (sorted.length < 10) {
            System.out.println("few probes: " + Arrays.toString(sorted));
        }
    }
}
