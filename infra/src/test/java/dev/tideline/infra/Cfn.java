package dev.tideline.infra;

import java.util.List;
import java.util.Map;

/** Reading synthesized CloudFormation in tests. */
final class Cfn {

    private Cfn() {}

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
