package dev.tideline.model.shard;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class EarlierStreamTest {

    private static final String FIRST = "49680888524442533970123759643466325017582487874394128434";

    @Test
    void anOpenShardThatItsLeaseSaysWasReadToItsEndIsAnEarlierStreams() {
        assertThat(EarlierStream.checkpoint(true, FIRST, EarlierStream.SHARD_END))
                .isTrue();
    }

    @Test
    void aShardThatASplitOrMergeClosedIsRightlyEnded() {
        assertThat(EarlierStream.checkpoint(false, FIRST, EarlierStream.SHARD_END))
                .isFalse();
    }

    @Test
    void aCheckpointBeforeTheShardsFirstSequenceNumberIsAnEarlierStreams() {
        String before = new BigInteger(FIRST).subtract(BigInteger.ONE).toString();

        assertThat(EarlierStream.checkpoint(true, FIRST, before)).isTrue();
        assertThat(EarlierStream.checkpoint(true, FIRST, FIRST)).isFalse();
        assertThat(EarlierStream.checkpoint(true, FIRST, FIRST + "0")).isFalse();
    }

    @Test
    void startingPointsAndMissingLeasesAreNot() {
        assertThat(EarlierStream.checkpoint(true, FIRST, "TRIM_HORIZON")).isFalse();
        assertThat(EarlierStream.checkpoint(true, FIRST, "LATEST")).isFalse();
        assertThat(EarlierStream.checkpoint(true, FIRST, "AT_TIMESTAMP")).isFalse();
        assertThat(EarlierStream.checkpoint(true, FIRST, null)).isFalse();
        assertThat(EarlierStream.checkpoint(true, null, "123")).isFalse();
    }
}
