package dev.tideline.processor.apply;

import dev.tideline.model.retry.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one shard's writes reach the store: rounds of concurrent single-item writes, each refused or
 * failed item read again before it is tried again, and the project's {@link Backoff} while the
 * store is unreachable. Not thread-safe.
 */
final class WriteLoop {

    private static final Logger log = LoggerFactory.getLogger(WriteLoop.class);

    /** This shard has ended and a child's worker owns its users. */
    static final class Fenced extends RuntimeException {
        Fenced() {
            super(null, null, false, false);
        }
    }

    /** The worker stops while the store cannot be reached. */
    static final class Abandoned extends RuntimeException {
        Abandoned() {
            super(null, null, false, false);
        }
    }

    private final ShardScope scope;
    private int writes;

    WriteLoop(ShardScope scope) {
        this.scope = scope;
    }

    /** Writes made since the last {@link #resetWrites()}, retries included. */
    int writes() {
        return writes;
    }

    void resetWrites() {
        writes = 0;
    }

    /** Writes every pending item until each is durable. */
    void writeAll(List<? extends Pending> items) {
        List<Pending> pending = new ArrayList<>();
        for (Pending p : items) {
            if (p.write() != null) {
                pending.add(p);
            } else {
                p.landed();
            }
        }
        Backoff.Attempts backoff = scope.settings().backoff().attempts();
        while (!pending.isEmpty()) {
            List<Write> round = pending.stream().map(Pending::write).toList();
            List<Write.Result> results = scope.store().write(round);
            writes += round.size();
            List<Pending> again = new ArrayList<>();
            List<Pending> failed = new ArrayList<>();
            for (int i = 0; i < round.size(); i++) {
                Pending p = pending.get(i);
                switch (results.get(i)) {
                    case WRITTEN -> p.landed();
                    case CONFLICT -> {
                        scope.listener().retry(scope.shardId());
                        refresh(p, Write.Result.CONFLICT, again);
                    }
                    case FAILED -> {
                        scope.listener().retry(scope.shardId());
                        failed.add(p);
                    }
                }
            }
            if (!failed.isEmpty()) {
                pause(backoff.next());
                failed.forEach(p -> refresh(p, Write.Result.FAILED, again));
            }
            pending = again;
        }
    }

    private void refresh(Pending p, Write.Result result, List<Pending> again) {
        if (retrying(() -> p.refresh(result))) {
            again.add(p);
        } else {
            p.landed();
        }
    }

    /** Calls the store until it answers, waiting between tries; gives up only when the worker stops. */
    <T> T retrying(Supplier<T> call) {
        Backoff.Attempts backoff = scope.settings().backoff().attempts();
        while (true) {
            try {
                return call.get();
            } catch (Fenced e) {
                throw e;
            } catch (RuntimeException e) {
                log.warn("Shard {}: reading the store failed: {}", scope.shardId(), e.toString());
                scope.listener().retry(scope.shardId());
            }
            pause(backoff.next());
        }
    }

    /** Waits out a backoff; ends the batch when the worker stops or the thread is interrupted. */
    private void pause(Duration wait) {
        if (scope.stopping().getAsBoolean()) {
            throw new Abandoned();
        }
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Abandoned();
        }
    }
}
