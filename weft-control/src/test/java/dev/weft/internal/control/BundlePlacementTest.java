package dev.weft.internal.control;

import static dev.weft.PlacementStrategy.PACK;
import static dev.weft.PlacementStrategy.SPREAD;
import static dev.weft.PlacementStrategy.STRICT_PACK;
import static dev.weft.PlacementStrategy.STRICT_SPREAD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.internal.control.BundlePlacement.NodeCapacity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The placement policy as a pure function of bundles, strategy and the nodes' resources. */
class BundlePlacementTest {
  private static final Map<String, Double> ONE = Map.of("CPU", 1.0);

  private static NodeCapacity node(String id, double free, double total) {
    return new NodeCapacity(id, Map.of("CPU", free), Map.of("CPU", total));
  }

  private static List<String> place(
      List<Map<String, Double>> bundles,
      dev.weft.PlacementStrategy s,
      List<NodeCapacity> nodes,
      Map<Integer, String> fixed) {
    return BundlePlacement.place(bundles, s, nodes, fixed);
  }

  @Test
  void strictPack_oneNodeHoldsAll_allOnIt() {
    List<NodeCapacity> nodes = List.of(node("a", 2, 2), node("b", 3, 3));
    assertThat(place(List.of(ONE, ONE, ONE), STRICT_PACK, nodes, Map.of()))
        .containsExactly("b", "b", "b");
  }

  @Test
  void strictPack_noNodeHoldsAll_null() {
    List<NodeCapacity> nodes = List.of(node("a", 2, 2), node("b", 2, 2));
    assertThat(place(List.of(ONE, ONE, ONE), STRICT_PACK, nodes, Map.of())).isNull();
  }

  @Test
  void pack_fitsOnOne_thenSplitsOverFewNodes() {
    List<NodeCapacity> roomy = List.of(node("a", 1, 1), node("b", 3, 3), node("c", 3, 3));
    assertThat(place(List.of(ONE, ONE, ONE), PACK, roomy, Map.of())).containsOnly("b");
    List<NodeCapacity> tight = List.of(node("a", 2, 2), node("b", 1, 1), node("c", 2, 2));
    List<String> out = place(List.of(ONE, ONE, ONE, ONE), PACK, tight, Map.of());
    assertThat(out).containsExactly("a", "a", "c", "c");
  }

  @Test
  void strictSpread_threeOnThree_distinctNodes() {
    List<NodeCapacity> nodes = List.of(node("a", 4, 4), node("b", 4, 4), node("c", 4, 4));
    assertThat(place(List.of(ONE, ONE, ONE), STRICT_SPREAD, nodes, Map.of()))
        .containsExactlyInAnyOrder("a", "b", "c");
  }

  @Test
  void strictSpread_needsMatchingNotGreedy_findsIt() {
    // the big bundle only fits on a; a greedy pick of a for a small one would fail
    Map<String, Double> big = Map.of("CPU", 2.0);
    List<NodeCapacity> nodes = List.of(node("a", 2, 2), node("b", 1, 1));
    assertThat(place(List.of(ONE, big), STRICT_SPREAD, nodes, Map.of())).containsExactly("b", "a");
  }

  @Test
  void strictSpread_moreBundlesThanNodes_null() {
    List<NodeCapacity> nodes = List.of(node("a", 4, 4), node("b", 4, 4));
    assertThat(place(List.of(ONE, ONE, ONE), STRICT_SPREAD, nodes, Map.of())).isNull();
  }

  @Test
  void spread_usesEveryNodeBeforeSharing() {
    List<NodeCapacity> nodes = List.of(node("a", 4, 4), node("b", 4, 4));
    List<String> out = place(List.of(ONE, ONE, ONE), SPREAD, nodes, Map.of());
    assertThat(out).containsOnly("a", "b");
    assertThat(out.stream().distinct()).hasSize(2);
  }

  @Test
  void fixedBundles_keepTheirNode_strictSpreadAvoidsIt() {
    List<NodeCapacity> nodes = List.of(node("a", 4, 4), node("c", 4, 4));
    assertThat(place(List.of(ONE, ONE), STRICT_SPREAD, nodes, Map.of(0, "a")))
        .containsExactly("a", "c");
  }

  @Test
  void neverFits_byTotals_saysWhy() {
    List<NodeCapacity> ones = List.of(node("a", 0, 1), node("b", 0, 1), node("c", 0, 1));
    assertThat(BundlePlacement.neverFits(List.of(ONE, ONE, ONE), STRICT_PACK, ones))
        .contains("STRICT_PACK")
        .contains("{CPU=3.0}");
    assertThat(BundlePlacement.neverFits(List.of(ONE, ONE, ONE), PACK, ones))
        .as("busy, not impossible")
        .isNull();
    assertThat(BundlePlacement.neverFits(List.of(ONE, ONE, ONE, ONE), STRICT_SPREAD, ones))
        .contains("STRICT_SPREAD");
    assertThat(BundlePlacement.neverFits(List.of(Map.of("GPU", 1.0)), SPREAD, ones))
        .contains("bundle 0 {GPU=1.0} is larger than any node");
    assertThat(BundlePlacement.neverFits(List.of(ONE), PACK, List.of())).contains("no live node");
  }
}
