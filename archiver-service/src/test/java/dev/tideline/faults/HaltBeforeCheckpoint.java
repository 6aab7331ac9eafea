package dev.tideline.faults;

import dev.tideline.kcl.ShardSink;
import dev.tideline.kcl.ShardSinks;
import dev.tideline.model.shard.Position;
import dev.tideline.model.shard.StreamRecord;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Makes an archiver run by a crash test halt, as {@code kill -9} would, once the
 * {@code tideline.test.halt-before-checkpoint}th object is durable and before its checkpoint: the
 * one moment where a crash leaves an object that the checkpoint does not know of. Added to the
 * service with {@link #ARGUMENT}; the service itself has no such switch, and this package lies
 * outside the service's component scan, so no other test picks it up.
 */
@Configuration(proxyBeanMethods = false)
public class HaltBeforeCheckpoint {

    private static final Logger log = LoggerFactory.getLogger(HaltBeforeCheckpoint.class);

    /** The command-line argument that adds this configuration to an archiver. */
    public static final String ARGUMENT = "--spring.main.sources=" + HaltBeforeCheckpoint.class.getName();

    @Bean
    static BeanPostProcessor haltingSinks(Environment environment) {
        int haltAt = environment.getRequiredProperty("tideline.test.halt-before-checkpoint", Integer.class);
        AtomicInteger durableObjects = new AtomicInteger();
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (bean instanceof ShardSinks sinks) {
                    ShardSinks halting =
                            (shardId, stopping) -> new Halting(sinks.open(shardId, stopping), durableObjects, haltAt);
                    return halting;
                }
                return bean;
            }
        };
    }

    /** Counts each new durable position, which the shard consumer asks for right before checkpointing it. */
    private static final class Halting implements ShardSink {

        private final ShardSink sink;
        private final AtomicInteger durableObjects;
        private final int haltAt;
        private Optional<Position> last = Optional.empty();

        Halting(ShardSink sink, AtomicInteger durableObjects, int haltAt) {
            this.sink = sink;
            this.durableObjects = durableObjects;
            this.haltAt = haltAt;
        }

        @Override
        public Optional<Position> durable() {
            Optional<Position> now = sink.durable();
            if (now.isPresent() && !now.equals(last)) {
                last = now;
                if (durableObjects.incrementAndGet() == haltAt) {
                    log.warn("Halting after an upload, before its checkpoint");
                    Runtime.getRuntime().halt(137);
                }
            }
            return now;
        }

        @Override
        public boolean accept(List<StreamRecord> records, long millisBehindLatest) {
            return sink.accept(records, millisBehindLatest);
        }

        @Override
        public void flush() {
            sink.flush();
        }

        @Override
        public boolean finish() {
            return sink.finish();
        }

        @Override
        public void discard() {
            sink.discard();
        }

        @Override
        public void close() {
            sink.close();
        }
    }
}
