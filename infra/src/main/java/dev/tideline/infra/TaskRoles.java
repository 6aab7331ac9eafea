package dev.tideline.infra;

import dev.tideline.model.metrics.Meters;
import dev.tideline.model.names.Layout;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.constructs.Construct;

/**
 * What the consumer tasks may do and how ECS tells they live: least-privilege task roles, each
 * statement scoped to the resources of this deployment, and the containers' liveness check.
 */
final class TaskRoles {

    private TaskRoles() {}

    static Role ingest(Construct scope, ServicesConstruct.Props props) {
        Role role = taskRole(scope, "IngestRole", "ingest-service: put records on the stream");
        // grantWrite would add kms:ReEncrypt* and GenerateDataKey*; a producer needs GenerateDataKey.
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of(
                        "kinesis:PutRecords",
                        "kinesis:PutRecord",
                        "kinesis:ListShards",
                        "kinesis:DescribeStreamSummary"))
                .resources(List.of(props.stream().getStreamArn()))
                .build());
        if (props.stream().getEncryptionKey() != null) {
            props.stream().getEncryptionKey().grant(role, "kms:GenerateDataKey");
        }
        allowMetrics(role, List.of(Meters.NAMESPACE));
        return role;
    }

    static Role processor(Construct scope, ServicesConstruct.Props props) {
        Role role = taskRole(scope, "ProcessorRole", "processor-service: read the stream, keep leases and aggregates");
        props.stream().grantRead(role);
        allowFanOut(role, props);
        props.processorLeases().grantReadWriteData(role);
        props.aggregates().grantReadWriteData(role);
        allowGenerations(scope, role, props, List.of("dynamodb:DeleteTable"));
        allowMetrics(role, List.of(Meters.NAMESPACE, props.processorLeases().getTableName()));
        return role;
    }

    /**
     * The rebuild ({@code processor-service rebuild}, a one-off task of the processor's image): what
     * the processor may do, and create a generation's tables, read the archive's {@code events/}
     * and the archiver's checkpoints.
     */
    static Role rebuild(Construct scope, ServicesConstruct.Props props, String workGroup) {
        ServicesConstruct.Archiver a = Objects.requireNonNull(props.archiver());
        Role role = taskRole(
                scope, "RebuildRole", "processor-service rebuild: a new generation of the aggregates from the archive");
        props.stream().grantRead(role);
        props.processorLeases().grantReadWriteData(role);
        props.aggregates().grantReadWriteData(role);
        allowGenerations(scope, role, props, List.of("dynamodb:CreateTable", "dynamodb:UpdateTimeToLive"));
        a.leases().grantReadData(role);
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:ListBucket"))
                .resources(List.of(a.bucket().getBucketArn()))
                .conditions(Map.of(
                        "StringLike",
                        Map.of("s3:prefix", List.of(Layout.EVENTS_PREFIX + "*", Layout.ATHENA_PREFIX + "*"))))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:GetObject"))
                .resources(List.of(a.bucket().arnForObjects(Layout.EVENTS_PREFIX + "*")))
                .build());
        allowAthena(scope, role, a, workGroup);
        a.bucketKey().grant(role, "kms:Decrypt", "kms:GenerateDataKey");
        Nag.acceptWildcard(
                role,
                "Resource::<.*\\.Arn>\\/(events|athena)\\/\\*",
                "the rebuild reads every archived events object, and Athena, as the rebuild, writes and"
                        + " reads its results under athena/; nothing else in the bucket");
        allowMetrics(role, List.of(Meters.NAMESPACE, props.processorLeases().getTableName()));
        return role;
    }

    /**
     * The rebuild's fold on Athena, which acts with the rebuild's own permissions: its statements in
     * the rebuild's workgroup; the archive's table read, and the staged records' table
     * ({@code tideline_rebuild_g<n>}) made and dropped, in the Glue catalog; its results and the
     * staged records written, read and deleted under {@code athena/}, with the bucket's location.
     */
    private static void allowAthena(Construct scope, Role role, ServicesConstruct.Archiver a, String workGroup) {
        Stack stack = Stack.of(scope);
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of(
                        "athena:StartQueryExecution",
                        "athena:GetQueryExecution",
                        "athena:StopQueryExecution",
                        "athena:GetWorkGroup"))
                .resources(List.of(stack.formatArn(ArnComponents.builder()
                        .service("athena")
                        .resource("workgroup")
                        .resourceName(workGroup)
                        .build())))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of(
                        "glue:GetDatabase",
                        "glue:GetTable",
                        "glue:GetPartitions",
                        "glue:CreateTable",
                        "glue:DeleteTable"))
                .resources(CatalogConstruct.arns(scope, a.glueDatabase(), List.of(a.glueTable(), "tideline_rebuild_*")))
                .build());
        Nag.acceptWildcard(
                role,
                "Resource::arn:<AWS::Partition>:glue:[^:]*:[^:]*:table/.*/tideline_rebuild_\\*",
                "a rebuild's staged records are tables named tideline_rebuild_g<n> that it creates and drops");
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:GetBucketLocation"))
                .resources(List.of(a.bucket().getBucketArn()))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"))
                .resources(List.of(a.bucket().arnForObjects(Layout.ATHENA_PREFIX + "*")))
                .build());
    }

    /**
     * The tables of the aggregates' later generations, which a rebuild creates beside the ones this
     * app provisions ({@code <aggregates>-g<n>}, {@code <processor leases>-g<n>}): their items, and
     * {@code extra} actions on the tables themselves.
     */
    private static void allowGenerations(
            Construct scope, Role role, ServicesConstruct.Props props, List<String> extra) {
        List<String> actions = new java.util.ArrayList<>(List.of(
                "dynamodb:BatchGetItem",
                "dynamodb:BatchWriteItem",
                "dynamodb:ConditionCheckItem",
                "dynamodb:DeleteItem",
                "dynamodb:DescribeTable",
                "dynamodb:GetItem",
                "dynamodb:PutItem",
                "dynamodb:Query",
                "dynamodb:Scan",
                "dynamodb:UpdateItem"));
        actions.addAll(extra);
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(actions)
                .resources(List.of(
                        generations(scope, props.aggregates().getTableName()),
                        generations(scope, props.processorLeases().getTableName())))
                .build());
        Nag.acceptWildcard(
                role,
                "Resource::arn:<AWS::Partition>:dynamodb:[^:]*:[^:]*:table/.*-g\\*",
                "a rebuild's generations of the aggregates are tables named <table>-g<n> that it creates;"
                        + " the pattern holds the role to them");
    }

    /** The ARN pattern of a table's later generations. */
    static String generations(Construct scope, String firstTable) {
        return Stack.of(scope)
                .formatArn(ArnComponents.builder()
                        .service("dynamodb")
                        .resource("table")
                        .resourceName(firstTable + "-g*")
                        .build());
    }

    static Role archiver(Construct scope, ServicesConstruct.Props props) {
        ServicesConstruct.Archiver a = Objects.requireNonNull(props.archiver());
        Role role =
                taskRole(scope, "ArchiverRole", "archiver-service: read the stream, keep leases, write the archive");
        props.stream().grantRead(role);
        allowFanOut(role, props);
        a.leases().grantReadWriteData(role);
        // HEAD of a key not yet written answers 404 only to a caller allowed to list the bucket;
        // the archiver tells "not delivered yet" from "delivered" by it.
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:ListBucket"))
                .resources(List.of(a.bucket().getBucketArn()))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"))
                .resources(List.of(
                        a.bucket().arnForObjects(Layout.EVENTS_PREFIX + "*"),
                        a.bucket().arnForObjects(Layout.ERRORS_PREFIX + "*")))
                .build());
        a.bucketKey().grant(role, "kms:Decrypt", "kms:GenerateDataKey");
        Nag.acceptWildcard(
                role,
                "Resource::<.*\\.Arn>\\/(events|errors)\\/\\*",
                "the archiver writes deterministic keys under the two prefixes of the archive layout"
                        + " (events/dt=.../hour=.../<shard>-<sequence>.parquet); nothing else in the bucket");
        allowMetrics(role, List.of(Meters.NAMESPACE, a.leases().getTableName()));
        return role;
    }

    /**
     * The console reads and never writes: the stream's shards and records (its tail, and one record
     * after each checkpoint), a {@code Scan} of each lease table, a {@code Query} of the dead letters
     * only ({@code dead-letter#} partitions), and a listing of {@code errors/} only.
     */
    static Role console(Construct scope, ServicesConstruct.Props props) {
        Role role = taskRole(scope, "ConsoleRole", "console: read the stream, the leases, dead letters and errors/");
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of(
                        "kinesis:ListShards",
                        "kinesis:DescribeStreamSummary",
                        "kinesis:GetShardIterator",
                        "kinesis:GetRecords"))
                .resources(List.of(props.stream().getStreamArn()))
                .build());
        if (props.stream().getEncryptionKey() != null) {
            props.stream().getEncryptionKey().grant(role, "kms:Decrypt");
        }
        List<String> leaseTables =
                new java.util.ArrayList<>(List.of(props.processorLeases().getTableArn()));
        if (props.archiver() != null) {
            leaseTables.add(props.archiver().leases().getTableArn());
        }
        // After a rebuild, the processor's leases are in its generation's lease table.
        leaseTables.add(generations(scope, props.processorLeases().getTableName()));
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("dynamodb:Scan"))
                .resources(leaseTables)
                .build());
        Nag.acceptWildcard(
                role,
                "Resource::arn:<AWS::Partition>:dynamodb:[^:]*:[^:]*:table/.*-g\\*",
                "the processor's lease tables of the aggregates' later generations, named <table>-g<n>");
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("dynamodb:Query"))
                .resources(List.of(props.aggregates().getTableArn()))
                .conditions(Map.of("ForAllValues:StringLike", Map.of("dynamodb:LeadingKeys", List.of("dead-letter#*"))))
                .build());
        // Which generation is served: the pointer item only.
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("dynamodb:GetItem"))
                .resources(List.of(props.aggregates().getTableArn()))
                .conditions(Map.of(
                        "ForAllValues:StringEquals", Map.of("dynamodb:LeadingKeys", List.of(Layout.POINTER_PARTITION))))
                .build());
        if (props.archiver() != null) {
            ServicesConstruct.Archiver a = props.archiver();
            role.addToPolicy(PolicyStatement.Builder.create()
                    .actions(List.of("s3:ListBucket"))
                    .resources(List.of(a.bucket().getBucketArn()))
                    .conditions(Map.of("StringLike", Map.of("s3:prefix", List.of(Layout.ERRORS_PREFIX + "*"))))
                    .build());
        }
        return role;
    }

    /** The execution role CDK makes to pull an ECR image needs one action that cannot be scoped. */
    static void allowImagePull(software.constructs.IConstruct task) {
        Nag.acceptWildcard(
                task,
                "Resource::\\*",
                "ecr:GetAuthorizationToken has no resource-level permissions; the image pull itself is"
                        + " scoped to the image's repository");
    }

    private static Role taskRole(Construct scope, String id, String description) {
        return Role.Builder.create(scope, id)
                .assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
                .description(description)
                .build();
    }

    /**
     * PutMetricData has no resource-level permissions, so the statement names {@code *} and is held
     * to the given namespaces by condition: Tideline's own meters and KCL's, published under the
     * application name.
     */
    private static void allowMetrics(Role role, List<String> namespaces) {
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("cloudwatch:PutMetricData"))
                .resources(List.of("*"))
                .conditions(Map.of("StringEquals", Map.of("cloudwatch:namespace", namespaces)))
                .build());
        Nag.acceptWildcard(
                role,
                "Resource::\\*",
                "cloudwatch:PutMetricData has no resource-level permissions; the statement is held to the"
                        + " namespaces " + namespaces + " by a cloudwatch:namespace condition");
    }

    /**
     * Enhanced fan-out (the runbook's answer to read throttling): KCL registers the application as
     * a consumer of the stream, then describes it and subscribes to its shards.
     */
    private static void allowFanOut(Role role, ServicesConstruct.Props props) {
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("kinesis:RegisterStreamConsumer"))
                .resources(List.of(props.stream().getStreamArn()))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("kinesis:DescribeStreamConsumer", "kinesis:SubscribeToShard"))
                .resources(List.of(props.stream().getStreamArn() + "/consumer/*"))
                .build());
        Nag.acceptWildcard(
                role,
                "Resource::<.*Stream.*\\.Arn>/consumer/\\*",
                "a fan-out consumer's ARN ends in its registration time, unknown before KCL registers it;"
                        + " the statement is held to the consumers of this one stream");
    }

    /**
     * The container's liveness, which fails when the KCL scheduler died: ECS then replaces the task.
     * The image has bash but neither curl nor wget for certain, so bash speaks HTTP itself.
     */
    static software.amazon.awscdk.services.ecs.HealthCheck liveness(int port) {
        String probe = "exec 3<>/dev/tcp/127.0.0.1/" + port
                + " && printf 'GET /actuator/health/liveness HTTP/1.0\\r\\n\\r\\n' >&3"
                + " && head -n 1 <&3 | grep -q '^HTTP/1.[01] 200'";
        return software.amazon.awscdk.services.ecs.HealthCheck.builder()
                .command(List.of("CMD-SHELL", "bash -c \"" + probe + "\""))
                .interval(Duration.seconds(30))
                .timeout(Duration.seconds(5))
                .retries(3)
                // KCL takes its leases within a minute or two of the start.
                .startPeriod(Duration.seconds(180))
                .build();
    }
}
