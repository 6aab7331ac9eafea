package dev.tideline.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideline.infra.Parameters.ColdPath;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/** cdk-nag's AwsSolutions pack finds nothing that is not suppressed with a reason, for either cold path. */
class NagTest {

    @ParameterizedTest
    @EnumSource(ColdPath.class)
    void awsSolutionsFindsNoUnsuppressedError(ColdPath coldPath) {
        assertNoFinding(StackFixture.stack(Parameters.defaults().withColdPath(coldPath)));
    }

    @Test
    void awsSolutionsFindsNoUnsuppressedErrorWhenNothingIsRetained() {
        assertNoFinding(StackFixture.stack(Parameters.defaults().withRetain(false)));
    }

    private static void assertNoFinding(TidelineStack stack) {
        Annotations annotations = Annotations.fromStack(stack);

        List<SynthesisMessage> errors = annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
        List<SynthesisMessage> warnings = annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"));

        assertThat(errors.stream().map(NagTest::describe)).isEmpty();
        assertThat(warnings.stream().map(NagTest::describe)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(ColdPath.class)
    void theStackSynthesizesWithoutAnyWarning(ColdPath coldPath) {
        TidelineStack stack = StackFixture.stack(Parameters.defaults().withColdPath(coldPath));

        List<SynthesisMessage> warnings = Annotations.fromStack(stack).findWarning("*", Match.anyValue());

        assertThat(warnings.stream().map(NagTest::describe)).isEmpty();
    }

    private static String describe(SynthesisMessage m) {
        return m.getId() + ": " + m.getEntry().getData();
    }
}
