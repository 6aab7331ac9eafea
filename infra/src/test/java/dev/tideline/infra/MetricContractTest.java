package dev.tideline.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideline.infra.Parameters.ColdPath;
import dev.tideline.model.metrics.MeterName;
import dev.tideline.model.metrics.Meters;
import dev.tideline.model.names.ResourceNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awscdk.assertions.Template;

/**
 * Every metric the dashboard and alarms read under the Tideline namespace is one the services
 * publish (by the meter catalogue, which each service's tests hold it to), with dimensions that are
 * the meter's tags; KCL's metrics are read under the KCL application names the services use.
 */
class MetricContractTest {

    private static final Pattern DASHBOARD_METRIC = Pattern.compile("\\[\"([^\"]+)\",\"([^\"]+)\"((?:,\"[^\"]*\")*)");
    private static final Pattern SEARCH =
            Pattern.compile("SEARCH\\('\\{([^,}]+)[^}]*\\} MetricName=\\\\\"([^\\\\]+)\\\\\"");

    @ParameterizedTest
    @EnumSource(ColdPath.class)
    void dashboardAndAlarmsReadOnlyMetricsTheServicesPublish(ColdPath coldPath) {
        Template template = StackFixture.template(Parameters.defaults().withColdPath(coldPath));
        List<Read> reads = new ArrayList<>();
        reads.addAll(dashboardReads(template));
        reads.addAll(alarmReads(template));

        List<Read> ours = reads.stream()
                .filter(r -> r.namespace().equals(Meters.NAMESPACE))
                .toList();
        Map<String, MeterName> published = Meters.ALL.stream()
                .flatMap(m -> m.cloudWatchNames().stream().map(n -> Map.entry(n, m)))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));

        assertThat(ours).as("the dashboard reads the services' own metrics").hasSizeGreaterThan(10);
        for (Read r : ours) {
            assertThat(published).as("published metric names").containsKey(r.metric());
            assertThat(published.get(r.metric()).tags()).as(r.metric()).containsAll(r.dimensions());
        }
        Set<String> namespaces = reads.stream().map(Read::namespace).collect(Collectors.toSet());
        assertThat(namespaces).allMatch(n -> n.equals(Meters.NAMESPACE) || n.startsWith("AWS/") || isKclApp(n));
        assertThat(namespaces).contains("AWS/Kinesis", ResourceNames.DEFAULT.processorApp());
    }

    private static boolean isKclApp(String namespace) {
        return namespace.equals(ResourceNames.DEFAULT.processorApp())
                || namespace.equals(ResourceNames.DEFAULT.archiverApp());
    }

    record Read(String namespace, String metric, List<String> dimensions) {}

    private static List<Read> dashboardReads(Template template) {
        List<Read> reads = new ArrayList<>();
        for (Map<String, Object> dashboard :
                template.findResources("AWS::CloudWatch::Dashboard").values()) {
            String body = Cfn.flatten(Cfn.properties(dashboard).get("DashboardBody"));
            Matcher m = DASHBOARD_METRIC.matcher(body);
            while (m.find()) {
                if (m.group(1).equals("Tideline") || m.group(1).startsWith("AWS/")) {
                    List<String> rest = new ArrayList<>();
                    Matcher q = Pattern.compile("\"([^\"]*)\"").matcher(m.group(3));
                    while (q.find()) {
                        rest.add(q.group(1));
                    }
                    List<String> dimensionNames = new ArrayList<>();
                    for (int i = 0; i + 1 < rest.size(); i += 2) {
                        dimensionNames.add(rest.get(i));
                    }
                    reads.add(new Read(m.group(1), m.group(2), dimensionNames));
                }
            }
            Matcher s = SEARCH.matcher(body);
            while (s.find()) {
                reads.add(new Read(s.group(1), s.group(2), List.of()));
            }
        }
        assertThat(reads).as("metrics found in the dashboard body").isNotEmpty();
        return reads;
    }

    @SuppressWarnings("unchecked")
    private static List<Read> alarmReads(Template template) {
        List<Read> reads = new ArrayList<>();
        for (Map<String, Object> alarm :
                template.findResources("AWS::CloudWatch::Alarm").values()) {
            Map<String, Object> p = Cfn.properties(alarm);
            List<String> dimensions = new ArrayList<>();
            if (p.get("Dimensions") instanceof List<?> list) {
                for (Object d : list) {
                    dimensions.add(String.valueOf(((Map<String, Object>) d).get("Name")));
                }
            }
            reads.add(new Read(String.valueOf(p.get("Namespace")), String.valueOf(p.get("MetricName")), dimensions));
        }
        return reads;
    }
}
