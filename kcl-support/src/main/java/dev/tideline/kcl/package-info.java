/**
 * What the stream's consumers share: a KCL {@link software.amazon.kinesis.coordinator.Scheduler}
 * assembled from a consumer's {@link dev.tideline.kcl.KclConsumerProperties} and run in the Spring
 * lifecycle by {@link dev.tideline.kcl.KclConsumer}, and the one shard processor of both
 * consumers, which reads each shard into the consumer's {@link dev.tideline.kcl.ShardSink} and
 * checkpoints what it made durable.
 */
@NullMarked
package dev.tideline.kcl;

import org.jspecify.annotations.NullMarked;
