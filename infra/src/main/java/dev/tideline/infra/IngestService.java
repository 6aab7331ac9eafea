package dev.tideline.infra;

import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.applicationautoscaling.EnableScalingProps;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.CpuUtilizationScalingProps;
import software.amazon.awscdk.services.ecs.RequestCountScalingProps;
import software.amazon.awscdk.services.ecs.ScalableTaskCount;
import software.amazon.awscdk.services.ecs.patterns.ApplicationLoadBalancedFargateService;
import software.amazon.awscdk.services.ecs.patterns.ApplicationLoadBalancedTaskImageOptions;
import software.amazon.awscdk.services.elasticloadbalancingv2.HealthCheck;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.secretsmanager.Secret;

/**
 * The ingest service: public behind a load balancer that forwards only the API, at least two tasks,
 * scaled on CPU and on requests, its API key from Secrets Manager.
 */
final class IngestService {

    private IngestService() {}

    /** The service, in {@code services}, with its load balancer, scaling and API key. */
    static ApplicationLoadBalancedFargateService define(
            ServicesConstruct services, Cluster cluster, ServicesConstruct.Props props, Secret apiKeys) {
        Role role = TaskRoles.ingest(services, props);
        var service = ApplicationLoadBalancedFargateService.Builder.create(services, "Ingest")
                .cluster(cluster)
                .cpu(1024)
                .memoryLimitMiB(2048)
                .desiredCount(2)
                // Deployments start new tasks before stopping old ones, so capacity never dips.
                .minHealthyPercent(100)
                .publicLoadBalancer(true)
                .runtimePlatform(ServicesConstruct.X86_64)
                .circuitBreaker(ServicesConstruct.rollback())
                .cloudMapOptions(ServicesConstruct.discoverable("ingest"))
                .taskImageOptions(ApplicationLoadBalancedTaskImageOptions.builder()
                        .image(props.images().ingest())
                        .containerPort(8080)
                        .taskRole(role)
                        .logDriver(services.logs("Ingest"))
                        .environment(Map.of(
                                "TIDELINE_INGEST_STREAM",
                                props.stream().getStreamName(),
                                // The load balancer's nodes live in the VPC: only their
                                // X-Forwarded-For names a client's address.
                                "TIDELINE_INGEST_CONTEXT_TRUSTEDPROXIES",
                                services.vpc().getVpcCidrBlock()))
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
        IngestEdge.onlyTheApi(service);
        service.getLoadBalancer().logAccessLogs(props.accessLogs(), "alb/ingest");
        Nag.accept(
                service.getLoadBalancer(),
                "AwsSolutions-EC23",
                "the ingest endpoint is public by design: web pages and apps post events from anywhere;"
                        + " every request needs an API key");
        TaskRoles.allowImagePull(service.getTaskDefinition());
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
}
