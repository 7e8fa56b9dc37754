package dev.weft.internal.node;

import dev.weft.internal.proto.Msg;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs this node knows, each with the worker pool its code runs in. Any node serves any job: a
 * demand (RequestLease, HostActor) for a job the node does not know makes it ask the control store
 * for the job's definition, set the job's pool up, and then serve the demand; demands of that job
 * arriving meanwhile wait in the same line.
 *
 * <p>Message flow:
 *
 * <pre>
 *  CW → CS  RegisterJob(name, driverAddress, pid, JobCode) → JobInfo   (CS keeps the JobCode)
 *  CW → NM  AttachJob(jobId, JobCode, …) → JobAttached                 (the driver's own node:
 *           the job is known at once)
 *  any → NM RequestLease(jobId) / CS → NM HostActor(spec.jobId) for a job the node does not know:
 *    NM → CS  GetJob(jobId) → JobDefinition(jobId, driverAddress, JobCode) | Failure (ended/unknown)
 *    NM: pool for the JobCode set up; the demands that waited are served, in arrival order;
 *        on a Failure every waiting demand is answered with it and the job stays unknown
 *  CS → NM  JobEnded(jobId) (one-way, to every live node, when the driver's connection to the
 *           control store closes): the node forgets the job; a pool no job uses any more retires
 * </pre>
 *
 * The driver's own node also forgets the job when the driver's connection to it closes (the same
 * event, seen first). Forgetting is idempotent. A JobEnded cannot overtake the JobDefinition of the
 * same job: both travel on the node's one connection to the control store, in order.
 *
 * <p>Implementation notes. Runs on the node loop thread only, as every room of {@link NodeManager};
 * the control store's replies are posted back to the loop.
 */
final class JobCatalog {
  private static final Logger log = LoggerFactory.getLogger(JobCatalog.class);

  /** Asks the control store for a job's definition (a seam for tests). */
  interface ControlGateway {
    /** A future of the control store's reply; failed when the control store is out of reach. */
    CompletableFuture<Msg> getJob(int jobId);
  }

  /** Makes (or finds) the worker pool a job's code runs in. */
  interface PoolFactory {
    WorkerPool poolFor(Msg.JobCode code);
  }

  private static final class Job {
    final int id;
    WorkerPool pool;
    String driverAddress;
    final List<Consumer<WorkerPool>> waiting = new ArrayList<>();
    final List<Consumer<String>> failing = new ArrayList<>();

    Job(int id) {
      this.id = id;
    }
  }

  private final ScheduledExecutorService loop;
  private final String nodeId;
  private final ControlGateway control;
  private final PoolFactory pools;
  private final Consumer<WorkerPool> retire;
  private final Map<Integer, Job> jobs = new HashMap<>();

  JobCatalog(
      ScheduledExecutorService loop,
      String nodeId,
      ControlGateway control,
      PoolFactory pools,
      Consumer<WorkerPool> retire) {
    this.loop = loop;
    this.nodeId = nodeId;
    this.control = control;
    this.pools = pools;
    this.retire = retire;
  }

  /** The job's driver attached to this node: the job is known from now on. */
  WorkerPool attach(int jobId, String driverAddress, Msg.JobCode code) {
    Job j = jobs.computeIfAbsent(jobId, Job::new);
    if (j.pool == null) {
      known(j, driverAddress, pools.poolFor(code));
    }
    return j.pool;
  }

  /** The pool of job {@code jobId}, or null when the node does not know it (yet). */
  WorkerPool poolOf(int jobId) {
    Job j = jobs.get(jobId);
    return j == null ? null : j.pool;
  }

  /**
   * Runs {@code then} with the pool of job {@code jobId} once the node knows the job (at once if it
   * does), or {@code failed} with the reason it cannot.
   */
  void withJob(int jobId, Consumer<WorkerPool> then, Consumer<String> failed) {
    Job j = jobs.get(jobId);
    if (j != null && j.pool != null) {
      then.accept(j.pool);
      return;
    }
    if (j != null) {
      j.waiting.add(then);
      j.failing.add(failed);
      return; // its definition is on the way
    }
    Job fresh = new Job(jobId);
    jobs.put(jobId, fresh);
    fresh.waiting.add(then);
    fresh.failing.add(failed);
    log.info(
        "job {} is new to node {}: asking the control store for its definition", jobId, nodeId);
    CompletableFuture<Msg> reply;
    try {
      reply = control.getJob(jobId);
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    reply.whenComplete((m, err) -> loop.execute(() -> defined(fresh, m, err)));
  }

  private void defined(Job j, Msg reply, Throwable err) {
    if (jobs.get(j.id) != j) {
      return; // forgotten meanwhile (its JobEnded came)
    }
    if (reply instanceof Msg.JobDefinition d) {
      WorkerPool p;
      try {
        p = pools.poolFor(d.code());
      } catch (RuntimeException e) {
        fail(j, "cannot set job " + j.id + "'s code up on node " + nodeId + ": " + e.getMessage());
        return;
      }
      known(j, d.driverAddress(), p);
      return;
    }
    String why =
        reply instanceof Msg.Failure f
            ? f.text()
            : err != null ? String.valueOf(err.getMessage()) : "unexpected reply " + reply;
    fail(
        j,
        "job "
            + j.id
            + " is not known to node "
            + nodeId
            + " and the control store did not give its definition: "
            + why);
  }

  private void known(Job j, String driverAddress, WorkerPool p) {
    j.pool = p;
    j.driverAddress = driverAddress;
    p.jobs++;
    List<Consumer<WorkerPool>> ready = new ArrayList<>(j.waiting);
    j.waiting.clear();
    j.failing.clear();
    ready.forEach(r -> r.accept(p));
  }

  private void fail(Job j, String why) {
    log.warn("{}", why);
    jobs.remove(j.id);
    List<Consumer<String>> failed = new ArrayList<>(j.failing);
    j.waiting.clear();
    j.failing.clear();
    failed.forEach(f -> f.accept(why));
  }

  /** Job {@code jobId} ended: the node forgets it; its pool retires once no job uses it. */
  void forget(int jobId, String why) {
    Job j = jobs.remove(jobId);
    if (j == null) {
      return;
    }
    log.info("job {} ended ({}): node {} forgets it", jobId, why, nodeId);
    if (j.pool == null) {
      fail(j, "job " + jobId + " ended (" + why + ") before node " + nodeId + " could set it up");
      return;
    }
    if (--j.pool.jobs <= 0) {
      retire.accept(j.pool);
    }
  }
}
