package dev.weft.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PeerJsonTest {
  @Test
  void writeThenParse_roundTripsEveryKind() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("s", "a \"quoted\"\nline\t\\ \u0001");
    m.put("i", 42);
    m.put("l", 1L << 40);
    m.put("d", 1.5);
    m.put("nan", Double.NaN);
    m.put("b", true);
    m.put("n", null);
    m.put("a", new double[] {1, 2.25});
    m.put("list", List.of("x", 3));
    m.put("nested", Map.of("k", List.of()));

    String line = PeerJson.write(m);

    assertThat(line).doesNotContain("\n");
    @SuppressWarnings("unchecked")
    Map<String, Object> back = (Map<String, Object>) PeerJson.parse(line);
    assertThat(back.get("s")).isEqualTo(m.get("s"));
    assertThat(back.get("i")).isEqualTo(42L);
    assertThat(back.get("l")).isEqualTo(1L << 40);
    assertThat(back.get("d")).isEqualTo(1.5);
    assertThat(back.get("nan")).isNull();
    assertThat(back.get("b")).isEqualTo(true);
    assertThat(back).containsKey("n");
    assertThat(back.get("a")).isEqualTo(List.of(1L, 2.25));
    assertThat(back.get("list")).isEqualTo(List.of("x", 3L));
    assertThat(back.get("nested")).isEqualTo(Map.of("k", List.of()));
  }

  @Test
  void parse_garbage_saysWhere() {
    assertThatThrownBy(() -> PeerJson.parse("{\"a\": }"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("character 6");
    assertThatThrownBy(() -> PeerJson.parse("[1, 2")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PeerJson.parse("{} x")).hasMessageContaining("trailing");
  }

  @Test
  void protocolLines_needTheMarker() {
    assertThat(PeerProtocol.parse("Ignite banner")).isNull();
    assertThat(PeerProtocol.parse(PeerProtocol.MARKER + "{\"event\":\"ready\"}"))
        .containsEntry("event", "ready");
    assertThatThrownBy(() -> PeerProtocol.parse(PeerProtocol.MARKER + "[1]"))
        .hasMessageContaining("not a JSON object");
  }

  @Test
  void writeIndented_nestedValues_inInsertionOrder() {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("b", 2);
    inner.put("a", List.of(true, "x"));
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("z", inner);
    doc.put("rates", new double[] {1.5, 2});
    doc.put("none", null);
    doc.put("empty", Map.of());

    assertThat(PeerJson.writeIndented(doc))
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
    assertThat(PeerJson.parse(PeerJson.writeIndented(doc))).isInstanceOf(Map.class);
  }

  @Test
  void writeIndented_roundsDoublesTo3DecimalsPlainNotation() {
    assertThat(PeerJson.rounded(8000.0)).isEqualTo("8000");
    assertThat(PeerJson.rounded(1.0e7)).isEqualTo("10000000");
    assertThat(PeerJson.rounded(1234.56789)).isEqualTo("1234.568");
    assertThat(PeerJson.rounded(0.0)).isEqualTo("0");
    assertThat(PeerJson.rounded(-2.5)).isEqualTo("-2.5");
    assertThat(PeerJson.rounded(Double.NaN)).isEqualTo("null");
    assertThat(PeerJson.rounded(Double.POSITIVE_INFINITY)).isEqualTo("null");
  }

  @Test
  void write_specialCharacters_escaped() {
    assertThat(PeerJson.write("a\"b\\c\nd\te\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\te\\u0001\"");
  }
}
