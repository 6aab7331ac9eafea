package dev.tideline.faults;

import dev.tideline.processor.generation.GenerationStores;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Makes a processor run by a crash test a slow writer: its store waits
 * {@code tideline.test.pause-before-write} before every round of writes, and the gauge
 * {@code tideline.test.writes.under.way} tells whether it holds a round. Added to the service with
 * {@link #ARGUMENT}; the service itself has no such switch, and this package lies outside the
 * service's component scan, so no other test picks it up.
 */
@Configuration(proxyBeanMethods = false)
public class SlowWriter {

    /** The command-line argument that adds this configuration to a processor. */
    public static final String ARGUMENT = "--spring.main.sources=" + SlowWriter.class.getName();

    /** Rounds of writes under way in this JVM. */
    private static final AtomicInteger WRITING = new AtomicInteger();

    @Bean
    static BeanPostProcessor pausingStore(Environment environment) {
        Duration pause = environment.getRequiredProperty("tideline.test.pause-before-write", Duration.class);
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                // Every generation's store, as the consumer gets them.
                return bean instanceof GenerationStores stores
                        ? stores.decorated(store -> new PausingStore(store, pause, WRITING))
                        : bean;
            }
        };
    }

    @Bean
    MeterBinder writesUnderWay() {
        return registry -> Gauge.builder("tideline.test.writes.under.way", WRITING, AtomicInteger::get)
                .register(registry);
    }
}
