package dev.tideline.web;

import io.micrometer.cloudwatch2.CloudWatchMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.micrometer.metrics.autoconfigure.MeterRegistryCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * Sends only Tideline's own meters to CloudWatch. CloudWatch bills every metric name and dimension
 * set, and the JVM, HTTP and KCL-client meters that Prometheus scrapes for free would be hundreds of
 * them; the dashboard and alarms read {@code tideline.*} only. Prometheus still gets everything.
 */
@AutoConfiguration
@ConditionalOnClass(CloudWatchMeterRegistry.class)
public class CloudWatchMetricsAutoConfiguration {

    static final String PREFIX = "tideline.";

    @Bean
    MeterRegistryCustomizer<CloudWatchMeterRegistry> onlyTidelineMetersToCloudWatch() {
        return registry -> registry.config().meterFilter(onlyTideline());
    }

    static MeterFilter onlyTideline() {
        return MeterFilter.denyUnless(id -> id.getName().startsWith(PREFIX));
    }
}
