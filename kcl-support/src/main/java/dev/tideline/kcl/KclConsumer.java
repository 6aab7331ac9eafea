package dev.tideline.kcl;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import software.amazon.kinesis.coordinator.Scheduler;

/**
 * Runs a KCL {@link Scheduler} inside the Spring lifecycle: started once the context is refreshed,
 * stopped before the web server on shutdown. A graceful stop lets each shard finish its batch and
 * checkpoint; KCL 2.x does not hand leases over, so other workers take them when they expire.
 */
public final class KclConsumer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(KclConsumer.class);

    private final Supplier<Scheduler> schedulers;
    private final Duration shutdownTimeout;
    private final AtomicBoolean stopping;
    private volatile @Nullable Scheduler scheduler;
    private volatile @Nullable Thread thread;

    /**
     * @param stopping set when a stop begins, so that shards waiting on an unreachable store give up
     *     instead of holding the shutdown
     */
    KclConsumer(Supplier<Scheduler> schedulers, Duration shutdownTimeout, AtomicBoolean stopping) {
        this.schedulers = schedulers;
        this.shutdownTimeout = shutdownTimeout;
        this.stopping = stopping;
    }

    /**
     * A KCL worker for one consumer: every shard it takes is read by a {@link ShardConsumer} into the
     * sink {@code sinks} opens for it.
     *
     * @param emptyBatches whether sinks are called with no records too, as time-based work needs
     */
    public static KclConsumer create(
            KclProperties kcl, KclClients clients, ShardSinks sinks, boolean emptyBatches, Clock clock) {
        return create(kcl, kcl::application, clients, sinks, emptyBatches, clock);
    }

    /**
     * A KCL worker whose application name (and lease table) is asked of {@code application} at each
     * start; stopping and starting it again moves it to another.
     */
    public static KclConsumer create(
            KclProperties kcl,
            KclApplication application,
            KclClients clients,
            ShardSinks sinks,
            boolean emptyBatches,
            Clock clock) {
        AtomicBoolean stopping = new AtomicBoolean();
        String workerId = KclProperties.workerId(kcl.workerId());
        return new KclConsumer(
                () -> Schedulers.create(
                        kcl.withApplication(application.name()),
                        workerId,
                        clients,
                        () -> new ShardConsumer(
                                shardId -> sinks.open(shardId, stopping::get),
                                kcl.checkpointInterval(),
                                clock,
                                workerId),
                        emptyBatches),
                kcl.shutdownTimeout(),
                stopping);
    }

    @Override
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        stopping.set(false);
        Scheduler s = schedulers.get();
        Thread t = new Thread(s, "kcl-scheduler");
        t.setUncaughtExceptionHandler((th, e) -> log.error("The KCL scheduler died", e));
        t.start();
        scheduler = s;
        thread = t;
    }

    @Override
    public synchronized void stop() {
        Scheduler s = scheduler;
        if (s == null) {
            return;
        }
        Future<Boolean> done = s.startGracefulShutdown();
        // Shards get a moment to finish on their own before waits on the store are cut short.
        try {
            done.get(shutdownTimeout.toMillis() / 2, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            stopping.set(true);
            await(done, shutdownTimeout.toMillis() / 2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            log.warn("The KCL scheduler's graceful shutdown failed", e.getCause());
        }
        stopping.set(true);
        if (!s.shutdownComplete()) {
            s.shutdown();
        }
        Thread t = thread;
        if (t != null) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        scheduler = null;
        thread = null;
        log.info("KCL worker stopped");
    }

    private static void await(Future<Boolean> done, long millis) {
        try {
            if (!done.get(millis, TimeUnit.MILLISECONDS)) {
                log.warn("Some shards did not shut down gracefully; they are read again from their checkpoints");
            }
        } catch (TimeoutException | ExecutionException e) {
            log.warn("The KCL scheduler did not shut down within the timeout: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }

    /**
     * True while the scheduler's thread runs. False before the start, after the stop, and when the
     * scheduler died: KCL only logs that, so liveness and the lag metrics read this instead.
     */
    public boolean alive() {
        Thread t = thread;
        return scheduler != null && t != null && t.isAlive();
    }

    /** The lease table (KCL's application name) of the running scheduler; null when none runs. */
    public @Nullable String leaseTable() {
        Scheduler s = scheduler;
        return s == null ? null : s.applicationName();
    }

    /** Stops first, before the web server, so queries answer while shards finish. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }
}
