package dev.tideline.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;

/**
 * The rebuild of the aggregates from the archive as a one-off task of the processor's image
 * ({@code aws ecs run-task}: the stack's {@code RebuildCommand} output). Only with the archiver as
 * the cold path: a Firehose archive has no stream positions to rebuild from.
 */
final class RebuildTask {

    private RebuildTask() {}

    /**
     * The task, in {@code services}: the processor's image with DuckDB on the class path, the
     * command {@code rebuild}, the archive copied to its ephemeral storage.
     */
    static FargateTaskDefinition define(ServicesConstruct services, ServicesConstruct.Props props) {
        FargateTaskDefinition task = FargateTaskDefinition.Builder.create(services, "RebuildTask")
                .cpu(2048)
                .memoryLimitMiB(8192)
                .ephemeralStorageGiB(100)
                .runtimePlatform(ServicesConstruct.X86_64)
                .taskRole(TaskRoles.rebuild(services, props))
                .build();
        task.addContainer(
                "Rebuild",
                ContainerDefinitionOptions.builder()
                        .image(props.images().processor())
                        .logging(services.logs("Rebuild"))
                        .entryPoint(List.of(
                                "java",
                                "-XX:MaxRAMPercentage=50",
                                "-Dloader.path=/app/rebuild-lib",
                                "-cp",
                                "/app/app.jar",
                                "org.springframework.boot.loader.launch.PropertiesLauncher"))
                        .command(List.of("rebuild"))
                        .environment(Map.of(
                                "TIDELINE_PROCESSOR_KCL_STREAM", props.stream().getStreamName(),
                                "TIDELINE_PROCESSOR_KCL_APPLICATION",
                                        props.processorLeases().getTableName(),
                                "TIDELINE_PROCESSOR_TABLE", props.aggregates().getTableName(),
                                "TIDELINE_REBUILD_BUCKET",
                                        props.archiver().bucket().getBucketName(),
                                "TIDELINE_REBUILD_ARCHIVERAPPLICATION",
                                        props.archiver().leases().getTableName(),
                                "TIDELINE_REBUILD_WORKDIR", "/tmp/rebuild"))
                        .build());
        TaskRoles.allowImagePull(task);
        Nag.accept(task, "AwsSolutions-ECS2", "the variables are resource names, no secrets");
        return task;
    }
}
