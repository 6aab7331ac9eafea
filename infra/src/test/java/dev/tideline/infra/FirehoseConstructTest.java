package dev.tideline.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideline.infra.Parameters.ColdPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class FirehoseConstructTest {

    @Test
    void firehoseReadsTheStreamAndWritesParquetInTheArchiveLayout() {
        Template template = StackFixture.template(Parameters.defaults().withColdPath(ColdPath.FIREHOSE));

        template.hasResourceProperties(
                "AWS::KinesisFirehose::DeliveryStream",
                Map.of(
                        "DeliveryStreamType",
                        "KinesisStreamAsSource",
                        "ExtendedS3DestinationConfiguration",
                        Match.objectLike(Map.of(
                                "Prefix", "events/dt=!{timestamp:yyyy-MM-dd}/hour=!{timestamp:HH}/",
                                "ErrorOutputPrefix",
                                        "errors/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/hour=!{timestamp:HH}/",
                                "BufferingHints", Map.of("SizeInMBs", 64, "IntervalInSeconds", 300),
                                "CloudWatchLoggingOptions", Match.objectLike(Map.of("Enabled", true)),
                                "DataFormatConversionConfiguration",
                                        Match.objectLike(Map.of(
                                                "Enabled", true,
                                                "SchemaConfiguration",
                                                        Match.objectLike(Map.of(
                                                                "DatabaseName", "tideline",
                                                                "TableName", "events")),
                                                "OutputFormatConfiguration",
                                                        Map.of(
                                                                "Serializer",
                                                                Map.of(
                                                                        "ParquetSerDe",
                                                                        Map.of("Compression", "SNAPPY")))))))));
    }

    @Test
    void theDeliveryStreamWaitsForTheGlueTableItConvertsWith() {
        Template firehose = StackFixture.template(Parameters.defaults().withColdPath(ColdPath.FIREHOSE));
        String table =
                firehose.findResources("AWS::Glue::Table").keySet().iterator().next();

        firehose.hasResource(
                "AWS::KinesisFirehose::DeliveryStream", Map.of("DependsOn", Match.arrayWith(List.of(table))));
    }

    @Test
    void withFirehoseThereIsNoArchiverService() {
        Template template = StackFixture.template(Parameters.defaults().withColdPath(ColdPath.FIREHOSE));

        // ingest, processor and the console
        assertThat(template.findResources("AWS::ECS::Service")).hasSize(3);
        template.resourceCountIs("AWS::KinesisFirehose::DeliveryStream", 1);
    }

    @Test
    void withTheArchiverServiceThereIsNoFirehose() {
        Template template = StackFixture.template(Parameters.defaults());

        template.resourceCountIs("AWS::KinesisFirehose::DeliveryStream", 0);
        template.resourceCountIs("AWS::ECS::Service", 4);
        template.hasResourceProperties(
                "AWS::ECS::TaskDefinition",
                Map.of(
                        "ContainerDefinitions",
                        Match.arrayWith(List.of(Match.objectLike(Map.of(
                                "Environment",
                                Match.arrayWith(List.of(
                                        Map.of("Name", "TIDELINE_ARCHIVER_BUCKET", "Value", Match.anyValue())))))))));
    }
}
