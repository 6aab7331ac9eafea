package dev.tideline.kcl;

import java.time.Clock;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * A consumer's KCL worker in the Spring lifecycle, its liveness, and its lease table's readiness. A
 * consumer imports this and provides its properties record (a {@link KclConsumerProperties}), its
 * {@link ShardSinks} and a {@link Clock}, and may provide a {@link KclApplication}; its meters that
 * implement {@link ReportsWhileAlive} report only while the scheduler runs and reads every shard.
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
            ObjectProvider<KclApplication> application) {
        KclProperties kcl = consumer.kcl();
        return KclConsumer.create(
                kcl,
                application.getIfAvailable(() -> kcl::application),
                clients,
                sinks,
                consumer.emptyBatches(),
                clock);
    }

    /** In the liveness group: a dead KCL scheduler fails the container's health check. */
    @Bean
    SchedulerLiveness kclHealthIndicator(KclConsumer consumer) {
        return new SchedulerLiveness(consumer);
    }

    /**
     * In the readiness group: leases of an earlier stream of the same name make the worker not
     * ready, and silence its headline gauges.
     */
    @Bean
    LeaseReadiness leasesHealthIndicator(
            KclConsumer consumer,
            KclClients clients,
            KclConsumerProperties properties,
            List<ReportsWhileAlive> meters) {
        LeaseReadiness leases = new LeaseReadiness(consumer, clients, properties.kcl().stream());
        meters.forEach(m -> m.reportWhile(() -> consumer.alive() && leases.readsEveryShard()));
        return leases;
    }
}
