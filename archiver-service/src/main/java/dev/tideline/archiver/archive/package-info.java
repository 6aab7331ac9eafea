/** Exactly-once archiving of one shard: buffering hints, the chain of objects, checkpoint positions. */
@NullMarked
package dev.tideline.archiver.archive;

import org.jspecify.annotations.NullMarked;
