package dev.tideline.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

    /**
     * Templates by their parameters, synthesized once per test JVM: a synthesis costs about a second
     * of jsii's Node process, and most tests read the same default template. A {@link Template} is
     * only read.
     */
    private static final Map<Parameters, Template> TEMPLATES = new ConcurrentHashMap<>();

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

    /**
     * The template of the stack with {@code parameters}, as {@link #stack} builds it: the same one
     * for equal parameters.
     */
    static Template template(Parameters parameters) {
        return TEMPLATES.computeIfAbsent(parameters, p -> Template.fromStack(stack(p)));
    }
}
