package dev.weft.internal.core;

import dev.weft.ObjectId;
import dev.weft.SchedulingStrategy;
import dev.weft.WeftException;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets a worker lease for the submitter from whichever node the scheduling sends it to: the first
 * node asked (this process's node, or the node holding a task's large arguments), then each node a
 * spillback names, over the process's peer connections ({@link Peers}).
 *
 * <p>Implementation notes. The flow (the node side is in LeaseScheduler's notes, weft-node):
 *
 * <pre>
 *  CW → NM(first) RequestLease(scheduling, spilled=false)
 *     → LeaseGranted: the lease is held on that node's connection; ReturnLease goes there
 *     → LeaseSpillback(B, address, spilled): CW → NM(B) RequestLease(spilled) (at most
 *       {@link #MAX_HOPS} hops: a spilled request is granted or queued where it lands)
 *     → Failure: the demand cannot run as asked (hard affinity): the tasks of the shape fail
 *  a node named by a spillback that is gone (cannot connect, or its connection closes before it
 *  answers): ask this process's node again, after {@link #RETRY_MILLIS}, at most {@link
 *  #MAX_RETRIES} times (its view drops the dead node within ~200 ms)
 *  NM → CW DemandInfeasible (one-way, while a request waits for a node that can meet it): logged
 *  as a warning by {@link CoreWorker}
 * </pre>
 *
 * A node this process never attached to learns the job from the control store itself (weft-node
 * JobCatalog), so a lease is asked for there as anywhere.
 *
 * <p>Object locations for locality ({@link #locationOf}): the copies the ownership table records
 * for each in-store object this process owns (its primary first: where a put or a task wrote it),
 * as object transfer keeps them. Objects borrowed from other owners have no location here (their
 * owner knows it, and does not tell yet).
 *
 * <p>Thread safety: called from any thread; the futures complete on event loops or the timer.
 */
final class LeaseRequester {
  private static final Logger log = LoggerFactory.getLogger(LeaseRequester.class);

  static final int MAX_HOPS = 8;
  static final int MAX_RETRIES = 10;
  static final long RETRY_MILLIS = 200;

  /** A node to ask: its id and its node manager's address. */
  record Target(String nodeId, String address) {}

  /** A granted lease and the node connection that granted it (return the lease there). */
  record Grant(Msg.LeaseGranted granted, Connection node, Target where) {}

  private final CoreWorker cw;

  LeaseRequester(CoreWorker cw) {
    this.cw = cw;
  }

  /** The wire form of a strategy. */
  static Msg.Scheduling wire(SchedulingStrategy s) {
    return switch (s) {
      case SchedulingStrategy.Default d -> Msg.Scheduling.DEFAULT;
      case SchedulingStrategy.Spread sp ->
          new Msg.Scheduling(Msg.SchedulingKind.SPREAD, null, false);
      case SchedulingStrategy.NodeAffinity a ->
          new Msg.Scheduling(Msg.SchedulingKind.NODE_AFFINITY, a.nodeId(), a.soft());
      case SchedulingStrategy.InPlacementGroup pg ->
          new Msg.Scheduling(Msg.SchedulingKind.PLACEMENT_GROUP, null, false);
    };
  }

  /** A lease for {@code resources}, asked first at {@code first} (null: this process's node). */
  CompletableFuture<Grant> request(
      int jobId, Map<String, Double> resources, String shape, Msg.Scheduling s, Target first) {
    CompletableFuture<Grant> out = new CompletableFuture<>();
    ask(out, new Msg.RequestLease(jobId, resources, shape, s, false), first, 0, 0);
    return out;
  }

  private void ask(
      CompletableFuture<Grant> out, Msg.RequestLease req, Target to, int hops, int retries) {
    boolean remote = to != null && !to.nodeId().equals(cw.nodeId);
    CompletableFuture<Connection> conn;
    if (remote) {
      conn = cw.peers.peer(to.address());
    } else {
      try {
        conn = CompletableFuture.completedFuture(cw.node());
      } catch (RuntimeException e) {
        out.completeExceptionally(e);
        return;
      }
    }
    Target where = remote ? to : null;
    conn.thenCompose(c -> c.call(req).thenApply(reply -> Map.entry(c, reply)))
        .whenComplete(
            (cr, err) -> {
              if (err != null) {
                if (!remote) {
                  out.completeExceptionally(err);
                } else if (retries >= MAX_RETRIES) {
                  out.completeExceptionally(
                      new WeftException(
                          "no lease for "
                              + req.resources()
                              + ": node "
                              + to.nodeId()
                              + " at "
                              + to.address()
                              + " did not answer ("
                              + Serde.rootMessage(err)
                              + ") after "
                              + retries
                              + " tries from this process's node"));
                } else {
                  log.debug("node {} did not answer a lease request; asking ours again", to, err);
                  Msg.RequestLease fresh =
                      new Msg.RequestLease(
                          req.jobId(), req.resources(), req.shape(), req.scheduling(), false);
                  cw.timer.schedule(
                      () -> ask(out, fresh, null, hops, retries + 1),
                      RETRY_MILLIS,
                      TimeUnit.MILLISECONDS);
                }
                return;
              }
              Connection c = cr.getKey();
              switch (cr.getValue()) {
                case Msg.LeaseGranted g -> out.complete(new Grant(g, c, where));
                case Msg.LeaseSpillback sb when hops < MAX_HOPS ->
                    ask(
                        out,
                        new Msg.RequestLease(
                            req.jobId(),
                            req.resources(),
                            req.shape(),
                            req.scheduling(),
                            sb.spilled()),
                        new Target(sb.nodeId(), sb.address()),
                        hops + 1,
                        retries);
                case Msg.LeaseSpillback sb ->
                    out.completeExceptionally(
                        new WeftException(
                            "no lease for "
                                + req.resources()
                                + ": passed on "
                                + hops
                                + " times between nodes, last to "
                                + sb.nodeId()));
                case Msg.Failure f -> out.completeExceptionally(new WeftException(f.text()));
                case Msg other ->
                    out.completeExceptionally(
                        new WeftException("unexpected answer to a lease request: " + other));
              }
            });
  }

  /**
   * The submitter's key of a task's leases: the resources and job ({@code base}), and, when not
   * DEFAULT, the strategy, or the node asked first for locality; leases are reused only by tasks
   * that may run where they were granted.
   */
  static String shape(String base, Msg.Scheduling s, Target first) {
    if (s == Msg.Scheduling.DEFAULT) {
      return first == null ? base : base + "@near:" + first.nodeId();
    }
    return base
        + "@"
        + s.kind()
        + (s.nodeId() == null ? "" : ":" + s.nodeId() + (s.soft() ? ":soft" : ""));
  }

  // ------------------------------------------------------------------ object locations

  /**
   * Locality: the node holding the large arguments this process owns, when it is another node (the
   * one holding the most of them; the first such on a tie); null otherwise.
   */
  Target locality(List<Msg.Arg> args) {
    Target best = null;
    Map<Target, Integer> count = null;
    for (Msg.Arg a : args) {
      if (a.value() == null && cw.address.equals(a.refOwner())) {
        Target t = locationOf(new ObjectId(a.refHi(), a.refLo()));
        if (t != null) {
          if (count == null) {
            count = new java.util.HashMap<>();
          }
          int c = count.merge(t, 1, Integer::sum);
          if (best == null || c > count.get(best)) {
            best = t;
          }
        }
      }
    }
    return best;
  }

  /**
   * Where the large (in-store) object {@code id} that this process owns was made, when that is
   * another node than this process's; null when it is here, inline, or not known.
   */
  Target locationOf(ObjectId id) {
    OwnershipTable.Entry e = cw.table.get(id);
    if (e == null || e.locations.isEmpty()) {
      return null;
    }
    Msg.ObjectLocation primary = e.locations.get(0);
    if (primary.nodeId() == null
        || primary.address() == null
        || primary.nodeId().equals(cw.nodeId)) {
      return null;
    }
    return new Target(primary.nodeId(), primary.address());
  }
}
