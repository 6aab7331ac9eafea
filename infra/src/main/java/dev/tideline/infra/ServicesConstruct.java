package dev.tideline.infra;

import dev.tideline.model.metrics.Meters;
import dev.tideline.model.names.Layout;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.applicationautoscaling.EnableScalingProps;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.ContainerInsights;
import software.amazon.awscdk.services.ecs.CpuArchitecture;
import software.amazon.awscdk.services.ecs.CpuUtilizationScalingProps;
import software.amazon.awscdk.services.ecs.DeploymentCircuitBreaker;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.LogDriver;
import software.amazon.awscdk.services.ecs.OperatingSystemFamily;
import software.amazon.awscdk.services.ecs.PortMapping;
import software.amazon.awscdk.services.ecs.RequestCountScalingProps;
import software.amazon.awscdk.services.ecs.RuntimePlatform;
import software.amazon.awscdk.services.ecs.ScalableTaskCount;
import software.amazon.awscdk.services.ecs.patterns.ApplicationLoadBalancedFargateService;
import software.amazon.awscdk.services.ecs.patterns.ApplicationLoadBalancedTaskImageOptions;
import software.amazon.awscdk.services.elasticloadbalancingv2.AddApplicationActionProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.CfnListener;
import software.amazon.awscdk.services.elasticloadbalancingv2.HealthCheck;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerAction;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCondition;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kinesis.IStream;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * The three services on ECS Fargate in a VPC of their own: ingest behind an Application Load
 * Balancer, scaled on CPU and requests; processor and (unless Firehose is the cold path) archiver
 * sized to the shard count. Each service has its own task role, allowed exactly its stream, tables,
 * bucket prefixes and keys.
 */
public final class ServicesConstruct extends Construct {

    /** Shards one consumer task reads; KCL balances leases across the tasks. */
    static final int SHARDS_PER_TASK = 4;

    public record Images(ContainerImage ingest, ContainerImage processor, ContainerImage archiver) {}

    /**
     * @param archiver null when Firehose is the cold path
     * @param shards the stream's shard count, which the consumers are sized for
     * @param ingestMaxTasks upper bound of the ingest autoscaling
     */
    public record Props(
            Images images,
            IStream stream,
            ITable processorLeases,
            ITable aggregates,
            Archiver archiver,
            IBucket accessLogs,
            int shards,
            int ingestMaxTasks) {

        public Props {
            Objects.requireNonNull(images, "images");
            Objects.requireNonNull(stream, "stream");
            Objects.requireNonNull(processorLeases, "processorLeases");
            Objects.requireNonNull(aggregates, "aggregates");
            Objects.requireNonNull(accessLogs, "accessLogs");
            if (ingestMaxTasks < 2) {
                throw new IllegalArgumentException(
                        "ingest scales between 2 tasks and at least 2, not " + ingestMaxTasks);
            }
        }
    }

    /** What the archiver service writes to; absent when Firehose archives instead. */
    public record Archiver(ITable leases, IBucket bucket, IKey bucketKey) {}

    /** Images are built for x86 (see the app), so tasks run there whatever machine built them. */
    private static final RuntimePlatform X86_64 = RuntimePlatform.builder()
            .cpuArchitecture(CpuArchitecture.X86_64)
            .operatingSystemFamily(OperatingSystemFamily.LINUX)
            .build();

    private final Vpc vpc;
    private final Cluster cluster;
    private final ApplicationLoadBalancedFargateService ingest;
    private final FargateService processor;
    private final FargateService archiver;
    private final Secret apiKeys;

