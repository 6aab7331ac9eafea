package dev.tideline.archiver.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowGroupBudgetTest {

    private static final long MIB = 1L << 20;

    @Test
    void filesGetFullRowGroupsWhileTheBudgetLastsThenWhatIsLeftThenTheFloor() {
        RowGroupBudget budget = new RowGroupBudget(20 * MIB);

        List<Long> grants = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            grants.add(budget.reserve());
        }

        assertThat(grants)
                .containsExactly(8 * MIB, 8 * MIB, 4 * MIB, RowGroupBudget.MIN_ROW_GROUP, RowGroupBudget.MIN_ROW_GROUP);
        assertThat(budget.reserved()).isEqualTo(20 * MIB + 2 * RowGroupBudget.MIN_ROW_GROUP);
    }

    @Test
    void aClosedFileGivesItsShareBack() {
        RowGroupBudget budget = new RowGroupBudget(8 * MIB);
        long first = budget.reserve();
        long second = budget.reserve();

        budget.release(first);

        assertThat(budget.reserve()).isEqualTo(8 * MIB - second);
    }

    @Test
    void aBudgetSmallerThanOneRowGroupIsRefused() {
        assertThatThrownBy(() -> new RowGroupBudget(MIB))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 8 MiB");
    }
}
