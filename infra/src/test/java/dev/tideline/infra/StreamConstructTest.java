package dev.tideline.infra;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class StreamConstructTest {

    @Test
    void aProvisionedStreamHasTheSharedNameShardsRetentionAndARotatingKmsKey() {
        Template template = StackFixture.template(Parameters.defaults().withStream(6, false, 48));

        template.hasResourceProperties(
                "AWS::Kinesis::Stream",
                Map.of(
                        "Name",
                        "tideline-events",
                        "ShardCount",
                        6,
                        "RetentionPeriodHours",
                        48,
                        "StreamModeDetails",
                        Map.of("StreamMode", "PROVISIONED"),
                        "StreamEncryption",
                        Map.of("EncryptionType", "KMS", "KeyId", Match.anyValue())));
        template.hasResourceProperties(
                "AWS::KMS::Key",
                Map.of("Description", Match.stringLikeRegexp(".*tideline-events.*"), "EnableKeyRotation", true));
    }

    @Test
    void anOnDemandStreamHasNoShardCount() {
        Template template = StackFixture.template(Parameters.defaults().withStream(4, true, 24));

        template.hasResourceProperties(
                "AWS::Kinesis::Stream",
                Map.of("StreamModeDetails", Map.of("StreamMode", "ON_DEMAND"), "ShardCount", Match.absent()));
    }

    @Test
    void theStreamIsKeptOnDeleteOnlyWhenRetained() {
        StackFixture.template(Parameters.defaults().withRetain(true))
                .hasResource("AWS::Kinesis::Stream", Map.of("DeletionPolicy", "Retain"));
        StackFixture.template(Parameters.defaults().withRetain(false))
                .hasResource("AWS::Kinesis::Stream", Map.of("DeletionPolicy", "Delete"));
    }

    @Test
    void retentionOutsideWhatKinesisAllowsIsRefused() {
        assertThatThrownBy(() -> new StreamConstruct.Props("s", 1, false, 12, RemovalPolicy.RETAIN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("24 to 8760 hours");
    }
}
