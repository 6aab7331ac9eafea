package dev.tideline.infra;

import java.util.Objects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.kinesis.Stream;
import software.amazon.awscdk.services.kinesis.StreamEncryption;
import software.amazon.awscdk.services.kinesis.StreamMode;
import software.amazon.awscdk.services.kms.Key;
import software.constructs.Construct;

/** The Kinesis data stream, encrypted with a customer-managed KMS key that rotates. */
public final class StreamConstruct extends Construct {

    /**
     * @param shards provisioned shard count; with {@code onDemand}, the count the consumers are sized
     *     for
     * @param onDemand on-demand capacity instead of provisioned shards
     * @param retentionHours 24 to 8760
     */
    public record Props(String streamName, int shards, boolean onDemand, int retentionHours, RemovalPolicy removal) {

        public Props {
            Objects.requireNonNull(streamName, "streamName");
            if (shards < 1) {
                throw new IllegalArgumentException("a stream needs at least one shard, not " + shards);
            }
            if (retentionHours < 24 || retentionHours > 8760) {
                throw new IllegalArgumentException("retention is 24 to 8760 hours, not " + retentionHours);
            }
        }
    }

    private final Stream stream;
    private final Key key;

    public StreamConstruct(Construct scope, String id, Props props) {
        super(scope, id);
        this.key = Key.Builder.create(this, "Key")
                .description("Encrypts the " + props.streamName() + " stream")
                .enableKeyRotation(true)
                .build();
        Stream.Builder stream = Stream.Builder.create(this, "Stream")
                .streamName(props.streamName())
                .retentionPeriod(Duration.hours(props.retentionHours()))
                .encryption(StreamEncryption.KMS)
                .encryptionKey(key);
        if (props.onDemand()) {
            stream.streamMode(StreamMode.ON_DEMAND);
        } else {
            stream.streamMode(StreamMode.PROVISIONED).shardCount(props.shards());
        }
        this.stream = stream.build();
        this.stream.applyRemovalPolicy(props.removal());
        Nag.accept(
                this.stream,
                "AwsSolutions-KDS3",
                "a customer-managed key, rotated yearly, so that its key policy and the task roles name exactly"
                        + " who may produce and consume; the aws/kinesis key cannot be scoped per role");
    }

    public Stream stream() {
        return stream;
    }

    public Key key() {
        return key;
    }
}
