package dev.tideline.infra;

import dev.tideline.model.names.ResourceNames;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.kinesis.Stream;
import software.amazon.awscdk.services.kinesis.StreamEncryption;
import software.amazon.awscdk.services.kms.Key;
import software.constructs.Construct;
import software.constructs.Node;

/** The Kinesis data stream, encrypted with a customer-managed KMS key that rotates. */
public final class StreamConstruct extends Construct {

    /**
     * @param shards provisioned shard count
     * @param retentionHours 24 to 8760
     */
    public record Props(String streamName, int shards, int retentionHours) {

        public Props {
            if (shards < 1) {
                throw new IllegalArgumentException("a stream needs at least one shard, not " + shards);
            }
            if (retentionHours < 24 || retentionHours > 8760) {
                throw new IllegalArgumentException("retention is 24 to 8760 hours, not " + retentionHours);
            }
        }

        static Props fromContext(Node node) {
            return new Props(
                    ResourceNames.DEFAULT.stream(),
                    intContext(node, "tideline:shards", 4),
                    intContext(node, "tideline:retentionHours", 24));
        }

        private static int intContext(Node node, String key, int fallback) {
            Object value = node.tryGetContext(key);
            return value == null ? fallback : Integer.parseInt(value.toString());
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
        this.stream = Stream.Builder.create(this, "Stream")
                .streamName(props.streamName())
                .shardCount(props.shards())
                .retentionPeriod(Duration.hours(props.retentionHours()))
                .encryption(StreamEncryption.KMS)
                .encryptionKey(key)
                .build();
    }

    public Stream stream() {
        return stream;
    }

    public Key key() {
        return key;
    }
}
