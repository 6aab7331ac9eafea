package dev.tideline.infra;

import dev.tideline.model.names.Layout;
import java.util.List;
import java.util.Objects;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kinesis.IStream;
import software.amazon.awscdk.services.kinesisfirehose.CfnDeliveryStream;
import software.amazon.awscdk.services.kinesisfirehose.CfnDeliveryStream.BufferingHintsProperty;
import software.amazon.awscdk.services.kinesisfirehose.CfnDeliveryStream.CloudWatchLoggingOptionsProperty;
import software.amazon.awscdk.services.kinesisfirehose.CfnDeliveryStream.DataFormatConversionConfigurationProperty;
import software.amazon.awscdk.services.kinesisfirehose.CfnDeliveryStream.DeserializerProperty;
import software.amazon.awscdk.services.kinesisfirehose.CfnDeliveryStream.EncryptionConfigurationProperty;
import software.amazon.awscdk.services.kinesisfirehose.CfnDeliveryStream.ExtendedS3DestinationConfigurationProperty;
import software.amazon.awscdk.services.kinesisfirehose.CfnDeliveryStream.HiveJsonSerDeProperty;
import software.amazon.awscdk.services.kinesisfirehose.CfnDeliveryStream.InputFormatConfigurationProperty;
import software.amazon.awscdk.services.kinesisfirehose.CfnDeliveryStream.KMSEncryptionConfigProperty;
import software.amazon.awscdk.services.kinesisfirehose.CfnDeliveryStream.KinesisStreamSourceConfigurationProperty;
import software.amazon.awscdk.services.kinesisfirehose.CfnDeliveryStream.OutputFormatConfigurationProperty;
import software.amazon.awscdk.services.kinesisfirehose.CfnDeliveryStream.ParquetSerDeProperty;
import software.amazon.awscdk.services.kinesisfirehose.CfnDeliveryStream.SchemaConfigurationProperty;
import software.amazon.awscdk.services.kinesisfirehose.CfnDeliveryStream.SerializerProperty;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.LogStream;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;

/**
 * The managed cold path: a Firehose delivery stream that reads the Kinesis stream, converts JSON to
 * Parquet with the Glue table's schema, and writes the archiver's layout ({@code events/dt=/hour=/},
 * failures under {@code errors/}). Firehose is at-least-once and leaves the stream-position columns
 * empty; the archiver service is the exactly-once alternative.
 */
public final class FirehoseConstruct extends Construct {

    /** Firehose requires at least 64 MiB of buffer when it converts the record format. */
    static final int MIN_BUFFER_MIB = 64;

    /**
     * @param bufferMiB 64 to 128
     * @param bufferSeconds 0 to 900
     */
    public record Props(
            String name,
            IStream stream,
            IBucket bucket,
            IKey bucketKey,
            CatalogConstruct catalog,
            int bufferMiB,
            int bufferSeconds) {

        public Props {
            Objects.requireNonNull(stream, "stream");
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(catalog, "catalog");
            if (bufferMiB < MIN_BUFFER_MIB || bufferMiB > 128) {
                throw new IllegalArgumentException("a converting Firehose buffers 64 to 128 MiB, not " + bufferMiB);
            }
            if (bufferSeconds < 0 || bufferSeconds > 900) {
                throw new IllegalArgumentException("the buffer interval is 0 to 900 s, not " + bufferSeconds);
            }
        }
    }

    private final CfnDeliveryStream deliveryStream;