    public ServicesConstruct(Construct scope, String id, Props props) {
        super(scope, id);
        this.vpc = Vpc.Builder.create(this, "Vpc")
                .maxAzs(2)
                .natGateways(1)
                .flowLogs(Map.of(
                        "All",
                        FlowLogOptions.builder()
                                .destination(FlowLogDestination.toCloudWatchLogs())
                                .build()))
                // DynamoDB and S3 traffic stays off the NAT gateway, which bills per GB.
                .gatewayEndpoints(Map.of(
                        "S3",
                        GatewayVpcEndpointOptions.builder()
                                .service(GatewayVpcEndpointAwsService.S3)
                                .build(),
                        "DynamoDB",
                        GatewayVpcEndpointOptions.builder()
                                .service(GatewayVpcEndpointAwsService.DYNAMODB)
                                .build()))
                .build();
        // Every event crosses to Kinesis three times (one put, two reads); through the NAT gateway
        // that would bill per GB at several times the endpoint's rate.
        var kinesisEndpoint = vpc.addInterfaceEndpoint(
                "Kinesis",
                InterfaceVpcEndpointOptions.builder()
                        .service(InterfaceVpcEndpointAwsService.KINESIS_STREAMS)
                        .build());
        Nag.accept(
                kinesisEndpoint,
                "CdkNagValidationFailure",
                "the endpoint's security group admits HTTPS from the VPC's own CIDR, which is a deploy-time"
                        + " value cdk-nag's EC23 rule cannot read; nothing outside the VPC can reach it");
        this.cluster = Cluster.Builder.create(this, "Cluster")
                .vpc(vpc)
                .containerInsightsV2(ContainerInsights.ENABLED)
                .build();

        this.apiKeys = generatedApiKey();
        this.ingest = ingest(props, apiKeys);
        this.processor = consumer(
                "Processor",
                props.images().processor(),
                8081,
                processorRole(props),
                Map.of(
                        "TIDELINE_PROCESSOR_STREAM", props.stream().getStreamName(),
                        "TIDELINE_PROCESSOR_APPLICATION",
                                props.processorLeases().getTableName(),
                        "TIDELINE_PROCESSOR_TABLE", props.aggregates().getTableName()),
                props.shards());
        this.archiver = props.archiver() == null
                ? null
                : consumer(
                        "Archiver",
                        props.images().archiver(),
                        8082,
                        archiverRole(props),
                        Map.of(
                                "TIDELINE_ARCHIVER_STREAM", props.stream().getStreamName(),
                                "TIDELINE_ARCHIVER_APPLICATION",
                                        props.archiver().leases().getTableName(),
                                "TIDELINE_ARCHIVER_BUCKET",
                                        props.archiver().bucket().getBucketName()),
                        props.shards());
    }

    /** The ingest service's API key, generated; the service takes it as an ECS secret. */
    private Secret generatedApiKey() {
        Secret secret = Secret.Builder.create(this, "ApiKeys")
                .description("API keys the ingest service accepts, comma-separated: a key or sha256:<hex> of it")
                .generateSecretString(SecretStringGenerator.builder()
                        .excludePunctuation(true)
                        .passwordLength(40)
                        .build())
                .build();
        Nag.accept(
                secret,
                "AwsSolutions-SMG4",
                "an API key is rotated by its clients, not by a schedule: add the new key next to the old one"
                        + " (the service accepts several), move the clients, then remove the old; automatic"
                        + " rotation would lock every client out at once");
        return secret;
    }

    /** Deployments that fail to become healthy roll back by themselves. */
    private static DeploymentCircuitBreaker rollback() {
        return DeploymentCircuitBreaker.builder().rollback(true).build();
    }

