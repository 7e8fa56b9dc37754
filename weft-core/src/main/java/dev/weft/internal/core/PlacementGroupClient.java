package dev.weft.internal.core;

import dev.weft.PlacementGroup;
import dev.weft.PlacementStrategy;
import dev.weft.SchedulingStrategy;
import dev.weft.WeftException;
import dev.weft.internal.proto.BundleResources;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.proto.RemovedGroups;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core worker's side of placement groups: create, wait, read and remove through the control
 * store ({@code PlacementGroups} in weft-control has the flow), and {@link #demandIn}, which turns
 * the demand of a task or an actor scheduled into a bundle into that bundle's resources (see {@link
 * BundleResources}).
 */
final class PlacementGroupClient {
  private static final Logger log = LoggerFactory.getLogger(PlacementGroupClient.class);

  private final CoreWorker cw;
  private final AtomicInteger nextGroup = new AtomicInteger(1);

  /**
   * The groups this process removed: a task submitted into one fails at once. Other processes learn
   * of a removal from their node (the control store tells every node, which refuses demands for the
   * group). This copy is needed besides the nodes': the control store acks the removal right after
   * its one-way PlacementGroupRemoved to the nodes, so this process's next lease request may reach
   * its node first, and could run in a bundle not cancelled yet.
   */
  private final RemovedGroups removed = new RemovedGroups();

  PlacementGroupClient(CoreWorker cw) {
    this.cw = cw;
  }

  PlacementGroup create(List<Map<String, Double>> bundles, PlacementStrategy strategy) {
    // hex only (BundleResources parses names by the underscore after it); unique per process
    String id = String.format("%x%04x", cw.processHi, nextGroup.getAndIncrement());
    PlacementGroup pg = new PlacementGroup(id, bundles, strategy);
    Msg reply =
        cw.await(
            cw.controlCall(
                new Msg.CreatePlacementGroup(id, cw.jobId(), pg.bundles(), strategy, cw.address)),
            Duration.ofSeconds(30),
            "creating placement group " + id);
    Msg.PlacementGroupInfo info = info(reply, "creating placement group " + id);
    if (info.pendingReason() != null) {
      log.warn(
          "placement group {} ({} {}) cannot be placed now: {}. It stays pending (waitReady"
              + " returns false) until nodes that can hold it join; `weft status` lists it",
          id,
          strategy,
          pg.bundles(),
          info.pendingReason());
    }
    return pg;
  }

  boolean waitReady(PlacementGroup pg, Duration timeout) {
    long millis = timeout == null ? Long.MAX_VALUE / 4 : Math.max(1, timeout.toMillis());
    Msg reply =
        cw.await(
            cw.controlCall(new Msg.GetPlacementGroup(pg.id(), millis)),
            timeout == null ? null : timeout.plusSeconds(30),
            "waiting for placement group " + pg.id());
    return info(reply, "waiting for placement group " + pg.id()).state()
        == Msg.PlacementGroupState.CREATED;
  }

  List<String> bundleNodes(PlacementGroup pg) {
    Msg reply =
        cw.await(
            cw.controlCall(new Msg.GetPlacementGroup(pg.id(), 0)),
            Duration.ofSeconds(30),
            "reading placement group " + pg.id());
    return info(reply, "reading placement group " + pg.id()).bundleNodes();
  }

  void remove(PlacementGroup pg) {
    Msg reply =
        cw.await(
            cw.controlCall(new Msg.RemovePlacementGroup(pg.id())),
            Duration.ofSeconds(30),
            "removing placement group " + pg.id());
    if (reply instanceof Msg.Failure f) {
      throw new WeftException("removing placement group " + pg.id() + " failed: " + f.text());
    }
    removed.add(pg.id());
  }

  /**
   * Why a task with demand {@code res} (as {@link #demandIn} wrote it) cannot be submitted: it asks
   * for a bundle of a group this process removed; null otherwise.
   */
  String removedError(Map<String, Double> res) {
    for (String name : res.keySet()) {
      String group = BundleResources.groupOf(name);
      if (group != null && removed.contains(group)) {
        return "placement group "
            + group
            + " was removed (Weft.removePlacementGroup) before this task was submitted into it:"
            + " schedule it into a live group";
      }
    }
    return null;
  }

  private static Msg.PlacementGroupInfo info(Msg reply, String what) {
    if (reply instanceof Msg.PlacementGroupInfo i) {
      return i;
    }
    throw new WeftException(
        what
            + " failed: the control store answered "
            + (reply instanceof Msg.Failure f ? f.text() : String.valueOf(reply)));
  }

  /**
   * The resources a task or an actor asks its node for: {@code demand} itself, or, scheduled into
   * bundle {@code i} of group {@code G}, each {@code r} as {@code r_group_G_i} and {@code
   * r_group_G} (any bundle, {@code -1}: {@code r_group_G} only). Throws when the demand is larger
   * than its bundle (than every bundle, for {@code -1}): it could never run.
   */
  static Map<String, Double> demandIn(Map<String, Double> demand, SchedulingStrategy strategy) {
    if (!(strategy instanceof SchedulingStrategy.InPlacementGroup in)) {
      return demand;
    }
    PlacementGroup pg = in.group();
    int index = in.bundleIndex();
    boolean fits = false;
    for (int i = 0; i < pg.bundles().size(); i++) {
      if (index == -1 || index == i) {
        Map<String, Double> b = pg.bundles().get(i);
        fits |=
            demand.entrySet().stream()
                .allMatch(e -> b.getOrDefault(e.getKey(), 0.0) >= e.getValue());
      }
    }
    if (!fits) {
      throw new IllegalArgumentException(
          "the demand "
              + demand
              + " does not fit in "
              + (index == -1 ? "any bundle" : "bundle " + index + " " + pg.bundles().get(index))
              + " of placement group "
              + pg.id()
              + " (bundles "
              + pg.bundles()
              + "): ask for less (.cpus/.resource), or make the bundle larger");
    }
    Map<String, Double> out = new TreeMap<>();
    demand.forEach(
        (name, amount) -> {
          if (amount > 0) {
            out.put(BundleResources.wildcard(name, pg.id()), amount);
            if (index >= 0) {
              out.put(BundleResources.indexed(name, pg.id(), index), amount);
            }
          }
        });
    return out;
  }
}
