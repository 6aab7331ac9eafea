package dev.tideline.localaws.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideline.localaws.junit.LocalAwsExtension;
import dev.tideline.localaws.junit.StreamFeeder;
import dev.tideline.model.shard.ShardMap;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

class ShardMappingIT {

    private static final int KEYS = 4_000;

    @RegisterExtension
    static final LocalAwsExtension LOCAL = new LocalAwsExtension(4);

    @Test
    void predictedShardIsTheOneKinesisChoosesBeforeAndAfterASplit() {
        String stream = LOCAL.aws().names().stream();
        List<String> keys = randomKeys(new Random(20261122));
        try (KinesisClient kinesis = LOCAL.aws().clients().kinesis()) {
            assertEveryKeyLandsWherePredicted(kinesis, stream, keys);

            Shard parent = shards(kinesis, stream).get(0);
            BigInteger start = new BigInteger(parent.hashKeyRange().startingHashKey());
            BigInteger end = new BigInteger(parent.hashKeyRange().endingHashKey());
            kinesis.splitShard(r -> r.streamName(stream)
                    .shardToSplit(parent.shardId())
                    .newStartingHashKey(start.add(end).shiftRight(1).toString()));
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> kinesis.describeStreamSummary(r -> r.streamName(stream))
                                    .streamDescriptionSummary()
                                    .streamStatus()
                            == StreamStatus.ACTIVE);

            ShardMap after = assertEveryKeyLandsWherePredicted(kinesis, stream, keys);
            assertThat(after.openShardIds()).hasSize(5).doesNotContain(parent.shardId());
        }
    }

    private static ShardMap assertEveryKeyLandsWherePredicted(KinesisClient kinesis, String stream, List<String> keys) {
        ShardMap map = ShardMap.of(shards(kinesis, stream));
        List<PutRecordsRequestEntry> entries = keys.stream()
                .map(k -> PutRecordsRequestEntry.builder()
                        .partitionKey(k)
                        .data(SdkBytes.fromByteArray(new byte[] {1}))
                        .build())
                .toList();
        List<PutRecordsResultEntry> results = new StreamFeeder(kinesis, stream).put(entries);

        List<String> predicted = keys.stream().map(map::shardFor).toList();
        assertThat(results).extracting(PutRecordsResultEntry::shardId).containsExactlyElementsOf(predicted);
        assertThat(predicted).containsAll(map.openShardIds());
        return map;
    }

    private static List<Shard> shards(KinesisClient kinesis, String stream) {
        return kinesis.listShards(r -> r.streamName(stream)).shards();
    }

    /** Keys of every length Kinesis allows, ASCII and beyond, so UTF-8 hashing is exercised. */
    private static List<String> randomKeys(Random random) {
        return IntStream.range(0, KEYS)
                .mapToObj(i -> {
                    int length = 1 + random.nextInt(i % 10 == 0 ? 256 : 24);
                    StringBuilder key = new StringBuilder();
                    for (int c = 0; c < length; c++) {
                        key.appendCodePoint(i % 3 == 0 ? 0x4E00 + random.nextInt(0x5000) : 0x21 + random.nextInt(0x5E));
                    }
                    return key.toString();
                })
                .toList();
    }
}
