package dev.tideline.processor.config;

import dev.tideline.kcl.KclProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The processor's settings, under {@code tideline.processor}. Defaults are for real AWS; the
 * {@code local} profile tunes KCL for the embedded stack.
 *
 * @param stream the Kinesis stream to read
 * @param application the KCL application name, which is also its lease table
 * @param table the aggregates table
 * @param workerId this worker's name in the lease table; host name and pid when unset
 */
@ConfigurationProperties("tideline.processor")
@Validated
public record ProcessorProperties(
        @DefaultValue("tideline-events") @NotBlank String stream,
        @DefaultValue("tideline-processor") @NotBlank String application,
        @DefaultValue("tideline-aggregates") @NotBlank String table,
        @Nullable String workerId,
        @DefaultValue @Valid KclProperties kcl,
        @DefaultValue @Valid Aggregates aggregates,
        @DefaultValue Fault fault) {

    /**
     * Test-only faults; never set in production.
     *
     * @param pauseBeforeWrite a wait before every transaction, which makes a frozen worker hold a
     *     batch it has not written
     */
    public record Fault(@DefaultValue("0s") Duration pauseBeforeWrite) {}

    /**
     * How events become aggregates.
     *
     * @param sessionGap a user's new session starts after this long without an event
     * @param maxTransactionItems items per DynamoDB transaction, the marker included (at most 100)
     * @param maxEventTypes distinct event types counted per user; more are counted as {@code _other}
     * @param userCacheSize user aggregates kept in memory per shard
     * @param pageMinuteTtl how long page views per minute are kept
     * @param deadLetterTtl how long dead letters are kept
     * @param closedMarkerTtl how long a closed shard's progress marker is kept after a child started
     */
    public record Aggregates(
            @DefaultValue("30m") Duration sessionGap,
            @DefaultValue("100") @Min(2) @Max(100) int maxTransactionItems,
            @DefaultValue("256") @Min(1) @Max(1000) int maxEventTypes,
            @DefaultValue("20000") @Min(0) int userCacheSize,
            @DefaultValue("2d") Duration pageMinuteTtl,
            @DefaultValue("14d") Duration deadLetterTtl,
            @DefaultValue("7d") Duration closedMarkerTtl) {}
}
