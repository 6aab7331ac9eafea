package dev.tideline.model.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.HashKeyRange;
import software.amazon.awssdk.services.kinesis.model.SequenceNumberRange;
import software.amazon.awssdk.services.kinesis.model.Shard;

class ShardMapTest {

    private static final BigInteger HALF = BigInteger.ONE.shiftLeft(127);

    @Test
    void hashKeyIsTheUnsignedMd5OfTheUtf8Key() {
        // md5("") = d41d8cd98f00b204e9800998ecf8427e, a well-known constant
        assertThat(ShardMap.hashKey("")).isEqualTo(new BigInteger("d41d8cd98f00b204e9800998ecf8427e", 16));
        assertThat(ShardMap.hashKey("ü")).isEqualTo(new BigInteger("c03410a5204b21cd8229ff754688d743", 16));
    }

    @Test
    void findsTheShardWhoseRangeHoldsTheKey() {
        ShardMap map = ShardMap.of(List.of(
                open("shardId-000000000000", BigInteger.ZERO, HALF.subtract(BigInteger.ONE)),
                open("shardId-000000000001", HALF, ShardMap.MAX_HASH_KEY)));

        assertThat(map.shardForHashKey(BigInteger.ZERO)).isEqualTo("shardId-000000000000");
        assertThat(map.shardForHashKey(HALF.subtract(BigInteger.ONE))).isEqualTo("shardId-000000000000");
        assertThat(map.shardForHashKey(HALF)).isEqualTo("shardId-000000000001");
        assertThat(map.shardForHashKey(ShardMap.MAX_HASH_KEY)).isEqualTo("shardId-000000000001");
        // md5("") starts with 0xd4, in the upper half
        assertThat(map.shardFor("")).isEqualTo("shardId-000000000001");
    }

    @Test
    void closedParentsOfASplitTakeNoWrites() {
        BigInteger quarter = BigInteger.ONE.shiftLeft(126);
        ShardMap map = ShardMap.of(List.of(
                closed("shardId-000000000000", BigInteger.ZERO, HALF.subtract(BigInteger.ONE)),
                open("shardId-000000000001", HALF, ShardMap.MAX_HASH_KEY),
                open("shardId-000000000002", BigInteger.ZERO, quarter.subtract(BigInteger.ONE)),
                open("shardId-000000000003", quarter, HALF.subtract(BigInteger.ONE))));

        assertThat(map.openShardIds())
                .containsExactly("shardId-000000000002", "shardId-000000000003", "shardId-000000000001");
        assertThat(map.shardForHashKey(quarter)).isEqualTo("shardId-000000000003");
        // md5("") is in the upper half: the open shard 1 holds it, the closed parent 0 does not
        assertThat(map.holds("shardId-000000000001", "")).isTrue();
        assertThat(map.holds("shardId-000000000000", "")).isFalse();
        assertThat(map.holds("shardId-000000000099", "")).isFalse();
        assertThat(map.knows("shardId-000000000000")).isTrue();
    }

    @Test
    void closedParentsOfAMergeTakeNoWrites() {
        ShardMap map = ShardMap.of(List.of(
                closed("shardId-000000000000", BigInteger.ZERO, HALF.subtract(BigInteger.ONE)),
                closed("shardId-000000000001", HALF, ShardMap.MAX_HASH_KEY),
                open("shardId-000000000002", BigInteger.ZERO, ShardMap.MAX_HASH_KEY)));

        assertThat(map.openShardIds()).containsExactly("shardId-000000000002");
    }

    @Test
    void refusesOpenShardsThatLeaveAGap() {
        assertThatThrownBy(() -> ShardMap.of(List.of(
                        open("s0", BigInteger.ZERO, HALF.subtract(BigInteger.TWO)),
                        open("s1", HALF, ShardMap.MAX_HASH_KEY))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gap or overlap");
        assertThatThrownBy(() -> ShardMap.of(List.of(open("s0", BigInteger.ZERO, HALF))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("short of 2^128-1");
    }

    static Shard open(String id, BigInteger start, BigInteger end) {
        return shard(id, start, end, null);
    }

    static Shard closed(String id, BigInteger start, BigInteger end) {
        return shard(id, start, end, "49600000000000000000000000000000000000000000000000000002");
    }

    private static Shard shard(String id, BigInteger start, BigInteger end, String endingSequence) {
        return Shard.builder()
                .shardId(id)
                .hashKeyRange(HashKeyRange.builder()
                        .startingHashKey(start.toString())
                        .endingHashKey(end.toString())
                        .build())
                .sequenceNumberRange(SequenceNumberRange.builder()
                        .startingSequenceNumber("49600000000000000000000000000000000000000000000000000001")
                        .endingSequenceNumber(endingSequence)
                        .build())
                .build();
    }
}
