/**
 * Rebuilding the aggregates from the archive: the fold as SQL over the Parquet archive
 * ({@link dev.tideline.processor.rebuild.FoldSql}), its results as the items of a new generation
 * ({@link dev.tideline.processor.rebuild.ArchiveFold}), and what a rebuild covers
 * ({@link dev.tideline.processor.rebuild.Plan}). No AWS types: the archive comes as files, the
 * items go through the apply core's {@link dev.tideline.processor.apply.AggregateStore}.
 */
@NullMarked
package dev.tideline.processor.rebuild;

import org.jspecify.annotations.NullMarked;
