package dev.tideline.processor.consume;

import dev.tideline.kcl.KclClients;
import dev.tideline.kcl.KclConsumer;
import dev.tideline.kcl.KclSettings;
import dev.tideline.kcl.Schedulers;
import dev.tideline.processor.apply.AggregateStore;
import dev.tideline.processor.apply.ApplySettings;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;

/** Assembles a KCL worker that applies the stream to an {@link AggregateStore}. */
public final class KclWorker {

    private KclWorker() {}

    public static KclConsumer consumer(
            KclSettings settings,
            KclClients clients,
            AggregateStore store,
            ApplySettings apply,
            ProcessorMetrics metrics,
            Clock clock) {
        AtomicBoolean stopping = new AtomicBoolean();
        ShardContext context = new ShardContext(store, apply, metrics, settings.checkpointInterval(), stopping::get);
        return new KclConsumer(
                () -> Schedulers.create(settings, clients, new ShardProcessorFactory(context, clock)),
                settings.shutdownTimeout(),
                stopping);
    }
}
