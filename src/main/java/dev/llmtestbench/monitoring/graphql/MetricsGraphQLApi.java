package dev.llmtestbench.monitoring.graphql;

import dev.llmtestbench.platform.security.Callers;
import dev.llmtestbench.platform.security.Permission;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.GraphQLException;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Gauge;
import org.eclipse.microprofile.metrics.Histogram;
import org.eclipse.microprofile.metrics.Metric;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Timer;

/** The application's own metrics (those /metrics exports in its application scope) over GraphQL. */
@GraphQLApi
public class MetricsGraphQLApi {

  @Inject MetricRegistry registry;
  @Inject Callers callers;

  /** A metric label to match. */
  @Name("LabelInput")
  public static class LabelInput {
    @NonNull public String name;
    @NonNull public String value;
  }

  /** One label of a metric. */
  @Name("Label")
  public static class Label {
    public String name;
    public String value;
  }

  /** One metric series: its name, labels and current figures. */
  @Name("Metric")
  public static class MetricType {
    public String name;

    @Description("counter, gauge, timer or histogram.")
    public String type;

    public List<Label> labels;

    @Description("A counter's count or a gauge's value; null for timers and histograms.")
    public Double value;

    @Description("Observations of a timer or histogram.")
    public Long count;

    @Description("Sum of a timer's observations (seconds) or of a histogram's values.")
    public Double sum;
  }

  @Query("metrics")
  @Description(
      "The application's metrics (names as /metrics exports them, without the _total or _seconds"
          + " suffix) whose labels include every given label; all of them without labels.")
  public List<MetricType> metrics(List<LabelInput> labels) throws GraphQLException {
    callers.requireInGraphQL(Permission.VIEW_RESULTS);
    List<MetricType> out = new ArrayList<>();
    for (Map.Entry<MetricID, Metric> e : registry.getMetrics().entrySet()) {
      Map<String, String> tags = e.getKey().getTags();
      if (labels != null
          && !labels.stream().allMatch(l -> l.value != null && l.value.equals(tags.get(l.name)))) {
        continue;
      }
      MetricType m = of(e.getValue());
      if (m == null) {
        continue;
      }
      m.name = e.getKey().getName();
      m.labels = new ArrayList<>();
      for (Map.Entry<String, String> t : tags.entrySet()) {
        Label l = new Label();
        l.name = t.getKey();
        l.value = t.getValue();
        m.labels.add(l);
      }
      out.add(m);
    }
    return out;
  }

  private static MetricType of(Metric metric) {
    MetricType m = new MetricType();
    if (metric instanceof Counter c) {
      m.type = "counter";
      m.value = (double) c.getCount();
    } else if (metric instanceof Gauge<?> g) {
      m.type = "gauge";
      Object v = g.getValue();
      m.value = v instanceof Number n ? n.doubleValue() : null;
    } else if (metric instanceof Timer t) {
      m.type = "timer";
      m.count = t.getCount();
      m.sum = t.getElapsedTime().toNanos() / 1e9;
    } else if (metric instanceof Histogram h) {
      m.type = "histogram";
      m.count = h.getCount();
      m.sum = (double) h.getSum();
    } else {
      return null;
    }
    return m;
  }
}
