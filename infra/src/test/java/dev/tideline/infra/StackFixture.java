package dev.tideline.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.ecs.ContainerImage;

/**
 * Builds the whole stack as the app does, with images built from a one-line Dockerfile, so that the
 * execution roles and assets are those of a real deployment without staging the services' jars.
 */
final class StackFixture {

    private StackFixture() {}

    static TidelineStack stack(Parameters parameters) {
        App app = new App();
        TidelineStack stack = new TidelineStack(
                app,
                "Test",
                StackProps.builder()
                        .env(Environment.builder()
                                .account("123456789012")
                                .region("eu-west-1")
                                .build())
                        .build(),
                parameters,
                new ServicesConstruct.Images(image(), image(), image(), image()));
        Aspects.of(app).add(new AwsSolutionsChecks());
        return stack;
    }

    private static ContainerImage image() {
        try {
            Path dir = Files.createTempDirectory("tideline-image");
            Files.writeString(dir.resolve("Dockerfile"), "FROM eclipse-temurin:17-jre\n");
            dir.toFile().deleteOnExit();
            return ContainerImage.fromAsset(dir.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Template template(Parameters parameters) {
        return Template.fromStack(stack(parameters));
    }
}
