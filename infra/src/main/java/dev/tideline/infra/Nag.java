package dev.tideline.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import java.util.List;
import software.constructs.IConstruct;

/**
 * Accepts a cdk-nag AwsSolutions finding on one construct, with the reason a reviewer would need.
 * Each construct accepts its own findings next to the resource, so the reason sits by the code.
 */
final class Nag {

    private Nag() {}

    static void accept(IConstruct construct, String rule, String reason) {
        NagSuppressions.addResourceSuppressions(
                construct,
                List.of(NagPackSuppression.builder().id(rule).reason(reason).build()),
                true);
    }

    /** Accepts an IAM5 wildcard finding whose text matches {@code findingRegex}, and no other. */
    static void acceptWildcard(IConstruct construct, String findingRegex, String reason) {
        NagSuppressions.addResourceSuppressions(
                construct,
                List.of(NagPackSuppression.builder()
                        .id("AwsSolutions-IAM5")
                        .reason(reason)
                        .appliesTo(List.of(RegexAppliesTo.builder()
                                .regex("/^" + findingRegex + "$/g")
                                .build()))
                        .build()),
                true);
    }
}
