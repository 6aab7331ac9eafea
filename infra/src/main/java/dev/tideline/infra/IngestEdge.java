package dev.tideline.infra;

import java.util.List;
import software.amazon.awscdk.services.ecs.patterns.ApplicationLoadBalancedFargateService;
import software.amazon.awscdk.services.elasticloadbalancingv2.AddApplicationActionProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.CfnListener;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerAction;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCondition;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/** What the public meets of the ingest service: the API key it must present, and the one path it may take. */
final class IngestEdge {

    private IngestEdge() {}

    /** The ingest service's API key, generated; the service takes it as an ECS secret. */
    static Secret generatedApiKey(Construct scope) {
        Secret secret = Secret.Builder.create(scope, "ApiKeys")
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

    /**
     * The public load balancer forwards the ingest API and the health checks only; everything else
     * (metrics, the OpenAPI document, other actuator endpoints) answers 404 there. The target
     * group's own health check reaches the tasks directly.
     */
    static void onlyTheApi(ApplicationLoadBalancedFargateService service) {
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
}
