package dev.weft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void write_nestedValues_indentedInInsertionOrder() {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("b", 2);
    inner.put("a", List.of(true, "x"));
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("z", inner);
    doc.put("rates", new double[] {1.5, 2});
    doc.put("none", null);
    doc.put("empty", Map.of());

    assertThat(Json.write(doc))
        .isEqualTo(
            """
            {
              "z": {
                "b": 2,
                "a": [
                  true,
                  "x"
                ]
              },
              "rates": [1.5, 2],
              "none": null,
              "empty": {}
            }
            """);
  }

  @Test
  void number_roundsTo3DecimalsPlainNotation() {
    assertThat(Json.number(8000.0)).isEqualTo("8000");
    assertThat(Json.number(1.0e7)).isEqualTo("10000000");
    assertThat(Json.number(1234.56789)).isEqualTo("1234.568");
    assertThat(Json.number(0.0)).isEqualTo("0");
    assertThat(Json.number(-2.5)).isEqualTo("-2.5");
  }

  @Test
  void number_notFinite_null() {
    assertThat(Json.number(Double.NaN)).isEqualTo("null");
    assertThat(Json.number(Double.POSITIVE_INFINITY)).isEqualTo("null");
  }

  @Test
  void string_specialCharacters_escaped() {
    assertThat(Json.string("a\"b\\c\nd\te\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\te\\u0001\"");
  }
}
