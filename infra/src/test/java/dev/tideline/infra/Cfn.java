package dev.tideline.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.assertions.Match;

/** Reading synthesized CloudFormation in tests. */
final class Cfn {

    private Cfn() {}

    /** A resource policy that has a statement denying requests not made over TLS. */
    static Map<String, Object> denyingPlainHttp() {
        return Map.of(
                "PolicyDocument",
                Map.of(
                        "Statement",
                        Match.arrayWith(List.of(Match.objectLike(Map.of(
                                "Effect",
                                "Deny",
                                "Condition",
                                Map.of("Bool", Map.of("aws:SecureTransport", "false"))))))));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> properties(Map<String, Object> resource) {
        return (Map<String, Object>) resource.get("Properties");
    }

    /** A string, or an {@code Fn::Join} of strings and tokens, with each token written as {@code <token>}. */
    @SuppressWarnings("unchecked")
    static String flatten(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Map<?, ?> map && map.containsKey("Fn::Join")) {
            List<Object> join = (List<Object>) map.get("Fn::Join");
            StringBuilder out = new StringBuilder();
            for (Object part : (List<Object>) join.get(1)) {
                out.append(part instanceof String s ? s : "<token>");
            }
            return out.toString();
        }
        return "<token>";
    }
}
