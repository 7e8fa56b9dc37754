package dev.weft.internal.node;

import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker JVMs of this node and their pools: starting them (at most {@link
 * #MAX_CONCURRENT_STARTS} at a time, {@link #MAX_WORKERS} in all), adopting the ones an embedded
 * driver started itself, keeping a pool's warm workers, their registration, their exit, and
 * retiring a pool whose jobs have ended.
 *
 * <p>Implementation notes. Runs on the node loop thread only, as every room of {@link NodeManager};
 * process-exit callbacks post to the loop. What a worker's exit means to the other rooms (its
 * leases, its actors, its objects) is not decided here: the registry buries the worker and tells
 * {@link Events#workerExited}, and asks for a new pass over waiting demands through {@link
 * Events#capacityChanged} when workers that were counted on never came.
 */
final class WorkerRegistry {
  private static final Logger log = LoggerFactory.getLogger(WorkerRegistry.class);
  static final int MAX_WORKERS = Integer.getInteger("weft.node.maxWorkers", 64);
  static final int MAX_CONCURRENT_STARTS = 2;

  /** Starts a worker's JVM; it registers with the node (RegisterWorker) once it is up. */
  interface Spawner {
    Process spawn(
        long workerId, WorkerPool pool, Worker.Kind kind, Map<String, String> env, Path log)
        throws IOException;
  }

  /** What the registry tells the node (on the loop). */
  interface Events {
    /** {@code w} is gone and out of the registry; {@code was} is the state it died in. */
    void workerExited(Worker w, Worker.State was, int exitCode);

    /** Workers that were counted on will not come: waiting demands should be looked at again. */
    void capacityChanged();
  }

  private final ScheduledExecutorService loop;
  private final String token;
  private final Path sessionDir;
  private final Spawner spawner;
  private final Events events;
  private final Map<String, WorkerPool> pools = new HashMap<>();
  private final Map<Long, Worker> workers = new LinkedHashMap<>();

  /** The adopted workers' processes still alive; read by {@link #destroyAdopted} off the loop. */
  private final Set<ProcessHandle> adoptedProcesses = ConcurrentHashMap.newKeySet();

  /** A worker that registered: enough to say whose log file is whose after it is gone. */
  record Registered(long id, long pid, String address, Worker.Kind kind) {}

  /** Every worker that registered, dead ones too (the latest 4,096). */
  private final Map<Long, Registered> history =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Registered> e) {
          return size() > 4096;
        }
      };

  private long nextWorkerId = 1;

  /**
   * How many leases one task worker holds at once (WeftConfig.tasksPerWorker, {@code weft start
   * --tasks-per-worker}): above 1, a worker already leased takes more (see {@link
   * LeaseManager#grant}) and a pool warms one JVM per that many CPUs. Set once, before the node
   * listens; read on the loop.
   */
  int tasksPerWorker = 1;

  WorkerRegistry(
      ScheduledExecutorService loop,
      String token,
      Path sessionDir,
      Spawner spawner,
      Events events) {
    this.loop = loop;
    this.token = token;
    this.sessionDir = sessionDir;
    this.spawner = spawner;
    this.events = events;
  }

  static String poolKey(String classpath, List<String> jvmOptions) {
    return classpath + "\u0000" + String.join("\u0001", jvmOptions);
  }

  WorkerPool pool(String classpath, List<String> jvmOptions) {
    return pools.computeIfAbsent(
        poolKey(classpath, jvmOptions), k -> new WorkerPool(classpath, jvmOptions));
  }

  /**
   * The pool a job's code runs in, keyed by the code's content (its entries' hashes and the JVM
   * options), so that jobs with the same code share warm workers whatever their paths; {@code
   * classpath} is where this node starts the workers of a new pool from. A pool prestarted for
   * exactly that class path string (an embedded cluster's, keyed by path: its node could not hash
   * the driver's code at boot) becomes this content's pool.
   */
  WorkerPool pool(Msg.JobCode code, String classpath) {
    String key = contentKey(code);
    WorkerPool p = pools.get(key);
    if (p != null) {
      return p;
    }
    p = pools.remove(poolKey(classpath, code.jvmOptions()));
    if (p == null) {
      p = new WorkerPool(classpath, code.jvmOptions());
    }
    pools.put(key, p);
    return p;
  }

  /** A JobCode's content as a pool key: its entries' hashes in order, and its JVM options. */
  static String contentKey(Msg.JobCode code) {
    StringBuilder b = new StringBuilder("sha256:");
    for (Msg.CodeEntry e : code.classpath()) {
      if (!e.sha256().isEmpty()) {
        b.append(e.sha256()).append(',');
      }
    }
    return b.append('\u0000').append(String.join("\u0001", code.jvmOptions())).toString();
  }

  Worker get(long workerId) {
    return workers.get(workerId);
  }

  /** Every worker not yet buried, in start order (the live view: do not change it meanwhile). */
  Collection<Worker> all() {
    return workers.values();
  }

  /** Every worker that registered lately, alive or not, in start order (on the loop only). */
  Collection<Registered> history() {
    return history.values();
  }

  /** Where each worker's log goes. */
  Path logOf(Worker w) {
    return logOf(w.id, w.kind);
  }

  Path logOf(long id, Worker.Kind kind) {
    return sessionDir.resolve(
        "worker-" + id + (kind == Worker.Kind.TASK ? "" : "-actors") + ".log");
  }

  /**
   * An embedded cluster's driver starts the first worker itself, beside this node's JVM, to save a
   * JVM start on the way to the first result; the node adopts it when it registers with id 0.
   */
  void expectAdoptions(WorkerPool p, int n) {
    p.adoptionsPending += n;
    p.starting += n;
    loop.schedule(
        () -> {
          if (p.adoptionsPending > 0) {
            log.warn(
                "{} worker(s) started by the driver never registered; starting our own",
                p.adoptionsPending);
            p.starting -= p.adoptionsPending;
            p.adoptionsPending = 0;
            ensureWarm(p, p.warmTarget);
            events.capacityChanged();
          }
        },
        60,
        TimeUnit.SECONDS);
  }

  private Worker adopt(Msg.RegisterWorker r) {
    for (WorkerPool p : pools.values()) {
      if (p.adoptionsPending > 0) {
        p.adoptionsPending--;
        Worker w = new Worker(nextWorkerId++, p, Worker.Kind.TASK);
        workers.put(w.id, w);
        ProcessHandle.of(r.pid())
            .ifPresent(
                h -> {
                  w.adopted = h;
                  adoptedProcesses.add(h);
                  h.onExit().thenAccept(adoptedProcesses::remove);
                  h.onExit().thenAccept(x -> loop.execute(() -> exited(w, -1)));
                });
        return w;
      }
    }
    return null;
  }

  void ensureWarm(WorkerPool p, int cpus) {
    p.warmTarget = Math.max(p.warmTarget, cpus);
    // the workers that hold leases for that many CPUs
    int n = (p.warmTarget + tasksPerWorker - 1) / tasksPerWorker;
    if (p.starting > 0) {
      return; // the rest warm up once this one registered, so they do not slow the first task's
      // worker
    }
    int have = p.starting + p.idle.size();
    for (Worker w : workers.values()) {
      if (w.pool == p && w.kind == Worker.Kind.TASK && w.state == Worker.State.LEASED) {
        have++;
      }
    }
    if (have < n) {
      start(p, Worker.Kind.TASK); // one at a time: a JVM's start-up is CPU-bound
    }
  }

  /**
   * A worker registers on {@code c}: the worker it is (one this node started, or one to adopt), or
   * null when it is none of ours. The caller answers it, then calls {@link #ready}.
   */
  Worker register(Connection c, Msg.RegisterWorker r) {
    Worker w = r.workerId() == 0 ? adopt(r) : workers.get(r.workerId());
    if (w == null || w.state == Worker.State.DEAD) {
      return null;
    }
    w.conn = c;
    w.address = r.address();
    w.taskAddress = r.taskAddress();
    w.pid = r.pid();
    history.put(w.id, new Registered(w.id, w.pid, w.address, w.kind));
    c.attach(w);
    w.pool.starting--;
    return w;
  }

  /**
   * A registered worker is answered: it goes idle (or hosts actors) and what waited for it runs.
   */
  void ready(Worker w) {
    if (w.kind == Worker.Kind.TASK) {
      w.state = Worker.State.IDLE;
      w.pool.idle.addLast(w); // behind the warm ones (see WorkerPool.idle)
      loop.execute(() -> ensureWarm(w.pool, w.pool.warmTarget));
    } else {
      w.state = Worker.State.HOSTING;
    }
    List<Runnable> ready = new ArrayList<>(w.onReady);
    w.onReady.clear();
    ready.forEach(Runnable::run);
  }

  int liveCount() {
    int n = 0;
    for (Worker w : workers.values()) {
      if (w.state != Worker.State.DEAD) {
        n++;
      }
    }
    return n;
  }

  /** How many workers are starting now, in all pools. */
  int startingCount() {
    int n = 0;
    for (WorkerPool p : pools.values()) {
      n += p.starting;
    }
    return n;
  }

  /** Whether a task worker of {@code p} for exactly these GPUs is starting already. */
  boolean isStarting(WorkerPool p, List<Integer> gpuIds) {
    return workers.values().stream()
        .anyMatch(
            w ->
                w.state == Worker.State.STARTING
                    && w.pool == p
                    && w.kind == Worker.Kind.TASK
                    && w.gpuIds.equals(gpuIds));
  }

  /** The addresses of the live registered workers. */
  List<String> liveAddresses() {
    List<String> addrs = new ArrayList<>();
    for (Worker w : workers.values()) {
      if (w.state != Worker.State.DEAD && w.address != null) {
        addrs.add(w.address);
      }
    }
    return addrs;
  }

  /** Sends {@code m} to every worker that is connected. */
  void sendToEach(Msg m) {
    for (Worker w : workers.values()) {
      if (w.conn != null && w.conn.isOpen()) {
        w.conn.send(m);
      }
    }
  }

  Worker start(WorkerPool p, Worker.Kind kind) {
    return start(p, kind, List.of());
  }

  /**
   * Starts a worker JVM; one for GPUs gets {@code CUDA_VISIBLE_DEVICES} set to them, for good: a
   * CUDA runtime reads it once, at its start, so a reused JVM cannot change GPUs.
   */
  Worker start(WorkerPool p, Worker.Kind kind, List<Integer> gpuIds) {
    Worker w = new Worker(nextWorkerId++, p, kind);
    w.gpuIds = gpuIds;
    workers.put(w.id, w);
    p.starting++;
    Map<String, String> env = new HashMap<>();
    env.put("WEFT_TOKEN", token);
    if (!gpuIds.isEmpty()) {
      env.put(
          "CUDA_VISIBLE_DEVICES", String.join(",", gpuIds.stream().map(String::valueOf).toList()));
    }
    try {
      w.process = spawner.spawn(w.id, p, kind, env, logOf(w));
      w.process.onExit().thenAccept(proc -> loop.execute(() -> exited(w, proc.exitValue())));
    } catch (IOException e) {
      log.error("cannot start a worker JVM", e);
      p.starting--;
      w.state = Worker.State.DEAD;
      workers.remove(w.id);
    }
    return w;
  }

  private void exited(Worker w, int exitCode) {
    Worker.State was = w.state;
    if (was == Worker.State.STARTING) {
      w.pool.starting--;
    }
    w.state = Worker.State.DEAD;
    workers.remove(w.id);
    w.pool.idle.remove(w);
    if (w.pool.actorHost == w) {
      w.pool.actorHost = null;
    }
    events.workerExited(w, was, exitCode);
  }

  /** The last job of {@code p} ended: its workers go, except those that host detached actors. */
  void retire(WorkerPool p) {
    for (Worker w : new ArrayList<>(workers.values())) {
      if (!w.detached.isEmpty()) {
        continue; // detached actors outlive their job, and so does the JVM that hosts them
      }
      if (w.pool == p && w.process != null) {
        w.process.destroy();
      } else if (w.pool == p && w.adopted != null) {
        w.adopted.destroy();
      }
    }
    if (workers.values().stream().noneMatch(w -> w.pool == p)) {
      pools.values().remove(p);
    }
  }

  /**
   * Stops the workers this node adopted (those it started are its descendants). Called from a
   * shutdown hook, off the node loop that owns {@link #workers}: it reads a set of its own (copying
   * the loop's map there raced with the loop and met a null).
   */
  void destroyAdopted() {
    for (ProcessHandle h : adoptedProcesses) {
      h.destroy();
    }
  }
}
