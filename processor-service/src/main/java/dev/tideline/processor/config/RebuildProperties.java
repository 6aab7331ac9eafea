package dev.tideline.processor.config;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * A rebuild's settings, under {@code tideline.rebuild} ({@code ./tideline rebuild} sets them from its
 * options).
 *
 * @param bucket the archive bucket
 * @param archiverApplication the archiver's KCL application: its checkpoints say how far the
 *     archive is whole
 * @param workDir where the archive's objects are copied and the SQL engine spills; kept across
 *     attempts, so that a rebuild run again copies only what it had not
 * @param from when set, only events that arrived at or after it are folded
 * @param to when set, the archive is folded up to the last records that arrived before it, and the
 *     new generation reads the stream from there
 * @param keepPrevious how long the previous generation is kept after the switch
 * @param keep keep the previous generation until deleted by hand
 * @param catchUpTimeout how long the new generation may take to catch up with the current one
 * @param writeBatch items handed to the loader at once
 * @param writeConcurrency {@code BatchWriteItem} calls (25 items each) in flight at once
 * @param copyConcurrency archive objects copied to the work directory at once
 * @param abandon abandon the rebuild under way (delete its tables) instead of running one
 * @param engine where the fold's SQL runs: {@code duckdb}, over a copy of the archive in the work
 *     directory, or {@code athena}, over the archive's Glue table (on AWS)
 * @param athena the Athena engine's settings
 */
@ConfigurationProperties("tideline.rebuild")
@Validated
public record RebuildProperties(
        @DefaultValue("tideline-archive") @NotBlank String bucket,
        @DefaultValue("tideline-archiver") @NotBlank String archiverApplication,
        @Nullable Path workDir,
        @Nullable Instant from,
        @Nullable Instant to,
        @DefaultValue("1h") Duration keepPrevious,
        @DefaultValue("false") boolean keep,
        @DefaultValue("30m") Duration catchUpTimeout,
        @DefaultValue("2s") Duration catchUpPoll,
        @DefaultValue("1000") @Min(1) int writeBatch,
        @DefaultValue("8") @Min(1) int writeConcurrency,
        @DefaultValue("16") @Min(1) int copyConcurrency,
        @DefaultValue("false") boolean abandon,
        @DefaultValue("duckdb") Engine engine,
        @DefaultValue Athena athena) {

    /** Where the fold's SQL runs. */
    public enum Engine {
        DUCKDB,
        ATHENA
    }

    /**
     * @param workGroup the workgroup the statements run in
     * @param database the Glue database of the archive's table
     * @param table the archive's table
     * @param results {@code s3://bucket/prefix/} where Athena writes the staged records and answers;
     *     required with the Athena engine
     */
    public record Athena(
            @DefaultValue("primary") @NotBlank String workGroup,
            @DefaultValue("tideline") @NotBlank String database,
            @DefaultValue("events") @NotBlank String table,
            @Nullable String results) {}

    /** The work directory: the configured one, else {@code tideline-rebuild} in the temporary directory. */
    public Path work() {
        return workDir != null ? workDir : Path.of(System.getProperty("java.io.tmpdir"), "tideline-rebuild");
    }
}
