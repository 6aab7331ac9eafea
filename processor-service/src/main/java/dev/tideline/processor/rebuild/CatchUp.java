package dev.tideline.processor.rebuild;

import dev.tideline.processor.apply.ApplySettings;
import dev.tideline.processor.generation.Generation;

/** Runs a generation's consumer until closed: it reads the stream from the generation's lease table. */
@FunctionalInterface
public interface CatchUp {

    AutoCloseable start(Generation generation, ApplySettings settings);
}
