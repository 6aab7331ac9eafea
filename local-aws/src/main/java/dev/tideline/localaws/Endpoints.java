package dev.tideline.localaws;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * Where a running embedded stack answers, and the region and credentials it accepts.
 * Clients use 127.0.0.1 rather than localhost: kinesis-mock binds every interface, and some
 * resolvers answer ::1 first.
 */
public record Endpoints(URI kinesis, URI kinesisTls, URI dynamoDb, URI s3) {

    public static final Region REGION = Region.US_EAST_1;
    public static final String ACCESS_KEY = "test";
    public static final String SECRET_KEY = "test";

    static Endpoints of(Ports ports) {
        return new Endpoints(
                URI.create("http://127.0.0.1:" + ports.kinesisPlain()),
                URI.create("https://127.0.0.1:" + ports.kinesisTls()),
                URI.create("http://127.0.0.1:" + ports.dynamoDb()),
                URI.create("http://127.0.0.1:" + ports.s3()));
    }

    public static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }
}
