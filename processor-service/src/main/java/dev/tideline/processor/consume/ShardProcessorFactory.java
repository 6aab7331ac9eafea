package dev.tideline.processor.consume;

import java.time.Clock;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;

/** Makes a {@link ShardProcessor} for each shard lease KCL takes. */
final class ShardProcessorFactory implements ShardRecordProcessorFactory {

    private final ShardContext context;
    private final Clock clock;

    ShardProcessorFactory(ShardContext context, Clock clock) {
        this.context = context;
        this.clock = clock;
    }

    @Override
    public ShardRecordProcessor shardRecordProcessor() {
        return new ShardProcessor(context, clock);
    }
}
