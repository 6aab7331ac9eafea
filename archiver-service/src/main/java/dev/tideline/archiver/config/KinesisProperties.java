package dev.tideline.archiver.config;

import io.awspring.cloud.autoconfigure.AwsClientProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Kinesis client settings under {@code spring.cloud.aws.kinesis}, which has no starter of its own. */
@ConfigurationProperties("spring.cloud.aws.kinesis")
public class KinesisProperties extends AwsClientProperties {}
