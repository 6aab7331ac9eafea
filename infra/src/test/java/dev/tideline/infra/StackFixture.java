package dev.tideline.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.ecs.ContainerImage;

/** Builds the whole stack as the app does, with registry images so that no Dockerfile is staged. */
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
                new ServicesConstruct.Images(
                        ContainerImage.fromRegistry("tideline/ingest-service:test"),
                        ContainerImage.fromRegistry("tideline/processor-service:test"),
                        ContainerImage.fromRegistry("tideline/archiver-service:test")));
        Aspects.of(app).add(new AwsSolutionsChecks());
        return stack;
    }

    static Template template(Parameters parameters) {
        return Template.fromStack(stack(parameters));
    }
}
