package dev.tideline.processor.config;

import dev.tideline.kcl.KclConsumerProperties;
import dev.tideline.kcl.KclProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The processor's settings, under {@code tideline.processor}. Defaults are for real AWS; the
 * {@code local} profile tunes KCL for the embedded stack.
 *
 * @param table the aggregates table
 * @param kcl the stream, the KCL application ({@code tideline-processor}) and KCL's tuning
 * @param aggregates how events become aggregates
 * @param corsOrigins origins whose pages may read the query API (the embedded stack's demo shop)
 * @param dropUnknownFields read a stored record's top-level fields that the contract does not know
 *     as absent, instead of making the record a dead letter: for a producer that writes to the
 *     stream ahead of the contract (then {@code ./tideline redrive} applies what was set aside)
 * @param generationRefresh how often the generation pointer is read: by the query API at most, and
 *     by the consumer's watch, which moves the consumer when a rebuild switched generations
 */
@ConfigurationProperties("tideline.processor")
@Validated
public record ProcessorProperties(
        @DefaultValue("tideline-aggregates") @NotBlank String table,
        @DefaultValue @Valid KclProperties kcl,
        @DefaultValue @Valid Aggregates aggregates,
        @DefaultValue List<String> corsOrigins,
        @DefaultValue("false") boolean dropUnknownFields,
        @DefaultValue("5s") Duration generationRefresh)
        implements KclConsumerProperties {

    /**
     * How events become aggregates.
     *
     * @param sessionGap a user's new session starts after this long without an event
     * @param maxEventTypes distinct event types counted per user; more are counted as {@code _other}
     * @param dedupeWindow an event whose {@code event_id} its user sent within this time before is a
     *     duplicate (by the arrival of the user's records)
     * @param dedupeMaxIds the most ids remembered per user: the window covers a user's last this many
     *     events or the last {@code dedupeWindow}, whichever holds fewer; each id adds 12 bytes to
     *     the user's item
     * @param userCacheSize user items kept in memory per shard
     * @param writeConcurrency single-item writes in flight at once per worker
     * @param pageMinuteTtl how long page views per minute are kept
     * @param deadLetterTtl how long dead letters are kept
     * @param endedShardTtl how long the record that a shard ended is kept
     */
    public record Aggregates(
            @DefaultValue("30m") Duration sessionGap,
            @DefaultValue("256") @Min(1) @Max(1000) int maxEventTypes,
            @DefaultValue("15m") Duration dedupeWindow,
            @DefaultValue("100") @Min(1) @Max(10000) int dedupeMaxIds,
            @DefaultValue("20000") @Min(0) int userCacheSize,
            @DefaultValue("16") @Min(1) @Max(256) int writeConcurrency,
            @DefaultValue("2d") Duration pageMinuteTtl,
            @DefaultValue("14d") Duration deadLetterTtl,
            @DefaultValue("7d") Duration endedShardTtl) {}
}
