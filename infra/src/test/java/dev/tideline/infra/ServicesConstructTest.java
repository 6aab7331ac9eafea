package dev.tideline.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideline.infra.Parameters.ColdPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class ServicesConstructTest {

    private final Template template = StackFixture.template(Parameters.defaults());

    @Test
    void ingestMayOnlyPutRecordsAndPublishItsMetrics() {
        List<Map<String, Object>> statements = statementsOf("ServicesIngestRole");

        assertThat(actions(statements))
                .containsExactlyInAnyOrder(
                        "kinesis:PutRecords",
                        "kinesis:PutRecord",
                        "kinesis:ListShards",
                        "kinesis:DescribeStreamSummary",
                        "kms:GenerateDataKey",
                        "cloudwatch:PutMetricData");
    }

    @Test
    void processorReadsTheStreamAndWritesItsTablesButNoBucket() {
        List<Map<String, Object>> statements = statementsOf("ServicesProcessorRole");

        assertThat(actions(statements)).contains("kinesis:GetRecords", "dynamodb:PutItem");
        assertThat(actions(statements)).noneMatch(a -> a.startsWith("s3:") || a.startsWith("kinesis:Put"));
        assertThat(String.valueOf(statements)).contains("TablesAggregates").doesNotContain("ArchiverLeases");
    }

    @Test
    void theProcessorMayUseAndDeleteTheGenerationsARebuildMakesButCreateNone() {
        List<Map<String, Object>> statements = statementsOf("ServicesProcessorRole");
        Map<String, Object> generations = statements.stream()
                .filter(s -> String.valueOf(s.get("Resource")).contains("-g*"))
                .findFirst()
                .orElseThrow();
        assertThat(String.valueOf(generations.get("Resource"))).contains("TablesAggregates", "TablesProcessorLeases");
        assertThat(String.valueOf(generations.get("Action")))
                .contains("dynamodb:PutItem", "dynamodb:DeleteTable")
                .doesNotContain("dynamodb:CreateTable", "dynamodb:*");
    }

    @Test
    void theRebuildIsAOneOffTaskOfTheProcessorImageThatReadsTheArchivedEventsAndWritesOnlyAthenasResults() {
        List<Map<String, Object>> statements = statementsOf("ServicesRebuildRole");
        assertThat(actions(statements))
                .contains("dynamodb:CreateTable", "s3:GetObject", "s3:ListBucket", "kinesis:GetRecords")
                .doesNotContain("kinesis:PutRecords", "dynamodb:DeleteTable", "s3:*", "glue:*", "athena:*");
        assertThat(String.valueOf(statements))
                .contains("/events/*", "TablesArchiverLeases")
                .doesNotContain("/errors/*");
        assertThat(statements)
                .filteredOn(s -> String.valueOf(s.get("Action")).contains("s3:PutObject")
                        || String.valueOf(s.get("Action")).contains("s3:DeleteObject"))
                .as("writes only under athena/")
                .singleElement()
                .satisfies(s -> assertThat(String.valueOf(s.get("Resource")))
                        .contains("/athena/*")
                        .doesNotContain("/events/"));
        assertThat(statements)
                .filteredOn(s -> String.valueOf(s.get("Action")).contains("glue:CreateTable"))
                .singleElement()
                .satisfies(s -> assertThat(String.valueOf(s.get("Resource")))
                        .contains("table/tideline/events", "table/tideline/tideline_rebuild_*"));
        template.hasResourceProperties(
                "AWS::Athena::WorkGroup",
                Match.objectLike(Map.of(
                        "WorkGroupConfiguration",
                        Match.objectLike(Map.of(
                                "EnforceWorkGroupConfiguration",
                                false,
                                "EngineVersion",
                                Map.of("SelectedEngineVersion", "Athena engine version 3"),
                                "ResultConfiguration",
                                Match.objectLike(Map.of(
                                        "EncryptionConfiguration",
                                        Match.objectLike(Map.of("EncryptionOption", "SSE_KMS")))))))));
        template.hasResourceProperties(
                "AWS::ECS::TaskDefinition",
                Match.objectLike(Map.of(
                        "EphemeralStorage",
                        Map.of("SizeInGiB", 100),
                        "ContainerDefinitions",
                        List.of(Match.objectLike(Map.of(
                                "Name",
                                "Rebuild",
                                "Command",
                                List.of("rebuild"),
                                "EntryPoint",
                                Match.arrayWith(List.of(
                                        "-Dloader.path=/app/rebuild-lib",
                                        "org.springframework.boot.loader.launch.PropertiesLauncher"))))))));
        for (Map<String, String> variable : List.of(
                Map.of("Name", "TIDELINE_REBUILD_ENGINE", "Value", "athena"),
                Map.of("Name", "TIDELINE_REBUILD_ATHENA_DATABASE", "Value", "tideline"),
                Map.of("Name", "TIDELINE_REBUILD_ATHENA_TABLE", "Value", "events"))) {
            template.hasResourceProperties(
                    "AWS::ECS::TaskDefinition",
                    Match.objectLike(Map.of(
                            "ContainerDefinitions",
                            List.of(Match.objectLike(
                                    Map.of("Name", "Rebuild", "Environment", Match.arrayWith(List.of(variable))))))));
        }
        template.hasOutput("RebuildCommand", Match.anyValue());
        assertThat(StackFixture.template(Parameters.defaults().withColdPath(ColdPath.FIREHOSE))
                        .findOutputs("RebuildCommand"))
                .as("no rebuild from an archive Firehose writes")
                .isEmpty();
    }

    @Test
    void archiverWritesOnlyTheArchivePrefixesAndNoAggregates() {
        List<Map<String, Object>> statements = statementsOf("ServicesArchiverRole");

        assertThat(actions(statements)).contains("s3:PutObject", "s3:GetObject", "s3:ListBucket", "kinesis:GetRecords");
        assertThat(actions(statements)).doesNotContain("s3:DeleteObject", "s3:*");
        assertThat(String.valueOf(statements))
                .contains("/events/*", "/errors/*", "TablesArchiverLeases")
                .doesNotContain("TablesAggregates", "TablesProcessorLeases");
    }

    @Test
    void nothingIsAllowedOnEveryResourceExceptMetricsHeldToTheirNamespaces() {
        for (String role :
                List.of("ServicesIngestRole", "ServicesProcessorRole", "ServicesArchiverRole", "ServicesRebuildRole")) {
            for (Map<String, Object> s : statementsOf(role)) {
                if ("*".equals(s.get("Resource"))) {
                    assertThat(s.get("Action")).isEqualTo("cloudwatch:PutMetricData");
                    assertThat(String.valueOf(s.get("Condition"))).contains("cloudwatch:namespace", "Tideline");
                }
            }
        }
    }

    @Test
    void ingestSitsBehindALoadBalancerCheckedOnReadinessAndScalesOnCpuAndRequests() {
        template.hasResourceProperties(
                "AWS::ElasticLoadBalancingV2::TargetGroup",
                Map.of("HealthCheckPath", "/actuator/health/readiness", "Port", 80));
        template.hasResourceProperties(
                "AWS::ApplicationAutoScaling::ScalableTarget", Map.of("MinCapacity", 2, "MaxCapacity", 10));
        template.hasResourceProperties(
                "AWS::ApplicationAutoScaling::ScalingPolicy",
                Map.of(
                        "TargetTrackingScalingPolicyConfiguration",
                        Match.objectLike(Map.of(
                                "PredefinedMetricSpecification",
                                Map.of("PredefinedMetricType", "ECSServiceAverageCPUUtilization")))));
        template.hasResourceProperties(
                "AWS::ApplicationAutoScaling::ScalingPolicy",
                Map.of(
                        "TargetTrackingScalingPolicyConfiguration",
                        Match.objectLike(Map.of(
                                "PredefinedMetricSpecification",
                                Match.objectLike(Map.of("PredefinedMetricType", "ALBRequestCountPerTarget"))))));
    }

    @Test
    void streamAndTableTrafficStaysOffTheNatGateway() {
        template.resourceCountIs("AWS::EC2::VPCEndpoint", 3);
        template.hasResourceProperties(
                "AWS::EC2::VPCEndpoint",
                Map.of(
                        "VpcEndpointType",
                        "Interface",
                        "PrivateDnsEnabled",
                        true,
                        "ServiceName",
                        Match.stringLikeRegexp(".*kinesis-streams")));
    }

    @Test
    void consumersAreSizedToTheShardCount() {
        assertThat(ServicesConstruct.tasksFor(1)).isEqualTo(1);
        assertThat(ServicesConstruct.tasksFor(4)).isEqualTo(1);
        assertThat(ServicesConstruct.tasksFor(5)).isEqualTo(2);
        assertThat(ServicesConstruct.tasksFor(16)).isEqualTo(4);
        Template sixteen = StackFixture.template(Parameters.defaults().withStream(16, false, 24));

        assertThat(sixteen.findResources("AWS::ECS::Service", Map.of("Properties", Map.of("DesiredCount", 4))))
                .hasSize(2);
    }

    @Test
    void bothConsumersMayUseEnhancedFanOut() {
        for (String role : List.of("ServicesProcessorRole", "ServicesArchiverRole")) {
            List<Map<String, Object>> statements = statementsOf(role);
            assertThat(actions(statements))
                    .as(role)
                    .contains(
                            "kinesis:RegisterStreamConsumer",
                            "kinesis:DescribeStreamConsumer",
                            "kinesis:SubscribeToShard");
            assertThat(String.valueOf(statements)).contains("/consumer/*");
        }
    }

    @Test
    void theLoadBalancerForwardsOnlyTheApiAndHealthAndAnswers404Otherwise() {
        template.hasResourceProperties(
                "AWS::ElasticLoadBalancingV2::Listener",
                Map.of(
                        "DefaultActions",
                        List.of(Match.objectLike(Map.of(
                                "Type",
                                "fixed-response",
                                "FixedResponseConfig",
                                Match.objectLike(Map.of("StatusCode", "404")))))));
        template.hasResourceProperties(
                "AWS::ElasticLoadBalancingV2::ListenerRule",
                Map.of(
                        "Actions",
                        List.of(Match.objectLike(Map.of("Type", "forward"))),
                        "Conditions",
                        List.of(Match.objectLike(Map.of(
                                "Field",
                                "path-pattern",
                                "PathPatternConfig",
                                Map.of("Values", List.of("/v1/*", "/actuator/health", "/actuator/health/*")))))));
        assertThat(Cfn.flatten(template.findResources("AWS::ElasticLoadBalancingV2::ListenerRule")))
                .doesNotContain("prometheus");
    }

    @Test
    void everyTaskRunsOnX86LikeTheImagesAreBuilt() {
        var tasks = template.findResources("AWS::ECS::TaskDefinition");
        assertThat(tasks).as("the four services and the rebuild").hasSize(5);
        tasks.values().forEach(task -> assertThat(Cfn.properties(task).get("RuntimePlatform"))
                .isEqualTo(Map.of("CpuArchitecture", "X86_64", "OperatingSystemFamily", "LINUX")));
        assertThat(TidelineApp.imageProps("processor-service").getPlatform().getPlatform())
                .isEqualTo("linux/amd64");
    }

    @Test
    void consumersAreReplacedWhenTheirKclSchedulerDies() {
        for (String port : List.of("8081", "8082")) {
            template.hasResourceProperties(
                    "AWS::ECS::TaskDefinition",
                    Map.of(
                            "ContainerDefinitions",
                            List.of(
                                    Match.objectLike(
                                            Map.of(
                                                    "PortMappings",
                                                    List.of(
                                                            Match.objectLike(
                                                                    Map.of("ContainerPort", Integer.parseInt(port)))),
                                                    "HealthCheck",
                                                    Match.objectLike(
                                                            Map.of(
                                                                    "Command",
                                                                    List.of(
                                                                            "CMD-SHELL",
                                                                            Match.stringLikeRegexp(
                                                                                    ".*/dev/tcp/127.0.0.1/" + port
                                                                                            + ".*/actuator/health/liveness.*HTTP/1.\\[01\\] 200.*")))))))));
        }
    }

    @Test
    void theConsoleOnlyReadsTheStreamTheLeasesTheDeadLettersAndErrors() {
        List<Map<String, Object>> statements = statementsOf("ServicesConsoleConsoleRole");

        // ECS Exec (the operators' port forwarding) adds its channels.
        assertThat(actions(statements))
                .filteredOn(a -> !a.startsWith("ssmmessages:"))
                .containsExactlyInAnyOrder(
                        "kinesis:ListShards",
                        "kinesis:DescribeStreamSummary",
                        "kinesis:GetShardIterator",
                        "kinesis:GetRecords",
                        "kms:Decrypt",
                        "dynamodb:Scan",
                        "dynamodb:Query",
                        "dynamodb:GetItem",
                        "s3:ListBucket");
        for (Map<String, Object> s : statements) {
            String action = String.valueOf(s.get("Action"));
            if (action.equals("dynamodb:Query")) {
                assertThat(String.valueOf(s.get("Resource"))).contains("TablesAggregates");
                assertThat(String.valueOf(s.get("Condition"))).contains("dynamodb:LeadingKeys", "dead-letter#*");
            }
            if (action.equals("s3:ListBucket")) {
                assertThat(String.valueOf(s.get("Condition"))).contains("s3:prefix", "errors/*");
            }
            if (action.equals("dynamodb:GetItem")) {
                assertThat(String.valueOf(s.get("Resource"))).contains("TablesAggregates");
                assertThat(String.valueOf(s.get("Condition")))
                        .as("the generation pointer only")
                        .contains("dynamodb:LeadingKeys", "generation");
            }
            if ("*".equals(s.get("Resource"))) {
                assertThat(action)
                        .as("only ECS Exec's channels are on every resource")
                        .contains("ssmmessages:");
            }
        }
    }

    @Test
    void theConsoleFindsEachServiceByNameReadsItsPortAndIsReachedOnlyThroughEcsExec() {
        for (String name : List.of("ingest", "processor", "archiver")) {
            template.hasResourceProperties("AWS::ServiceDiscovery::Service", Match.objectLike(Map.of("Name", name)));
        }
        template.hasResourceProperties(
                "AWS::ServiceDiscovery::PrivateDnsNamespace",
                Match.objectLike(Map.of("Name", ServicesConstruct.NAMESPACE)));
        for (int port : List.of(8080, 8081, 8082)) {
            template.hasResourceProperties(
                    "AWS::EC2::SecurityGroupIngress",
                    Match.objectLike(Map.of(
                            "FromPort",
                            port,
                            "ToPort",
                            port,
                            "SourceSecurityGroupId",
                            Match.objectLike(Map.of(
                                    "Fn::GetAtt",
                                    List.of(Match.stringLikeRegexp("ServicesConsoleService.*"), "GroupId"))))));
        }
        template.hasResourceProperties(
                "AWS::ECS::Service",
                Match.objectLike(
                        Map.of("EnableExecuteCommand", true, "DesiredCount", 1, "LoadBalancers", Match.absent())));
        for (Map<String, String> variable : List.of(
                Map.of(
                        "Name",
                        "TIDELINE_CONSOLE_PROCESSOR",
                        "Value",
                        "http://processor." + ServicesConstruct.NAMESPACE + ":8081"),
                Map.of("Name", "TIDELINE_CONSOLE_EVERYADDRESS", "Value", "true"),
                Map.of("Name", "TIDELINE_CONSOLE_PROCESSORLAGTHRESHOLD", "Value", "60000ms"))) {
            template.hasResourceProperties(
                    "AWS::ECS::TaskDefinition",
                    Map.of(
                            "ContainerDefinitions",
                            List.of(Match.objectLike(
                                    Map.of("Environment", Match.arrayWith(List.of(Match.objectLike(variable))))))));
        }
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> statementsOf(String rolePrefix) {
        List<Map<String, Object>> statements = new ArrayList<>();
        for (Map<String, Object> policy :
                template.findResources("AWS::IAM::Policy").values()) {
            var props = (Map<String, Object>) policy.get("Properties");
            if (String.valueOf(props.get("Roles")).contains(rolePrefix)) {
                var document = (Map<String, Object>) props.get("PolicyDocument");
                statements.addAll((List<Map<String, Object>>) document.get("Statement"));
            }
        }
        assertThat(statements).as("statements of " + rolePrefix).isNotEmpty();
        return statements;
    }

    private static List<String> actions(List<Map<String, Object>> statements) {
        List<String> actions = new ArrayList<>();
        for (Map<String, Object> s : statements) {
            Object a = s.get("Action");
            if (a instanceof List<?> list) {
                list.forEach(x -> actions.add(String.valueOf(x)));
            } else {
                actions.add(String.valueOf(a));
            }
        }
        return actions;
    }
}
