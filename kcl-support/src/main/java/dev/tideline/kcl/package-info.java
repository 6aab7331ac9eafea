/**
 * What the stream's consumers share: a KCL {@link software.amazon.kinesis.coordinator.Scheduler}
 * assembled from {@link dev.tideline.kcl.KclSettings} and run in the Spring lifecycle by
 * {@link dev.tideline.kcl.KclConsumer}.
 */
@NullMarked
package dev.tideline.kcl;

import org.jspecify.annotations.NullMarked;
