package dev.weft.internal.control;

import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control store's node table and the cluster resource view it publishes to the nodes; also the
 * node table as {@link PlacementGroups} sees it.
 *
 * <h2>Implementation notes</h2>
 *
 * Every node's record carries what the view shows of it (total, available, alive) and {@code
 * changedAt}, the view version of its last change; {@link #viewVersion} counts changes (one per
 * change, not per publication). The flow:
 *
 * <pre>
 *  NM → CS  RegisterNode → Ack, then at once ViewDelta(0, v, every node): the full view
 *  NM → CS  ReportResources (when its available changed, at most every ~100 ms)
 *  CS: a node registers, reports a different available, or its connection closes (alive=false):
 *      changedAt = ++viewVersion; a publication is scheduled {@link #VIEW_PUBLISH_MILLIS} later
 *      unless one is pending (so at most one per window, none while nothing changes)
 *  CS → NM  publication: to each live node whose sentVersion &lt; viewVersion,
 *           ViewDelta(sentVersion, viewVersion, the nodes with changedAt &gt; sentVersion);
 *           sentVersion = viewVersion
 *  NM → CS  ResyncView (its view has a gap): sentVersion = 0 and the full view goes at once
 *  NM → CS  ReportInfeasible (one-way: lease demands waiting at that node, for `weft status`)
 *  CW → NM  GetClusterView → ClusterView (drivers and workers read their node's copy)
 * </pre>
 *
 * The connection is ordered and a node never reconnects on the same record (a new RegisterNode
 * makes a new record with sentVersion 0), so a node's deltas chain without gaps; ResyncView is the
 * safety net for a node whose view does not match. Dead nodes stay in the view with alive=false.
 * Everything runs on the control store's loop: no locks.
 */
final class NodeTable implements PlacementGroups.Nodes {
  private static final Logger log = LoggerFactory.getLogger(NodeTable.class);

  /** How long changes to the view gather before they are published to the nodes. */
  static final long VIEW_PUBLISH_MILLIS = 100;

  /** A registered node, alive or dead. */
  static final class NodeRec {
    final Msg.RegisterNode reg;

    /**
     * Its connection; null for a node recovered from storage that has not registered again yet
     * (alive in the view until the node timeout, then declared dead).
     */
    final Connection conn;

    boolean alive = true;

    /** The view version of this record's last change (registered, available, alive). */
    long changedAt;

    /**
     * The view version this node has been sent (0: nothing yet, its next delta is the full view).
     */
    long sentVersion;

    /** What the node last reported free (ReportResources); all of it until the first report. */
    Map<String, Double> available;

    /** What actors placed here since its last report take (not in {@link #available} yet). */
    final Map<String, Double> placedSinceReport = new HashMap<>();

    /**
     * What was meant for a node recovered from storage before it registered again (stop an actor, a
     * job ended, a group removed, an owner gone, a bundle to give back): sent once it is back.
     */
    final List<Msg> outbox = new ArrayList<>();

    /** The infeasible demands waiting at this node, as it last reported them. */
    List<Msg.PendingDemand> infeasible = List.of();

    NodeRec(Msg.RegisterNode reg, Connection conn) {
      this.reg = reg;
      this.conn = conn;
      this.available = reg.resources();
    }
  }

  private final ScheduledExecutorService loop;
  private final Map<String, NodeRec> nodes = new LinkedHashMap<>();
  private PlacementGroups groups;

  /** The cluster view's version: one more at every change of a node's record. */
  private long viewVersion;

  private boolean publishScheduled;

  private StoredTables stored;

  NodeTable(ScheduledExecutorService loop) {
    this.loop = loop;
  }

  /** Where node records are written (set once, at start). */
  void useStorage(StoredTables stored) {
    this.stored = stored;
  }

  /**
   * A node as the storage kept it: alive ones wait, unconnected, for the node to register again;
   * dead ones stay dead (that node may never register again).
   */
  void recover(Msg.StoredNode s) {
    NodeRec n = new NodeRec(s.registration(), null);
    n.alive = s.alive();
    n.available = Map.of(); // unknown until it reports: no room to count on meanwhile
    n.changedAt = ++viewVersion;
    nodes.put(s.registration().nodeId(), n);
  }

  private void store(NodeRec n) {
    if (stored != null) {
      stored.put(StoredTables.NODES, n.reg.nodeId(), new Msg.StoredNode(n.reg, n.alive));
    }
  }

  /** The placement groups whose bundles count in the nodes' totals (set once, at start). */
  void useGroups(PlacementGroups groups) {
    this.groups = groups;
  }

  /** RegisterNode: a new record, and the full view sent to it at once. */
  void register(Msg.RegisterNode r, Connection c) {
    NodeRec rec = new NodeRec(r, c);
    NodeRec before = nodes.put(r.nodeId(), rec);
    store(rec);
    viewChanged(rec);
    sendView(rec); // the full view, at once; the others hear of this node at the next tick
    if (before != null) {
      for (Msg m : before.outbox) {
        sendTo(rec, m);
      }
    }
  }

  /** ReportResources from the node on {@code c}. */
  void report(Msg.ReportResources r, Connection c) {
    NodeRec n = nodes.get(r.nodeId());
    if (n != null && n.conn == c) {
      n.placedSinceReport.clear();
      if (!n.available.equals(r.available())) {
        n.available = Map.copyOf(r.available());
        viewChanged(n);
      }
    }
  }

  /** ReportInfeasible from the node on {@code c}. */
  void reportInfeasible(Msg.ReportInfeasible r, Connection c) {
    NodeRec n = nodes.get(r.nodeId());
    if (n != null && n.conn == c) {
      n.infeasible = List.copyOf(r.demands());
    }
  }

  /** ResyncView from the node on {@code c}: the full view again. */
  void resync(Msg.ResyncView r, Connection c) {
    NodeRec n = nodes.get(r.nodeId());
    if (n != null && c != null && n.conn == c && n.alive) {
      log.warn(
          "node {} has a gap in its cluster view after version {}: sending the full view",
          r.nodeId(),
          r.haveVersion());
      n.sentVersion = 0;
      sendView(n);
    }
  }

  /**
   * The connection of node {@code r} closed, or the node fell silent: true when it was its live
   * record's (now dead); false when the record was dead already.
   */
  boolean closed(Msg.RegisterNode r, Connection c) {
    NodeRec n = nodes.get(r.nodeId());
    if (n == null || n.conn != c || !n.alive) {
      return false;
    }
    n.alive = false;
    log.warn("node {} at {} is gone", r.nodeId(), r.address());
    store(n);
    viewChanged(n);
    return true;
  }

  NodeRec get(String nodeId) {
    return nodes.get(nodeId);
  }

  Collection<NodeRec> all() {
    return nodes.values();
  }

  boolean anyAlive() {
    return nodes.values().stream().anyMatch(n -> n.alive);
  }

  /**
   * Sends {@code m} to live node {@code n}: one-way, or as a request whose answer is not needed
   * (CancelBundle); kept for a recovered node until it is back.
   */
  void sendTo(NodeRec n, Msg m) {
    if (!n.alive) {
      return;
    }
    if (n.conn == null) {
      n.outbox.add(m);
    } else if (m instanceof Msg.CancelBundle) {
      n.conn.call(m);
    } else {
      n.conn.send(m);
    }
  }

  /** Sends {@code m} (one-way) to every live node. */
  void sendToAlive(Msg m) {
    for (NodeRec n : nodes.values()) {
      sendTo(n, m);
    }
  }

  /** Sends {@code m} (one-way) to every live node but the one on {@code except}. */
  void sendToAliveExcept(Msg m, Connection except) {
    for (NodeRec n : nodes.values()) {
      if (n.conn != except) {
        sendTo(n, m);
      }
    }
  }

  /** The demands waiting at live nodes for a node that can meet them, as they reported them. */
  List<Msg.PendingDemand> infeasibleAtNodes() {
    List<Msg.PendingDemand> out = new ArrayList<>();
    for (NodeRec n : nodes.values()) {
      if (n.alive) {
        out.addAll(n.infeasible);
      }
    }
    return out;
  }

  /** The dashboard's URL, as the head's node registered it (null: no live node serves one). */
  String dashboardUrl() {
    for (NodeRec n : nodes.values()) {
      if (n.alive && n.reg.dashboardUrl() != null) {
        return n.reg.dashboardUrl();
      }
    }
    return null;
  }

  List<Msg.NodeInfo> nodeInfos() {
    List<Msg.NodeInfo> out = new ArrayList<>();
    for (NodeRec n : nodes.values()) {
      out.add(nodeInfo(n));
    }
    return out;
  }

  private Msg.NodeInfo nodeInfo(NodeRec n) {
    return new Msg.NodeInfo(
        n.reg.nodeId(),
        n.reg.address(),
        totalOf(n),
        n.alive,
        n.reg.pid(),
        n.available,
        n.reg.metricsUrl());
  }

  /** What a node offers in all: its own resources and its committed placement-group bundles. */
  Map<String, Double> totalOf(NodeRec n) {
    Map<String, Double> bundles = groups.bundleTotals(n.reg.nodeId());
    if (bundles.isEmpty()) {
      return n.reg.resources();
    }
    Map<String, Double> all = new HashMap<>(n.reg.resources());
    all.putAll(bundles);
    return all;
  }

  // ------------------------------------------------------------------ as placement groups see it

  @Override
  public List<BundlePlacement.NodeCapacity> alive() {
    List<BundlePlacement.NodeCapacity> out = new ArrayList<>();
    for (NodeRec n : nodes.values()) {
      if (n.alive && n.conn != null) {
        out.add(new BundlePlacement.NodeCapacity(n.reg.nodeId(), n.available, n.reg.resources()));
      }
    }
    return out;
  }

  @Override
  public CompletableFuture<Msg> call(String nodeId, Msg msg) {
    NodeRec n = nodes.get(nodeId);
    if (n != null && n.alive && n.conn == null && msg instanceof Msg.CancelBundle) {
      n.outbox.add(msg); // given back once the node is back
      return CompletableFuture.completedFuture(new Msg.Ack());
    }
    if (n == null || !n.alive || n.conn == null) {
      return CompletableFuture.failedFuture(
          new IllegalStateException(
              "node "
                  + nodeId
                  + (n != null && n.alive ? " has not registered again" : " is gone")));
    }
    return n.conn.call(msg);
  }

  @Override
  public void reserved(String nodeId, Map<String, Double> r, int sign) {
    NodeRec n = nodes.get(nodeId);
    if (n != null && n.alive) {
      Map<String, Double> now = new HashMap<>(n.available);
      r.forEach((k, v) -> now.merge(k, sign * v, Double::sum));
      n.available = Map.copyOf(now);
      viewChanged(n);
    }
  }

  @Override
  public void bundlesChanged(String nodeId) {
    NodeRec n = nodes.get(nodeId);
    if (n != null && n.alive) {
      viewChanged(n);
    }
  }

  @Override
  public void groupRemoved(String groupId) {
    sendToAlive(new Msg.PlacementGroupRemoved(groupId));
  }

  // ------------------------------------------------------------------ the cluster view

  /** On the loop: {@code n} changed; every live node hears of it at the next publication. */
  private void viewChanged(NodeRec n) {
    n.changedAt = ++viewVersion;
    groups.viewChanged();
    if (!publishScheduled) {
      publishScheduled = true;
      loop.schedule(this::publishView, VIEW_PUBLISH_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  private void publishView() {
    publishScheduled = false;
    for (NodeRec to : nodes.values()) {
      if (to.alive && to.conn != null && to.sentVersion < viewVersion) {
        sendView(to);
      }
    }
  }

  /** Sends {@code to} every record changed after the version it has (all of them from 0). */
  private void sendView(NodeRec to) {
    List<Msg.NodeInfo> changed = new ArrayList<>();
    for (NodeRec n : nodes.values()) {
      if (n.changedAt > to.sentVersion) {
        changed.add(nodeInfo(n));
      }
    }
    to.conn.send(new Msg.ViewDelta(to.sentVersion, viewVersion, changed));
    to.sentVersion = viewVersion;
  }
}
