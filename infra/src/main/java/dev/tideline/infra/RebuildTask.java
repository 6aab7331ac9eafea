package dev.tideline.infra;

import dev.tideline.model.names.Layout;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.athena.CfnWorkGroup;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;

/**
 * The rebuild of the aggregates from the archive as a one-off task of the processor's image
 * ({@code aws ecs run-task}: the stack's {@code RebuildCommand} output), its fold run on Athena over
 * the archive's Glue table in a workgroup of its own. Only with the archiver as the cold path: a
 * Firehose archive has no stream positions to rebuild from.
 */
final class RebuildTask {

    private RebuildTask() {}

    /**
     * The task, in {@code services}: the processor's image with its rebuild libraries (DuckDB, the S3
     * and Athena clients) on the class path, the command {@code rebuild}, Athena's answers copied to
     * its ephemeral storage (the whole archive, with the DuckDB engine).
     */
    static FargateTaskDefinition define(ServicesConstruct services, ServicesConstruct.Props props) {
        ServicesConstruct.Archiver archive = Objects.requireNonNull(props.archiver());
        String athena = "s3://" + archive.bucket().getBucketName() + "/" + Layout.ATHENA_PREFIX;
        CfnWorkGroup workGroup = CfnWorkGroup.Builder.create(services, "RebuildWorkGroup")
                .name(Stack.of(services).getStackName() + "-rebuild")
                .description("Tideline's rebuild: the fold over the archive's Glue table")
                // Deleted with the stack, whatever queries it ran.
                .recursiveDeleteOption(true)
                .workGroupConfiguration(CfnWorkGroup.WorkGroupConfigurationProperty.builder()
                        .engineVersion(CfnWorkGroup.EngineVersionProperty.builder()
                                .selectedEngineVersion("Athena engine version 3")
                                .build())
                        // Not enforced: the rebuild's CREATE TABLE AS names its own location, which an
                        // enforced workgroup refuses.
                        .enforceWorkGroupConfiguration(false)
                        .publishCloudWatchMetricsEnabled(true)
                        .resultConfiguration(CfnWorkGroup.ResultConfigurationProperty.builder()
                                .outputLocation(athena + "queries/")
                                .encryptionConfiguration(CfnWorkGroup.EncryptionConfigurationProperty.builder()
                                        .encryptionOption("SSE_KMS")
                                        .kmsKey(archive.bucketKey().getKeyArn())
                                        .build())
                                .build())
                        .build())
                .build();
        FargateTaskDefinition task = FargateTaskDefinition.Builder.create(services, "RebuildTask")
                .cpu(2048)
                .memoryLimitMiB(8192)
                .ephemeralStorageGiB(100)
                .runtimePlatform(ServicesConstruct.X86_64)
                .taskRole(TaskRoles.rebuild(services, props, workGroup.getName()))
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
                        .environment(Map.ofEntries(
                                Map.entry(
                                        "TIDELINE_PROCESSOR_KCL_STREAM",
                                        props.stream().getStreamName()),
                                Map.entry(
                                        "TIDELINE_PROCESSOR_KCL_APPLICATION",
                                        props.processorLeases().getTableName()),
                                Map.entry(
                                        "TIDELINE_PROCESSOR_TABLE",
                                        props.aggregates().getTableName()),
                                Map.entry(
                                        "TIDELINE_REBUILD_BUCKET",
                                        archive.bucket().getBucketName()),
                                Map.entry(
                                        "TIDELINE_REBUILD_ARCHIVERAPPLICATION",
                                        archive.leases().getTableName()),
                                Map.entry("TIDELINE_REBUILD_WORKDIR", "/tmp/rebuild"),
                                // The fold on Athena; --tideline.rebuild.engine=duckdb folds a copy on the task.
                                Map.entry("TIDELINE_REBUILD_ENGINE", "athena"),
                                Map.entry("TIDELINE_REBUILD_ATHENA_WORKGROUP", workGroup.getName()),
                                Map.entry("TIDELINE_REBUILD_ATHENA_DATABASE", archive.glueDatabase()),
                                Map.entry("TIDELINE_REBUILD_ATHENA_TABLE", archive.glueTable()),
                                Map.entry("TIDELINE_REBUILD_ATHENA_RESULTS", athena + "rebuild/")))
                        .build());
        TaskRoles.allowImagePull(task);
        Nag.accept(task, "AwsSolutions-ECS2", "the variables are resource names, no secrets");
        return task;
    }
}
