package dev.weft.internal.control;

import static dev.weft.internal.proto.Msg.ActorState.ALIVE;
import static dev.weft.internal.proto.Msg.ActorState.DEAD;
import static dev.weft.internal.proto.Msg.ActorState.PENDING;
import static dev.weft.internal.proto.Msg.ActorState.RESTARTING;

import dev.weft.ActorId;
import dev.weft.internal.control.NodeTable.NodeRec;
import dev.weft.internal.core.SchedulingPolicy;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.proto.Msg.ActorState;
import dev.weft.internal.rpc.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control store's actor directory: actors, their names, where they run and their lives
 * (placement, restarts, death), and the callers waiting for one to settle.
 *
 * <h2>Implementation notes</h2>
 *
 * Runs on the control store's loop, as the rest of it. Actor placement asks a node manager
 * (HostActor) and finishes when it answers. Where it goes is chosen from the node table by
 * SchedulingPolicy (weft-core; see {@link #place(ActorRec, Connection)}):
 *
 * <pre>
 *  CW → CS  CreateActor(spec with scheduling, creatorNodeId) → ActorInfo(PENDING)
 *  CS: decide → node N: CS → NM(N) HostActor → ActorInfo (N's line grants it when resources free)
 *             → no live node could ever host it: waits here; CS → CW DemandInfeasible (one-way,
 *               the creator warns); listed in StatusReply.infeasible; placed at a RegisterNode
 *             → hard affinity to a dead/unknown/too small node: DEAD with the reason
 *             → into a bundle of a removed group: DEAD; of a pending group: placed once it is
 *  CW → CS  GetActorInfo(wait until settled) → ActorInfo once ALIVE (at another address than the
 *           stale one given) or DEAD, or at the timeout
 *  CW → CS  KillActor → Ack; CS → NM StopActor (one-way)
 *  NM → CS  ActorProcessDied (one-way): restarted (placed again) while restarts are left, else DEAD
 * </pre>
 *
 * A node that dies takes its actors' processes with it ({@link #nodeDied}); a job that ends kills
 * its actors that are not detached ({@link #jobEnded}).
 */
final class ActorTable {
  private static final Logger log = LoggerFactory.getLogger(ActorTable.class);

  /** A reply parked until an actor settles (or, for a job, until a node registers). */
  record Waiter(Connection conn, long reqId, String staleAddress) {
    Waiter(Connection conn, long reqId) {
      this(conn, reqId, null);
    }
  }

  private static boolean settled(ActorRec a, String staleAddress) {
    return a.state == DEAD
        || (a.state == ALIVE && (staleAddress == null || !staleAddress.equals(a.address)));
  }

  /** An actor, alive or dead. */
  private static final class ActorRec {
    final Msg.ActorSpec spec;
    final ActorId id;
    ActorState state = PENDING;
    String address;

    /**
     * The actor's own call port (see {@link Msg.ActorInfo}); not stored: after a restart of the
     * control store callers send to {@link #address}, which serves the same calls.
     */
    String callAddress;

    String nodeId;
    int incarnation;
    int restartsLeft;
    String deathReason;
    final List<Waiter> waiters = new ArrayList<>();

    ActorRec(Msg.ActorSpec spec) {
      this.spec = spec;
      this.id = new ActorId(spec.actorHi(), spec.actorLo());
      this.restartsLeft = spec.maxRestarts();
    }
  }

  private final ScheduledExecutorService loop;
  private final NodeTable nodes;
  private final PlacementGroups groups;
  private final Map<ActorId, ActorRec> actors = new LinkedHashMap<>();
  private final Map<String, ActorId> names = new HashMap<>();

  /** Actors that no live node could ever host: placed once one that can joins. */
  private final List<ActorRec> infeasibleActors = new ArrayList<>();

  private final SchedulingPolicy policy = SchedulingPolicy.fromSystemProperties();

  /**
   * Actors recovered from storage while being placed (PENDING or RESTARTING on a node): hosted
   * again on that node when it registers again, so that no second copy starts elsewhere (the node
   * stops one it may have started meanwhile before it starts this one). Its node declared dead
   * instead: restarted elsewhere, as any actor of a dead node.
   */
  private final List<ActorRec> awaitingNode = new ArrayList<>();

  private StoredTables stored;

  ActorTable(ScheduledExecutorService loop, NodeTable nodes, PlacementGroups groups) {
    this.loop = loop;
    this.nodes = nodes;
    this.groups = groups;
  }

  /** Where actor records are written (set once, at start). */
  void useStorage(StoredTables stored) {
    this.stored = stored;
  }

  private void store(ActorRec a) {
    if (stored != null) {
      stored.put(
          StoredTables.ACTORS,
          a.id.toString(),
          new Msg.StoredActor(
              a.spec, a.state, a.address, a.nodeId, a.incarnation, a.restartsLeft, a.deathReason));
    }
  }

  /** An actor as the storage kept it (see {@link #awaitingNode}). */
  void recover(Msg.StoredActor s) {
    ActorRec a = new ActorRec(s.spec());
    a.state = s.state();
    a.address = s.address();
    a.nodeId = s.nodeId();
    a.incarnation = s.incarnation();
    a.restartsLeft = s.restartsLeft();
    a.deathReason = s.deathReason();
    actors.put(a.id, a);
    if (a.spec.name() != null && (a.state != DEAD || !names.containsKey(a.spec.name()))) {
      names.put(a.spec.name(), a.id);
    }
    if (a.state == PENDING || a.state == RESTARTING) {
      NodeRec n = a.nodeId == null ? null : nodes.get(a.nodeId);
      if (n != null && n.alive) {
        awaitingNode.add(a); // its node may have started it: hosted there again when it is back
      } else {
        a.nodeId = null;
        infeasibleActors.add(a); // placed at the next registration of a node that can host it
      }
    }
  }

  /** How many actors there are, and how many of them are not dead (for the recovery log). */
  int[] counts() {
    int live = 0;
    for (ActorRec a : actors.values()) {
      if (a.state != DEAD) {
        live++;
      }
    }
    return new int[] {actors.size(), live};
  }

  /** Node {@code nodeId} registered again after a restart of the control store. */
  void nodeReturned(String nodeId) {
    NodeRec n = nodes.get(nodeId);
    for (ActorRec a : new ArrayList<>(awaitingNode)) {
      if (nodeId.equals(a.nodeId)) {
        awaitingNode.remove(a);
        if (a.state != DEAD && n != null) {
          log.info(
              "actor {} ({}) was being placed on node {} when the control store stopped: hosting"
                  + " it there again",
              a.id,
              a.spec.className(),
              nodeId);
          // a new incarnation (no restart used): a death the node kept from the attempt before
          // the control store stopped is then about an older one, and ignored
          a.incarnation++;
          host(a, n);
        }
      }
    }
  }

  // ------------------------------------------------------------------ requests

  /** CreateActor: a new actor (its name checked free), placed at once. */
  void create(Connection c, long reqId, Msg.ActorSpec spec) {
    ActorRec known = actors.get(new ActorId(spec.actorHi(), spec.actorLo()));
    if (known != null) {
      // the creator asks again (its connection was lost before it had the answer): same actor
      c.reply(reqId, info(known));
      return;
    }
    if (spec.name() != null) {
      ActorId existing = names.get(spec.name());
      if (existing != null && actors.get(existing).state != DEAD) {
        c.replyFailure(
            reqId,
            "an actor named '"
                + spec.name()
                + "' already exists ("
                + existing
                + "): pick another name, or find it with Weft.getActor(\""
                + spec.name()
                + "\")");
        return;
      }
    }
    ActorRec a = new ActorRec(spec);
    actors.put(a.id, a);
    if (spec.name() != null) {
      names.put(spec.name(), a.id);
    }
    store(a);
    c.reply(reqId, info(a));
    place(a, c);
  }

  /** GetActorInfo: at once, or once the actor settles (bounded by the request's timeout). */
  void getInfo(Connection c, long reqId, Msg.GetActorInfo g) {
    ActorRec a = actors.get(new ActorId(g.actorHi(), g.actorLo()));
    if (a == null) {
      c.replyFailure(
          reqId, "no actor " + new ActorId(g.actorHi(), g.actorLo()) + " in this cluster");
    } else if (!g.waitUntilSettled() || settled(a, g.staleAddress())) {
      c.reply(reqId, info(a));
    } else {
      Waiter w = new Waiter(c, reqId, g.staleAddress());
      a.waiters.add(w);
      loop.schedule(
          () -> {
            if (a.waiters.remove(w)) {
              c.reply(reqId, info(a));
            }
          },
          Math.max(1, g.timeoutMillis()),
          TimeUnit.MILLISECONDS);
    }
  }

  /** GetNamedActor: the live actor of that name. */
  void getNamed(Connection c, long reqId, Msg.GetNamedActor g) {
    ActorId id = names.get(g.name());
    ActorRec a = id == null ? null : actors.get(id);
    if (a == null || a.state == DEAD) {
      c.replyFailure(reqId, "no live actor named '" + g.name() + "'");
    } else {
      c.reply(reqId, info(a));
    }
  }

  /** KillActor. */
  void kill(Connection c, long reqId, Msg.KillActor k) {
    ActorRec a = actors.get(new ActorId(k.actorHi(), k.actorLo()));
    if (a == null) {
      c.replyFailure(
          reqId, "no actor " + new ActorId(k.actorHi(), k.actorLo()) + " in this cluster");
      return;
    }
    kill(a, "it was killed with ActorHandle.kill()");
    c.reply(reqId, new Msg.Ack());
  }

  /** ActorProcessDied from a node. */
  void processDied(Msg.ActorProcessDied d) {
    ActorRec a = actors.get(new ActorId(d.actorHi(), d.actorLo()));
    if (a != null && d.incarnation() >= 0 && d.incarnation() != a.incarnation) {
      log.info(
          "actor {}: ignoring the death of incarnation {} ({}): incarnation {} is the current one",
          a.id,
          d.incarnation(),
          d.reason(),
          a.incarnation);
    } else if (a != null) {
      processDied(a, d.reason());
    }
  }

  /** Every actor's info (ClusterStatus). */
  List<Msg.ActorInfo> infos() {
    List<Msg.ActorInfo> as = new ArrayList<>();
    for (ActorRec a : actors.values()) {
      as.add(info(a));
    }
    return as;
  }

  /** The actors waiting here for a node that can host them, as pending demands. */
  List<Msg.PendingDemand> infeasible() {
    List<Msg.PendingDemand> out = new ArrayList<>();
    for (ActorRec a : infeasibleActors) {
      out.add(new Msg.PendingDemand("actor", a.spec.className(), a.spec.resources(), "control", 1));
    }
    return out;
  }

  // ------------------------------------------------------------------ events of the cluster

  /** Node {@code nodeId} is gone: its actors lost their processes. */
  void nodeDied(String nodeId) {
    awaitingNode.removeIf(a -> nodeId.equals(a.nodeId));
    for (ActorRec a : new ArrayList<>(actors.values())) {
      if (nodeId.equals(a.nodeId) && a.state != DEAD) {
        processDied(a, "its node " + nodeId + " is gone");
      }
    }
  }

  /** Job {@code jobId} ended: its actors that are not detached die. */
  void jobEnded(int jobId) {
    for (ActorRec a : new ArrayList<>(actors.values())) {
      if (a.spec.jobId() == jobId && !a.spec.detached() && a.state != DEAD) {
        kill(
            a,
            "the job that created it (job "
                + jobId
                + ") ended; create it with .detached() to outlive its job");
      }
    }
  }

  /** A node joined: the actors that waited for one that can host them are placed if one can. */
  void placeInfeasible() {
    for (ActorRec a : new ArrayList<>(infeasibleActors)) {
      if (a.state == DEAD) {
        infeasibleActors.remove(a);
      } else {
        place(a);
      }
    }
  }

  // ------------------------------------------------------------------ placement and lives

  private Msg.ActorInfo info(ActorRec a) {
    return new Msg.ActorInfo(
        a.id.hi(),
        a.id.lo(),
        a.spec.name(),
        a.spec.className(),
        a.state,
        a.address,
        a.incarnation,
        a.deathReason,
        a.spec.maxConcurrency(),
        a.spec.maxTaskRetries(),
        a.spec.ownerAddress(),
        a.nodeId,
        a.callAddress);
  }

  private void place(ActorRec a) {
    place(a, null);
  }

  /**
   * Places an actor from the cluster view (see {@link dev.weft.internal.core.SchedulingPolicy}):
   * DEFAULT prefers its creator's node while that has room, else the least utilized node with room
   * by available resources (less what actors placed since its last report take); with no room
   * anywhere, the best node that could ever fit it (it queues in that node's line until resources
   * free). An actor no live node could ever host waits here ({@link #infeasibleActors}), its
   * creator warned ({@code creator}: DemandInfeasible), until a node that can registers.
   */
  private void place(ActorRec a, Connection creator) {
    String removedGroup = groups.removedError(a.spec.resources(), "actor");
    if (removedGroup != null) {
      settle(a, DEAD, null, removedGroup);
      return;
    }
    List<SchedulingPolicy.Candidate> view = new ArrayList<>();
    Map<String, NodeRec> byId = new HashMap<>();
    for (NodeRec n : nodes.all()) {
      Map<String, Double> avail = new HashMap<>(n.available);
      n.placedSinceReport.forEach((k, v) -> avail.merge(k, -v, Double::sum));
      view.add(
          new SchedulingPolicy.Candidate(
              n.reg.nodeId(),
              n.reg.address(),
              n.alive && n.conn != null, // a recovered node that has not registered again: not yet
              nodes.totalOf(n),
              avail));
      byId.put(n.reg.nodeId(), n);
    }
    Msg.Scheduling scheduling =
        a.spec.scheduling() == null ? Msg.Scheduling.DEFAULT : a.spec.scheduling();
    if (scheduling.kind() == Msg.SchedulingKind.NODE_AFFINITY && !scheduling.soft()) {
      NodeRec bound = byId.get(scheduling.nodeId());
      if (bound != null && bound.alive && bound.conn == null) {
        // recovered from storage, not registered again yet: wait for it (declared dead if it
        // does not come back within the grace, and then the actor fails as for any dead node)
        log.info(
            "actor {} ({}) is bound to node {}, which has not registered again since the control"
                + " store restarted: it waits for it",
            a.id,
            a.spec.className(),
            bound.reg.nodeId());
        a.nodeId = bound.reg.nodeId();
        store(a);
        awaitingNode.add(a);
        return;
      }
    }
    var decision =
        policy.decide(view, a.spec.creatorNodeId(), a.spec.resources(), scheduling, false);
    NodeRec target;
    switch (decision) {
      case SchedulingPolicy.Decision.Place p -> {
        target = byId.get(p.node().nodeId());
      }
      case SchedulingPolicy.Decision.Fail f -> {
        settle(a, DEAD, null, f.message());
        return;
      }
      case SchedulingPolicy.Decision.Infeasible inf -> {
        if (groups.parkIfPending(
            a.spec.resources(),
            () -> {
              if (a.state != DEAD) {
                place(a);
              }
            })) {
          return; // into a bundle of a group not placed yet: placed once it is
        }
        if (!infeasibleActors.contains(a)) {
          infeasibleActors.add(a);
          log.warn("actor {} ({}) waits: {}", a.id, a.spec.className(), inf.message());
          if (creator != null && creator.isOpen()) {
            creator.send(
                new Msg.DemandInfeasible(
                    "actor " + a.spec.className(), a.spec.resources(), inf.message()));
          }
        }
        return;
      }
    }
    infeasibleActors.remove(a);
    host(a, target);
  }

  /** Asks {@code node} to host {@code a} (HostActor); settles it by the answer. */
  private void host(ActorRec a, NodeRec node) {
    a.spec.resources().forEach((k, v) -> node.placedSinceReport.merge(k, v, Double::sum));
    int incarnation = a.incarnation;
    // known from now on, so that a kill while it is placed reaches the node that hosts it
    a.nodeId = node.reg.nodeId();
    store(a);
    node.conn
        .call(new Msg.HostActor(a.spec, incarnation))
        .whenComplete(
            (reply, err) ->
                loop.execute(
                    () -> {
                      if (a.state == DEAD || a.incarnation != incarnation) {
                        if (a.state == DEAD
                            && reply instanceof Msg.ActorInfo
                            && node.alive
                            && node.conn != null) {
                          // killed while it started: a dead actor runs nowhere (the node stops
                          // it on the StopActor sent at the kill; this one covers a node that
                          // answered before it saw that)
                          node.conn.send(
                              new Msg.StopActor(
                                  a.id.hi(),
                                  a.id.lo(),
                                  "actor " + a.id + " is dead: " + a.deathReason));
                        }
                        return; // killed or restarted meanwhile
                      }
                      if (reply instanceof Msg.ActorInfo info) {
                        a.callAddress = info.callAddress();
                        settle(a, ALIVE, info.address(), null);
                      } else {
                        String why =
                            reply instanceof Msg.Failure f
                                ? f.text()
                                : err != null ? err.toString() : String.valueOf(reply);
                        settle(a, DEAD, null, why);
                      }
                    }));
  }

  private void settle(ActorRec a, ActorState state, String address, String deathReason) {
    if (state == DEAD) {
      infeasibleActors.remove(a);
    }
    a.state = state;
    a.address = address;
    if (state != ALIVE) {
      a.callAddress = null;
    }
    if (deathReason != null) {
      a.deathReason = deathReason;
      log.info("actor {} ({}) is dead: {}", a.id, a.spec.className(), deathReason);
    }
    store(a);
    Msg.ActorInfo info = info(a);
    a.waiters.removeIf(
        w -> {
          if (!settled(a, w.staleAddress())) {
            return false;
          }
          w.conn.reply(w.reqId, info);
          return true;
        });
  }

  private void kill(ActorRec a, String reason) {
    if (a.state == DEAD) {
      return;
    }
    NodeRec n = a.nodeId == null ? null : nodes.get(a.nodeId);
    if (n != null) {
      // a node not back yet after a restart of the control store gets it once it is
      nodes.sendTo(
          n, new Msg.StopActor(a.id.hi(), a.id.lo(), "actor " + a.id + " is dead: " + reason));
    }
    settle(a, DEAD, null, reason);
  }

  private void processDied(ActorRec a, String reason) {
    if (a.state == DEAD) {
      return;
    }
    if (a.restartsLeft != 0) {
      if (a.restartsLeft > 0) {
        a.restartsLeft--;
      }
      a.incarnation++;
      a.state = RESTARTING;
      a.address = null;
      a.callAddress = null;
      a.nodeId = null; // until placed: its old node is gone
      log.info(
          "actor {} lost its process ({}); restarting (incarnation {})",
          a.id,
          reason,
          a.incarnation);
      store(a);
      place(a);
    } else {
      settle(
          a,
          DEAD,
          null,
          "its worker process died ("
              + reason
              + ") and it has no restarts left (maxRestarts="
              + a.spec.maxRestarts()
              + ")");
    }
  }
}