    private ApplicationLoadBalancedFargateService ingest(Props props, Secret apiKeys) {
        Role role = taskRole("IngestRole", "ingest-service: put records on the stream");
        // grantWrite would add kms:ReEncrypt* and GenerateDataKey*; a producer needs GenerateDataKey.
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of(
                        "kinesis:PutRecords",
                        "kinesis:PutRecord",
                        "kinesis:ListShards",
                        "kinesis:DescribeStreamSummary"))
                .resources(List.of(props.stream().getStreamArn()))
                .build());
        if (props.stream().getEncryptionKey() != null) {
            props.stream().getEncryptionKey().grant(role, "kms:GenerateDataKey");
        }
        allowMetrics(role, List.of(Meters.NAMESPACE));
        var service = ApplicationLoadBalancedFargateService.Builder.create(this, "Ingest")
                .cluster(cluster)
                .cpu(1024)
                .memoryLimitMiB(2048)
                .desiredCount(2)
                // Deployments start new tasks before stopping old ones, so capacity never dips.
                .minHealthyPercent(100)
                .publicLoadBalancer(true)
                .runtimePlatform(X86_64)
                .circuitBreaker(rollback())
                .taskImageOptions(ApplicationLoadBalancedTaskImageOptions.builder()
                        .image(props.images().ingest())
                        .containerPort(8080)
                        .taskRole(role)
                        .logDriver(logs("Ingest"))
                        .environment(
                                Map.of("TIDELINE_INGEST_STREAM", props.stream().getStreamName()))
                        .secrets(Map.of(
                                "TIDELINE_INGEST_AUTH_APIKEYS",
                                software.amazon.awscdk.services.ecs.Secret.fromSecretsManager(apiKeys)))
                        .build())
                .build();
        service.getTargetGroup()
                .configureHealthCheck(HealthCheck.builder()
                        .path("/actuator/health/readiness")
                        .healthyHttpCodes("200")
                        .interval(Duration.seconds(15))
                        .build());
        onlyTheApi(service);
        service.getLoadBalancer().logAccessLogs(props.accessLogs(), "alb/ingest");
        Nag.accept(
                service.getLoadBalancer(),
                "AwsSolutions-EC23",
                "the ingest endpoint is public by design: web pages and apps post events from anywhere;"
                        + " every request needs an API key");
        allowImagePull(service.getTaskDefinition());
        Nag.accept(
                service.getTaskDefinition(),
                "AwsSolutions-ECS2",
                "the variables are resource names; the API key comes from Secrets Manager");
        ScalableTaskCount scaling = service.getService()
                .autoScaleTaskCount(EnableScalingProps.builder()
                        .minCapacity(2)
                        .maxCapacity(props.ingestMaxTasks())
                        .build());
        scaling.scaleOnCpuUtilization(
                "Cpu",
                CpuUtilizationScalingProps.builder()
                        .targetUtilizationPercent(60)
                        .build());
        scaling.scaleOnRequestCount(
                "Requests",
                RequestCountScalingProps.builder()
                        .requestsPerTarget(3_000)
                        .targetGroup(service.getTargetGroup())
                        .build());
        return service;
    }

    private Role processorRole(Props props) {
        Role role = taskRole("ProcessorRole", "processor-service: read the stream, keep leases and aggregates");
        props.stream().grantRead(role);
        allowFanOut(role, props);
        props.processorLeases().grantReadWriteData(role);
        props.aggregates().grantReadWriteData(role);
        allowMetrics(role, List.of(Meters.NAMESPACE, props.processorLeases().getTableName()));
        return role;
    }

    private Role archiverRole(Props props) {
        Archiver a = props.archiver();
        Role role = taskRole("ArchiverRole", "archiver-service: read the stream, keep leases, write the archive");
        props.stream().grantRead(role);
        allowFanOut(role, props);
        a.leases().grantReadWriteData(role);
        // HEAD of a key not yet written answers 404 only to a caller allowed to list the bucket;
        // the archiver tells "not delivered yet" from "delivered" by it.
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:ListBucket"))
                .resources(List.of(a.bucket().getBucketArn()))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"))
                .resources(List.of(
                        a.bucket().arnForObjects(Layout.EVENTS_PREFIX + "*"),
                        a.bucket().arnForObjects(Layout.ERRORS_PREFIX + "*")))
                .build());
        a.bucketKey().grant(role, "kms:Decrypt", "kms:GenerateDataKey");
        Nag.acceptWildcard(
                role,
                "Resource::<.*\\.Arn>\\/(events|errors)\\/\\*",
                "the archiver writes deterministic keys under the two prefixes of the archive layout"
                        + " (events/dt=.../hour=.../<shard>-<sequence>.parquet); nothing else in the bucket");
        allowMetrics(role, List.of(Meters.NAMESPACE, a.leases().getTableName()));
        return role;
    }

    /** The execution role CDK makes to pull an ECR image needs one action that cannot be scoped. */
    private static void allowImagePull(software.constructs.IConstruct task) {
        Nag.acceptWildcard(
                task,
                "Resource::\\*",
                "ecr:GetAuthorizationToken has no resource-level permissions; the image pull itself is"
                        + " scoped to the image's repository");
    }

    private Role taskRole(String id, String description) {
        return Role.Builder.create(this, id)
                .assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
                .description(description)
                .build();
    }

    /**
     * PutMetricData has no resource-level permissions, so the statement names {@code *} and is held
     * to the given namespaces by condition: Tideline's own meters and KCL's, published under the
     * application name.
     */
    private static void allowMetrics(Role role, List<String> namespaces) {
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("cloudwatch:PutMetricData"))
                .resources(List.of("*"))
                .conditions(Map.of("StringEquals", Map.of("cloudwatch:namespace", namespaces)))
                .build());
        Nag.acceptWildcard(
                role,
                "Resource::\\*",
                "cloudwatch:PutMetricData has no resource-level permissions; the statement is held to the"
                        + " namespaces " + namespaces + " by a cloudwatch:namespace condition");
    }

    private FargateService consumer(
            String id, ContainerImage image, int port, Role role, Map<String, String> environment, int shards) {
        FargateTaskDefinition task = FargateTaskDefinition.Builder.create(this, id + "Task")
                .cpu(1024)
                .memoryLimitMiB(2048)
                .runtimePlatform(X86_64)
                .taskRole(role)
                .build();
        task.addContainer(
                id,
                ContainerDefinitionOptions.builder()
                        .image(image)
                        .logging(logs(id))
                        .environment(environment)
                        .portMappings(List.of(
                                PortMapping.builder().containerPort(port).build()))
                        .healthCheck(liveness(port))
                        .stopTimeout(Duration.seconds(60))
                        .build());
        allowImagePull(task);
        Nag.accept(task, "AwsSolutions-ECS2", "the variables are resource names, no secrets");
        return FargateService.Builder.create(this, id)
                .cluster(cluster)
                .taskDefinition(task)
                .desiredCount(tasksFor(shards))
                // A new task takes its leases as the old one stops; the shards are never unread.
                .minHealthyPercent(100)
                .circuitBreaker(rollback())
                .build();
    }

    /**
     * The container's liveness, which fails when the KCL scheduler died: ECS then replaces the task.
     * The image has bash but neither curl nor wget for certain, so bash speaks HTTP itself.
     */
    static software.amazon.awscdk.services.ecs.HealthCheck liveness(int port) {
        String probe = "exec 3<>/dev/tcp/127.0.0.1/" + port
                + " && printf 'GET /actuator/health/liveness HTTP/1.0\\r\\n\\r\\n' >&3"
                + " && head -n 1 <&3 | grep -q '^HTTP/1.[01] 200'";
        return software.amazon.awscdk.services.ecs.HealthCheck.builder()
                .command(List.of("CMD-SHELL", "bash -c \"" + probe + "\""))
                .interval(Duration.seconds(30))
                .timeout(Duration.seconds(5))
                .retries(3)
                // KCL takes its leases within a minute or two of the start.
                .startPeriod(Duration.seconds(180))
                .build();
    }

    /**
     * The public load balancer forwards the ingest API and the health checks only; everything else
     * (metrics, the OpenAPI document, other actuator endpoints) answers 404 there. The target
     * group's own health check reaches the tasks directly.
     */
    private static void onlyTheApi(ApplicationLoadBalancedFargateService service) {
        service.getListener()
                .addAction(
                        "Api",
                        AddApplicationActionProps.builder()
                                .priority(10)
                                .conditions(List.of(ListenerCondition.pathPatterns(
                                        List.of("/v1/*", "/actuator/health", "/actuator/health/*"))))
                                .action(ListenerAction.forward(List.of(service.getTargetGroup())))
                                .build());
        CfnListener listener = (CfnListener) service.getListener().getNode().getDefaultChild();
        listener.setDefaultActions(List.of(CfnListener.ActionProperty.builder()
                .type("fixed-response")
                .fixedResponseConfig(CfnListener.FixedResponseConfigProperty.builder()
                        .statusCode("404")
                        .contentType("application/problem+json")
                        .messageBody("{\"title\":\"Not Found\",\"status\":404}")
                        .build())
                .build()));
    }

    /**
     * Enhanced fan-out (the runbook's answer to read throttling): KCL registers the application as
     * a consumer of the stream, then describes it and subscribes to its shards.
     */
    private static void allowFanOut(Role role, Props props) {
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("kinesis:RegisterStreamConsumer"))
                .resources(List.of(props.stream().getStreamArn()))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("kinesis:DescribeStreamConsumer", "kinesis:SubscribeToShard"))
                .resources(List.of(props.stream().getStreamArn() + "/consumer/*"))
                .build());
        Nag.acceptWildcard(
                role,
                "Resource::<.*Stream.*\\.Arn>/consumer/\\*",
                "a fan-out consumer's ARN ends in its registration time, unknown before KCL registers it;"
                        + " the statement is held to the consumers of this one stream");
    }

    /** One consumer task per {@value #SHARDS_PER_TASK} shards, at least one. */
    static int tasksFor(int shards) {
        return Math.max(1, (shards + SHARDS_PER_TASK - 1) / SHARDS_PER_TASK);
    }

    private LogDriver logs(String id) {
        LogGroup group = LogGroup.Builder.create(this, id + "Logs")
                .retention(RetentionDays.ONE_MONTH)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        return LogDriver.awsLogs(AwsLogDriverProps.builder()
                .logGroup(group)
                .streamPrefix(id.toLowerCase(Locale.ROOT))
                .build());
    }

    /** The secret whose value is the ingest service's API key. */
    public Secret apiKeySecret() {
        return apiKeys;
    }

    public Vpc vpc() {
        return vpc;
    }

    public ApplicationLoadBalancedFargateService ingest() {
        return ingest;
    }

    public FargateService processor() {
        return processor;
    }

    /** @return null when Firehose is the cold path */
    public FargateService archiver() {
        return archiver;
    }
}
