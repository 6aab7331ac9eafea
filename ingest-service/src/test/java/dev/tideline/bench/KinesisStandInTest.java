package dev.tideline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideline.model.shard.ShardMap;
import java.math.BigInteger;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;

/** The benchmark's stand-in speaks to the real SDK as Kinesis does, and holds a shard to its limits. */
class KinesisStandInTest {

    private static KinesisStandIn standIn;
    private static KinesisClient kinesis;

    @BeforeAll
    static void start() throws Exception {
        standIn = new KinesisStandIn(4, 1);
        System.setProperty("aws.cborEnabled", "false");
        try {
            kinesis = KinesisClient.builder()
                    .endpointOverride(URI.create(standIn.endpoint()))
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                    .build();
        } finally {
            System.clearProperty("aws.cborEnabled");
        }
    }

    @AfterAll
    static void stop() {
        kinesis.close();
        standIn.close();
    }

    @Test
    void itsShardsCoverTheHashKeySpaceInOrder() {
        List<Shard> shards = kinesis.listShards(r -> r.streamName("s")).shards();

        assertThat(shards).hasSize(4);
        assertThat(shards.get(0).hashKeyRange().startingHashKey()).isEqualTo("0");
        assertThat(new BigInteger(shards.get(3).hashKeyRange().endingHashKey())).isEqualTo(ShardMap.MAX_HASH_KEY);
        for (int i = 1; i < shards.size(); i++) {
            assertThat(new BigInteger(shards.get(i).hashKeyRange().startingHashKey()))
                    .isEqualTo(new BigInteger(shards.get(i - 1).hashKeyRange().endingHashKey()).add(BigInteger.ONE));
        }
    }

    @Test
    void aShardTakesAThousandRecordsASecondAndRefusesEachPastThem() {
        long t0 = 1_000_000_000L;
        KinesisStandIn.Shard shard = new KinesisStandIn.Shard("shardId-0", BigInteger.ZERO, BigInteger.TEN, t0);

        int admitted = 0;
        for (int i = 0; i < 1_500; i++) {
            admitted += shard.admit(10, t0) ? 1 : 0;
        }
        assertThat(admitted).isEqualTo(1_000);
        assertThat(shard.admit(10, t0)).isFalse();
        assertThat(shard.admit(10, t0 + 1_000_000))
                .as("a millisecond later, one more")
                .isTrue();
        assertThat(shard.admit(10, t0 + 1_000_000)).isFalse();
        assertThat(shard.admit(10, t0 + 1_000_000_000)).as("a second later").isTrue();
    }

    @Test
    void aRefusedEntryIsCountedAndAnsweredAsKinesisDoes() {
        byte[] big = new byte[600 * 1024];
        long before = standIn.throttled();
        PutRecordsResponse response = kinesis.putRecords(r -> r.streamName("s")
                .records(
                        PutRecordsRequestEntry.builder()
                                .partitionKey("big")
                                .data(SdkBytes.fromByteArray(big))
                                .build(),
                        PutRecordsRequestEntry.builder()
                                .partitionKey("big")
                                .data(SdkBytes.fromByteArray(big))
                                .build()));

        assertThat(response.failedRecordCount()).isEqualTo(1);
        assertThat(response.records().get(0).errorCode()).isNull();
        assertThat(response.records().get(0).shardId()).startsWith("shardId-");
        assertThat(response.records().get(1).errorCode()).isEqualTo("ProvisionedThroughputExceededException");
        assertThat(standIn.throttled() - before).isEqualTo(1);
    }

    @Test
    void aShardTakesOneMebibyteASecond() {
        long t0 = 0;
        KinesisStandIn.Shard shard = new KinesisStandIn.Shard("shardId-0", BigInteger.ZERO, BigInteger.TEN, t0);

        assertThat(shard.admit(600 * 1024, t0)).isTrue();
        assertThat(shard.admit(600 * 1024, t0)).isFalse();
        assertThat(shard.admit(600 * 1024, t0 + 200_000_000))
                .as("200 ms refill 200 KiB")
                .isTrue();
    }
}
