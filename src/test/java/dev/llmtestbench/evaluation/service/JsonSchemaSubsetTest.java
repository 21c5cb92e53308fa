package dev.llmtestbench.evaluation.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.llmtestbench.evaluation.domain.InvalidAssertionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JSON Schema subset behind is-json and contains-json; expected outcomes follow JSON Schema
 * draft 2020-12 (https://json-schema.org/draft/2020-12/json-schema-validation), as ajv, promptfoo's
 * validator, applies it.
 */
class JsonSchemaSubsetTest {

  private static final AssertionValues.Problems PROBLEMS =
      problem -> new InvalidAssertionException(0, "is-json", problem);

  private static String violation(String schema, String json) {
    return JsonSchemaSubset.compile(schema, PROBLEMS).violation(JsonSupport.parse(json));
  }

  private static String rejection(String schema) {
    return assertThrows(
            InvalidAssertionException.class, () -> JsonSchemaSubset.compile(schema, PROBLEMS))
        .getMessage();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"type\": \"integer\"} | 3",
        "{\"type\": \"integer\"} | 3.0",
        "{\"type\": \"integer\"} | 1e2",
        "{\"type\": \"number\"} | 3",
        "{\"type\": [\"string\", \"null\"]} | null",
        "{\"type\": \"boolean\"} | false",
        "{\"enum\": [1, \"one\"]} | 1.0",
        "{\"enum\": [{\"a\": [1, 2]}]} | '{\"a\": [1.0, 2]}'",
        "{\"minimum\": 0, \"maximum\": 10} | 10",
        "{\"minimum\": 0} | '\"not a number, so minimum does not apply\"'",
        "{\"minLength\": 2, \"maxLength\": 2} | '\"😀😀\"'",
        "{\"required\": [\"a\"]} | '[\"arrays have no required properties\"]'",
        "{\"properties\": {\"a\": {\"type\": \"string\"}}} | '{\"b\": 1}'",
        "{\"additionalProperties\": false, \"properties\": {\"a\": true}} | '{\"a\": 1}'",
        "{\"additionalProperties\": true} | '{\"a\": 1}'",
        "{\"items\": {\"type\": \"integer\"}} | '[1, 2, 3]'",
        "{\"title\": \"t\", \"description\": \"d\", \"$schema\": \"x\", \"default\": 1} | 2",
        "true | '{\"anything\": 1}'",
        "{} | 1",
      })
  void shouldAcceptConformingValues(String schema, String json) {
    assertNull(violation(schema, json));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"type\": \"integer\"} | 3.5 | $ is the number 3.5, expected integer",
        "{\"type\": [\"string\", \"null\"]} | 1 | $ is the number 1, expected string or null",
        "{\"enum\": [\"a\", \"b\"]} | '\"c\"' | '$ is the string \"c\", which is not one of"
            + " [\"a\", \"b\"]'",
        "{\"minimum\": 0} | -1 | $ is -1, less than the minimum 0",
        "{\"minLength\": 3} | '\"😀😀\"' | $ has 2 characters, fewer than the minimum 3",
        "{\"maxLength\": 1} | '\"ab\"' | $ has 2 characters, more than the maximum 1",
        "{\"required\": [\"a\", \"b\"]} | '{\"a\": 1}' | '$ lacks the required property \"b\"'",
        "{\"additionalProperties\": false, \"properties\": {\"a\": true}} | '{\"a\": 1, \"b\": 2}'"
            + " | '$ has the property \"b\", which is not allowed'",
        "{\"items\": {\"type\": \"integer\"}} | '[1, \"2\"]' | '$[1] is the string \"2\", expected"
            + " integer'",
        "{\"properties\": {\"a\": {\"properties\": {\"b\": {\"type\": \"null\"}}}}} |"
            + " '{\"a\": {\"b\": 0}}' | $.a.b is the number 0, expected null",
        "false | 1 | $ is not allowed by the schema",
      })
  void shouldReportTheFirstViolationWithItsPath(String schema, String json, String expected) {
    assertEquals(expected, violation(schema, json));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "pattern",
        "format",
        "anyOf",
        "oneOf",
        "allOf",
        "not",
        "$ref",
        "const",
        "exclusiveMinimum",
        "minItems",
        "uniqueItems",
        "patternProperties"
      })
  void shouldRejectEveryKeywordOutsideTheSubset(String keyword) {
    assertEquals(
        "Assertion ('is-json'): JSON Schema keyword \""
            + keyword
            + "\" is not supported. Only a subset of JSON Schema is checked: "
            + JsonSchemaSubset.SUPPORTED
            + ".",
        rejection("{\"" + keyword + "\": 1}"));
  }

  @Test
  void shouldRejectUnsupportedKeywordNestedInItemsWithItsPath() {
    assertEquals(
        "Assertion ('is-json'): JSON Schema keyword \"format\" (at 'items.properties.at') is not"
            + " supported. Only a subset of JSON Schema is checked: "
            + JsonSchemaSubset.SUPPORTED
            + ".",
        rejection("{\"items\": {\"properties\": {\"at\": {\"format\": \"date\"}}}}"));
  }

  @Test
  void shouldRejectAdditionalPropertiesSchemaAndTupleItems() {
    assertEquals(
        true,
        rejection("{\"additionalProperties\": {\"type\": \"string\"}}")
            .contains("\"additionalProperties\" with a schema; only true or false is supported"));
    assertEquals(
        true,
        rejection("{\"items\": [{\"type\": \"string\"}]}")
            .contains("\"items\" as an array (tuple validation); give one schema"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"type\": \"float\"} | 'type' names the unknown type \"float\". Use object, array,"
            + " string, number, integer, boolean or null.",
        "{\"type\": []} | 'type' must be a type name or a non-empty list of them, e.g. \"object\".",
        "{\"required\": \"a\"} | 'required' must be an array of property names.",
        "{\"enum\": []} | 'enum' must be a non-empty array of allowed values.",
        "{\"minimum\": \"0\"} | 'minimum' must be a number, not the string \"0\".",
        "{\"maxLength\": -1} | 'maxLength' must be a whole number of 0 or more, not the number -1.",
        "{\"properties\": {\"a\": 1}} | the schema (at 'properties.a') must be an object, true or"
            + " false, not the number 1.",
        "[] | 'value' must be a JSON Schema object such as {\"type\": \"object\", \"required\":"
            + " [\"name\"]}, not an array.",
      })
  void shouldRejectMalformedKeywordArguments(String schema, String problem) {
    assertEquals("Assertion ('is-json'): " + problem, rejection(schema));
  }
}
