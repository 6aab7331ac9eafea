package dev.tideline.infra;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class StreamConstructTest {

    @Test
    void streamHasTheSharedNameShardsRetentionAndAKmsKey() {
        App app = new App();
        TidelineStack stack = new TidelineStack(
                app, "Test", StackProps.builder().build(), new StreamConstruct.Props("tideline-events", 6, 48));

        Template template = Template.fromStack(stack);

        template.hasResourceProperties(
                "AWS::Kinesis::Stream",
                Map.of(
                        "Name",
                        "tideline-events",
                        "ShardCount",
                        6,
                        "RetentionPeriodHours",
                        48,
                        "StreamEncryption",
                        Map.of("EncryptionType", "KMS", "KeyId", Match.anyValue())));
        template.hasResourceProperties("AWS::KMS::Key", Map.of("EnableKeyRotation", true));
    }

    @Test
    void retentionOutsideWhatKinesisAllowsIsRefused() {
        assertThatThrownBy(() -> new StreamConstruct.Props("s", 1, 12))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("24 to 8760 hours");
    }
}
