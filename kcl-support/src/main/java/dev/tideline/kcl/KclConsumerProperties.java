package dev.tideline.kcl;

import org.jspecify.annotations.Nullable;

/**
 * What names a KCL consumer, as each consumer's own properties record binds it under its prefix;
 * KCL reads these, and {@link KclProperties}, directly.
 */
public interface KclConsumerProperties {

    /** The Kinesis stream to read. */
    String stream();

    /** The KCL application name, which is also its lease table. */
    String application();

    /** This worker's name in the lease table; {@link KclProperties#workerId} makes one when unset. */
    @Nullable
    String workerId();

    KclProperties kcl();
}
