package dev.tideline.localaws;

import java.time.Duration;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
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
        return KinesisClient.builder()
                .endpointOverride(endpoints.kinesis())
                .region(Endpoints.REGION)
                .credentialsProvider(Endpoints.credentials())
                .httpClientBuilder(ApacheHttpClient.builder())
                .build();
    }

    /** Over plain HTTP/1.1; polling consumers and producers need nothing more. */
    public KinesisAsyncClient kinesisAsync() {
        return KinesisAsyncClient.builder()
                .endpointOverride(endpoints.kinesis())
                .region(Endpoints.REGION)
                .credentialsProvider(Endpoints.credentials())
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .protocol(Protocol.HTTP1_1)
                        .maxConcurrency(100)
                        .connectionAcquisitionTimeout(Duration.ofSeconds(30)))
                .build();
    }

    public DynamoDbClient dynamoDb() {
        return DynamoDbClient.builder()
                .endpointOverride(endpoints.dynamoDb())
                .region(Endpoints.REGION)
                .credentialsProvider(Endpoints.credentials())
                .httpClientBuilder(ApacheHttpClient.builder())
                .build();
    }

    public DynamoDbAsyncClient dynamoDbAsync() {
        return DynamoDbAsyncClient.builder()
                .endpointOverride(endpoints.dynamoDb())
                .region(Endpoints.REGION)
                .credentialsProvider(Endpoints.credentials())
                .build();
    }

    /**
     * A CloudWatch client for KCL's {@code ConfigsBuilder}, which insists on one. The local stack has
     * no CloudWatch; pair it with KCL's {@code NullMetricsFactory} so it is never called.
     */
    public CloudWatchAsyncClient unusedCloudWatch() {
        return CloudWatchAsyncClient.builder()
                .endpointOverride(endpoints.dynamoDb())
                .region(Endpoints.REGION)
                .credentialsProvider(Endpoints.credentials())
                .build();
    }

    public S3Client s3() {
        return S3Client.builder()
                .endpointOverride(endpoints.s3())
                .region(Endpoints.REGION)
                .credentialsProvider(Endpoints.credentials())
                .forcePathStyle(true)
                .httpClientBuilder(ApacheHttpClient.builder())
                .build();
    }
}
