package dev.tideline.kcl;

/**
 * A consumer's properties record, as kcl-support reads it: its {@link KclProperties}, bound under the
 * consumer's own {@code kcl} prefix, and whether its sinks take empty batches.
 */
public interface KclConsumerProperties {

    KclProperties kcl();

    /** Whether sinks are called with no records too, as time-based work needs. */
    default boolean emptyBatches() {
        return false;
    }
}
