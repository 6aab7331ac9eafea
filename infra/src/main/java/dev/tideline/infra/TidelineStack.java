package dev.tideline.infra;

import dev.tideline.infra.Parameters.ColdPath;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/** Every Tideline resource in one stack, wired from the {@link Parameters}. */
public final class TidelineStack extends Stack {

    static final String GLUE_DATABASE = "tideline";
    static final String GLUE_TABLE = "events";

    private final StreamConstruct stream;
    private final TablesConstruct tables;
    private final ArchiveBucketConstruct archive;
    private final CatalogConstruct catalog;
    private final FirehoseConstruct firehose;
    private final ServicesConstruct services;
    private final MonitoringConstruct monitoring;

    public TidelineStack(Construct scope, String id, StackProps props, Parameters p, ServicesConstruct.Images images) {
        super(scope, id, props);
        // Access logs are allowed by bucket policy rather than the deprecated LogDeliveryWrite ACL.
        getNode().setContext("@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", true);
        var names = p.names();
        this.stream = new StreamConstruct(
                this,
                "Stream",
                new StreamConstruct.Props(names.stream(), p.shards(), p.onDemand(), p.retentionHours(), p.removal()));
        this.tables = new TablesConstruct(
                this,
                "Tables",
                new TablesConstruct.Props(
                        names.processorApp(), names.archiverApp(), names.aggregatesTable(), p.removal()));
        // S3 bucket names are global, so the account and region keep this one unique.
        this.archive = new ArchiveBucketConstruct(
                this,
                "Archive",
                new ArchiveBucketConstruct.Props(
                        names.bucket() + "-" + getAccount() + "-" + getRegion(), p.archiveExpiryDays(), p.removal()));
        this.catalog = new CatalogConstruct(
                this,
                "Catalog",
                new CatalogConstruct.Props(GLUE_DATABASE, GLUE_TABLE, archive.bucket(), p.archiveFirstDay()));
        boolean viaFirehose = p.coldPath() == ColdPath.FIREHOSE;
        this.firehose = viaFirehose
                ? new FirehoseConstruct(
                        this,
                        "Firehose",
                        new FirehoseConstruct.Props(
                                names.archiverApp(),
                                stream.stream(),
                                archive.bucket(),
                                archive.key(),
                                catalog,
                                FirehoseConstruct.MIN_BUFFER_MIB,
                                300))
                : null;
        this.services = new ServicesConstruct(
                this,
                "Services",
                new ServicesConstruct.Props(
                        images,
                        stream.stream(),
                        tables.processorLeases(),
                        tables.aggregates(),
                        viaFirehose
                                ? null
                                : new ServicesConstruct.Archiver(
                                        tables.archiverLeases(),
                                        archive.bucket(),
                                        archive.key(),
                                        catalog.databaseName(),
                                        catalog.tableName()),
                        archive.logs(),
                        p.shards(),
                        p.ingestMaxTasks()));
        this.monitoring = new MonitoringConstruct(
                this,
                "Monitoring",
                new MonitoringConstruct.Props(
                        stream.stream(),
                        names.processorApp(),
                        viaFirehose ? null : names.archiverApp(),
                        viaFirehose ? names.archiverApp() : null,
                        services.ingest().getLoadBalancer(),
                        p.iteratorAgeAlarmMillis(),
                        p.freshnessAlarmSeconds(),
                        p.alarmEmail()));
        // The console holds the consumers to the alarms' own thresholds, and links to the dashboard.
        services.console().environment("TIDELINE_CONSOLE_PROCESSORLAGTHRESHOLD", p.iteratorAgeAlarmMillis() + "ms");
        services.console().environment("TIDELINE_CONSOLE_ARCHIVERFRESHNESSTHRESHOLD", p.freshnessAlarmSeconds() + "s");
        services.console().environment("TIDELINE_DASHBOARD_URL", dashboardUrl());
        CfnOutput.Builder.create(this, "ConsoleAccess")
                .description("Open the operators' console at http://127.0.0.1:8090: forward its port with ECS Exec"
                        + " (see the README, On AWS)")
                .value("aws ecs list-tasks --cluster "
                        + services.console().service().getCluster().getClusterName() + " --service-name "
                        + services.console().service().getServiceName())
                .build();
        CfnOutput.Builder.create(this, "IngestUrl")
                .description("POST events to <this>/v1/events")
                .value("http://" + services.ingest().getLoadBalancer().getLoadBalancerDnsName())
                .build();
        CfnOutput.Builder.create(this, "ApiKeySecret")
                .description("Secrets Manager secret holding the ingest API key")
                .value(services.apiKeySecret().getSecretName())
                .build();
        CfnOutput.Builder.create(this, "ArchiveBucket")
                .value(archive.bucket().getBucketName())
                .build();
        CfnOutput.Builder.create(this, "Dashboard").value(dashboardUrl()).build();
        if (services.rebuildTask() != null) {
            CfnOutput.Builder.create(this, "RebuildCommand")
                    .description("Rebuild the aggregates from the archive, folded on Athena (see the README,"
                            + " Rebuilding): add options after \"rebuild\" in the command override, e.g."
                            + " --tideline.processor.aggregates.session-gap=10m")
                    .value(
                            "aws ecs run-task --launch-type FARGATE --cluster "
                                    + services.processor().getCluster().getClusterName()
                                    + " --task-definition "
                                    + services.rebuildTask().getFamily()
                                    + " --network-configuration 'awsvpcConfiguration={subnets=["
                                    + String.join(
                                            ",",
                                            services.vpc().getPrivateSubnets().stream()
                                                    .map(software.amazon.awscdk.services.ec2.ISubnet::getSubnetId)
                                                    .toList())
                                    + "],securityGroups=["
                                    + services.processor()
                                            .getConnections()
                                            .getSecurityGroups()
                                            .get(0)
                                            .getSecurityGroupId()
                                    + "]}' --overrides '{\"containerOverrides\":[{\"name\":\"Rebuild\",\"command\":[\"rebuild\"]}]}'")
                    .build();
        }
    }

    private String dashboardUrl() {
        return "https://console.aws.amazon.com/cloudwatch/home?region=" + getRegion() + "#dashboards:name=Tideline";
    }

    public StreamConstruct stream() {
        return stream;
    }

    public TablesConstruct tables() {
        return tables;
    }

    public ArchiveBucketConstruct archive() {
        return archive;
    }

    public CatalogConstruct catalog() {
        return catalog;
    }

    /** @return null unless Firehose is the cold path */
    public FirehoseConstruct firehose() {
        return firehose;
    }

    public ServicesConstruct services() {
        return services;
    }

    public MonitoringConstruct monitoring() {
        return monitoring;
    }
}
