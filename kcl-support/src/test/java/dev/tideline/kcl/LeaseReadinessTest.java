package dev.tideline.kcl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.Shard;

class LeaseReadinessTest {

    @Test
    void namesTheOpenShardsWhoseLeasesAreAnEarlierStreamsInOrder() {
        List<Shard> shards = List.of(
                shard("shardId-000000000002", "300", null),
                shard("shardId-000000000000", "100", "199"),
                shard("shardId-000000000001", "200", null),
                shard("shardId-000000000003", "400", null));
        Map<String, String> checkpoints = Map.of(
                "shardId-000000000000", "SHARD_END",
                "shardId-000000000001", "SHARD_END",
                "shardId-000000000002", "299",
                "shardId-000000000003", "401");

        assertThat(LeaseReadiness.earlierStream(shards, checkpoints))
                .containsExactly("shardId-000000000001", "shardId-000000000002");
    }

    private static Shard shard(String id, String first, String last) {
        return Shard.builder()
                .shardId(id)
                .sequenceNumberRange(r -> r.startingSequenceNumber(first).endingSequenceNumber(last))
                .build();
    }
}
