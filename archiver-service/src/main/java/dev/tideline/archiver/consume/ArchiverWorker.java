package dev.tideline.archiver.consume;

import dev.tideline.archiver.archive.ArchiverSettings;
import dev.tideline.archiver.archive.ShardArchiver;
import dev.tideline.archiver.store.ArchiveObjects;
import dev.tideline.kcl.KclClients;
import dev.tideline.kcl.KclConsumer;
import dev.tideline.kcl.KclSettings;
import dev.tideline.kcl.Schedulers;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;

/** Assembles the KCL worker that archives the stream. */
public final class ArchiverWorker {

    private ArchiverWorker() {}

    public static KclConsumer consumer(
            KclSettings kcl,
            KclClients clients,
            ArchiveObjects objects,
            ArchiverSettings settings,
            ArchiverMetrics metrics,
            Clock clock,
            FaultHook fault) {
        AtomicBoolean stopping = new AtomicBoolean();
        return new KclConsumer(
                () -> Schedulers.create(
                        kcl,
                        clients,
                        () -> new ShardArchiverProcessor(
                                shardId -> new ShardArchiver(shardId, objects, settings, metrics, clock, stopping::get),
                                metrics,
                                fault)),
                kcl.shutdownTimeout(),
                stopping);
    }
}
