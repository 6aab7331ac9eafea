package dev.tideline.localaws;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * dynalite (npm {@code dynalite}, Apache-2.0), a DynamoDB server on LevelDB, as a Node child
 * process: in memory, or in a LevelDB directory that survives restarts.
 *
 * <p>What it lacks, and how Tideline lives with it: no {@code TransactWriteItems} (the processor
 * writes one item at a time by design, on every engine), no time to live ({@link Provisioner} turns
 * it on only where the engine has it; on the embedded stack expired items simply stay).
 */
final class Dynalite implements NodeServer {

    private final NodeChild child;

    private Dynalite(NodeChild child) {
        this.child = child;
    }

    /** Starts dynalite on the port; returns once the process is launched, callers wait for the port. */
    static Dynalite start(int port, Path dataDir, Path log) {
        List<String> args = new ArrayList<>(List.of("--port", Integer.toString(port), "--host", "127.0.0.1"));
        // Tables become ACTIVE at once, as tests and ./tideline up expect; AWS takes seconds.
        args.addAll(List.of("--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"));
        if (dataDir != null) {
            args.addAll(List.of("--path", dataDir.toAbsolutePath().toString()));
        }
        return new Dynalite(NodeChild.start(
                "dynalite", "dynalite", "cli.js", args, Map.of(), log, NodeChild.SURVIVE_ABORTED_REQUESTS));
    }

    @Override
    public boolean isAlive() {
        return child.isAlive();
    }

    @Override
    public String name() {
        return "dynalite";
    }

    long pid() {
        return child.pid();
    }

    /** Kills it: every write it acknowledged is in LevelDB's log already, so nothing is lost. */
    @Override
    public void close() {
        child.kill();
    }

    @Override
    public String toString() {
        return child.toString();
    }
}
