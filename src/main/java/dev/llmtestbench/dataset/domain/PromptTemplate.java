package dev.llmtestbench.dataset.domain;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.extension.Function;
import io.pebbletemplates.pebble.loader.MemoryLoader;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A prompt template rendered by Pebble (Jinja/Twig syntax, close to promptfoo's Nunjucks): {@code
 * {{ var }}}, dotted paths into nested objects, filters ({@code {{ name | upper }}}), {@code {% if
 * %}} and {@code {% for %}}. Autoescaping is off (prompts are not HTML), templates cannot include
 * files, and compiled templates are cached, so rendering per call is cheap.
 *
 * <p>A plain placeholder whose name has a dot or a hyphen ({@code {{ a.b }}}, {@code {{ my-var }}})
 * first looks for a variable with exactly that name, then follows the dotted path, as this class
 * did before it used a template engine.
 */
public final class PromptTemplate {

  /** A plain placeholder: one variable name or dotted path, nothing else. */
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z_][\\w.-]*)\\s*}}");

  private static final Pattern TAG = Pattern.compile("\\{%-?(.*?)-?%}", Pattern.DOTALL);
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_]\\w*");
  private static final String LOOKUP = "ltbVariable";
  private static final int MAX_RENDERED_CHARS = 4_000_000;
  private static final int CACHE_SIZE = 1024;

  private static final PebbleEngine ENGINE =
      new PebbleEngine.Builder()
          // An empty loader: {% include %} and {% extends %} cannot read the server's files.
          .loader(new MemoryLoader())
          .autoEscaping(false)
          .newLineTrimming(false)
          .strictVariables(false)
          .cacheActive(false)
          .maxRenderedSize(MAX_RENDERED_CHARS)
          .extension(new LookupExtension())
          .build();

  private static final Map<String, PromptTemplate> CACHE =
      Collections.synchronizedMap(
          new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, PromptTemplate> eldest) {
              return size() > CACHE_SIZE;
            }
          });

  private final String source;
  private final PebbleTemplate compiled;
  private final Set<String> variables;

  private PromptTemplate(String source) {
    this.source = source;
    this.variables = requiredVariables(source);
    this.compiled = isPlainText(source) ? null : compile(source);
  }

  /**
   * The template for {@code source}, compiled once and cached.
   *
   * @throws InvalidTemplateException with the line of the syntax error
   */
  public static PromptTemplate of(String source) {
    String s = source == null ? "" : source;
    PromptTemplate cached = CACHE.get(s);
    if (cached != null) {
      return cached;
    }
    PromptTemplate t = new PromptTemplate(s);
    CACHE.put(s, t);
    return t;
  }

  public String source() {
    return source;
  }

  /**
   * The variables the template needs: names in plain placeholders ({@code {{ name }}}) that no tag
   * mentions. A name used in a tag ({@code {% if name %}}, a loop variable) may be absent.
   */
  public Set<String> variables() {
    return variables;
  }

  /** The needed variables that {@code vars} does not provide. */
  public List<String> missing(Map<String, Object> vars) {
    List<String> missing = new ArrayList<>();
    for (String v : variables) {
      if (lookup(vars, v) == null) {
        missing.add(v);
      }
    }
    return missing;
  }

  /**
   * Renders the template; an absent variable renders as empty text.
   *
   * @throws InvalidTemplateException when rendering fails (e.g. a filter applied to the wrong type)
   */
  public String render(Map<String, Object> vars) {
    if (compiled == null) {
      return source;
    }
    StringWriter out = new StringWriter(source.length() + 64);
    try {
      compiled.evaluate(out, vars == null ? Map.of() : vars);
    } catch (PebbleException e) {
      throw new InvalidTemplateException(e.getPebbleMessage(), e.getLineNumber(), e);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }

  private static boolean isPlainText(String s) {
    return !s.contains("{{") && !s.contains("{%") && !s.contains("{#");
  }

  private static PebbleTemplate compile(String source) {
    try {
      return ENGINE.getLiteralTemplate(rewritePaths(source));
    } catch (PebbleException e) {
      throw new InvalidTemplateException(e.getPebbleMessage(), e.getLineNumber(), e);
    }
  }

  /**
   * Turns plain placeholders whose names Pebble would read differently ({@code a.b} as an attribute
   * only, {@code my-var} as a subtraction) into calls of the lookup function.
   */
  private static String rewritePaths(String source) {
    if (source.contains("verbatim")) {
      return source;
    }
    Matcher m = PLACEHOLDER.matcher(source);
    StringBuilder sb = new StringBuilder(source.length() + 32);
    while (m.find()) {
      String name = m.group(1);
      String replacement;
      if (name.indexOf('-') >= 0) {
        replacement = "{{ " + LOOKUP + "(\"" + name + "\") }}";
      } else if (name.indexOf('.') >= 0) {
        // Pebble's own reading of the path (attributes of any object) is the fallback.
        replacement = "{{ " + LOOKUP + "(\"" + name + "\", " + name + ") }}";
      } else {
        replacement = m.group();
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static Set<String> requiredVariables(String source) {
    Set<String> inTags = new HashSet<>();
    // Pebble's loop variable inside {% for %}.
    inTags.add("loop");
    Matcher tags = TAG.matcher(source);
    while (tags.find()) {
      Matcher id = IDENTIFIER.matcher(tags.group(1));
      while (id.find()) {
        inTags.add(id.group());
      }
    }
    Set<String> vars = new LinkedHashSet<>();
    Matcher m = PLACEHOLDER.matcher(source);
    while (m.find()) {
      String name = m.group(1);
      String root = name.split("[.-]", 2)[0];
      if (!inTags.contains(root) && !inTags.contains(name)) {
        vars.add(name);
      }
    }
    return Set.copyOf(vars);
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

  /** A template's syntax or rendering error, with the line Pebble reports (1-based) if any. */
  public static final class InvalidTemplateException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final Integer line;

    InvalidTemplateException(String message, Integer line, Throwable cause) {
      super(
          (line == null ? "" : "line " + line + ": ")
              + (message == null ? "invalid template" : message),
          cause);
      this.line = line;
    }

    /** The 1-based line of the error, or null when unknown. */
    public Integer line() {
      return line;
    }
  }

  /**
   * The function behind rewritten placeholders: the variable with exactly that name, else Pebble's
   * value of the path (given as {@code fallback}), else the path walked through maps.
   */
  private static final class LookupExtension extends AbstractExtension {
    @Override
    public Map<String, Function> getFunctions() {
      return Map.of(LOOKUP, new LookupFunction());
    }
  }

  private static final class LookupFunction implements Function {
    @Override
    public List<String> getArgumentNames() {
      return List.of("path", "fallback");
    }

    @Override
    public Object execute(
        Map<String, Object> args, PebbleTemplate self, EvaluationContext context, int line) {
      String path = String.valueOf(args.get("path"));
      Object direct = context.getVariable(path);
      if (direct != null || path.indexOf('.') < 0) {
        return direct;
      }
      if (args.containsKey("fallback")) {
        return args.get("fallback");
      }
      String[] keys = path.split("\\.");
      Object current = context.getVariable(keys[0]);
      for (int i = 1; i < keys.length; i++) {
        if (!(current instanceof Map<?, ?> map)) {
          return null;
        }
        current = map.get(keys[i]);
      }
      return current;
    }
  }
}
