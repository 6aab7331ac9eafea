package dev.tideline.kcl;

import java.time.Clock;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * A consumer's KCL worker in the Spring lifecycle, and its liveness. A consumer imports this and
 * provides its properties record (a {@link KclConsumerProperties}), its {@link ShardSinks} and a
 * {@link Clock}, and may provide a {@link KclApplication}; its meters that implement {@link ReportsWhileAlive} follow the scheduler.
 */
@Configuration(proxyBeanMethods = false)
@Import(KclClientsConfiguration.class)
public class KclWorkerConfiguration {

    @Bean
    KclConsumer kclConsumer(
            KclConsumerProperties consumer,
            KclClients clients,
            ShardSinks sinks,
            Clock clock,
            List<ReportsWhileAlive> meters,
            ObjectProvider<KclApplication> application) {
        KclProperties kcl = consumer.kcl();
        KclConsumer worker = KclConsumer.create(
                kcl,
                application.getIfAvailable(() -> kcl::application),
                clients,
                sinks,
                consumer.emptyBatches(),
                clock);
        meters.forEach(m -> m.reportWhile(worker::alive));
        return worker;
    }

    /** In the liveness group: a dead KCL scheduler fails the container's health check. */
    @Bean
    SchedulerLiveness kclHealthIndicator(KclConsumer consumer) {
        return new SchedulerLiveness(consumer);
    }
}
