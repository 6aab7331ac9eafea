package dev.tideline.infra;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.CloudMapNamespaceOptions;
import software.amazon.awscdk.services.ecs.CloudMapOptions;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.ContainerInsights;
import software.amazon.awscdk.services.ecs.CpuArchitecture;
import software.amazon.awscdk.services.ecs.DeploymentCircuitBreaker;
import software.amazon.awscdk.services.ecs.ExecuteCommandConfiguration;
import software.amazon.awscdk.services.ecs.ExecuteCommandLogging;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.LogDriver;
import software.amazon.awscdk.services.ecs.OperatingSystemFamily;
import software.amazon.awscdk.services.ecs.PortMapping;
import software.amazon.awscdk.services.ecs.RuntimePlatform;
import software.amazon.awscdk.services.ecs.patterns.ApplicationLoadBalancedFargateService;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.kinesis.IStream;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.secretsmanager.Secret;
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

    public record Images(
            ContainerImage ingest, ContainerImage processor, ContainerImage archiver, ContainerImage console) {}

    /**
     * The private DNS namespace in which each service's tasks are found by name (one record per
     * task): {@code ingest.tideline.internal} and so on. The console reads their meters there.
     */
    static final String NAMESPACE = "tideline.internal";

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
    /**
     * @param glueDatabase the Glue database of the archive's table, which a rebuild queries on Athena
     * @param glueTable the archive's table in it
     */
    public record Archiver(ITable leases, IBucket bucket, IKey bucketKey, String glueDatabase, String glueTable) {}

    /** Images are built for x86 (see the app), so tasks run there whatever machine built them. */
    static final RuntimePlatform X86_64 = RuntimePlatform.builder()
            .cpuArchitecture(CpuArchitecture.X86_64)
            .operatingSystemFamily(OperatingSystemFamily.LINUX)
            .build();

    private final Vpc vpc;
    private final Cluster cluster;
    private final ApplicationLoadBalancedFargateService ingest;
    private final FargateService processor;
    private final FargateService archiver;
    private final FargateTaskDefinition rebuild;
    private final Secret apiKeys;
    private final ConsoleService console;

    public ServicesConstruct(Construct scope, String id, Props props) {
        super(scope, id);
        this.vpc = Networking.vpc(this);
        this.cluster = Cluster.Builder.create(this, "Cluster")
                .vpc(vpc)
                .containerInsightsV2(ContainerInsights.ENABLED)
                // ECS Exec carries only the console's port forwarding: nothing to log.
                .executeCommandConfiguration(ExecuteCommandConfiguration.builder()
                        .logging(ExecuteCommandLogging.NONE)
                        .build())
                .defaultCloudMapNamespace(CloudMapNamespaceOptions.builder()
                        .name(NAMESPACE)
                        .useForServiceConnect(false)
                        .build())
                .build();

        this.apiKeys = IngestEdge.generatedApiKey(this);
        this.ingest = IngestService.define(this, cluster, props, apiKeys);
        this.processor = consumer(
                "Processor",
                props.images().processor(),
                8081,
                TaskRoles.processor(this, props),
                Map.of(
                        "TIDELINE_PROCESSOR_KCL_STREAM", props.stream().getStreamName(),
                        "TIDELINE_PROCESSOR_KCL_APPLICATION",
                                props.processorLeases().getTableName(),
                        "TIDELINE_PROCESSOR_TABLE", props.aggregates().getTableName()),
                props.shards());
        this.archiver = props.archiver() == null
                ? null
                : consumer(
                        "Archiver",
                        props.images().archiver(),
                        8082,
                        TaskRoles.archiver(this, props),
                        Map.of(
                                "TIDELINE_ARCHIVER_KCL_STREAM", props.stream().getStreamName(),
                                "TIDELINE_ARCHIVER_KCL_APPLICATION",
                                        props.archiver().leases().getTableName(),
                                "TIDELINE_ARCHIVER_BUCKET",
                                        props.archiver().bucket().getBucketName()),
                        props.shards());
        this.rebuild = props.archiver() == null ? null : RebuildTask.define(this, props);
        this.console = new ConsoleService(this, "Console", cluster, props, logs("Console"));
        console.reads(ingest.getService(), "ingest", 8080);
        console.reads(processor, "processor", 8081);
        if (archiver != null) {
            console.reads(archiver, "archiver", 8082);
        }
    }

    /** Deployments that fail to become healthy roll back by themselves. */
    static DeploymentCircuitBreaker rollback() {
        return DeploymentCircuitBreaker.builder().rollback(true).build();
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
                        .healthCheck(TaskRoles.liveness(port))
                        .stopTimeout(Duration.seconds(60))
                        .build());
        TaskRoles.allowImagePull(task);
        Nag.accept(task, "AwsSolutions-ECS2", "the variables are resource names, no secrets");
        return FargateService.Builder.create(this, id)
                .cluster(cluster)
                .taskDefinition(task)
                .desiredCount(tasksFor(shards))
                // A new task takes its leases as the old one stops; the shards are never unread.
                .minHealthyPercent(100)
                .circuitBreaker(rollback())
                .cloudMapOptions(discoverable(id.toLowerCase(Locale.ROOT)))
                .build();
    }

    /** The one-off rebuild task, or null when Firehose archives. */
    public FargateTaskDefinition rebuildTask() {
        return rebuild;
    }

    /** A record per task under {@code <name>.}{@value #NAMESPACE}. */
    static CloudMapOptions discoverable(String name) {
        return CloudMapOptions.builder().name(name).build();
    }

    /** One consumer task per {@value #SHARDS_PER_TASK} shards, at least one. */
    static int tasksFor(int shards) {
        return Math.max(1, (shards + SHARDS_PER_TASK - 1) / SHARDS_PER_TASK);
    }

    LogDriver logs(String id) {
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

    public ConsoleService console() {
        return console;
    }
}