    public FirehoseConstruct(Construct scope, String id, Props props) {
        super(scope, id);
        Stack stack = Stack.of(this);
        Role role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("firehose.amazonaws.com"))
                .description("Firehose " + props.name() + ": read the stream, look up the schema, write the archive")
                .build();
        props.stream().grantRead(role);
        // What Firehose documents for an S3 destination, on the bucket and the two prefixes it writes.
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"))
                .resources(List.of(props.bucket().getBucketArn()))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload"))
                .resources(List.of(
                        props.bucket().arnForObjects(Layout.EVENTS_PREFIX + "*"),
                        props.bucket().arnForObjects(Layout.ERRORS_PREFIX + "*")))
                .build());
        props.bucketKey().grant(role, "kms:Decrypt", "kms:GenerateDataKey");
        Nag.acceptWildcard(
                role,
                "Resource::<.*\\.Arn>\\/(events|errors)\\/\\*",
                "Firehose names its objects itself under the two prefixes of the archive layout; the"
                        + " grant covers those prefixes and nothing else in the bucket");
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("glue:GetTable", "glue:GetTableVersion", "glue:GetTableVersions"))
                .resources(CatalogConstruct.arns(
                        this,
                        props.catalog().databaseName(),
                        List.of(props.catalog().tableName())))
                .build());
        LogGroup logs = LogGroup.Builder.create(this, "Logs")
                .retention(RetentionDays.ONE_MONTH)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        LogStream delivery = logs.addStream("S3Delivery");
        logs.grantWrite(role);

        this.deliveryStream = CfnDeliveryStream.Builder.create(this, "DeliveryStream")
                .deliveryStreamName(props.name())
                .deliveryStreamType("KinesisStreamAsSource")
                .kinesisStreamSourceConfiguration(KinesisStreamSourceConfigurationProperty.builder()
                        .kinesisStreamArn(props.stream().getStreamArn())
                        .roleArn(role.getRoleArn())
                        .build())
                .extendedS3DestinationConfiguration(ExtendedS3DestinationConfigurationProperty.builder()
                        .bucketArn(props.bucket().getBucketArn())
                        .roleArn(role.getRoleArn())
                        .prefix(Layout.EVENTS_PREFIX + "dt=!{timestamp:yyyy-MM-dd}/hour=!{timestamp:HH}/")
                        .errorOutputPrefix(Layout.ERRORS_PREFIX
                                + "!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/hour=!{timestamp:HH}/")
                        .bufferingHints(BufferingHintsProperty.builder()
                                .sizeInMBs(props.bufferMiB())
                                .intervalInSeconds(props.bufferSeconds())
                                .build())
                        .encryptionConfiguration(EncryptionConfigurationProperty.builder()
                                .kmsEncryptionConfig(KMSEncryptionConfigProperty.builder()
                                        .awskmsKeyArn(props.bucketKey().getKeyArn())
                                        .build())
                                .build())
                        .cloudWatchLoggingOptions(CloudWatchLoggingOptionsProperty.builder()
                                .enabled(true)
                                .logGroupName(logs.getLogGroupName())
                                .logStreamName(delivery.getLogStreamName())
                                .build())
                        .dataFormatConversionConfiguration(DataFormatConversionConfigurationProperty.builder()
                                .enabled(true)
                                .inputFormatConfiguration(InputFormatConfigurationProperty.builder()
                                        .deserializer(DeserializerProperty.builder()
                                                // The events' times are ISO-8601 instants in UTC.
                                                .hiveJsonSerDe(HiveJsonSerDeProperty.builder()
                                                        .timestampFormats(List.of(
                                                                "yyyy-MM-dd'T'HH:mm:ss.SSSZZ",
                                                                "yyyy-MM-dd'T'HH:mm:ssZZ"))
                                                        .build())
                                                .build())
                                        .build())
                                .outputFormatConfiguration(OutputFormatConfigurationProperty.builder()
                                        .serializer(SerializerProperty.builder()
                                                .parquetSerDe(ParquetSerDeProperty.builder()
                                                        .compression("SNAPPY")
                                                        .build())
                                                .build())
                                        .build())
                                .schemaConfiguration(SchemaConfigurationProperty.builder()
                                        .catalogId(stack.getAccount())
                                        .databaseName(props.catalog().databaseName())
                                        .tableName(props.catalog().tableName())
                                        .region(stack.getRegion())
                                        .roleArn(role.getRoleArn())
                                        .versionId("LATEST")
                                        .build())
                                .build())
                        .build())
                .build();
        // Format conversion reads the table's schema when the stream is created.
        deliveryStream.addResourceDependency(props.catalog().table());
        deliveryStream.getNode().addDependency(role);
        Nag.accept(
                deliveryStream,
                "AwsSolutions-KDF1",
                "Firehose accepts server-side encryption settings only for Direct PUT; with a Kinesis stream"
                        + " source the data is encrypted at rest by the stream's KMS key, and the S3 output by"
                        + " the archive key");
    }

    public CfnDeliveryStream deliveryStream() {
        return deliveryStream;
    }

    public String name() {
        return deliveryStream.getDeliveryStreamName();
    }
}
