package dev.weft.internal.node;

import dev.weft.internal.proto.Msg;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * This node's copy of the cluster resource view: every node the control store knows, with its
 * total, available and alive, at a version.
 *
 * <p>Implementation notes. The control store sends {@link Msg.ViewDelta}s (see ControlStore's notes
 * for the whole flow): the full view right after this node registers, then, about every 100 ms
 * while anything changes, the records changed after the version it last sent. {@link #apply} keeps
 * the view in order:
 *
 * <ul>
 *   <li>{@code fromVersion} 0, the full view: replaces everything, whatever the version (a
 *       restarted control store counts again from 1);
 *   <li>{@code version} at or below ours: stale, ignored;
 *   <li>{@code fromVersion} above ours: a gap, changes were missed; the node asks for the full view
 *       (ResyncView) once, and ignores deltas until it comes;
 *   <li>otherwise applied: each record replaces the one of its node (records are whole, so a delta
 *       that starts below our version is applied safely).
 * </ul>
 *
 * Drivers and workers read the view from their node ({@link Msg.GetClusterView}); requests that
 * come before the first full view are parked and answered when it arrives. Owned by the node
 * manager's loop thread, like every room of {@link NodeManager}: no locks.
 */
final class ClusterView {
  /** What {@link #apply} did with a delta. */
  enum Outcome {
    /** The delta (or a full view) is now part of the view. */
    APPLIED,
    /** The delta is older than the view: ignored. */
    STALE,
    /** The delta starts after the view's version: ask the control store for the full view. */
    GAP,
    /** Another gap while the full view asked for has not come yet: ignored. */
    AWAITING_FULL
  }

  private final Map<String, Msg.NodeInfo> nodes = new LinkedHashMap<>();
  private long version;
  private boolean awaitingFull;
  private boolean hasFull;
  private final List<Runnable> waitingForFirst = new ArrayList<>();

  /** Nodes the last applied deltas marked dead that were alive before (see {@link #takeDied}). */
  private final List<Msg.NodeInfo> died = new ArrayList<>();

  Outcome apply(Msg.ViewDelta d) {
    if (d.fromVersion() == 0) {
      Map<String, Msg.NodeInfo> before = new LinkedHashMap<>(nodes);
      nodes.clear();
      put(d.changed());
      for (Msg.NodeInfo old : before.values()) {
        Msg.NodeInfo now = nodes.get(old.nodeId());
        if (old.alive() && (now == null || !now.alive()) && !died.contains(old)) {
          died.add(now == null ? old : now);
        }
      }
      version = d.version();
      awaitingFull = false;
      if (!hasFull) {
        hasFull = true;
        waitingForFirst.forEach(Runnable::run);
        waitingForFirst.clear();
      }
      return Outcome.APPLIED;
    }
    if (d.version() <= version) {
      return Outcome.STALE;
    }
    if (d.fromVersion() > version || !hasFull) {
      if (awaitingFull) {
        return Outcome.AWAITING_FULL;
      }
      awaitingFull = true;
      return Outcome.GAP;
    }
    put(d.changed());
    version = d.version();
    return Outcome.APPLIED;
  }

  private void put(List<Msg.NodeInfo> changed) {
    for (Msg.NodeInfo n : changed) {
      Msg.NodeInfo old = nodes.put(n.nodeId(), n);
      if (old != null && old.alive() && !n.alive()) {
        died.add(n);
      }
    }
  }

  /**
   * The nodes that went from alive to dead in the deltas applied since the last call, once each:
   * their processes may never answer again (see NodeManager's NodeDied).
   */
  List<Msg.NodeInfo> takeDied() {
    if (died.isEmpty()) {
      return List.of();
    }
    List<Msg.NodeInfo> out = List.copyOf(died);
    died.clear();
    return out;
  }

  long version() {
    return version;
  }

  /** Every node, in the order the control store first listed them. */
  Msg.ClusterView snapshot() {
    return new Msg.ClusterView(version, List.copyOf(nodes.values()));
  }

  /** Whether the first full view is here. */
  boolean isReady() {
    return hasFull;
  }

  /** Runs {@code r} once the first full view is here: at once if it is. */
  void whenReady(Runnable r) {
    if (hasFull) {
      r.run();
    } else {
      waitingForFirst.add(r);
    }
  }
}
