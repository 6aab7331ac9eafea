package dev.tideline.infra;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class ArchiveBucketConstructTest {

    private final Template template = StackFixture.template(Parameters.defaults());

    @Test
    void archiveIsEncryptedPrivateVersionedLoggedAndMovesFromHotToCold() {
        template.hasResourceProperties(
                "AWS::S3::Bucket",
                Map.of(
                        "BucketName", "tideline-archive-123456789012-eu-west-1",
                        "BucketEncryption",
                                Map.of(
                                        "ServerSideEncryptionConfiguration",
                                        List.of(Map.of(
                                                "BucketKeyEnabled",
                                                true,
                                                "ServerSideEncryptionByDefault",
                                                Map.of(
                                                        "SSEAlgorithm",
                                                        "aws:kms",
                                                        "KMSMasterKeyID",
                                                        Match.anyValue())))),
                        "PublicAccessBlockConfiguration",
                                Map.of(
                                        "BlockPublicAcls", true,
                                        "BlockPublicPolicy", true,
                                        "IgnorePublicAcls", true,
                                        "RestrictPublicBuckets", true),
                        "VersioningConfiguration", Map.of("Status", "Enabled"),
                        "LoggingConfiguration", Map.of("DestinationBucketName", Match.anyValue()),
                        "LifecycleConfiguration",
                                Map.of(
                                        "Rules",
                                        Match.arrayWith(List.of(Match.objectLike(Map.of(
                                                "Id",
                                                "hot-to-cold",
                                                "ExpirationInDays",
                                                730,
                                                "Transitions",
                                                List.of(
                                                        Map.of("StorageClass", "STANDARD_IA", "TransitionInDays", 30),
                                                        Map.of(
                                                                "StorageClass",
                                                                "GLACIER",
                                                                "TransitionInDays",
                                                                90)))))))));
    }

    @Test
    void bucketsThatAreNotKeptAreEmptiedOnDeleteAndKeptOnesAreNot() {
        Template gone = StackFixture.template(Parameters.defaults().withRetain(false));
        gone.resourceCountIs("Custom::S3AutoDeleteObjects", 2);
        gone.hasResource("AWS::S3::Bucket", Map.of("DeletionPolicy", "Delete"));

        Template kept = StackFixture.template(Parameters.defaults().withRetain(true));
        kept.resourceCountIs("Custom::S3AutoDeleteObjects", 0);
        kept.hasResource("AWS::S3::Bucket", Map.of("DeletionPolicy", "Retain"));
    }

    @Test
    void archiveRefusesPlainHttp() {
        template.hasResourceProperties("AWS::S3::BucketPolicy", Cfn.denyingPlainHttp());
    }

    @Test
    void expiryBeforeTheMoveToGlacierIsRefused() {
        assertThatThrownBy(() -> new ArchiveBucketConstruct.Props("b", 60, RemovalPolicy.RETAIN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Glacier at day 90");
    }

    @Test
    void athenasResultsUnderTheirPrefixExpireAfterAWeek() {
        template.hasResourceProperties(
                "AWS::S3::Bucket",
                Match.objectLike(Map.of(
                        "BucketName",
                        "tideline-archive-123456789012-eu-west-1",
                        "LifecycleConfiguration",
                        Map.of(
                                "Rules",
                                Match.arrayWith(List.of(Match.objectLike(Map.of(
                                        "Id", "athena-results", "Prefix", "athena/", "ExpirationInDays", 7))))))));
    }
}
