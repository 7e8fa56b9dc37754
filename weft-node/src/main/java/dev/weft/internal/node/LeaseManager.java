package dev.weft.internal.node;

import static dev.weft.internal.node.NodeResources.add;
import static dev.weft.internal.node.NodeResources.cpuOnly;
import static dev.weft.internal.node.NodeResources.gpusOf;

import dev.weft.internal.node.ActorHosting.ActorRequest;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Worker leases and the line of demands: a lease is one worker plus the resources of the request,
 * taken when it is granted and given back when it is returned, revoked or its worker dies.
 *
 * <p>Implementation notes. Runs on the node loop thread only, as every room of {@link NodeManager}.
 * Leases and actors wait in one FIFO line ({@link #waiting}): {@link #grant} serves it in order
 * while resources allow, lets a later, smaller demand pass one that does not fit, and starts
 * workers where none is idle ({@link WorkerRegistry}). An actor's turn is handed to {@link
 * ActorAdmissions} (actor hosting takes its resources and places it); the line knows nothing else
 * of actors. A worker that blocks in {@code get} hands its CPU back until it unblocks, and while
 * all its leases are blocked it may take one more lease on its main port (blocked multiplexing), so
 * deep recursions need no JVM per level. With {@code tasksPerWorker} above 1 (a node setting), a
 * CPU lease finds an idle worker first, then a leased one holding fewer leases than that, on its
 * main port the same way; a worker starting counts for that many waiting leases, so no more JVMs
 * start than the CPUs need. A lease records the connection that holds it: when that closes, the
 * lease is revoked (the worker finishes the task it runs, keeping the resources until then, and
 * goes back to idle).
 */
final class LeaseManager {
  private static final Logger log = LoggerFactory.getLogger(LeaseManager.class);

  /** What the line needs from actor hosting when an actor's turn comes. */
  interface ActorAdmissions {
    /** The actor's resources (and GPUs) are free: takes them; returns the GPU ids it took. */
    List<Integer> admit(ActorRequest a);

    /** Starts an admitted actor (after the pass over the line). */
    void place(ActorRequest a);

    /** A queued actor whose requester is gone: it is out of the line. */
    void abandon(ActorRequest a);
  }

  /**
   * One slot of this node's resources, granted to an owner for a stream of tasks on one worker.
   * While the task running under it waits in {@code get} ({@code blocked}), its CPU is free for
   * others.
   */
  static final class Lease {
    final long id;
    final Map<String, Double> resources;

    /** The connection that holds the lease: when it closes, the lease is revoked. */
    final Connection holder;

    boolean blocked;

    /** Revoked: the worker finishes what it runs under it, then the lease is returned. */
    boolean revoking;

    Lease(long id, Map<String, Double> resources, Connection holder) {
      this.id = id;
      this.resources = resources;
      this.holder = holder;
    }
  }

  /** A demand waiting for resources, served in arrival order (see {@link LeaseManager#grant}). */
  sealed interface Demand permits LeaseRequest, ActorRequest {
    Connection conn();

    long reqId();

    Map<String, Double> resources();
  }

  /** A task's lease demand; {@code request} what the requester asked (null in tests). */
  record LeaseRequest(
      Connection conn,
      long reqId,
      WorkerPool pool,
      Map<String, Double> resources,
      Msg.RequestLease request)
      implements Demand {}

  private final ScheduledExecutorService loop;
  private final NodeResources resources;
  private final WorkerRegistry workers;
  private ActorAdmissions actors;

  /** The worker of each live lease. */
  private final Map<Long, Worker> leases = new HashMap<>();

  private final ArrayDeque<Demand> waiting = new ArrayDeque<>();

  /**
   * What the demands that fit but wait for a worker JVM to start will take (as of the last {@link
   * #grant} pass): the node reports it as taken already, so that other nodes do not spill more
   * demands here than it has room for while its workers start.
   */
  private Map<String, Double> startingFor = Map.of();

  private long nextLeaseId = 1;

  LeaseManager(ScheduledExecutorService loop, NodeResources resources, WorkerRegistry workers) {
    this.loop = loop;
    this.resources = resources;
    this.workers = workers;
  }

  /** Wires actor hosting in (it is built after the line, which it uses). */
  void admitActorsVia(ActorAdmissions actors) {
    this.actors = actors;
  }

  /** RequestLease of pool {@code p} that this node serves ({@link LeaseScheduler} chose it). */
  void request(Connection c, long reqId, WorkerPool p, Map<String, Double> need) {
    request(c, reqId, p, need, null);
  }

  /** As above, keeping what the requester asked (so that the demand may move: {@link #takeIf}). */
  void request(
      Connection c, long reqId, WorkerPool p, Map<String, Double> need, Msg.RequestLease r) {
    waiting.add(new LeaseRequest(c, reqId, p, need, r));
    grant();
  }

  /** Whether a task's demand waits in the line. */
  /** Live leases (metrics; on the loop). */
  int activeLeases() {
    return leases.size();
  }

  /** Lease requests that wait for room or a worker (metrics; on the loop). */
  int waitingDemands() {
    return waiting.size();
  }

  boolean hasWaitingTasks() {
    for (Demand d : waiting) {
      if (d instanceof LeaseRequest) {
        return true;
      }
    }
    return false;
  }

  /**
   * Takes out of the line the task demands that do not fit this node's available resources now and
   * that {@code move} accepts (it answers them elsewhere); the rest stay in order.
   */
  List<LeaseRequest> takeIf(java.util.function.Predicate<LeaseRequest> move) {
    List<LeaseRequest> out = new ArrayList<>();
    Map<String, Double> free = resources.availableCopy();
    for (Iterator<Demand> it = waiting.iterator(); it.hasNext(); ) {
      if (it.next() instanceof LeaseRequest r
          && r.conn().isOpen()
          && !NodeResources.fits(free, r.resources())
          && move.test(r)) {
        it.remove();
        out.add(r);
      }
    }
    return out;
  }

  /** See {@link #startingFor}. */
  Map<String, Double> startingFor() {
    return startingFor;
  }

  /** What the demands waiting in the line ask for, together (the scheduler's "room now"). */
  Map<String, Double> queuedDemand() {
    Map<String, Double> sum = new HashMap<>();
    for (Demand d : waiting) {
      add(sum, d.resources(), +1);
    }
    return sum;
  }

  /** Puts a demand at the end of the line (call {@link #grant} after). */
  void enqueue(Demand d) {
    waiting.add(d);
  }

  /** Takes a demand out of the line. */
  void withdraw(Demand d) {
    waiting.remove(d);
  }

  /** Drops the waiting demands of a connection that closed (call {@link #grant} after). */
  /** The connections that hold a lease here or wait for one (their owners). */
  java.util.Set<Connection> holders() {
    java.util.Set<Connection> out = new java.util.HashSet<>();
    for (Worker w : workers.all()) {
      for (Lease l : w.leases.values()) {
        out.add(l.holder);
      }
    }
    for (Demand d : waiting) {
      out.add(d.conn());
    }
    return out;
  }

  void dropDemandsOf(Connection c) {
    for (Iterator<Demand> it = waiting.iterator(); it.hasNext(); ) {
      Demand d = it.next();
      if (d.conn() == c) {
        it.remove();
        if (d instanceof ActorRequest a) {
          actors.abandon(a);
        }
      }
    }
  }

  /**
   * Fails the waiting demands that {@code error} gives an error for (a removed placement group's:
   * see BundleResources#removedError); an actor's is out of actor hosting too.
   */
  void failDemands(java.util.function.BiFunction<Demand, String, String> error) {
    for (Iterator<Demand> it = waiting.iterator(); it.hasNext(); ) {
      Demand d = it.next();
      String why = error.apply(d, d instanceof ActorRequest ? "actor" : "task");
      if (why != null) {
        it.remove();
        if (d instanceof ActorRequest a) {
          actors.abandon(a);
        }
        log.info("a demand of {} for {} fails: {}", d.conn().peer(), d.resources(), why);
        d.conn().replyFailure(d.reqId(), why);
      }
    }
  }

  /** WorkerBlocked: the lease's CPU is free for others until it unblocks. */
  void blocked(Msg.WorkerBlocked b) {
    Lease l = leaseOf(b.workerId(), b.leaseId());
    if (l != null && !l.blocked) {
      l.blocked = true;
      resources.give(cpuOnly(l.resources));
      grant();
    }
  }

  /** WorkerUnblocked: the lease takes its CPU back (even if that oversubscribes briefly). */
  void unblocked(Msg.WorkerUnblocked b) {
    Lease l = leaseOf(b.workerId(), b.leaseId());
    if (l != null && l.blocked) {
      l.blocked = false;
      resources.take(cpuOnly(l.resources));
    }
  }

  /** A worker that died in state {@code was}: the leases it held are over. */
  void workerExited(Worker w, Worker.State was) {
    if (was == Worker.State.LEASED) {
      List<Lease> held = new ArrayList<>(w.leases.values());
      w.leases.clear();
      for (Lease l : held) {
        leases.remove(l.id);
        release(w, l);
      }
    }
  }

  /**
   * The holder of these leases is gone (a driver that exited, a worker with nested tasks that
   * died): nobody will return them or push to them. Each worker is asked to finish what it runs (a
   * task of the dead holder that is running keeps its resources until it ends: stopping user code
   * half-way is not safe in a reused JVM) and then goes back to idle; tasks it had queued for the
   * dead holder are dropped by the worker, since nobody can take their results.
   */
  void revokeLeasesOf(Connection holder) {
    for (Worker w : workers.all()) {
      for (Lease l : w.leases.values()) {
        if (l.holder == holder && !l.revoking) {
          revoke(w, l);
        }
      }
    }
  }

  private void revoke(Worker w, Lease l) {
    l.revoking = true;
    long leaseId = l.id;
    log.info(
        "lease {} of worker {}: its holder {} disconnected; the worker gives it back once what it"
            + " runs under it ends",
        leaseId,
        w.id,
        l.holder.peer());
    if (w.conn == null || !w.conn.isOpen()) {
      return; // the worker is going away too: its exit returns the lease
    }
    w.conn
        .call(new Msg.RevokeLease(leaseId))
        .whenComplete(
            (reply, err) ->
                loop.execute(
                    () -> {
                      if (reply instanceof Msg.Ack) {
                        returnLease(leaseId);
                      } else if (w.state == Worker.State.LEASED && w.leases.containsKey(leaseId)) {
                        log.warn(
                            "worker {} did not give up revoked lease {} ({}); it keeps it until"
                                + " it exits",
                            w.id,
                            leaseId,
                            err != null ? err.toString() : String.valueOf(reply));
                      }
                    }));
  }

  /** A lease is over: its resources come back and its worker goes back to idle. */
  void returnLease(long leaseId) {
    Worker w = leases.remove(leaseId);
    if (w != null && w.state == Worker.State.LEASED) {
      release(w, w.leases.remove(leaseId));
      if (w.leases.isEmpty()) {
        w.state = Worker.State.IDLE;
        // first in line for the next lease: the pool is used as a stack, so the workers whose JIT
        // has compiled the task path keep getting the work, and the ones started to keep the pool
        // warm (at its end) are used only when the load needs them. Handed out oldest first, a
        // lease returned and asked for again moved to a JVM that had not run the tasks yet, and
        // ran them interpreted until its JIT caught up.
        w.pool.idle.addFirst(w);
      }
      grant();
    }
  }

  /** The live lease {@code leaseId} of worker {@code workerId}, or null. */
  private Lease leaseOf(long workerId, long leaseId) {
    Worker w = workers.get(workerId);
    return w == null || w.state != Worker.State.LEASED ? null : w.leases.get(leaseId);
  }

  /**
   * A leased CPU worker of {@code p} whose tasks all wait in {@code get}: it can run one more task
   * (on a virtual thread) for the CPU those gave back, so deep recursions of blocking tasks need no
   * new JVM per level. Null when there is none.
   */
  private Worker blockedWorker(WorkerPool p) {
    for (Worker w : workers.all()) {
      if (leasedCpuWorker(w, p)
          && w.leases.values().stream().allMatch(l -> l.blocked && !l.revoking)) {
        return w;
      }
    }
    return null;
  }

  /**
   * A leased CPU worker of {@code p} that can take one more lease: it holds fewer than {@link
   * WorkerRegistry#tasksPerWorker} (none of them being revoked), the fewest of any such worker.
   * Null when there is none, or when each worker holds one lease only (the default).
   */
  private Worker workerWithRoom(WorkerPool p) {
    Worker best = null;
    for (Worker w : workers.all()) {
      if (leasedCpuWorker(w, p)
          && w.leases.size() < workers.tasksPerWorker
          && w.leases.values().stream().noneMatch(l -> l.revoking)
          && (best == null || w.leases.size() < best.leases.size())) {
        best = w;
      }
    }
    return best;
  }

  /** Whether {@code w} is a task worker of {@code p}, leased, without GPUs, and connected. */
  private static boolean leasedCpuWorker(Worker w, WorkerPool p) {
    return w.pool == p
        && w.kind == Worker.Kind.TASK
        && w.state == Worker.State.LEASED
        && w.gpuIds.isEmpty()
        && w.conn != null
        && w.conn.isOpen();
  }

  /** An idle worker of {@code p} for a demand of {@code gpus} GPUs whose GPUs are all free. */
  private Worker idleWorkerFor(WorkerPool p, int gpus) {
    for (Iterator<Worker> it = p.idle.iterator(); it.hasNext(); ) {
      Worker w = it.next();
      if (w.gpuIds.size() == gpus && resources.gpusFree(w.gpuIds)) {
        it.remove();
        return w;
      }
    }
    return null;
  }

  /** Grants waiting requests in order while resources allow; starts workers where none is idle. */
  void grant() {
    Map<WorkerPool, Integer> needWorkers = new HashMap<>();
    Map<String, Double> hypothetical = resources.availableCopy();
    java.util.TreeSet<Integer> hypotheticalGpus = resources.freeGpusCopy();
    List<Map.Entry<WorkerPool, List<Integer>>> needGpuWorkers = new ArrayList<>();
    List<ActorRequest> actorsToPlace = new ArrayList<>();
    for (Iterator<Demand> it = waiting.iterator(); it.hasNext(); ) {
      Demand d = it.next();
      if (!d.conn().isOpen()) {
        it.remove();
        if (d instanceof ActorRequest a) {
          actors.abandon(a);
        }
        continue;
      }
      boolean fitsNow = true;
      for (Map.Entry<String, Double> e : d.resources().entrySet()) {
        if (hypothetical.getOrDefault(e.getKey(), 0.0) + 1e-9 < e.getValue()) {
          fitsNow = false;
          break;
        }
      }
      if (!fitsNow) {
        continue; // later, smaller requests may still fit
      }
      if (d instanceof ActorRequest a) {
        // an actor's resources are taken now, and held until it is gone
        it.remove();
        List<Integer> gpus = actors.admit(a);
        hypotheticalGpus.removeAll(gpus);
        add(hypothetical, a.resources(), -1);
        actorsToPlace.add(a);
        continue;
      }
      LeaseRequest r = (LeaseRequest) d;
      int gpus = gpusOf(r.resources());
      Worker w = idleWorkerFor(r.pool, gpus);
      // An idle worker's task port runs the task on the thread that reads it; a worker whose
      // tasks are all blocked, or one that runs fewer tasks than tasksPerWorker, takes this one on
      // its main port, where the lease's tasks run one at a time on a virtual thread.
      boolean shared = false;
      if (w == null && gpus == 0) {
        w = blockedWorker(r.pool);
        if (w == null) {
          w = workerWithRoom(r.pool);
        }
        shared = w != null;
      }
      if (w != null) {
        it.remove();
        long leaseId = nextLeaseId++;
        w.state = Worker.State.LEASED;
        w.leases.put(leaseId, new Lease(leaseId, r.resources(), r.conn));
        resources.markGpusTaken(w.gpuIds);
        hypotheticalGpus.removeAll(w.gpuIds);
        leases.put(leaseId, w);
        resources.take(r.resources());
        add(hypothetical, r.resources(), -1);
        r.conn.reply(
            r.reqId,
            new Msg.LeaseGranted(leaseId, w.id, w.address, shared ? w.address : w.taskAddress));
      } else if (gpus > 0) {
        // a worker JVM of its own, started with CUDA_VISIBLE_DEVICES set to the GPUs it will get
        List<Integer> ids = new ArrayList<>(hypotheticalGpus).subList(0, gpus);
        hypotheticalGpus.removeAll(ids);
        add(hypothetical, r.resources(), -1);
        needGpuWorkers.add(Map.entry(r.pool, List.copyOf(ids)));
      } else {
        add(hypothetical, r.resources(), -1);
        needWorkers.merge(r.pool, 1, Integer::sum);
      }
    }
    Map<String, Double> committed = new HashMap<>(resources.available);
    add(committed, hypothetical, -1);
    committed.values().removeIf(v -> Math.abs(v) < 1e-9);
    if (!committed.equals(startingFor)) {
      startingFor = Map.copyOf(committed);
      resources.onChange.run();
    }
    for (ActorRequest a : actorsToPlace) {
      actors.place(a);
    }
    int startingNow = workers.startingCount();
    for (Map.Entry<WorkerPool, Integer> e : needWorkers.entrySet()) {
      WorkerPool p = e.getKey();
      // a worker starting takes tasksPerWorker of the waiting leases once it registered
      while ((long) p.starting * workers.tasksPerWorker < e.getValue()
          && startingNow < WorkerRegistry.MAX_CONCURRENT_STARTS
          && workers.liveCount() < WorkerRegistry.MAX_WORKERS) {
        workers.start(p, Worker.Kind.TASK);
        startingNow++;
      }
    }
    for (Map.Entry<WorkerPool, List<Integer>> e : needGpuWorkers) {
      boolean alreadyStarting = workers.isStarting(e.getKey(), e.getValue());
      if (!alreadyStarting
          && startingNow < WorkerRegistry.MAX_CONCURRENT_STARTS
          && workers.liveCount() < WorkerRegistry.MAX_WORKERS) {
        workers.start(e.getKey(), Worker.Kind.TASK, e.getValue());
        startingNow++;
      }
    }
  }

  /**
   * Gives a lease's resources back (its CPU is back already while it is blocked); the worker's GPUs
   * once it holds no lease.
   */
  private void release(Worker w, Lease l) {
    if (l == null) {
      return;
    }
    if (!l.blocked) {
      resources.give(l.resources);
    } else {
      Map<String, Double> rest = new HashMap<>(l.resources);
      rest.remove("CPU");
      resources.give(rest);
    }
    if (w.leases.isEmpty()) {
      resources.giveGpus(w.gpuIds);
    }
  }
}
