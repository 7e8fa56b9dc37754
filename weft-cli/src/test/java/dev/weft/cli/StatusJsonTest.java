package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.internal.proto.Msg;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusJsonTest {
  /** JSON as maps, lists, strings, longs, doubles, booleans and nulls; exactly one value. */
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper()
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_LONG_FOR_INTS)
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  @Test
  @SuppressWarnings("unchecked")
  void of_nodesJobsAndActors_parsesWithTheFieldsScriptsRelyOn() throws Exception {
    Map<String, Double> total = new LinkedHashMap<>();
    total.put("CPU", 4.0);
    total.put("object_store_memory", 1073741824.0);
    total.put("accel", 0.5);
    Msg.StatusReply s =
        new Msg.StatusReply(
            List.of(
                new Msg.NodeInfo(
                    "node-a",
                    "10.0.0.5:4001",
                    total,
                    true,
                    1234,
                    Map.of("CPU", 3.0),
                    "http://10.0.0.5:9100/metrics"),
                new Msg.NodeInfo("node-b", "10.0.0.6:4002", Map.of(), false, 99, Map.of(), null)),
            List.of("1 etl driver=10.0.0.5:5000 RUNNING"),
            List.of(
                new Msg.ActorInfo(
                    1,
                    2,
                    null,
                    "a.B",
                    Msg.ActorState.ALIVE,
                    "10.0.0.5:6000",
                    0,
                    null,
                    1,
                    0,
                    "o",
                    "node-a",
                    null)),
            List.of(),
            4321,
            "http://10.0.0.5:9101/metrics",
            "http://10.0.0.5:8265/");

    Map<String, Object> root =
        (Map<String, Object>) JSON.readValue(StatusJson.of("h:7380", s), Object.class);

    assertThat(root.get("address")).isEqualTo("h:7380");
    assertThat(root.get("dashboard")).isEqualTo("http://10.0.0.5:8265/");
    assertThat(root.get("controlStore"))
        .isEqualTo(Map.of("pid", 4321L, "metrics", "http://10.0.0.5:9101/metrics"));
    List<Map<String, Object>> nodes = (List<Map<String, Object>>) root.get("nodes");
    assertThat(nodes).hasSize(2);
    assertThat(nodes.get(0))
        .containsEntry("nodeId", "node-a")
        .containsEntry("address", "10.0.0.5:4001")
        .containsEntry("alive", true)
        .containsEntry("pid", 1234L)
        .containsEntry("total", Map.of("CPU", 4L, "object_store_memory", 1073741824L, "accel", 0.5))
        .containsEntry("available", Map.of("CPU", 3L))
        .containsEntry("metrics", "http://10.0.0.5:9100/metrics");
    assertThat(nodes.get(1))
        .containsEntry("alive", false)
        .containsEntry("pid", 99L)
        .containsEntry("metrics", null);
    assertThat((List<Object>) root.get("jobs"))
        .containsExactly("1 etl driver=10.0.0.5:5000 RUNNING");
    assertThat((List<Map<String, Object>>) root.get("actors"))
        .singleElement()
        .satisfies(
            a ->
                assertThat(a)
                    .containsEntry("actorId", "00000000000000010000000000000002")
                    .containsEntry("state", "ALIVE")
                    .containsEntry("nodeId", "node-a")
                    .containsEntry("name", null));
  }

  @Test
  @SuppressWarnings("unchecked")
  void of_placementGroups_listedWithStateNodesAndPendingReason() throws Exception {
    Msg.StatusReply s = new Msg.StatusReply(List.of(), List.of(), List.of());
    List<Msg.PlacementGroupInfo> groups =
        List.of(
            new Msg.PlacementGroupInfo(
                "ab12",
                3,
                dev.weft.PlacementStrategy.STRICT_PACK,
                List.of(Map.of("CPU", 1.0), Map.of("CPU", 1.0)),
                Msg.PlacementGroupState.PENDING,
                List.of(),
                "no node can ever hold their sum"),
            new Msg.PlacementGroupInfo(
                "cd34",
                3,
                dev.weft.PlacementStrategy.SPREAD,
                List.of(Map.of("CPU", 0.5)),
                Msg.PlacementGroupState.CREATED,
                List.of("node-a"),
                null));

    Map<String, Object> root =
        (Map<String, Object>) JSON.readValue(StatusJson.of("h:7380", s, groups), Object.class);

    List<Map<String, Object>> pgs = (List<Map<String, Object>>) root.get("placementGroups");
    assertThat(pgs).hasSize(2);
    assertThat(pgs.get(0))
        .containsEntry("groupId", "ab12")
        .containsEntry("jobId", 3L)
        .containsEntry("strategy", "STRICT_PACK")
        .containsEntry("state", "PENDING")
        .containsEntry("bundles", List.of(Map.of("CPU", 1L), Map.of("CPU", 1L)))
        .containsEntry("bundleNodes", List.of())
        .containsEntry("pendingReason", "no node can ever hold their sum");
    assertThat(pgs.get(1))
        .containsEntry("state", "CREATED")
        .containsEntry("bundles", List.of(Map.of("CPU", 0.5)))
        .containsEntry("bundleNodes", List.of("node-a"))
        .containsEntry("pendingReason", null);
    assertThat(root).containsKeys("nodes", "jobs", "actors");
  }

  @Test
  void string_quotesBackslashesAndControlCharacters_roundTrip() throws Exception {
    String nasty = "a\"b\\c\nd\re\tf\u0001g\u001fh\u2028i é ☃ \uD83D\uDE00";
    StringBuilder b = new StringBuilder();

    StatusJson.string(b, nasty);

    assertThat(JSON.readValue(b.toString(), Object.class)).isEqualTo(nasty);
  }

  @Test
  void number_nanAndInfinity_becomeNullSoTheOutputStillParses() throws Exception {
    StringBuilder b = new StringBuilder("[");
    StatusJson.number(b, Double.NaN);
    b.append(',');
    StatusJson.number(b, Double.POSITIVE_INFINITY);
    b.append(',');
    StatusJson.number(b, 1e300);
    b.append(',');
    StatusJson.number(b, -2.0);
    b.append(']');

    assertThat(JSON.readValue(b.toString(), Object.class))
        .isEqualTo(java.util.Arrays.asList(null, null, 1e300, -2L));
  }
}
