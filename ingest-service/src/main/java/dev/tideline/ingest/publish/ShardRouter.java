package dev.tideline.ingest.publish;

import dev.tideline.model.shard.ShardMap;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which shard each record is bound for: the stream's shard map, read when the publisher starts,
 * read again when a reshard is suspected or the refresh interval passed, and read every half second
 * while the stream is unreachable, as the probe that notices its return. Also tells whether an
 * aggregate landed on a shard that holds all of its records. Thread-safe.
 */
final class ShardRouter {

    /** Where records wait while no map has been read yet. */
    static final String UNKNOWN = "unknown";

    private static final Logger log = LoggerFactory.getLogger(ShardRouter.class);
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(500);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private final StreamGateway gateway;
    private final Duration refreshInterval;
    private final Reachability reachability;
    private final PublisherMetrics metrics;
    private final Clock clock;
    private @Nullable ShardMap map;
    private boolean refreshWanted = true;
    private Instant lastRead = Instant.EPOCH;

    ShardRouter(
            StreamGateway gateway,
            Duration refreshInterval,
            Reachability reachability,
            PublisherMetrics metrics,
            Clock clock) {
        this.gateway = gateway;
        this.refreshInterval = refreshInterval;
        this.reachability = reachability;
        this.metrics = metrics;
        this.clock = clock;
    }

    synchronized @Nullable ShardMap map() {
        return map;
    }

    /** The open shard a record with this hash key is written to, or {@link #UNKNOWN}. */
    synchronized String shardFor(BigInteger hashKey) {
        return map == null ? UNKNOWN : map.shardForHashKey(hashKey);
    }

    /** Asks for the map to be read again at the next chance. */
    synchronized void suspectReshard() {
        refreshWanted = true;
    }

    /** Whether the map should be read now. */
    synchronized boolean due() {
        Instant now = clock.instant();
        boolean probe = (map == null || reachability.unreachable()) && !now.isBefore(lastRead.plus(PROBE_INTERVAL));
        return refreshWanted || probe || !now.isBefore(lastRead.plus(refreshInterval));
    }

    /**
     * Reads the map; blocks for the call, so never under the sender's lock. The caller installs it
     * with {@link #install}, under its lock, together with moving the records queued by the old one.
     *
     * @return the new map, or null when it could not be read
     */
    @Nullable
    ShardMap read() throws InterruptedException {
        try {
            ShardMap fresh = ShardMap.of(gateway.listShards().get(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            reachability.answered();
            return fresh;
        } catch (ExecutionException | TimeoutException e) {
            reachability.failed(e);
            log.warn("Reading the shard map failed: {}", Reachability.rootMessage(e));
        } catch (IllegalArgumentException e) {
            log.warn("The shard map is not usable yet: {}", e.getMessage());
        }
        synchronized (this) {
            lastRead = clock.instant();
            refreshWanted = false;
        }
        return null;
    }

    /**
     * Makes {@code fresh} the map records are routed by. Called under the sender's lock, in the same
     * step as moving the records queued by the old map, so that no record is routed by the new map
     * ahead of an older one of its user still queued by the old.
     */
    synchronized void install(ShardMap fresh) {
        boolean changed = map == null || !map.openShardIds().equals(fresh.openShardIds());
        map = fresh;
        refreshWanted = false;
        lastRead = clock.instant();
        if (changed) {
            log.info("Shard map: {} open shards", fresh.openShardIds().size());
            metrics.shardMapRefreshed();
        }
    }

    /**
     * Whether an aggregate that landed on {@code landedOn} belongs there: every member's hash key
     * lies in that shard's range. A shard's range never changes, and members entered their queue
     * through its range, so only an aggregate that landed elsewhere is checked record by record.
     */
    static boolean placed(ShardMap map, String landedOn, String queuedFor, List<Pending> members) {
        return landedOn.equals(queuedFor) || members.stream().allMatch(p -> map.holdsHashKey(landedOn, p.hashKey));
    }
}
