package dev.tideline.infra;

import java.util.Map;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.Vpc;
import software.constructs.Construct;

/** The services' network: two zones, one NAT gateway, flow logs, and endpoints for the heavy traffic. */
final class Networking {

    private Networking() {}

    static Vpc vpc(Construct scope) {
        Vpc vpc = Vpc.Builder.create(scope, "Vpc")
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
        return vpc;
    }
}
