/**
 * The archiver's side of KCL: a shard's records fed to a {@link
 * dev.tideline.archiver.archive.ShardArchiver} behind kcl-support's shard sink, and the archiver's
 * metrics.
 */
@NullMarked
package dev.tideline.archiver.consume;

import org.jspecify.annotations.NullMarked;
