package dev.tideline.processor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tideline.localaws.junit.CommandJvm;
import dev.tideline.localaws.junit.LocalAws;
import dev.tideline.localaws.junit.LocalAwsExtension;
import dev.tideline.processor.archive.S3Results;
import dev.tideline.processor.generation.Generation;
import dev.tideline.processor.generation.Pointer;
import dev.tideline.processor.generation.Rules;
import dev.tideline.processor.store.DynamoGenerations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.kinesis.common.InitialPositionInStream;

/**
 * The generation pointer on the embedded DynamoDB; a rebuild refused before it moves it; a rebuild
 * abandoned.
 */
class GenerationsIT {

    @RegisterExtension
    static final LocalAwsExtension LOCAL = new LocalAwsExtension();

    private static final String FIREHOSE_OBJECT =
            "events/dt=2026-11-29/hour=07/tideline-events-1-2026-11-29-07-00-00-0f3c.parquet";

    @TempDir
    Path work;

    @Test
    void everyStepOfThePointerMovesOnlyFromTheStateItExpects() {
        LocalAws aws = LOCAL.aws();
        DynamoDbClient dynamo = aws.clients().dynamoDb();
        DynamoGenerations generations = new DynamoGenerations(
                dynamo, aws.names().aggregatesTable(), aws.names().processorApp());
        Generation second = Generation.FIRST.next();
        Rules rules = new Rules(Duration.ofMinutes(5), 64);

        assertThat(generations.read()).isEqualTo(Pointer.INITIAL);
        assertThat(generations.begin(second, second.next(), "", rules))
                .as("generation 2 is not current")
                .isFalse();
        assertThat(generations.begin(Generation.FIRST, second, "shardId-000000000000=TRIM_HORIZON/0", rules))
                .isTrue();
        assertThat(generations.begin(Generation.FIRST, second, "", rules))
                .as("a second rebuild while one builds")
                .isFalse();
        assertThat(generations.read().building())
                .isEqualTo(new Pointer.Building(second, "shardId-000000000000=TRIM_HORIZON/0", rules, false));
        assertThat(generations.read().current()).isEqualTo(Generation.FIRST);

        assertThat(generations.switchTo(Generation.FIRST, second, null))
                .as("not loaded yet")
                .isFalse();
        assertThat(generations.loaded(second.next())).isFalse();
        assertThat(generations.loaded(second)).isTrue();
        Instant deleteAfter = Instant.parse("2026-11-29T15:00:00Z");
        assertThat(generations.switchTo(second, second.next(), deleteAfter)).isFalse();
        assertThat(generations.switchTo(Generation.FIRST, second, deleteAfter)).isTrue();
        assertThat(generations.read()).isEqualTo(new Pointer(second, rules, null, Generation.FIRST, deleteAfter));
        assertThat(generations.switchTo(Generation.FIRST, second, deleteAfter))
                .as("a switch happens once")
                .isFalse();
        assertThat(generations.forget(second)).isFalse();
        assertThat(generations.forget(Generation.FIRST)).isTrue();
        assertThat(generations.read()).isEqualTo(new Pointer(second, rules, null, null, null));

        generations.createTable(second.next());
        generations.createTable(second.next());
        String third = aws.names().aggregatesTable() + "-g3";
        assertThat(dynamo.describeTable(r -> r.tableName(third)).table().tableStatusAsString())
                .isEqualTo("ACTIVE");
        generations.delete(second.next());
        generations.delete(second.next());
        assertThatThrownBy(() -> dynamo.describeTable(r -> r.tableName(third)))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> generations.delete(Generation.FIRST)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anArchiveFirehoseWroteIsRefusedNamingTheOptionThatWouldAllowARebuild() throws Exception {
        LocalAws aws = LOCAL.aws();
        aws.clients()
                .s3()
                .putObject(r -> r.bucket(aws.names().bucket()).key(FIREHOSE_OBJECT), RequestBody.fromString("PAR1"));
        String before = String.valueOf(new DynamoGenerations(
                        aws.clients().dynamoDb(),
                        aws.names().aggregatesTable(),
                        aws.names().processorApp())
                .read());
        try (CommandJvm rebuild =
                CommandJvm.start("rebuild", aws.names().stream() + "-refused", aws.rebuildArguments(work))) {
            assertThat(rebuild.await(Duration.ofMinutes(2))).as(rebuild.log()).isEqualTo(2);
            assertThat(rebuild.log())
                    .contains("Rebuild refused")
                    .contains("tideline-events-1-2026-11-29-07-00-00-0f3c.parquet")
                    .contains("Firehose")
                    .contains("cdk deploy -c coldPath=archiver");
        } finally {
            aws.clients().s3().deleteObject(r -> r.bucket(aws.names().bucket()).key(FIREHOSE_OBJECT));
        }
        assertThat(String.valueOf(new DynamoGenerations(
                                aws.clients().dynamoDb(),
                                aws.names().aggregatesTable(),
                                aws.names().processorApp())
                        .read()))
                .as("the pointer did not move")
                .isEqualTo(before);
    }

    @Test
    void aRebuildRunAgainUnderOtherRulesIsRefusedAndAbandoningItPutsThePointerBack() throws Exception {
        LocalAws aws = LOCAL.aws();
        DynamoGenerations generations = new DynamoGenerations(
                aws.clients().dynamoDb(),
                aws.names().aggregatesTable(),
                aws.names().processorApp());
        Pointer before = generations.read();
        Generation next = before.current().next();
        Rules rules = new Rules(Duration.ofMinutes(5), 64);
        String plan = "shardId-000000000000=TRIM_HORIZON/0;from=2026-11-29T06:00:00Z";
        assertThat(generations.begin(before.current(), next, plan, rules)).isTrue();
        generations.createTable(next);
        Pointer begun = generations.read();

        try (CommandJvm rebuild =
                CommandJvm.start("rebuild", aws.names().stream() + "-other-rules", aws.rebuildArguments(work))) {
            assertThat(rebuild.await(Duration.ofMinutes(2))).as(rebuild.log()).isEqualTo(2);
            assertThat(rebuild.log())
                    .contains("Rebuild refused")
                    .contains("a session gap of 30m")
                    .contains("--session-gap 5m --max-event-types 64 --from 2026-11-29T06:00:00Z")
                    .contains("--abandon");
        }
        assertThat(generations.read()).as("the pointer did not move").isEqualTo(begun);

        // What an attempt had copied: gone with the rebuild.
        Path copied = Files.createDirectories(work.resolve("g" + next.number()).resolve("objects"));
        Files.writeString(copied.resolve("an-object.parquet"), "copied");
        List<String> abandon = new ArrayList<>(aws.rebuildArguments(work));
        abandon.add("--tideline.rebuild.abandon=true");
        try (CommandJvm rebuild = CommandJvm.start("rebuild", aws.names().stream() + "-abandon", abandon)) {
            assertThat(rebuild.await(Duration.ofMinutes(2))).as(rebuild.log()).isEqualTo(0);
            assertThat(rebuild.log()).contains("Abandoned the rebuild of " + next);
        }
        assertThat(generations.read()).isEqualTo(before);
        assertThat(work.resolve("g" + next.number())).doesNotExist();
        assertThatThrownBy(() -> aws.clients()
                        .dynamoDb()
                        .describeTable(r -> r.tableName(next.table(aws.names().aggregatesTable()))))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void anArchiverThatReadAnEarlierStreamToItsEndIsRefused() throws Exception {
        LocalAws aws = LOCAL.aws();
        // The archiver read the earlier stream of this name to its end (as KCL does when a stream is
        // deleted), so its lease ends a shard this stream has open: a new generation would never read it.
        aws.precreateLeases(aws.names().archiverApp(), InitialPositionInStream.TRIM_HORIZON);
        DynamoDbClient dynamo = aws.clients().dynamoDb();
        dynamo.updateItem(r -> r.tableName(aws.names().archiverApp())
                .key(Map.of("leaseKey", AttributeValue.fromS("shardId-000000000001")))
                .updateExpression("SET checkpoint = :c")
                .expressionAttributeValues(Map.of(":c", AttributeValue.fromS("SHARD_END"))));
        DynamoGenerations generations = new DynamoGenerations(
                dynamo, aws.names().aggregatesTable(), aws.names().processorApp());
        Pointer before = generations.read();
        try (CommandJvm rebuild =
                CommandJvm.start("rebuild", aws.names().stream() + "-earlier", aws.rebuildArguments(work))) {
            assertThat(rebuild.await(Duration.ofMinutes(2))).as(rebuild.log()).isEqualTo(2);
            assertThat(rebuild.log())
                    .contains("Rebuild refused")
                    .contains("the archiver's checkpoints of shardId-000000000001 (lease table")
                    .contains("deleted and created again")
                    .contains("delete its lease table");
        } finally {
            dynamo.deleteTable(r -> r.tableName(aws.names().archiverApp()));
        }
        assertThat(generations.read()).as("the pointer did not move").isEqualTo(before);
    }

    @Test
    void anArchiveEndingAtPositionsTheStreamDoesNotHaveIsRefused() throws Exception {
        LocalAws aws = LOCAL.aws();
        aws.precreateLeases(aws.names().archiverApp(), InitialPositionInStream.TRIM_HORIZON);
        DynamoDbClient dynamo = aws.clients().dynamoDb();
        // The archiver's checkpoint in a stream of the same name, created earlier and since deleted.
        String elsewhere = "49680681668372160935291746412950955728501739871170199554";
        dynamo.updateItem(r -> r.tableName(aws.names().archiverApp())
                .key(Map.of("leaseKey", AttributeValue.fromS("shardId-000000000000")))
                .updateExpression("SET checkpoint = :c")
                .expressionAttributeValues(Map.of(":c", AttributeValue.fromS(elsewhere))));
        // A record in the shard: the embedded Kinesis checks a position only against the records it holds.
        try (KinesisClient kinesis = aws.clients().kinesis()) {
            kinesis.putRecord(r -> r.streamName(aws.names().stream())
                    .partitionKey("p")
                    .explicitHashKey("0")
                    .data(SdkBytes.fromUtf8String("not an event")));
        }
        DynamoGenerations generations = new DynamoGenerations(
                dynamo, aws.names().aggregatesTable(), aws.names().processorApp());
        Pointer before = generations.read();
        try (CommandJvm rebuild =
                CommandJvm.start("rebuild", aws.names().stream() + "-elsewhere", aws.rebuildArguments(work))) {
            assertThat(rebuild.await(Duration.ofMinutes(2))).as(rebuild.log()).isEqualTo(2);
            assertThat(rebuild.log())
                    .contains("Rebuild refused")
                    .contains("the archiver's checkpoints of shardId-000000000000 (lease table")
                    .contains("are not this stream's")
                    .contains("deleted and created again");
        } finally {
            dynamo.deleteTable(r -> r.tableName(aws.names().archiverApp()));
        }
        assertThat(generations.read()).as("the pointer did not move").isEqualTo(before);
    }

    @Test
    void athenasResultsLocationIsEmptiedAndCopiedOnTheEmbeddedS3AndTheEngineNeedsIt() throws Exception {
        LocalAws aws = LOCAL.aws();
        S3Client s3 = aws.clients().s3();
        String bucket = aws.names().bucket();
        S3Results results = new S3Results(s3, "s3://" + bucket + "/athena/rebuild/");
        for (String key : List.of("g2/users/a", "g2/users/b", "g2/pages/c", "g3/users/d")) {
            s3.putObject(r -> r.bucket(bucket).key("athena/rebuild/" + key), RequestBody.fromString(key));
        }
        s3.putObject(r -> r.bucket(bucket).key("athena/rebuild/g2/users/"), RequestBody.empty());

        Path into = Files.createDirectories(work.resolve("users"));
        assertThat(results.download("g2/users/", into))
                .as("the folder marker is no answer")
                .isEqualTo(2);
        try (var files = Files.list(into)) {
            assertThat(files.map(f -> readString(f)).sorted()).containsExactly("g2/users/a", "g2/users/b");
        }
        results.delete("g2/");
        assertThat(s3.listObjectsV2(r -> r.bucket(bucket).prefix("athena/rebuild/"))
                        .contents())
                .extracting(o -> o.key())
                .containsExactly("athena/rebuild/g3/users/d");
        assertThat(results.download("g2/", into)).isZero();
        assertThatThrownBy(() -> new S3Results(s3, "s3://" + bucket + "/athena"))
                .hasMessageContaining("s3://bucket/prefix/");

        List<String> arguments = new ArrayList<>(aws.rebuildArguments(work));
        arguments.add("--tideline.rebuild.engine=athena");
        try (CommandJvm rebuild = CommandJvm.start("rebuild", aws.names().stream() + "-athena", arguments)) {
            assertThat(rebuild.await(Duration.ofMinutes(2))).as(rebuild.log()).isEqualTo(1);
            assertThat(rebuild.log())
                    .as("the Athena engine's client loads from rebuild-lib, and the missing setting is named")
                    .contains(
                            "The rebuild cannot start: tideline.rebuild.athena.results must name where Athena writes");
        }
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
