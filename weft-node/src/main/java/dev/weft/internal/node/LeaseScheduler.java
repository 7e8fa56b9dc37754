package dev.weft.internal.node;

import dev.weft.internal.core.SchedulingPolicy;
import dev.weft.internal.core.SchedulingPolicy.Candidate;
import dev.weft.internal.core.SchedulingPolicy.Decision;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which node serves a lease request: this one (it joins the line of {@link LeaseManager}), another
 * one (the requester is told to ask there), or none yet (it waits for a node that can).
 *
 * <p>Implementation notes. The message flow of a lease across nodes:
 *
 * <pre>
 *  CW → NM(A) RequestLease(spilled=false)
 *     A decides with {@link SchedulingPolicy} over its cluster view, its own entry replaced by its
 *     exact numbers (available less what its line already waits for):
 *       here      → A's line: LeaseGranted when a worker is free (as on one node)
 *       node B    → LeaseSpillback(B, address, spilled=true)
 *       no node could ever meet it → parked here; NM → CW DemandInfeasible (one-way, the driver
 *                   warns); NM → CS ReportInfeasible (for `weft status`); decided again at every
 *                   change of the view, answered once a node that fits joins
 *       hard affinity that cannot hold → Failure
 *       for a bundle of a placement group known removed here → Failure naming it (a parked
 *                   demand fails as the removal arrives, {@link #failRemoved})
 *  CW → NM(B) RequestLease(spilled=true): B grants or queues it, unless it could never fit it
 *     (then it decides again, as A did). Leases granted by B are returned to B (ReturnLease).
 * </pre>
 *
 * A node spilling to B counts what it sent there against B's available numbers until B's record in
 * the view changes (B reports a demand as taken as soon as it is queued for a starting worker, see
 * LeaseManager#startingFor), at most {@link #SPILL_MEMORY_NANOS}, so a burst of requests does not
 * all go to the one node the stale view shows free, nor count a demand twice.
 *
 * <p>A demand queued in this node's line waits for resources here; when the view shows another node
 * with room for it now while it cannot run here yet (another node finished its work first), it is
 * passed on ({@link #passOnWaiting}): answered LeaseSpillback to that node, as a fresh decision
 * would have. Only demands free to go anywhere move: DEFAULT and SPREAD, not node affinity or
 * placement-group bundles. Owned by the node loop thread, like every room of {@link NodeManager}:
 * no locks.
 */
final class LeaseScheduler {
  private static final Logger log = LoggerFactory.getLogger(LeaseScheduler.class);

  /** The longest a spill to a node counts against its available numbers. */
  static final long SPILL_MEMORY_NANOS = 2_000_000_000L;

  private record Parked(
      Connection conn, long reqId, WorkerPool pool, Msg.RequestLease request, String message) {}

  /** A demand spilled to a node whose view record was {@code basis} then. */
  private record Sent(Map<String, Double> need, long atNanos, Msg.NodeInfo basis) {}

  private final String nodeId;
  private final NodeResources resources;
  private final LeaseManager line;
  private final ClusterView view;
  private final SchedulingPolicy policy;
  private final LongSupplier nanoTime;
  private final Consumer<Msg> toControl;

  /** This node's address as the view names it (known once it listens). */
  private final java.util.function.Supplier<String> address;

  private final List<Parked> parked = new ArrayList<>();
  private final Map<String, List<Sent>> sentTo = new HashMap<>();
  private List<Msg.PendingDemand> lastReported = List.of();
  private java.util.function.Predicate<String> removedGroups = g -> false;

  LeaseScheduler(
      String nodeId,
      NodeResources resources,
      LeaseManager line,
      ClusterView view,
      SchedulingPolicy policy,
      LongSupplier nanoTime,
      java.util.function.Supplier<String> address,
      Consumer<Msg> toControl) {
    this.nodeId = nodeId;
    this.address = address;
    this.resources = resources;
    this.line = line;
    this.view = view;
    this.policy = policy;
    this.nanoTime = nanoTime;
    this.toControl = toControl;
  }

  /** A RequestLease of pool {@code p}. */
  void request(Connection c, long reqId, WorkerPool p, Msg.RequestLease r) {
    String wrong = resources.fractionalGpus(r.resources());
    if (wrong != null) {
      c.replyFailure(reqId, wrong);
      return;
    }
    Msg.Scheduling s = r.scheduling();
    boolean plain = s == null || s.kind() == Msg.SchedulingKind.DEFAULT;
    if (plain && !view.isReady()) {
      decideAndAct(c, reqId, p, r, true); // before the first view: this node alone
    } else {
      view.whenReady(() -> decideAndAct(c, reqId, p, r, true));
    }
  }

  /** Refuses demands for bundles of the groups {@code removed} says are removed. */
  void refuseRemovedGroups(java.util.function.Predicate<String> removed) {
    this.removedGroups = removed;
  }

  /** A placement group was removed: the parked demands for its bundles fail. */
  void failRemoved() {
    boolean changed = false;
    for (Iterator<Parked> it = parked.iterator(); it.hasNext(); ) {
      Parked d = it.next();
      String why =
          dev.weft.internal.proto.BundleResources.removedError(
              d.request.resources(), "task", removedGroups);
      if (why != null) {
        it.remove();
        changed = true;
        d.conn.replyFailure(d.reqId, why);
      }
    }
    if (changed) {
      report();
    }
  }

  /** The view changed: parked demands may fit a node that joined; queued ones one that freed. */
  void viewChanged() {
    passOnWaiting();
    if (parked.isEmpty()) {
      return;
    }
    List<Parked> again = new ArrayList<>(parked);
    parked.clear();
    for (Parked d : again) {
      if (d.conn.isOpen()) {
        decideAndAct(d.conn, d.reqId, d.pool, d.request, false);
      }
    }
    report();
  }

  /**
   * The demands waiting in this node's line that cannot run here now, are free to go anywhere, and
   * fit another live node's available resources now (less what was just sent there) go there.
   */
  private void passOnWaiting() {
    if (!line.hasWaitingTasks()) {
      return;
    }
    List<Candidate> others = new ArrayList<>(candidates());
    Map<LeaseManager.LeaseRequest, Candidate> moves = new java.util.IdentityHashMap<>();
    line.takeIf(
        q -> {
          Msg.Scheduling s = q.request() == null ? null : q.request().scheduling();
          boolean free =
              q.request() != null
                  && (s == null
                      || s.kind() == Msg.SchedulingKind.DEFAULT
                      || s.kind() == Msg.SchedulingKind.SPREAD)
                  && q.resources().keySet().stream()
                      .noneMatch(k -> dev.weft.internal.proto.BundleResources.groupOf(k) != null);
          if (!free) {
            return false;
          }
          for (int i = 0; i < others.size(); i++) {
            Candidate c = others.get(i);
            if (!c.nodeId().equals(nodeId)
                && c.alive()
                && c.available() != null
                && NodeResources.fits(c.available(), q.resources())) {
              Map<String, Double> left = new HashMap<>(c.available());
              NodeResources.add(left, q.resources(), -1);
              others.set(i, new Candidate(c.nodeId(), c.address(), c.alive(), c.total(), left));
              moves.put(q, c);
              return true;
            }
          }
          return false;
        });
    moves.forEach(
        (r, to) -> {
          sentTo
              .computeIfAbsent(to.nodeId(), k -> new ArrayList<>())
              .add(new Sent(r.resources(), nanoTime.getAsLong(), recordOf(to.nodeId())));
          log.debug("a demand waiting here moves to node {}, which has room now", to.nodeId());
          r.conn().reply(r.reqId(), new Msg.LeaseSpillback(to.nodeId(), to.address(), true));
        });
  }

  /** Drops the parked demands of a connection that closed. */
  void dropDemandsOf(Connection c) {
    if (parked.removeIf(d -> d.conn == c)) {
      report();
    }
  }

  private void decideAndAct(
      Connection c, long reqId, WorkerPool p, Msg.RequestLease r, boolean fresh) {
    String removed =
        dev.weft.internal.proto.BundleResources.removedError(r.resources(), "task", removedGroups);
    if (removed != null) {
      c.replyFailure(reqId, removed);
      return;
    }
    Decision d = policy.decide(candidates(), nodeId, r.resources(), r.scheduling(), r.spilled());
    switch (d) {
      case Decision.Place pl when pl.node().nodeId().equals(nodeId) -> {
        line.request(c, reqId, p, r.resources(), r);
      }
      case Decision.Place pl -> {
        sentTo
            .computeIfAbsent(pl.node().nodeId(), k -> new ArrayList<>())
            .add(new Sent(r.resources(), nanoTime.getAsLong(), recordOf(pl.node().nodeId())));
        c.reply(reqId, new Msg.LeaseSpillback(pl.node().nodeId(), pl.node().address(), true));
      }
      case Decision.Infeasible inf -> {
        parked.add(new Parked(c, reqId, p, r, inf.message()));
        if (fresh) {
          log.warn("lease request of {} waits: {}", c.peer(), inf.message());
          c.send(new Msg.DemandInfeasible("task " + r.shape(), r.resources(), inf.message()));
          report();
        }
      }
      case Decision.Fail f -> c.replyFailure(reqId, f.message());
    }
  }

  /** The view's nodes; this one with its exact numbers, others less what was just sent there. */
  private List<Candidate> candidates() {
    Map<String, Double> avail = resources.availableCopy();
    NodeResources.add(avail, line.queuedDemand(), -1);
    Candidate self = new Candidate(nodeId, address.get(), true, resources.total, Map.copyOf(avail));
    List<Candidate> out = new ArrayList<>();
    boolean selfSeen = false;
    long now = nanoTime.getAsLong();
    for (Msg.NodeInfo n : view.snapshot().nodes()) {
      if (n.nodeId().equals(nodeId)) {
        out.add(self);
        selfSeen = true;
        continue;
      }
      Candidate c = Candidate.of(n);
      List<Sent> sent = sentTo.get(n.nodeId());
      if (sent != null) {
        // counted until the node's record changes (its report shows the demand) or for a while
        sent.removeIf(s -> now - s.atNanos > SPILL_MEMORY_NANOS || !n.equals(s.basis));
        if (sent.isEmpty()) {
          sentTo.remove(n.nodeId());
        } else if (c.available() != null) {
          Map<String, Double> a = new HashMap<>(c.available());
          for (Sent s : sent) {
            NodeResources.add(a, s.need, -1);
          }
          c = new Candidate(c.nodeId(), c.address(), c.alive(), c.total(), a);
        }
      }
      out.add(c);
    }
    if (!selfSeen) {
      out.add(0, self);
    }
    return out;
  }

  private Msg.NodeInfo recordOf(String id) {
    for (Msg.NodeInfo n : view.snapshot().nodes()) {
      if (n.nodeId().equals(id)) {
        return n;
      }
    }
    return null;
  }

  /** Tells the control store the infeasible demands waiting here again (it restarted). */
  void reportAgain() {
    lastReported = null;
    report();
  }

  /** Tells the control store the infeasible demands waiting here, when they changed. */
  private void report() {
    Map<String, Msg.PendingDemand> byShape = new LinkedHashMap<>();
    for (Iterator<Parked> it = parked.iterator(); it.hasNext(); ) {
      Parked d = it.next();
      byShape.merge(
          d.request.shape(),
          new Msg.PendingDemand("task", d.request.shape(), d.request.resources(), nodeId, 1),
          (a, b) ->
              new Msg.PendingDemand(a.kind(), a.name(), a.resources(), nodeId, a.count() + 1));
    }
    List<Msg.PendingDemand> now = List.copyOf(byShape.values());
    if (!now.equals(lastReported)) {
      lastReported = now;
      toControl.accept(new Msg.ReportInfeasible(nodeId, now));
    }
  }

  /** How many demands wait for a node that can meet them (tests). */
  int parkedCount() {
    return parked.size();
  }
}
