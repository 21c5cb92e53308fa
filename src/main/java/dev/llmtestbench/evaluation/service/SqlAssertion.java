package dev.llmtestbench.evaluation.service;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.EvaluationContext;
import java.util.Locale;
import java.util.Set;

/**
 * {@code is-sql}: the output looks like SQL statements, by a syntactic check that is <em>not</em> a
 * SQL parser: it knows no dialect, tables or columns, and accepts much that a database would not.
 *
 * <p>The output, apart from surrounding whitespace, must be one or more statements separated by
 * semicolons (a trailing one is allowed), each starting, after any comments and opening
 * parentheses, with a statement keyword in any case ({@value #KEYWORDS_DOC}). Throughout, quotes
 * must be closed ({@code '...'} with {@code ''} or a backslash before a quote inside, {@code "..."}
 * and {@code `...`} identifiers), as must block comments, and parentheses must balance outside
 * quotes and comments; {@code --} comments run to the end of the line. So {@code SELECT name FROM
 * users WHERE id = 1;} passes, and {@code Here is the query: SELECT ...} or {@code SELECT (a FROM
 * t} fail; but {@code SELECT FROM WHERE} passes, as does prose such as {@code Select the best
 * option.}
 */
final class SqlAssertion extends BaseAssertion {

  static final String KEYWORDS_DOC =
      "SELECT, WITH, INSERT, UPDATE, DELETE, MERGE, UPSERT, REPLACE, VALUES, CREATE, ALTER, DROP,"
          + " TRUNCATE, RENAME, COMMENT, GRANT, REVOKE, BEGIN, START, COMMIT, ROLLBACK, SAVEPOINT,"
          + " RELEASE, SET, SHOW, DESCRIBE, DESC, EXPLAIN, ANALYZE, USE, CALL, EXEC, EXECUTE,"
          + " DECLARE, PRAGMA, VACUUM, LOCK, COPY";

  private static final Set<String> KEYWORDS =
      Set.of(KEYWORDS_DOC.toLowerCase(Locale.ROOT).split(",\\s*"));

  private final AssertionResult whenSql;

  SqlAssertion(Settings settings) {
    super(settings);
    this.whenSql = outputResult(true, "be SQL", "is SQL", null);
  }

  @Override
  public AssertionResult evaluate(EvaluationContext ctx) {
    String problem = problem(ctx.output().strip());
    if (problem == null) {
      return whenSql;
    }
    return outputResult(false, "be SQL: " + problem, null, "is not SQL: " + problem);
  }

  /** Returns why the text does not look like SQL statements, or null when it does. */
  static String problem(String sql) {
    if (sql.isEmpty()) {
      return "the output is empty";
    }
    int depth = 0;
    boolean expectStatement = true;
    int statements = 0;
    int i = 0;
    int length = sql.length();
    while (i < length) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '-' && i + 1 < length && sql.charAt(i + 1) == '-') {
        int newline = sql.indexOf('\n', i);
        i = newline < 0 ? length : newline + 1;
      } else if (c == '/' && i + 1 < length && sql.charAt(i + 1) == '*') {
        int close = sql.indexOf("*/", i + 2);
        if (close < 0) {
          return "a /* comment is never closed";
        }
        i = close + 2;
      } else if (expectStatement) {
        if (c == '(') {
          depth++;
          i++;
          continue;
        }
        int end = i;
        while (end < length && Character.isLetter(sql.charAt(end))) {
          end++;
        }
        String word = sql.substring(i, end).toLowerCase(Locale.ROOT);
        if (!KEYWORDS.contains(word)) {
          return (statements == 0
                  ? "it does not start"
                  : "statement " + (statements + 1) + " does not start")
              + " with a SQL statement keyword such as SELECT; it starts with "
              + quote(sql.substring(i, Math.min(length, i + 30)));
        }
        expectStatement = false;
        statements++;
        i = end;
      } else if (c == '\'' || c == '"' || c == '`') {
        int close = closingQuote(sql, i);
        if (close < 0) {
          return "the quote " + c + " at offset " + i + " is never closed";
        }
        i = close + 1;
      } else if (c == '(') {
        depth++;
        i++;
      } else if (c == ')') {
        if (--depth < 0) {
          return "a ')' at offset " + i + " has no matching '('";
        }
        i++;
      } else if (c == ';') {
        if (depth != 0) {
          return "a statement ends with " + depth + " '(' unclosed";
        }
        expectStatement = true;
        i++;
      } else {
        i++;
      }
    }
    if (depth != 0) {
      return depth + " '(' never closed";
    }
    return null;
  }

  /** Returns the index of the quote closing the one at {@code open}, or -1. */
  private static int closingQuote(String sql, int open) {
    char quote = sql.charAt(open);
    for (int i = open + 1; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (c == '\\' && quote == '\'') {
        i++; // MySQL-style escape: the next character is literal.
      } else if (c == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i++; // A doubled quote stands for one.
        } else {
          return i;
        }
      }
    }
    return -1;
  }
}
