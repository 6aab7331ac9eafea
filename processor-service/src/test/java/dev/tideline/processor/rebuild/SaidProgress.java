package dev.tideline.processor.rebuild;

import java.util.ArrayList;
import java.util.List;

/** A rebuild's progress that keeps only the lines said to whoever runs it. */
final class SaidProgress implements Progress {

    final List<String> said = new ArrayList<>();

    @Override
    public void reading(String name, int objects, long bytes) {}

    @Override
    public void read(long bytes) {}

    @Override
    public void folding(long records) {}

    @Override
    public void step(String name) {}

    @Override
    public void wrote(long items) {}

    @Override
    public void caughtUp(int reached, int shards) {}

    @Override
    public void say(String line) {
        said.add(line);
    }
}
