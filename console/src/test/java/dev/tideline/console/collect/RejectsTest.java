package dev.tideline.console.collect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RejectsTest {

    @Test
    void anErrorObjectsReasonIsTheSegmentAfterErrors() {
        assertThat(Rejects.reasonOf("errors/undecodable/dt=2026-11-29/hour=07/shardId-000000000001-4968.jsonl"))
                .isEqualTo("undecodable");
        assertThat(Rejects.reasonOf("errors/stray.jsonl")).isEqualTo("unknown");
    }
}
