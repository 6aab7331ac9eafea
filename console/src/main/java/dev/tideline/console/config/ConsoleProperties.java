package dev.tideline.console.config;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * What the console watches ({@code tideline.console.*}). The resource names default to those every
 * stack gives them (event-model's {@code ResourceNames.DEFAULT}).
 *
 * @param refresh how often everything is read again: one {@code Scan} of each lease table, one
 *     scrape of each service, one {@code GetRecords} per open shard for the tail
 * @param slowEvery the dead letters, the {@code errors/} listing and the checkpoints of shards that a live
 *     worker reports on are read every this many refreshes (the checkpoints of the others, every refresh)
 * @param stream the Kinesis stream
 * @param processorApplication the processor's KCL application, which names its lease table
 * @param archiverApplication the archiver's KCL application; empty when Firehose is the cold path
 * @param aggregatesTable the table whose {@code dead-letter#} items the processor writes
 * @param bucket the archive bucket, whose {@code errors/} prefix the archiver writes; empty for none
 * @param everyAddress scrape every address a service's host name resolves to, one instance each: for
 *     a name with one record per task or container (ECS service discovery, Docker Compose)
 * @param ingest base URLs of the ingest service's instances, whose {@code /actuator/prometheus} is read
 * @param processor base URLs of the processor's workers
 * @param archiver base URLs of the archiver's workers
 * @param processorLagThreshold the processor's lag above which it is in trouble (the CDK alarm's)
 * @param archiverFreshnessThreshold the archive's freshness above which it is in trouble
 * @param leaseExpiry a lease whose counter has not moved for this long is shown as expired: its
 *     owner stopped renewing it
 * @param ingestBufferLimit the ingest service's {@code tideline.ingest.max-buffered}, to show use as a share
 * @param tailSize how many of the newest events the tail keeps
 * @param history how far back the plots go
 * @param dashboardUrl on AWS, the CloudWatch dashboard the page links to
 */
@Validated
@ConfigurationProperties("tideline.console")
public record ConsoleProperties(
        @DefaultValue("2s") @NotNull Duration refresh,
        @DefaultValue("10") @Positive int slowEvery,
        @DefaultValue("tideline-events") @NotNull String stream,
        @DefaultValue("tideline-processor") @NotNull String processorApplication,
        @DefaultValue("tideline-archiver") String archiverApplication,
        @DefaultValue("tideline-aggregates") @NotNull String aggregatesTable,
        @DefaultValue("tideline-archive") @NotNull String bucket,
        @DefaultValue("false") boolean everyAddress,
        @DefaultValue("http://127.0.0.1:8080") List<URI> ingest,
        @DefaultValue("http://127.0.0.1:8081") List<URI> processor,
        @DefaultValue("http://127.0.0.1:8082") List<URI> archiver,
        @DefaultValue("60s") @NotNull Duration processorLagThreshold,
        @DefaultValue("900s") @NotNull Duration archiverFreshnessThreshold,
        @DefaultValue("10s") @NotNull Duration leaseExpiry,
        @DefaultValue("64MB") @NotNull DataSize ingestBufferLimit,
        @DefaultValue("200") @Positive int tailSize,
        @DefaultValue("30m") @NotNull Duration history,
        @Nullable String dashboardUrl) {

    /** Points of history kept per series. */
    public int historyPoints() {
        return (int) Math.max(1, history.toMillis() / refresh.toMillis());
    }

    /** Whether an archiver service is watched (not when Firehose archives). */
    public boolean hasArchiver() {
        return archiverApplication != null && !archiverApplication.isBlank();
    }
}
