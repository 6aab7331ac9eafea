package dev.tideline.console.collect;

import dev.tideline.console.collect.Snapshot.ConsumerView;
import dev.tideline.console.collect.Snapshot.ShardRow;
import dev.tideline.model.metrics.MeterName;
import dev.tideline.model.names.Layout;
import dev.tideline.model.shard.EarlierStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * One consumer application as the console shows it: its workers' meters, its lease table (one
 * {@code Scan}), and for each lease how far the checkpoint is behind the tip, from the stream; and
 * the problems that put it over its threshold.
 */
final class ConsumerReader {

    /**
     * What to read of one consumer.
     *
     * @param measure what its headline number is called: {@code lag} or {@code freshness}
     * @param headline the Prometheus name of that number, in seconds
     * @param behind its per-shard {@code MillisBehindLatest} gauge
     * @param age its per-shard iterator age gauge
     */
    record Spec(
            String name,
            String application,
            String measure,
            String headline,
            MeterName behind,
            MeterName age,
            List<URI> urls,
            Duration threshold) {

        /** The processor's spec for a generation of the aggregates, whose own lease table it reads. */
        Spec ofGeneration(int generation) {
            return name.equals("processor")
                    ? new Spec(
                            name,
                            Layout.ofGeneration(application, generation),
                            measure,
                            headline,
                            behind,
                            age,
                            urls,
                            threshold)
                    : this;
        }
    }

    private final String stream;
    private final StreamApi streamApi;
    private final Leases leases;
    private final Scraper scraper;
    private final Duration leaseExpiry;
    private final Map<String, Observed> observed = new HashMap<>();

    ConsumerReader(String stream, StreamApi streamApi, Leases leases, Scraper scraper, Duration leaseExpiry) {
        this.stream = stream;
        this.streamApi = streamApi;
        this.leases = leases;
        this.scraper = scraper;
        this.leaseExpiry = leaseExpiry;
    }

