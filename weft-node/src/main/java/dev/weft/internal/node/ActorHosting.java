package dev.weft.internal.node;

import static dev.weft.internal.node.NodeResources.gpusOf;

import dev.weft.ActorId;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The actors this node hosts: each waits in the line of {@link LeaseManager} for its resources,
 * then is placed on a worker and started (StartActor), and is stopped on request or lost with its
 * worker.
 *
 * <p>Implementation notes. Runs on the node loop thread only, as every room of {@link NodeManager};
 * replies from workers post back to the loop. By default every actor of a job lives in that job's
 * shared actor-host worker (many actors per JVM); {@code dedicatedProcess} actors, and actors with
 * GPUs, get a worker of their own ({@link WorkerRegistry} starts it). An actor's resources are
 * taken in the same FIFO line as leases (an actor that does not fit waits; nothing oversubscribes):
 * the line calls {@link #admit} when its turn comes and {@link #place} after the pass. They are
 * given back on every way out, once ({@link #releaseActor}): start failed, stopped in any phase
 * (queued, starting, running), or its worker exited ({@link #lost}; the node reports that to the
 * control store, which restarts or buries the actor).
 */
final class ActorHosting implements LeaseManager.ActorAdmissions {
  /** An actor to host once its resources are free. */
  record ActorRequest(Connection conn, long reqId, Msg.HostActor host)
      implements LeaseManager.Demand {
    @Override
    public Map<String, Double> resources() {
      return host.spec().resources();
    }

    ActorId id() {
      return new ActorId(host.spec().actorHi(), host.spec().actorLo());
    }
  }

  enum ActorPhase {
    /** Waiting in the line of {@link LeaseManager} for its resources. */
    QUEUED,
    /** Resources taken; waiting for its worker, or for the worker's answer to StartActor. */
    STARTING,
    RUNNING
  }

  /**
   * An actor this node hosts or is about to host, with the resources it holds: they go back on
   * every path out (start failed, stopped, killed while starting, its worker exited).
   */
  static final class HostedActor {
    final ActorRequest req;
    ActorPhase phase = ActorPhase.QUEUED;
    Worker worker;
    Map<String, Double> held = Map.of();
    List<Integer> gpus = List.of();

    /** Stopped before its worker answered StartActor: stopped again once it has. */
    boolean killed;

    HostedActor(ActorRequest req) {
      this.req = req;
    }
  }

  private final ScheduledExecutorService loop;
  private final Path sessionDir;
  private final NodeResources resources;
  private final WorkerRegistry workers;
  private final LeaseManager line;
  private final Map<ActorId, Worker> actorHomes = new HashMap<>();
  private final Map<ActorId, HostedActor> hosted = new HashMap<>();
  private final JobCatalog jobs;

  ActorHosting(
      ScheduledExecutorService loop,
      Path sessionDir,
      NodeResources resources,
      WorkerRegistry workers,
      LeaseManager line,
      JobCatalog jobs) {
    this.jobs = jobs;
    this.loop = loop;
    this.sessionDir = sessionDir;
    this.resources = resources;
    this.workers = workers;
    this.line = line;
  }

  /** The actors this node hosts or is about to, by phase (metrics; on the loop). */
  Map<String, Integer> countByPhase() {
    Map<String, Integer> out = new java.util.TreeMap<>();
    for (HostedActor h : hosted.values()) {
      out.merge(h.phase.name(), 1, Integer::sum);
    }
    return out;
  }

  @Override
  public void abandon(ActorRequest a) {
    hosted.remove(a.id());
  }

  /** The incarnation of actor {@code a} that worker {@code w} hosts, or -1 if not known. */
  int incarnationOn(ActorId a, Worker w) {
    HostedActor h = hosted.get(a);
    return h != null && h.worker == w ? h.req.host().incarnation() : -1;
  }

  /** Actor {@code a} was on a worker that exited: it is gone, and its resources come back. */
  void lost(ActorId a) {
    actorHomes.remove(a);
    releaseActor(a);
  }

  /**
   * Stops an actor in whatever phase it is: queued (it never starts), starting (it is stopped as
   * soon as its worker answers), or running. Its resources come back in each case.
   */
  void stop(Msg.StopActor s) {
    ActorId id = new ActorId(s.actorHi(), s.actorLo());
    HostedActor h = hosted.get(id);
    if (h != null && h.phase == ActorPhase.QUEUED) {
      line.withdraw(h.req);
      hosted.remove(id);
      h.req.conn().replyFailure(h.req.reqId(), "actor " + id + " was stopped: " + s.reason());
      return;
    }
    if (h != null && h.phase == ActorPhase.STARTING) {
      h.killed = true; // the start sees it: the actor is stopped once its worker answered
      return;
    }
    releaseActor(id);
    line.grant();
    Worker w = actorHomes.remove(id);
    if (w == null) {
      return;
    }
    w.actors.remove(id);
    boolean wasDetached = w.detached.remove(id);
    if (wasDetached && w.detached.isEmpty() && w.pool.jobs <= 0 && w.process != null) {
      w.actors.clear();
      w.process.destroy(); // it only stayed for detached actors, and the last one is gone
    } else if (w.kind == Worker.Kind.DEDICATED_ACTOR) {
      w.actors.clear(); // killed on purpose: not a death to report
      if (w.process != null) {
        w.process.destroyForcibly();
      }
    } else if (w.conn != null) {
      w.conn.send(s);
    }
  }

  private void releaseActor(ActorId id) {
    HostedActor h = hosted.get(id);
    if (h != null) {
      releaseActor(h);
    }
  }

  /**
   * Gives an actor's resources (and GPUs) back; once only, whatever path it leaves by (a later
   * incarnation hosted here under the same id keeps its own).
   */
  private void releaseActor(HostedActor h) {
    if (hosted.remove(h.req.id(), h) && h.phase != ActorPhase.QUEUED) {
      resources.give(h.held);
      resources.giveGpus(h.gpus);
      h.held = Map.of();
      h.gpus = List.of();
    }
  }

  /** An actor's turn in the line came: its resources (and GPUs) are taken now. */
  @Override
  public List<Integer> admit(ActorRequest a) {
    HostedActor h = hosted.get(a.id());
    h.phase = ActorPhase.STARTING;
    h.held = a.resources();
    h.gpus = resources.takeGpus(gpusOf(a.resources()));
    resources.take(h.held);
    return h.gpus;
  }

  /**
   * An actor to host here: it waits in line with the leases until its resources are free (never
   * oversubscribing), then is placed by {@link #place}.
   */
  void host(Connection c, long reqId, Msg.HostActor h) {
    Msg.ActorSpec spec = h.spec();
    String infeasible = resources.infeasible(spec.resources());
    if (infeasible != null) {
      c.replyFailure(reqId, infeasible);
      return;
    }
    ActorRequest req = new ActorRequest(c, reqId, h);
    if (hosted.containsKey(req.id())) {
      // a new incarnation while the old one is still here: the old one goes first
      stop(
          new Msg.StopActor(
              spec.actorHi(), spec.actorLo(), "actor " + req.id() + " is restarted elsewhere"));
    }
    hosted.put(req.id(), new HostedActor(req));
    line.enqueue(req);
    line.grant();
  }

  /** Starts an actor whose resources {@link LeaseManager#grant} has just taken. */
  @Override
  public void place(ActorRequest req) {
    Connection c = req.conn();
    long reqId = req.reqId();
    Msg.HostActor h = req.host();
    Msg.ActorSpec spec = h.spec();
    ActorId id = req.id();
    HostedActor ha = hosted.get(id);
    // the job's pool (the node knows the job: NodeManager asked the catalog before hosting);
    // the spec's own class path only for a detached actor whose job has ended
    WorkerPool p = jobs.poolOf(spec.jobId());
    if (p == null) {
      p = workers.pool(spec.classpath(), spec.jvmOptions());
    }
    Worker w;
    if (spec.dedicatedProcess() || !ha.gpus.isEmpty()) {
      // an actor with GPUs gets a JVM of its own, started with CUDA_VISIBLE_DEVICES set to them
      w = workers.start(p, Worker.Kind.DEDICATED_ACTOR, ha.gpus);
    } else {
      if (p.actorHost == null || p.actorHost.state == Worker.State.DEAD) {
        p.actorHost = workers.start(p, Worker.Kind.ACTOR_HOST);
      }
      w = p.actorHost;
    }
    Runnable start =
        () -> {
          if (hosted.get(id) != ha) {
            return; // already given up (its requester is gone)
          }
          if (ha.killed || w.state == Worker.State.DEAD || w.conn == null) {
            releaseActor(ha);
            if (w.kind == Worker.Kind.DEDICATED_ACTOR && w.process != null) {
              w.process.destroyForcibly();
            }
            c.replyFailure(
                reqId,
                ha.killed
                    ? "actor " + id + " was stopped before it started"
                    : "its worker process exited before the actor could start (see "
                        + sessionDir
                        + ")");
            line.grant();
            return;
          }
          w.actors.add(id);
          actorHomes.put(id, w);
          if (spec.detached()) {
            w.detached.add(id);
          }
          CompletableFuture<Msg> f = w.conn.call(new Msg.StartActor(spec, h.incarnation()));
          f.whenComplete(
              (reply, err) ->
                  loop.execute(
                      () -> {
                        if (!(reply instanceof Msg.ActorInfo)) {
                          if (actorHomes.get(id) == w) {
                            w.detached.remove(id);
                            w.actors.remove(id);
                            actorHomes.remove(id);
                          }
                          releaseActor(ha);
                          line.grant();
                          if (w.kind == Worker.Kind.DEDICATED_ACTOR && w.process != null) {
                            w.process.destroyForcibly();
                          }
                        } else if (hosted.get(id) == ha) {
                          ha.phase = ActorPhase.RUNNING;
                          if (ha.killed) {
                            // stopped while its constructor ran: stop it now that it exists
                            stop(
                                new Msg.StopActor(
                                    id.hi(),
                                    id.lo(),
                                    "actor " + id + " was stopped as it started"));
                            c.replyFailure(reqId, "actor " + id + " was stopped as it started");
                            return;
                          }
                        }
                        c.reply(
                            reqId,
                            reply != null
                                ? reply
                                : new Msg.Failure("the actor's worker went away: " + err));
                      }));
        };
    ha.worker = w;
    if (w.state == Worker.State.HOSTING) {
      start.run();
    } else {
      w.onReady.add(start);
    }
  }
}
