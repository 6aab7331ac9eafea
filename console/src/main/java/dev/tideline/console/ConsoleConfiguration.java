package dev.tideline.console;

import dev.tideline.console.collect.Collector;
import dev.tideline.console.collect.Leases;
import dev.tideline.console.collect.Rejects;
import dev.tideline.console.collect.Scraper;
import dev.tideline.console.collect.StreamApi;
import dev.tideline.console.collect.Tail;
import dev.tideline.console.config.ConsoleProperties;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;

/** The collector over the console's sources, refreshing from the moment the console has started. */
@Configuration(proxyBeanMethods = false)
class ConsoleConfiguration {

    @Bean(initMethod = "start", destroyMethod = "close")
    Collector collector(
            ConsoleProperties p, KinesisClient kinesis, DynamoDbClient dynamo, S3Client s3, MeterRegistry registry) {
        Clock clock = Clock.systemUTC();
        Leases leases = new Leases(dynamo);
        Collector collector = new Collector(
                p,
                new StreamApi(kinesis, clock),
                leases,
                new Rejects(dynamo, s3),
                new Scraper(p.everyAddress()),
                new Tail(kinesis, p.stream(), p.tailSize()),
                clock);
        // What the console costs what it watches, in its own meters.
        FunctionCounter.builder("tideline.console.refreshes", collector, Collector::refreshes)
                .description("refreshes of every source")
                .register(registry);
        FunctionTimer.builder(
                        "tideline.console.refresh",
                        collector,
                        Collector::refreshes,
                        Collector::refreshNanos,
                        TimeUnit.NANOSECONDS)
                .description("the time refreshes took, every source read one after another")
                .register(registry);
        FunctionCounter.builder("tideline.console.lease.scans", leases, Leases::scans)
                .description("Scan requests made to the lease tables")
                .register(registry);
        return collector;
    }
}
