package dev.tideline.web;

import io.awspring.cloud.autoconfigure.AwsClientProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Kinesis client settings under {@code spring.cloud.aws.kinesis} (endpoint, region), beside those
 * Spring Cloud AWS defines for its own starters, which have none for Kinesis. Every service binds
 * this one class. A JavaBean because Spring Cloud AWS's base class is one.
 */
@ConfigurationProperties("spring.cloud.aws.kinesis")
public class KinesisProperties extends AwsClientProperties {}
