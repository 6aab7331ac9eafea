package dev.tideline.archiver.consume;

import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A test-only fault: halts the JVM, as {@code kill -9} would, after the Nth object is durable and
 * before its checkpoint, the one moment where a crash leaves an object that the checkpoint does not
 * know of. Off unless {@code tideline.archiver.fault.halt-before-checkpoint} is set.
 */
public final class FaultHook {

    private static final Logger log = LoggerFactory.getLogger(FaultHook.class);

    private final int haltAt;
    private final AtomicInteger checkpoints = new AtomicInteger();

    /** @param haltAt the checkpoint to halt before, counting from 1; 0 for never */
    public FaultHook(int haltAt) {
        this.haltAt = haltAt;
    }

    void beforeCheckpoint() {
        if (haltAt > 0 && checkpoints.incrementAndGet() == haltAt) {
            log.warn("Fault hook: halting after an upload, before its checkpoint");
            Runtime.getRuntime().halt(137);
        }
    }
}
