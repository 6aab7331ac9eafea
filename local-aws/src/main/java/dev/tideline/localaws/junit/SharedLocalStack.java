package dev.tideline.localaws.junit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;

/**
 * One LocalStack container for every LocalStack test of a test JVM, set up by the same init script
 * as {@code docker-compose.yml}: the stream, tables and bucket by their shared names. A test class
 * puts {@link #container()} in a static {@code @ServiceConnection} field and is annotated
 * {@code @Testcontainers(disabledWithoutDocker = true)}, so that without Docker it is skipped and
 * nothing here touches Docker: the container starts when Spring first needs it.
 */
public final class SharedLocalStack {

    /** The image docker-compose.yml pins too; a test holds the two equal. */
    public static final String IMAGE = "localstack/localstack:4.12.0";

    static final String SCRIPT = "localstack/init/ready.d/10-tideline.sh";

    private static LocalStackContainer container;

    private SharedLocalStack() {}

    /** The container, not yet started. */
    public static synchronized LocalStackContainer container() {
        if (container == null) {
            container = new LocalStackContainer(DockerImageName.parse(IMAGE))
                    .withServices("kinesis", "dynamodb", "s3", "sts")
                    .withCopyFileToContainer(
                            MountableFile.forHostPath(script(), 0755), "/etc/localstack/init/ready.d/10-tideline.sh")
                    // Ready means the init script has run, not only that LocalStack answers.
                    .waitingFor(Wait.forHttp("/_localstack/init/ready")
                            .forPort(4566)
                            .forResponsePredicate(body -> body.replace(" ", "").contains("\"completed\":true"))
                            .withStartupTimeout(Duration.ofMinutes(3)));
        }
        return container;
    }

    /** A client of the started container's services, for a test to look at what a service wrote. */
    public static <B extends AwsClientBuilder<B, C>, C> C client(B builder) {
        LocalStackContainer c = container();
        return builder.endpointOverride(c.getEndpoint())
                .region(Region.of(c.getRegion()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(c.getAccessKey(), c.getSecretKey())))
                .build();
    }

    /** The init script, found from a module's directory or the repository's. */
    public static Path script() {
        for (Path base : new Path[] {Path.of(".."), Path.of(".")}) {
            Path candidate = base.resolve(SCRIPT);
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("no " + SCRIPT + " above " + Path.of("").toAbsolutePath());
    }
}
