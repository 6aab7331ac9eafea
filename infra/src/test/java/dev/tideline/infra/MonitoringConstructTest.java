package dev.tideline.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideline.infra.Parameters.ColdPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class MonitoringConstructTest {

    private final Template template = StackFixture.template(Parameters.defaults());

    @Test
    void iteratorAgeAlarmFiresAfterFiveMinutesOverTheThresholdAndPagesTheTopic() {
        template.hasResourceProperties(
                "AWS::CloudWatch::Alarm",
                Map.of(
                        "Namespace",
                        "AWS/Kinesis",
                        "MetricName",
                        "GetRecords.IteratorAgeMilliseconds",
                        "Statistic",
                        "Maximum",
                        "Period",
                        60,
                        "EvaluationPeriods",
                        5,
                        "DatapointsToAlarm",
                        5,
                        "Threshold",
                        60_000,
                        "ComparisonOperator",
                        "GreaterThanThreshold",
                        "AlarmActions",
                        List.of(Map.of("Ref", Match.stringLikeRegexp("MonitoringAlarms.*")))));
    }

    @Test
    void everyOperatorAlarmExists() {
        List<String> names = template.findResources("AWS::CloudWatch::Alarm").values().stream()
                .map(a -> String.valueOf(Cfn.properties(a).get("AlarmName")))
                .toList();

        assertThat(names)
                .containsExactlyInAnyOrder(
                        "tideline-IteratorAge",
                        "tideline-ProcessorLag",
                        "tideline-WriteThroughputExceeded",
                        "tideline-ReadThroughputExceeded",
                        "tideline-DeadLetters",
                        "tideline-ArchiveErrors",
                        "tideline-ArchiveFreshness");
    }

    @Test
    void lagAndFreshnessAlarmWhenNothingIsPublished() {
        template.hasResourceProperties(
                "AWS::CloudWatch::Alarm",
                Map.of(
                        "AlarmName", "tideline-ArchiveFreshness",
                        "Namespace", "Tideline",
                        "MetricName", "tideline.archiver.freshness.value",
                        "Threshold", 900_000,
                        "TreatMissingData", "breaching"));
        template.hasResourceProperties(
                "AWS::CloudWatch::Alarm",
                Map.of(
                        "AlarmName", "tideline-DeadLetters",
                        "MetricName", "tideline.processor.records.count",
                        "Dimensions", List.of(Map.of("Name", "outcome", "Value", "dead_letter")),
                        "TreatMissingData", "notBreaching"));
    }

    @Test
    void withFirehoseFreshnessIsFirehosesOwn() {
        Template firehose = StackFixture.template(Parameters.defaults().withColdPath(ColdPath.FIREHOSE));

        firehose.hasResourceProperties(
                "AWS::CloudWatch::Alarm",
                Map.of(
                        "AlarmName", "tideline-ArchiveFreshness",
                        "Namespace", "AWS/Firehose",
                        "MetricName", "DeliveryToS3.DataFreshness",
                        "Threshold", 900));
    }

    @Test
    void dashboardShowsIteratorAgeAndEachConsumersLag() {
        String body = dashboardBody();

        assertThat(body)
                .contains(
                        "GetRecords.IteratorAgeMilliseconds",
                        "tideline.processor.lag.value",
                        "tideline.archiver.freshness.value",
                        "MillisBehindLatest",
                        "HTTPCode_Target_5XX_Count",
                        "TargetResponseTime");
    }

    @Test
    void cloudWatchMayPublishToTheAlarmTopic() {
        template.hasResourceProperties(
                "AWS::SNS::TopicPolicy",
                Map.of(
                        "PolicyDocument",
                        Map.of(
                                "Statement",
                                Match.arrayWith(List.of(Match.objectLike(Map.of(
                                        "Effect",
                                        "Allow",
                                        "Principal",
                                        Map.of("Service", "cloudwatch.amazonaws.com"),
                                        "Action",
                                        "sns:Publish",
                                        "Condition",
                                        Map.of("StringEquals", Map.of("aws:SourceAccount", "123456789012")))))))));
    }

    @Test
    void firehoseFreshnessDoesNotPageWhenTheStreamIsIdle() {
        StackFixture.template(Parameters.defaults().withColdPath(ColdPath.FIREHOSE))
                .hasResourceProperties(
                        "AWS::CloudWatch::Alarm",
                        Map.of(
                                "AlarmName", "tideline-ArchiveFreshness",
                                "Namespace", "AWS/Firehose",
                                "TreatMissingData", "notBreaching"));
    }

    @Test
    void theLoadBalancersResponseTimeIsShownInItsOwnUnit() {
        String body = dashboardBody();

        assertThat(body)
                .contains("Ingest: response time at the load balancer, p99 (s)")
                .doesNotContain("Ingest: latency (ms)");
    }

    @Test
    void theTopicIsEncryptedAndTlsOnly() {
        template.hasResourceProperties("AWS::SNS::Topic", Map.of("KmsMasterKeyId", Match.anyValue()));
        template.hasResourceProperties("AWS::SNS::TopicPolicy", Cfn.denyingPlainHttp());
    }

    private String dashboardBody() {
        return Cfn.flatten(Cfn.properties(template.findResources("AWS::CloudWatch::Dashboard")
                        .values()
                        .iterator()
                        .next())
                .get("DashboardBody"));
    }
}
