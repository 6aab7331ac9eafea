package dev.tideline.localaws;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * SDK clients for an embedded stack, for tests and for provisioning. The services build theirs
 * through Spring Cloud AWS from properties instead. Each call builds a new client; the caller closes
 * it.
 */
public final class LocalAwsClients {

    private final Endpoints endpoints;

    public LocalAwsClients(Endpoints endpoints) {
        this.endpoints = endpoints;
    }

    public KinesisClient kinesis() {
        return local(KinesisClient.builder(), endpoints.kinesis())
                .httpClientBuilder(Apache5HttpClient.builder())
                .build();
    }

    /** Over plain HTTP/1.1; polling consumers and producers need nothing more. */
    public KinesisAsyncClient kinesisAsync() {
        return local(KinesisAsyncClient.builder(), endpoints.kinesis())
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .protocol(Protocol.HTTP1_1)
                        .maxConcurrency(100)
                        .connectionAcquisitionTimeout(Duration.ofSeconds(30)))
                .build();
    }

    public DynamoDbClient dynamoDb() {
        return local(DynamoDbClient.builder(), endpoints.dynamoDb())
                .httpClientBuilder(Apache5HttpClient.builder())
                .build();
    }

    public DynamoDbAsyncClient dynamoDbAsync() {
        return local(DynamoDbAsyncClient.builder(), endpoints.dynamoDb()).build();
    }

    /**
     * A CloudWatch client for KCL's {@code ConfigsBuilder}, which insists on one. The local stack has
     * no CloudWatch; pair it with KCL's {@code NullMetricsFactory} so it is never called.
     */
    public CloudWatchAsyncClient unusedCloudWatch() {
        return local(CloudWatchAsyncClient.builder(), endpoints.dynamoDb()).build();
    }

    public S3Client s3() {
        return local(S3Client.builder(), endpoints.s3())
                .forcePathStyle(true)
                .httpClientBuilder(Apache5HttpClient.builder())
                .build();
    }

    private static <B extends AwsClientBuilder<B, ?>> B local(B builder, URI endpoint) {
        return builder.endpointOverride(endpoint).region(Endpoints.REGION).credentialsProvider(Endpoints.credentials());
    }
}
