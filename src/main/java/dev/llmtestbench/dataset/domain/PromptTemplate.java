package dev.llmtestbench.dataset.domain;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A prompt with {@code {{variable}}} placeholders (dotted paths reach into nested objects),
 * rendered against a test case's variables.
 */
public final class PromptTemplate {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z_][\\w.-]*)\\s*}}");

  private final String source;
  private final List<Object> parts;
  private final Set<String> variables;

  private PromptTemplate(String source) {
    this.source = source;
    List<Object> p = new ArrayList<>();
    Set<String> vars = new LinkedHashSet<>();
    Matcher m = PLACEHOLDER.matcher(source);
    int last = 0;
    while (m.find()) {
      if (m.start() > last) {
        p.add(source.substring(last, m.start()));
      }
      p.add(new Var(m.group(1)));
      vars.add(m.group(1));
      last = m.end();
    }
    if (last < source.length()) {
      p.add(source.substring(last));
    }
    this.parts = List.copyOf(p);
    this.variables = Set.copyOf(vars);
  }

  public static PromptTemplate of(String source) {
    return new PromptTemplate(source == null ? "" : source);
  }

  public String source() {
    return source;
  }

  /** The variable names the template refers to. */
  public Set<String> variables() {
    return variables;
  }

  /** The referenced variables that {@code vars} does not provide. */
  public List<String> missing(Map<String, Object> vars) {
    List<String> missing = new ArrayList<>();
    for (String v : variables) {
      if (lookup(vars, v) == null) {
        missing.add(v);
      }
    }
    return missing;
  }

  public String render(Map<String, Object> vars) {
    if (variables.isEmpty()) {
      return source;
    }
    StringBuilder sb = new StringBuilder(source.length() + 64);
    for (Object part : parts) {
      if (part instanceof Var v) {
        Object value = lookup(vars, v.name());
        sb.append(value == null ? "" : value);
      } else {
        sb.append((String) part);
      }
    }
    return sb.toString();
  }

  private static Object lookup(Map<String, Object> vars, String path) {
    if (vars == null) {
      return null;
    }
    Object direct = vars.get(path);
    if (direct != null || path.indexOf('.') < 0) {
      return direct;
    }
    Object current = vars;
    for (String key : path.split("\\.")) {
      if (!(current instanceof Map<?, ?> map)) {
        return null;
      }
      current = map.get(key);
    }
    return current;
  }

  private record Var(String name) {}
}
