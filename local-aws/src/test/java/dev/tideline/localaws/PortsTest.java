package dev.tideline.localaws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void noPortIsHandedOutTwiceThoughTheSystemMayOfferItAgain() {
        List<Integer> given = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Ports ports = Ports.free();
            given.addAll(List.of(ports.kinesisTls(), ports.kinesisPlain(), ports.dynamoDb(), ports.s3()));
            given.add(Ports.freePort());
        }
        assertThat(given).doesNotHaveDuplicates().allSatisfy(p -> assertThat(p).isBetween(1, 65_535));
    }
}
