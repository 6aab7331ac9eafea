package dev.tideline.kcl;

import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;

/**
 * A consumer's meters that must fall silent while its KCL scheduler is not running, or reads an
 * earlier stream's leases ({@link LeaseReadiness}): a lag of 0 from a worker that reads nothing
 * would look healthy, while no data makes the alarms, which treat missing data as breaching, fire.
 * {@link KclWorkerConfiguration} ties every such bean to the worker.
 */
public abstract class ReportsWhileAlive {

    private volatile BooleanSupplier alive = () -> true;

    /** Reports only while {@code alive} holds. */
    public final void reportWhile(BooleanSupplier alive) {
        this.alive = alive;
    }

    /** The value while the scheduler runs and reads every shard; NaN, which is not published, else. */
    protected final double whileAlive(DoubleSupplier value) {
        return alive.getAsBoolean() ? value.getAsDouble() : Double.NaN;
    }
}
