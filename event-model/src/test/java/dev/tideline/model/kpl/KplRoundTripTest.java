package dev.tideline.model.kpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class KplRoundTripTest {

    @Property(tries = 300)
    void everyUserRecordComesBackInOrder(
            @ForAll("userRecords") List<UserRecord> records, @ForAll @IntRange(min = 256, max = 65_536) int maxBytes) {
        List<AggregatedRecord> aggregates = Kpl.aggregate(records, maxBytes);

        List<UserRecord> back = aggregates.stream()
                .flatMap(a -> Kpl.deaggregate(a.partitionKey(), a.data()).stream())
                .toList();

        assertThat(back).containsExactlyElementsOf(records);
        assertThat(aggregates).extracting(AggregatedRecord::userRecords).allMatch(n -> n > 0);
    }

    @Property(tries = 300)
    void aggregatesStayWithinTheBoundUnlessOneRecordIsLargerAlone(
            @ForAll("userRecords") List<UserRecord> records, @ForAll @IntRange(min = 256, max = 65_536) int maxBytes) {
        for (AggregatedRecord a : Kpl.aggregate(records, maxBytes)) {
            assertThat(a.kinesisBytes() <= maxBytes || a.userRecords() == 1)
                    .as("%d bytes for %d records, bound %d", a.kinesisBytes(), a.userRecords(), maxBytes)
                    .isTrue();
            assertThat(a.partitionKey())
                    .isEqualTo(
                            Kpl.deaggregate(a.partitionKey(), a.data()).get(0).partitionKey());
        }
    }

    @Property(tries = 200)
    void builderPredictsTheEncodedSizeExactly(@ForAll("userRecords") List<UserRecord> records) {
        AggregateBuilder builder = new AggregateBuilder(Kpl.MAX_RECORD_BYTES);
        records.forEach(builder::tryAdd);
        if (!builder.isEmpty()) {
            int predicted = builder.kinesisBytes();
            assertThat(builder.build().kinesisBytes()).isEqualTo(predicted);
        }
    }

    @Property(tries = 100)
    void dataThatIsNotAnAggregateIsOneRecord(@ForAll byte[] data) {
        assertThat(Kpl.deaggregate("pk", data)).containsExactly(UserRecord.of("pk", data));
    }

    @Example
    void aCorruptedAggregateIsReadAsOnePlainRecordAsKclDoes() {
        AggregatedRecord a = Kpl.aggregate(
                        List.of(UserRecord.of("a", bytes("one")), UserRecord.of("b", bytes("two"))), 1024)
                .get(0);
        byte[] corrupted = a.data().clone();
        corrupted[6] ^= 0x01;

        assertThat(Kpl.deaggregate("a", corrupted)).containsExactly(UserRecord.of("a", corrupted));
        assertThat(Kpl.hasMagic(corrupted)).isTrue();
    }

    @Example
    void aRecordThatCannotFitAKinesisRecordIsRefused() {
        UserRecord tooBig = UserRecord.of("k", new byte[Kpl.MAX_RECORD_BYTES]);

        assertThatThrownBy(() -> Kpl.aggregate(List.of(tooBig), Kpl.DEFAULT_MAX_AGGREGATE_BYTES))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not fit a Kinesis record");
    }

    @Provide
    Arbitrary<List<UserRecord>> userRecords() {
        Arbitrary<String> keys =
                Arbitraries.strings().ofMinLength(1).ofMaxLength(256).withCharRange('!', '\u2FFF');
        Arbitrary<String> fewKeys = Arbitraries.of("user-1", "user-2", "ü-3", "😀");
        Arbitrary<String> hashKeys = Arbitraries.bigIntegers()
                .between(java.math.BigInteger.ZERO, dev.tideline.model.shard.ShardMap.MAX_HASH_KEY)
                .map(java.math.BigInteger::toString)
                .injectNull(0.8);
        Arbitrary<byte[]> data = Arbitraries.bytes().array(byte[].class).ofMaxSize(4096);
        return Combinators.combine(Arbitraries.oneOf(keys, fewKeys), hashKeys, data)
                .as(UserRecord::new)
                .list()
                .ofMaxSize(200);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
