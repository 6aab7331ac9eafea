package dev.tideline.archiver.config;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

/** Readiness: the stream can be described and the archive bucket answers. */
final class AwsHealthIndicator implements HealthIndicator {

    private final KinesisAsyncClient kinesis;
    private final S3Client s3;
    private final ArchiverProperties properties;

    AwsHealthIndicator(KinesisAsyncClient kinesis, S3Client s3, ArchiverProperties properties) {
        this.kinesis = kinesis;
        this.s3 = s3;
        this.properties = properties;
    }

    @Override
    public Health health() {
        try {
            var stream = kinesis.describeStreamSummary(r -> r.streamName(properties.stream()))
                    .join()
                    .streamDescriptionSummary();
            s3.headBucket(r -> r.bucket(properties.bucket()));
            return Health.up()
                    .withDetail("stream", stream.streamName() + " " + stream.streamStatusAsString())
                    .withDetail("bucket", properties.bucket())
                    .build();
        } catch (RuntimeException e) {
            return Health.down().withDetail("error", e.toString()).build();
        }
    }
}
