package dev.weft.internal.node;

import dev.weft.internal.proto.BundleResources;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.proto.RemovedGroups;
import dev.weft.internal.rpc.Connection;
import java.util.HashMap;
import java.util.Map;

/**
 * This node's side of placement groups: the bundles reserved on it, in two phases, as the control
 * store asks ({@code PlacementGroups} in weft-control has the whole flow).
 *
 * <p>Implementation notes. A room of {@link NodeManager}, on its loop thread only.
 *
 * <pre>
 *  CS → NM  PrepareBundle(G, i, r): r free now → taken from available (PREPARED) → Ack;
 *           else → Failure naming what is free (nothing taken). A repeat is answered Ack.
 *  CS → NM  CommitBundle(G, i): PREPARED → COMMITTED: the node's totals and available gain
 *           r_group_G_i and r_group_G (BundleResources), which leases and actors asking for the
 *           bundle take like any resource; the line is served again → Ack
 *  CS → NM  CancelBundle(G, i): PREPARED → r back to available; COMMITTED → the bundle's names
 *           leave totals and available, and r goes back → Ack (also for a bundle it never had);
 *           a committed bundle is cancelled only when its group is removed, so G counts as
 *           removed, as below
 *  CS → NM  PlacementGroupRemoved(G) (one-way, to every live node, before the cancels): G is
 *           remembered as removed ({@link #removedError}); the demands for its bundles waiting
 *           here (in the line, parked as infeasible) fail with an error naming G and the bundle,
 *           and new ones are refused (LeaseScheduler, and HostActor in NodeManager)
 * </pre>
 *
 * The available of the node reports these changes to the control store as any other change. A lease
 * or an actor that still holds bundle resources when its bundle is cancelled keeps running (the API
 * says removal does not stop them); what it gives back later is dropped, since the names are gone
 * ({@link NodeResources#give}), and its plain resources were already returned with the bundle, so
 * the node may be oversubscribed until it ends.
 */
final class BundleReservations {
  private enum Phase {
    PREPARED,
    COMMITTED
  }

  private record Key(String groupId, int index) {}

  private static final class Bundle {
    final Map<String, Double> resources;
    Phase phase = Phase.PREPARED;

    Bundle(Map<String, Double> resources) {
      this.resources = Map.copyOf(resources);
    }
  }

  private final String nodeId;
  private final NodeResources resources;
  private final Runnable lineChanged;
  private final Map<Key, Bundle> bundles = new HashMap<>();
  private final java.util.function.Consumer<String> groupRemoved;

  /** The ids of removed groups (the latest {@link RemovedGroups#REMEMBERED}). */
  private final RemovedGroups removed = new RemovedGroups();

  /**
   * {@code lineChanged}: called when committed bundles may let waiting demands through; {@code
   * groupRemoved}: a group is removed, the demands waiting for it must fail (see {@link
   * #removedError}).
   */
  BundleReservations(
      String nodeId,
      NodeResources resources,
      Runnable lineChanged,
      java.util.function.Consumer<String> groupRemoved) {
    this.nodeId = nodeId;
    this.resources = resources;
    this.lineChanged = lineChanged;
    this.groupRemoved = groupRemoved;
  }

  /** PlacementGroupRemoved: group {@code groupId} is gone. */
  void removed(String groupId) {
    if (removed.add(groupId)) {
      groupRemoved.accept(groupId);
    }
  }

  /** Whether group {@code groupId} is known removed here. */
  boolean isRemoved(String groupId) {
    return removed.contains(groupId);
  }

  /** The error of a {@code what} asking for bundles of a removed group; null when it asks none. */
  String removedError(Map<String, Double> demand, String what) {
    return removed.removedError(demand, what);
  }

  void prepare(Connection c, long reqId, Msg.PrepareBundle p) {
    Key k = new Key(p.groupId(), p.index());
    if (bundles.containsKey(k)) {
      c.reply(reqId, new Msg.Ack());
      return;
    }
    for (Map.Entry<String, Double> e : p.resources().entrySet()) {
      if (resources.available.getOrDefault(e.getKey(), 0.0) + 1e-9 < e.getValue()) {
        c.replyFailure(
            reqId,
            "node "
                + nodeId
                + " cannot reserve bundle "
                + p.index()
                + " "
                + p.resources()
                + " of placement group "
                + p.groupId()
                + ": it has "
                + e.getKey()
                + "="
                + resources.available.getOrDefault(e.getKey(), 0.0)
                + " free");
        return;
      }
    }
    resources.take(p.resources());
    bundles.put(k, new Bundle(p.resources()));
    c.reply(reqId, new Msg.Ack());
  }

  void commit(Connection c, long reqId, Msg.CommitBundle m) {
    Bundle b = bundles.get(new Key(m.groupId(), m.index()));
    if (b == null) {
      c.replyFailure(
          reqId,
          "node "
              + nodeId
              + " holds no prepared bundle "
              + m.index()
              + " of placement group "
              + m.groupId()
              + " to commit");
      return;
    }
    if (b.phase == Phase.PREPARED) {
      b.phase = Phase.COMMITTED;
      Map<String, Double> names = BundleResources.of(m.groupId(), m.index(), b.resources);
      NodeResources.add(resources.total, names, +1);
      resources.give(names);
      lineChanged.run();
    }
    c.reply(reqId, new Msg.Ack());
  }

  void cancel(Connection c, long reqId, Msg.CancelBundle m) {
    Bundle b = bundles.remove(new Key(m.groupId(), m.index()));
    if (b != null) {
      if (b.phase == Phase.COMMITTED) {
        removed(m.groupId()); // what waits for it fails before its names go
        Map<String, Double> names = BundleResources.of(m.groupId(), m.index(), b.resources);
        for (Map.Entry<String, Double> e : names.entrySet()) {
          drop(resources.total, e.getKey(), e.getValue());
          drop(resources.available, e.getKey(), e.getValue());
        }
      }
      resources.give(b.resources);
      lineChanged.run();
    }
    c.reply(reqId, new Msg.Ack());
  }

  /** Lowers {@code name} by {@code amount}, removing it once nothing of it is left. */
  private static void drop(Map<String, Double> m, String name, double amount) {
    Double now = m.get(name);
    if (now == null) {
      return;
    }
    if (now - amount <= 1e-9) {
      m.remove(name);
    } else {
      m.put(name, now - amount);
    }
  }
}
