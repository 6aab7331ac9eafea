package dev.tideline.console.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RatesTest {

    private final Rates rates = new Rates();

    @Test
    void aCounterGivesItsChangePerSecondFromTheSecondReadOn() {
        assertThat(rates.perSecond("accepted", 100.0, 10_000)).isNull();
        assertThat(rates.perSecond("accepted", 300.0, 12_000)).isEqualTo(100.0);
        assertThat(rates.perSecond("accepted", 300.0, 14_000)).isEqualTo(0.0);
    }

    @Test
    void aCounterThatWentDownIsARestartAndGivesNoRateForThatInterval() {
        rates.perSecond("accepted", 500.0, 10_000);
        assertThat(rates.perSecond("accepted", 20.0, 12_000)).isNull();
        assertThat(rates.perSecond("accepted", 60.0, 14_000)).isEqualTo(20.0);
        assertThat(rates.perSecond("accepted", null, 16_000)).isNull();
        assertThat(rates.perSecond("accepted", 80.0, 18_000))
                .as("unknown again after a gap")
                .isNull();
    }

    @Test
    void quantilesInterpolateWithinTheBucketAsPrometheusDoes() {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        buckets.put(0.01, 50.0);
        buckets.put(0.1, 90.0);
        buckets.put(1.0, 100.0);
        buckets.put(Double.POSITIVE_INFINITY, 100.0);

        assertThat(Rates.quantileOf(0.5, buckets)).isEqualTo(0.01);
        assertThat(Rates.quantileOf(0.7, buckets)).isCloseTo(0.055, within(1e-9));
        assertThat(Rates.quantileOf(0.99, buckets)).isCloseTo(0.91, within(1e-9));
    }

    @Test
    void quantilesCoverOnlyWhatWasObservedSinceTheLastRead() {
        TreeMap<Double, Double> before = new TreeMap<>();
        before.put(0.01, 1000.0);
        before.put(1.0, 1000.0);
        before.put(Double.POSITIVE_INFINITY, 1000.0);
        rates.keepBuckets("latency", before);
        TreeMap<Double, Double> after = new TreeMap<>();
        after.put(0.01, 1000.0);
        after.put(1.0, 1010.0);
        after.put(Double.POSITIVE_INFINITY, 1010.0);

        // Ten new requests, all between 10 ms and 1 s: the old thousand under 10 ms do not count.
        assertThat(rates.quantile("latency", 0.5, after)).isCloseTo(0.505, within(1e-9));
        assertThat(rates.quantile("latency", 0.5, before)).as("nothing new").isNull();
    }
}
