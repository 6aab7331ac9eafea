package dev.tideline.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.util.List;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ecr.assets.Platform;
import software.amazon.awscdk.services.ecs.AssetImageProps;
import software.amazon.awscdk.services.ecs.ContainerImage;

/**
 * The CDK app: {@code npx cdk synth} and {@code npx cdk deploy} from {@code infra/}, after
 * {@code ./mvnw -DskipTests package} has built the services' jars, which the images copy.
 */
public final class TidelineApp {

    private TidelineApp() {}

    public static void main(String[] args) {
        App app = new App();
        Parameters parameters = Parameters.from(app.getNode());
        new TidelineStack(
                app,
                "Tideline",
                StackProps.builder()
                        .description("Tideline clickstream pipeline")
                        .env(Environment.builder()
                                .account(System.getenv("CDK_DEFAULT_ACCOUNT"))
                                .region(System.getenv("CDK_DEFAULT_REGION"))
                                .build())
                        .build(),
                parameters,
                images());
        Aspects.of(app).add(new AwsSolutionsChecks());
        app.synth();
    }

    /** Each service's image, built at deploy time from its Dockerfile and jar. */
    static ServicesConstruct.Images images() {
        return new ServicesConstruct.Images(
                image("ingest-service"), image("processor-service"), image("archiver-service"), image("console"));
    }

    private static ContainerImage image(String module) {
        return ContainerImage.fromAsset("../" + module, imageProps(module));
    }

    /**
     * Built for x86 Linux, where the task definitions run them: an image built on an ARM machine
     * would otherwise fail on Fargate with "exec format error".
     */
    static AssetImageProps imageProps(String module) {
        return AssetImageProps.builder()
                .platform(Platform.LINUX_AMD64)
                // Only what the Dockerfile copies, so a change elsewhere does not rebuild the image.
                .exclude(List.of("*", "!Dockerfile", "!target", "target/*", "!target/" + module + "-*.jar"))
                .build();
    }
}
