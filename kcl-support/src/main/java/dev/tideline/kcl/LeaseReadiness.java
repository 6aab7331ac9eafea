package dev.tideline.kcl;

import dev.tideline.model.shard.EarlierStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * A consumer's lease table against the stream it reads. While a lease is an earlier stream's
 * ({@link EarlierStream}), this worker reads none of that shard's records, and nothing else would
 * show it: so the worker is not ready, it logs the shards as an error, and its headline gauge (the
 * processor's lag, the archiver's freshness) falls silent, which the alarms on them treat as
 * breaching. Checked at each readiness probe, and every {@link #INTERVAL} while the worker runs.
 */
public final class LeaseReadiness implements HealthIndicator, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LeaseReadiness.class);

    /** How often the lease table is checked between probes. */
    static final Duration INTERVAL = Duration.ofSeconds(30);

    private final KclConsumer consumer;
    private final KclClients clients;
    private final String stream;
    /** The shards found with an earlier stream's leases last time; empty when none, or not known. */
    private volatile List<String> earlier = List.of();

    private @Nullable ScheduledExecutorService checks;

    public LeaseReadiness(KclConsumer consumer, KclClients clients, String stream) {
        this.consumer = consumer;
        this.clients = clients;
        this.stream = stream;
    }

    @Override
    public Health health() {
        String table = consumer.leaseTable();
        if (table == null) {
            return Health.up()
                    .withDetail("leaseTable", "none: the KCL worker is not running")
                    .build();
        }
        return StreamReadiness.probe("the stream or the lease table " + table, () -> {
            List<String> found = check(table);
            return found.isEmpty()
                    ? Health.up().withDetail("leaseTable", table).build()
                    : Health.down().withDetail("error", error(table, found)).build();
        });
    }

    /** False while the last check found leases of an earlier stream: this worker misses shards. */
    public boolean readsEveryShard() {
        return earlier.isEmpty();
    }

    private List<String> check(String table) throws ExecutionException, InterruptedException, TimeoutException {
        List<String> found = earlierStream(shards(), checkpoints(table));
        if (!found.equals(earlier)) {
            if (found.isEmpty()) {
                log.info("The lease table {} no longer holds an earlier stream's leases", table);
            } else {
                log.error("Not ready: {}", error(table, found));
            }
        }
        earlier = found;
        return found;
    }

    private String error(String table, List<String> shards) {
        return "the stream " + stream + " has " + String.join(", ", shards) + " open, but the lease table " + table
                + " says they were read to their end, or checkpoints them before their first record: its leases"
                + " are an earlier stream's of that name, deleted and created again since, and this worker reads"
                + " none of those shards' records (see the README: a stream deleted and created again)";
    }

    private void checkNow() {
        String table = consumer.leaseTable();
        if (table == null) {
            return;
        }
        try {
            check(table);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            log.debug("The lease table {} could not be checked: {}", table, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void start() {
        if (checks == null) {
            ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "lease-check");
                t.setDaemon(true);
                return t;
            });
            s.scheduleWithFixedDelay(this::checkNow, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            checks = s;
        }
    }

    @Override
    public synchronized void stop() {
        if (checks != null) {
            checks.shutdownNow();
            checks = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return checks != null;
    }

    /** The shards of {@code shards} whose checkpoint in {@code checkpoints} (by shard id) is an earlier stream's. */
    static List<String> earlierStream(List<Shard> shards, Map<String, String> checkpoints) {
        TreeSet<String> earlier = new TreeSet<>();
        for (Shard shard : shards) {
            var range = shard.sequenceNumberRange();
            if (EarlierStream.checkpoint(
                    range.endingSequenceNumber() == null,
                    range.startingSequenceNumber(),
                    checkpoints.get(shard.shardId()))) {
                earlier.add(shard.shardId());
            }
        }
        return List.copyOf(earlier);
    }

    /** The stream's shards; none when there is no stream, which the stream's readiness reports. */
    private List<Shard> shards() throws ExecutionException, InterruptedException, TimeoutException {
        List<Shard> shards = new ArrayList<>();
        String next = null;
        do {
            String token = next;
            ListShardsResponse page = answer(clients.kinesis().listShards(b -> {
                if (token == null) {
                    b.streamName(stream);
                } else {
                    b.nextToken(token);
                }
            }));
            if (page == null) {
                return List.of();
            }
            shards.addAll(page.shards());
            next = page.nextToken();
        } while (next != null);
        return shards;
    }

    /**
     * Each lease's checkpoint by shard id: KCL's {@code leaseKey} and {@code checkpoint} attributes;
     * none before KCL has made the table.
     */
    private Map<String, String> checkpoints(String table)
            throws ExecutionException, InterruptedException, TimeoutException {
        Map<String, String> checkpoints = new HashMap<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = answer(clients.dynamo().scan(b -> b.tableName(table)
                    .consistentRead(true)
                    .projectionExpression("leaseKey, checkpoint")
                    .exclusiveStartKey(from)));
            if (page == null) {
                return Map.of();
            }
            for (Map<String, AttributeValue> item : page.items()) {
                AttributeValue key = item.get("leaseKey");
                AttributeValue checkpoint = item.get("checkpoint");
                if (key != null && checkpoint != null && checkpoint.s() != null) {
                    checkpoints.put(key.s(), checkpoint.s());
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return checkpoints;
    }

    /** The call's answer within the probe's timeout; null when the stream or the table is not there. */
    private static <T> @Nullable T answer(CompletableFuture<T> call)
            throws ExecutionException, InterruptedException, TimeoutException {
        try {
            return call.get(StreamReadiness.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException
                    || e.getCause() instanceof ResourceNotFoundException) {
                return null;
            }
            throw e;
        }
    }
}
