package dev.tideline.processor.config;

import dev.tideline.kcl.KclClientsConfiguration;
import dev.tideline.processor.redrive.Redrive;
import dev.tideline.processor.store.DynamoDeadLetters;
import dev.tideline.processor.store.KinesisStreamPositions;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

/**
 * The redrive as a command of the processor's image ({@code processor-service.jar redrive}): the
 * dead letters that read as events under the processor's settings now are published to the stream
 * again. Not a component. Exits 0 when it went through every dead letter, 1 on a failure (run it
 * again: what it published and did not remove is a duplicate to both consumers).
 */
@EnableAutoConfiguration
@EnableConfigurationProperties(RedriveProperties.class)
@Import({AwsClientsConfiguration.class, KclClientsConfiguration.class})
public class RedriveApplication {

    private static final Logger log = LoggerFactory.getLogger("dev.tideline.redrive");

    public static int run(String[] args) {
        try (ConfigurableApplicationContext context = Commands.context(RedriveApplication.class, args)) {
            context.getBean(Redrive.class).run();
            return 0;
        } catch (Exception e) {
            log.error("Redrive failed; run it again to go on", e);
            return 1;
        }
    }

    @Bean
    Redrive redrive(ProcessorProperties p, RedriveProperties r, DynamoDbClient dynamo, KinesisAsyncClient kinesis) {
        String stream = p.kcl().stream();
        return new Redrive(
                new DynamoDeadLetters(
                        dynamo, p.table(), () -> List.copyOf(new KinesisStreamPositions(kinesis, stream).shards())),
                (partitionKey, data) -> kinesis.putRecord(b ->
                                b.streamName(stream).partitionKey(partitionKey).data(SdkBytes.fromByteArray(data)))
                        .join(),
                ProcessorConfiguration.settingsOf(p).codec(),
                p.aggregates().dedupeWindow(),
                r.force(),
                Clock.systemUTC(),
                log::info);
    }
}
