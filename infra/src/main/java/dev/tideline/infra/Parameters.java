package dev.tideline.infra;

import dev.tideline.model.names.ResourceNames;
import java.util.Locale;
import software.amazon.awscdk.RemovalPolicy;
import software.constructs.Node;

/**
 * The deployment's choices, read from CDK context ({@code cdk.json}, or {@code -c key=value} on the
 * command line), each with a default that suits a first deployment.
 *
 * @param coldPath who writes the archive: the archiver service on ECS, or Firehose
 * @param retain keep the stream, the tables and the buckets when the stack is deleted; otherwise
 *     they are deleted, the buckets emptied first
 */
public record Parameters(
        ResourceNames names,
        int shards,
        boolean onDemand,
        int retentionHours,
        int archiveExpiryDays,
        ColdPath coldPath,
        long iteratorAgeAlarmMillis,
        long freshnessAlarmSeconds,
        String alarmEmail,
        int ingestMaxTasks,
        String archiveFirstDay,
        boolean retain) {

    /** Who lands the stream in S3. */
    public enum ColdPath {
        /** archiver-service on ECS: exactly once, every column. */
        SERVICE,
        /** Kinesis Data Firehose with Parquet conversion: managed, at least once. */
        FIREHOSE
    }

    public static final String PREFIX = "tideline:";

    /** The defaults, as a first deployment gets them. */
    public static Parameters defaults() {
        return new Parameters(
                ResourceNames.DEFAULT,
                ResourceNames.LOCAL_SHARDS,
                false,
                24,
                730,
                ColdPath.SERVICE,
                60_000,
                900,
                null,
                10,
                "2026-01-01",
                true);
    }

    /** The defaults, overridden by whatever context the app was given. */
    public static Parameters from(Node node) {
        Parameters d = defaults();
        return new Parameters(
                d.names(),
                integer(node, "shards", d.shards()),
                bool(node, "onDemand", d.onDemand()),
                integer(node, "retentionHours", d.retentionHours()),
                integer(node, "archiveExpiryDays", d.archiveExpiryDays()),
                ColdPath.valueOf(string(node, "coldPath", d.coldPath().name()).toUpperCase(Locale.ROOT)),
                integer(node, "iteratorAgeAlarmMillis", (int) d.iteratorAgeAlarmMillis()),
                integer(node, "freshnessAlarmSeconds", (int) d.freshnessAlarmSeconds()),
                string(node, "alarmEmail", d.alarmEmail()),
                integer(node, "ingestMaxTasks", d.ingestMaxTasks()),
                string(node, "archiveFirstDay", d.archiveFirstDay()),
                bool(node, "retain", d.retain()));
    }

    public Parameters withColdPath(ColdPath path) {
        return new Parameters(
                names,
                shards,
                onDemand,
                retentionHours,
                archiveExpiryDays,
                path,
                iteratorAgeAlarmMillis,
                freshnessAlarmSeconds,
                alarmEmail,
                ingestMaxTasks,
                archiveFirstDay,
                retain);
    }

    /** The same choices with another stream capacity and retention. */
    public Parameters withStream(int shards, boolean onDemand, int retentionHours) {
        return new Parameters(
                names,
                shards,
                onDemand,
                retentionHours,
                archiveExpiryDays,
                coldPath,
                iteratorAgeAlarmMillis,
                freshnessAlarmSeconds,
                alarmEmail,
                ingestMaxTasks,
                archiveFirstDay,
                retain);
    }

    /** The same choices, keeping the data or not when the stack is deleted. */
    public Parameters withRetain(boolean keep) {
        return new Parameters(
                names,
                shards,
                onDemand,
                retentionHours,
                archiveExpiryDays,
                coldPath,
                iteratorAgeAlarmMillis,
                freshnessAlarmSeconds,
                alarmEmail,
                ingestMaxTasks,
                archiveFirstDay,
                keep);
    }

    public RemovalPolicy removal() {
        return retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    }

    private static String string(Node node, String key, String fallback) {
        Object value = node.tryGetContext(PREFIX + key);
        return value == null ? fallback : value.toString();
    }

    private static int integer(Node node, String key, int fallback) {
        String value = string(node, key, null);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("context " + PREFIX + key + " must be a whole number, not " + value);
        }
    }

    private static boolean bool(Node node, String key, boolean fallback) {
        String value = string(node, key, null);
        return value == null ? fallback : Boolean.parseBoolean(value);
    }
}