    /**
     * @param full whether every checkpoint is read from the stream this time; otherwise only those of
     *     shards no live worker reports on (no owner, an expired lease, a worker that does not answer),
     *     and the others keep the age last read
     */
    ConsumerView read(
            Spec spec, List<StreamApi.ShardInfo> shards, @Nullable String streamError, Instant now, boolean full) {
        String name = spec.name();
        String application = spec.application();
        String measure = spec.measure();
        List<URI> urls = spec.urls();
        Duration threshold = spec.threshold();
        List<Scraper.Instance> instances = scraper.scrape(urls);
        List<String> problems = new ArrayList<>();
        if (streamError != null) {
            problems.add(streamError);
        }
        if (instances.stream().noneMatch(Scraper.Instance::reachable)) {
            problems.add(name + "-service answers at none of " + urls + ": "
                    + instances.get(0).error());
        }

        Long valueMillis = Scraper.largest(instances, m -> m.max(spec.headline()))
                .map(v -> Math.round(v * 1000))
                .orElse(null);
        Map<String, Double> behind = merged(instances, Prometheus.name(spec.behind(), ""));
        Map<String, Double> age = merged(instances, Prometheus.name(spec.age(), "_seconds"));

        List<Leases.Lease> held = List.of();
        String leaseError = null;
        try {
            held = leases.scan(application);
        } catch (RuntimeException e) {
            leaseError = "the lease table " + application + " cannot be read: " + Failures.describe(e);
            problems.add(leaseError);
        }

        Map<String, StreamApi.ShardInfo> byId = new HashMap<>();
        shards.forEach(s -> byId.put(s.shardId(), s));
        Map<String, Leases.Lease> leaseOf = new HashMap<>();
        held.forEach(l -> leaseOf.put(l.shardId(), l));
        TreeSet<String> shown = new TreeSet<>();
        shards.stream().filter(StreamApi.ShardInfo::open).forEach(s -> shown.add(s.shardId()));
        held.stream().filter(l -> !"SHARD_END".equals(l.checkpoint())).forEach(l -> shown.add(l.shardId()));

        List<ShardRow> rows = new ArrayList<>();
        for (String shardId : shown) {
            StreamApi.ShardInfo info = byId.get(shardId);
            Leases.Lease lease = leaseOf.get(shardId);
            boolean open = info != null && info.open();
            if (lease == null) {
                if (leaseError == null) {
                    problems.add(shardId + " has no lease in " + application);
                }
                rows.add(new ShardRow(shardId, open, null, false, null, 0, 0, 0, null, null, null));
                continue;
            }
            Observed o = observe(application, lease, now);
            boolean expired = lease.owner() != null
                    && Duration.between(o.counterMovedAt, now).compareTo(leaseExpiry) > 0;
            boolean unreported = lease.owner() == null || expired || !age.containsKey(shardId);
            // An earlier stream's lease: nobody reads the shard, so everything in it waits.
            boolean earlier =
                    EarlierStream.checkpoint(open, info == null ? null : info.firstSequence(), lease.checkpoint());
            if (earlier) {
                problems.add(shardId + " is open, but its lease in " + application + " is an earlier stream's ("
                        + lease.checkpoint() + "): the stream was deleted and created again, and no worker reads"
                        + " this shard");
            }
            if (streamError != null) {
                o.checkpointAge = null;
            } else if (full || unreported || earlier || o.checkpointAge == null) {
                o.checkpointAge = checkpointAge(shardId, earlier ? "TRIM_HORIZON" : lease.checkpoint());
            }
            Long checkpointAge = o.checkpointAge;
            if (lease.owner() == null) {
                problems.add(shardId + " has no owner");
            } else if (expired) {
                problems.add(shardId + "'s lease is no longer renewed by " + lease.owner());
            }
            if (checkpointAge != null && checkpointAge > threshold.toMillis()) {
                problems.add(shardId + "'s checkpoint is " + Durations.text(checkpointAge) + " behind (threshold "
                        + Durations.text(threshold.toMillis()) + ")");
            }
            rows.add(new ShardRow(
                    shardId,
                    open,
                    lease.owner(),
                    expired,
                    lease.checkpoint(),
                    lease.counter(),
                    lease.ownerSwitches(),
                    o.moves,
                    checkpointAge,
                    rounded(behind.get(shardId), 1),
                    rounded(age.get(shardId), 1000)));
        }
        if (valueMillis != null && valueMillis > threshold.toMillis()) {
            problems.add(name + " " + measure + " " + Durations.text(valueMillis) + " is over its threshold "
                    + Durations.text(threshold.toMillis()));
        } else if (valueMillis == null && instances.stream().anyMatch(Scraper.Instance::reachable)) {
            problems.add(name + "-service publishes no " + measure
                    + ": its KCL scheduler is not running, or its leases are an earlier stream's");
        }
        return new ConsumerView(
                name,
                application,
                measure,
                valueMillis,
                threshold.toMillis(),
                List.copyOf(problems),
                Scraper.workers(instances),
                List.copyOf(rows),
                leaseError);
    }

    private @Nullable Long checkpointAge(String shardId, @Nullable String checkpoint) {
        try {
            return streamApi.checkpointAgeMillis(stream, shardId, checkpoint);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private Observed observe(String application, Leases.Lease lease, Instant now) {
        Observed o = observed.computeIfAbsent(application + "/" + lease.shardId(), k -> new Observed(lease, now));
        if (lease.counter() != o.counter) {
            o.counter = lease.counter();
            o.counterMovedAt = now;
        }
        if (lease.owner() != null && !lease.owner().equals(o.owner)) {
            if (o.owner != null) {
                o.moves++;
            }
            o.owner = lease.owner();
        }
        return o;
    }

    /** A per-shard gauge over every worker: the largest value each shard has. */
    private static Map<String, Double> merged(List<Scraper.Instance> instances, String name) {
        Map<String, Double> merged = new HashMap<>();
        for (Scraper.Instance i : instances) {
            if (i.meters() != null) {
                i.meters().byLabel(name, "shard").forEach((shard, v) -> merged.merge(shard, v, Math::max));
            }
        }
        return merged;
    }

    private static @Nullable Long rounded(@Nullable Double value, double factor) {
        return value == null ? null : Math.round(value * factor);
    }

    /** What the console has seen of one lease across refreshes. */
    private static final class Observed {
        long counter;
        Instant counterMovedAt;

        @Nullable
        String owner;

        long moves;

        /** The checkpoint's age as last read from the stream. */
        @Nullable
        Long checkpointAge;

        Observed(Leases.Lease lease, Instant now) {
            this.counter = lease.counter();
            this.counterMovedAt = now;
            this.owner = lease.owner();
        }
    }
}
