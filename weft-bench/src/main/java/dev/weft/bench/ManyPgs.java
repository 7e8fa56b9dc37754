package dev.weft.bench;

import dev.weft.PlacementGroup;
import dev.weft.PlacementStrategy;
import dev.weft.Weft;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code many_pgs} (Ray's scalability-envelope name): create, wait for and remove {@code n}
 * placement groups of one {@code {CPU: 1}} bundle, one after the other; milliseconds per group. The
 * same-run baseline is {@code n} plain round trips to the control store through the same API
 * ({@link PlacementGroup#bundleNodes()} of one ready group: driver → control store → driver), so
 * the ratio says how many control-store round trips a group's life costs (ideally about 3 from the
 * driver — create, wait, remove — plus the prepare and commit of the node, and a cancel that is not
 * waited for).
 */
final class ManyPgs {
  static final String NAME = "many_pgs";

  private ManyPgs() {}

  static BenchResult run(int n, Duration timeout) {
    List<Map<String, Double>> one = List.of(Map.of("CPU", 1.0));
    PlacementGroup probe = Weft.placementGroup(one, PlacementStrategy.PACK);
    if (!probe.waitReady(timeout)) {
      throw new BenchmarkFailedException(
          NAME + ": a placement group of one {CPU: 1} bundle was not placed in " + timeout);
    }
    int warm = Math.min(100, n);
    for (int i = 0; i < warm; i++) {
      probe.bundleNodes();
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      if (probe.bundleNodes().size() != 1) {
        throw new BenchmarkFailedException(NAME + ": a ready group lists no node for its bundle");
      }
    }
    double roundTripMs = (System.nanoTime() - t0) / 1e6 / n;
    Weft.removePlacementGroup(probe);

    for (int i = 0; i < warm; i++) {
      lifeOfOne(one, timeout);
    }
    long t1 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      lifeOfOne(one, timeout);
    }
    double perGroupMs = (System.nanoTime() - t1) / 1e6 / n;
    return BenchResult.ok(
        NAME, "ms/group", new double[] {perGroupMs}, null, params(n, roundTripMs, perGroupMs));
  }

  private static Map<String, Object> params(int n, double roundTripMs, double perGroupMs) {
    Map<String, Object> p = new java.util.LinkedHashMap<>();
    p.put("groups", n);
    p.put("control_store_round_trip_ms", Math.round(roundTripMs * 1000) / 1000.0);
    p.put("ratio_to_round_trip", Math.round(perGroupMs / roundTripMs * 100) / 100.0);
    return p;
  }

  private static void lifeOfOne(List<Map<String, Double>> bundles, Duration timeout) {
    PlacementGroup pg = Weft.placementGroup(bundles, PlacementStrategy.PACK);
    if (!pg.waitReady(timeout)) {
      throw new BenchmarkFailedException(
          NAME + ": group " + pg.id() + " was not placed in " + timeout);
    }
    Weft.removePlacementGroup(pg);
  }
}
