package dev.llmtestbench.evaluation.service;

import static dev.llmtestbench.evaluation.service.Fixtures.assertResult;
import static dev.llmtestbench.evaluation.service.Fixtures.check;
import static dev.llmtestbench.evaluation.service.Fixtures.rejection;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * is-sql, named after promptfoo's
 * (https://www.promptfoo.dev/docs/configuration/expected-outputs/deterministic/#is-sql) but only a
 * documented syntactic check (see {@link SqlAssertion}), not a SQL parser.
 */
class SqlAssertionTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SELECT name FROM users WHERE id = 1;",
        "select count(*) from orders",
        "  WITH t AS (SELECT 1) SELECT * FROM t  ",
        "-- newest first\nSELECT * FROM posts ORDER BY created_at DESC",
        "/* audit */ INSERT INTO log (msg) VALUES ('it''s done; really (yes');",
        "UPDATE t SET a = 'x\\'y' WHERE \"weird)col\" = 1; DELETE FROM t;",
        "(SELECT 1) UNION (SELECT 2)",
        "CREATE TABLE `order` (id INT PRIMARY KEY)",
      })
  void shouldPassIsSqlForStatements(String output) {
    assertResult(check("is-sql", null, output), true, 1.0, "Output is SQL");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Here is the query: SELECT 1 | 'it does not start with a SQL statement keyword such as"
            + " SELECT; it starts with \"Here is the query: SELECT 1\"'",
        "SELECT (a FROM t | '1 ''('' never closed'",
        "SELECT a) FROM t | 'a '')'' at offset 8 has no matching ''('''",
        "'SELECT ''abc FROM t' | 'the quote '' at offset 7 is never closed'",
        "SELECT 1; and that is it | 'statement 2 does not start with a SQL statement keyword such"
            + " as SELECT; it starts with \"and that is it\"'",
        "SELECT 1 /* unfinished | a /* comment is never closed",
        "' ' | the output is empty",
      })
  void shouldFailIsSqlSayingWhy(String output, String problem) {
    assertResult(
        check("is-sql", null, output), false, 0.0, "Expected output to be SQL: " + problem);
  }

  @Test
  void shouldFailIsSqlForAFencedCodeBlock() {
    assertResult(
        check("is-sql", null, "```sql\nSELECT 1\n```"),
        false,
        0.0,
        "Expected output to be SQL: it does not start with a SQL statement keyword such as SELECT;"
            + " it starts with \"```sql\\nSELECT 1\\n```\"");
  }

  @Test
  void shouldAcceptProseThatStartsWithAKeywordBecauseItIsNotAParser() {
    assertTrue(check("is-sql", null, "Select the best option.").pass());
  }

  @Test
  void shouldPassNotIsSqlForProse() {
    assertResult(
        check("not-is-sql", null, "I cannot write that query."),
        true,
        1.0,
        "Output is not SQL: it does not start with a SQL statement keyword such as SELECT; it"
            + " starts with \"I cannot write that query.\"");
  }

  @Test
  void shouldRejectValueBecauseDialectsAndAllowListsAreNotSupported() {
    assertEquals(
        "Assertion ('is-sql'): 'value' is not used: is-sql makes a syntactic check only, without"
            + " database dialects or allowed tables and columns. Remove 'value'.",
        rejection("is-sql", "{\"databaseType\": \"MySQL\"}"));
  }
}
