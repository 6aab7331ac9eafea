package dev.tideline.model.names;

import java.util.Objects;

/**
 * The names of Tideline's AWS resources, shared by the embedded stack, LocalStack and the CDK app
 * (docs/ARCHITECTURE.md, "Names and layout"). Tests use {@link #withSuffix} to get a set of their own.
 *
 * @param stream the Kinesis data stream
 * @param processorApp KCL application name of the hot path, which is also its lease table
 * @param archiverApp KCL application name of the cold path, which is also its lease table
 * @param aggregatesTable the hot path's single-table DynamoDB store
 * @param bucket the archive bucket
 */
public record ResourceNames(
        String stream, String processorApp, String archiverApp, String aggregatesTable, String bucket) {

    public static final ResourceNames DEFAULT = new ResourceNames(
            "tideline-events", "tideline-processor", "tideline-archiver", "tideline-aggregates", "tideline-archive");

    /** Shards of the stream on a local stack. */
    public static final int LOCAL_SHARDS = 4;

    public ResourceNames {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(processorApp, "processorApp");
        Objects.requireNonNull(archiverApp, "archiverApp");
        Objects.requireNonNull(aggregatesTable, "aggregatesTable");
        Objects.requireNonNull(bucket, "bucket");
    }

    /**
     * The same names with {@code -suffix} appended; the suffix must be lower-case letters, digits and
     * hyphens, so every name stays valid for Kinesis, DynamoDB and S3.
     */
    public ResourceNames withSuffix(String suffix) {
        if (!suffix.matches("[a-z0-9-]{1,20}")) {
            throw new IllegalArgumentException("a suffix is 1 to 20 of [a-z0-9-], not '" + suffix + "'");
        }
        String s = "-" + suffix;
        return new ResourceNames(stream + s, processorApp + s, archiverApp + s, aggregatesTable + s, bucket + s);
    }
}
