package dev.tideline.infra;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ecs.BaseService;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerDefinition;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.LogDriver;
import software.amazon.awscdk.services.ecs.PortMapping;
import software.amazon.awscdk.services.iam.Role;
import software.constructs.Construct;

/**
 * The operators' console on AWS: one small task in the private subnets, reachable by no load
 * balancer. Operators open it through ECS Exec port forwarding (the stack's {@code ConsoleAccess}
 * output), and it reads with a role that can only read: the stream's shards and records, the lease
 * tables, the dead letters and the archive's {@code errors/}. It finds each service's tasks by their
 * names in the cluster's private DNS namespace and reads their meters on their own ports.
 */
public final class ConsoleService extends Construct {

    static final int PORT = 8090;

    private final FargateService service;
    private final ContainerDefinition container;

    ConsoleService(Construct scope, String id, Cluster cluster, ServicesConstruct.Props props, LogDriver logs) {
        super(scope, id);
        Role role = TaskRoles.console(this, props);
        FargateTaskDefinition task = FargateTaskDefinition.Builder.create(this, "Task")
                .cpu(256)
                .memoryLimitMiB(1024)
                .runtimePlatform(ServicesConstruct.X86_64)
                .taskRole(role)
                .build();
        Map<String, String> environment = new HashMap<>(Map.of(
                "TIDELINE_CONSOLE_STREAM",
                props.stream().getStreamName(),
                "TIDELINE_CONSOLE_PROCESSORAPPLICATION",
                props.processorLeases().getTableName(),
                "TIDELINE_CONSOLE_AGGREGATESTABLE",
                props.aggregates().getTableName(),
                "TIDELINE_CONSOLE_EVERYADDRESS",
                "true"));
        environment.put(
                "TIDELINE_CONSOLE_ARCHIVERAPPLICATION",
                props.archiver() == null ? "" : props.archiver().leases().getTableName());
        environment.put(
                "TIDELINE_CONSOLE_BUCKET",
                props.archiver() == null ? "" : props.archiver().bucket().getBucketName());
        this.container = task.addContainer(
                "Console",
                ContainerDefinitionOptions.builder()
                        .image(props.images().console())
                        .logging(logs)
                        .environment(environment)
                        .portMappings(List.of(
                                PortMapping.builder().containerPort(PORT).build()))
                        .healthCheck(TaskRoles.liveness(PORT))
                        .stopTimeout(Duration.seconds(30))
                        .build());
        TaskRoles.allowImagePull(task);
        Nag.accept(task, "AwsSolutions-ECS2", "the variables are resource names and service addresses, no secrets");
        this.service = FargateService.Builder.create(this, "Service")
                .cluster(cluster)
                .taskDefinition(task)
                .desiredCount(1)
                .minHealthyPercent(0)
                // Operators reach the page through ECS Exec port forwarding, never through a load balancer.
                .enableExecuteCommand(true)
                .circuitBreaker(ServicesConstruct.rollback())
                .build();
        Nag.acceptWildcard(
                role,
                "Resource::\\*",
                "ECS Exec's channels (ssmmessages:Create/OpenControlChannel and DataChannel) have no"
                        + " resource-level permissions; they carry the operators' port forwarding to the page");
    }

    /**
     * Points the console at a service's tasks, by the name they are registered under in the cluster's
     * namespace ({@code TIDELINE_CONSOLE_<NAME>}), and lets it read their meters on their port.
     */
    void reads(BaseService target, String name, int port) {
        container.addEnvironment(
                "TIDELINE_CONSOLE_" + name.toUpperCase(Locale.ROOT),
                "http://" + name + "." + ServicesConstruct.NAMESPACE + ":" + port);
        target.getConnections().allowFrom(service, Port.tcp(port), "the console reads this service's meters");
    }

    /** Adds a variable to the console's container, for what the stack knows after the services. */
    public void environment(String name, String value) {
        container.addEnvironment(name, value);
    }

    public FargateService service() {
        return service;
    }
}
