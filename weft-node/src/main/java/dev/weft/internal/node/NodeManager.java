package dev.weft.internal.node;

import dev.weft.ActorId;
import dev.weft.internal.core.ProcessLauncher;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import dev.weft.internal.rpc.MessageHandler;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node manager: this machine's resources, the worker leases granted against them, and the pool
 * of worker JVMs (started per job class path, reused, kept warm).
 *
 * <p>Implementation notes. All state is owned by the single thread {@link #loop}; Netty handlers
 * and process-exit callbacks only post work to it. A lease is one worker plus the resources of the
 * request; resources are taken when the lease is granted and given back when it is returned or its
 * worker dies. A worker that blocks in {@code get} hands its CPU back until it unblocks (the node
 * may then run more CPU work than it has CPUs, briefly, as the design accepts). Requests that
 * cannot be served now wait in FIFO order; a request that no node could ever serve is refused at
 * once.
 *
 * <p>Actors: by default every actor of a job lives in that job's shared actor-host worker (many
 * actors per JVM); {@code dedicatedProcess} actors get a worker of their own. When a worker dies
 * its actors are reported to the control store, which restarts or buries them.
 */
final class NodeManager implements MessageHandler {
  private static final Logger log = LoggerFactory.getLogger(NodeManager.class);
  static final int MAX_WORKERS = Integer.getInteger("weft.node.maxWorkers", 64);
  static final int MAX_CONCURRENT_STARTS = 2;

  /** Spill file writes and reads (never on {@link #loop}: a 1 GiB restore would stall the node). */
  private final java.util.concurrent.ExecutorService storeIo =
      java.util.concurrent.Executors.newSingleThreadExecutor(
          Thread.ofPlatform().daemon().name("weft-store-io").factory());

  final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("weft-node").factory());

  final String nodeId;
  final String host;
  final String token;
  final Path sessionDir;
  final Map<String, Double> total;
  final Map<String, Double> available;
  volatile String address;
  volatile String controlAddress;
  volatile Connection control;
  final dev.weft.internal.store.ObjectDirectory store;
  final String storePath;
  static final long STORE_FULL_WAIT_MS = Long.getLong("weft.store.fullWaitMillis", 5_000);

  /** How much longer a create may wait while spills that make room are still being written. */
  static final long SPILL_WAIT_MS = Long.getLong("weft.store.spillWaitMillis", 30_000);

  record WaitingCreate(Connection conn, long reqId, Msg.StoreCreate req, long deadlineNanos) {}

  private final ArrayDeque<WaitingCreate> waitingCreates = new ArrayDeque<>();
  private final java.util.Set<Connection> driverConns = new java.util.HashSet<>();
  private long lastGcHintNanos;
  private boolean gcRecheckScheduled;
  static final double STORE_HIGH_WATER = 0.75;
  private final Map<Connection, Map<dev.weft.internal.store.ObjectDirectory.Key, Integer>>
      pinsByConn = new HashMap<>();

  enum Kind {
    TASK,
    ACTOR_HOST,
    DEDICATED_ACTOR
  }

  enum State {
    STARTING,
    IDLE,
    LEASED,
    HOSTING,
    DEAD
  }

  static final class Worker {
    final long id;
    final Pool pool;
    final Kind kind;
    Process process;
    ProcessHandle adopted;
    Connection conn;
    String address;
    String taskAddress;
    State state = State.STARTING;

    /** The leases this worker runs tasks for: one, or more while earlier ones are blocked. */
    final Map<Long, Lease> leases = new LinkedHashMap<>();

    final List<ActorId> actors = new ArrayList<>();
    final java.util.Set<ActorId> detached = new java.util.HashSet<>();
    final List<Runnable> onReady = new ArrayList<>();

    Worker(long id, Pool pool, Kind kind) {
      this.id = id;
      this.pool = pool;
      this.kind = kind;
    }
  }

  /**
   * One slot of this node's resources, granted to an owner for a stream of tasks on one worker.
   * While the task running under it waits in {@code get} ({@code blocked}), its CPU is free for
   * others.
   */
  static final class Lease {
    final long id;
    final Map<String, Double> resources;
    boolean blocked;

    Lease(long id, Map<String, Double> resources) {
      this.id = id;
      this.resources = resources;
    }
  }

  /** Workers for one class path and JVM options (a job's runtime environment). */
  static final class Pool {
    final String classpath;
    final List<String> jvmOptions;
    final ArrayDeque<Worker> idle = new ArrayDeque<>();
    int starting;
    Worker actorHost;
    int jobs;
    int adoptionsPending;
    int warmTarget;

    Pool(String classpath, List<String> jvmOptions) {
      this.classpath = classpath;
      this.jvmOptions = jvmOptions;
    }
  }

  record LeaseRequest(Connection conn, long reqId, Pool pool, Map<String, Double> resources) {}

  private final Map<String, Pool> pools = new HashMap<>();
  private final Map<Long, Worker> workers = new LinkedHashMap<>();
  private final Map<Long, Worker> leases = new HashMap<>();
  private final Map<Integer, Pool> jobs = new HashMap<>();
  private final Map<ActorId, Worker> actorHomes = new HashMap<>();
  private final ArrayDeque<LeaseRequest> waiting = new ArrayDeque<>();
  private long nextWorkerId = 1;
  private long nextLeaseId = 1;
  private boolean stopping;

  NodeManager(
      String nodeId,
      String host,
      String token,
      Path sessionDir,
      Map<String, Double> resources,
      dev.weft.internal.store.StoreFile storeFile,
      dev.weft.internal.store.SpillFiles spillFiles) {
    this.storePath = storeFile.path().toString();
    // spill and restore IO runs on a thread of its own; completions come back to the loop
    this.store =
        new dev.weft.internal.store.ObjectDirectory(
            storeFile.sizeBytes(), storeFile, spillFiles, storeIo, loop);
    this.store.onSpaceFreed(this::retryCreates);
    this.nodeId = nodeId;
    this.host = host;
    this.token = token;
    this.sessionDir = sessionDir;
    this.total = Map.copyOf(resources);
    this.available = new HashMap<>(resources);
  }

  static String poolKey(String classpath, List<String> jvmOptions) {
    return classpath + "\u0000" + String.join("\u0001", jvmOptions);
  }

  Pool pool(String classpath, List<String> jvmOptions) {
    return pools.computeIfAbsent(
        poolKey(classpath, jvmOptions), k -> new Pool(classpath, jvmOptions));
  }

  /** Starts {@code n} warm workers for a class path (embedded clusters do this at boot). */
  void prestart(String classpath, List<String> jvmOptions, int n) {
    loop.execute(() -> ensureWarm(pool(classpath, jvmOptions), n));
  }

  /**
   * An embedded cluster's driver starts the first worker itself, beside this node's JVM, to save a
   * JVM start on the way to the first result; the node adopts it when it registers with id 0.
   */
  void expectAdoptions(String classpath, List<String> jvmOptions, int n) {
    loop.execute(
        () -> {
          Pool p = pool(classpath, jvmOptions);
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
                  grant();
                }
              },
              60,
              java.util.concurrent.TimeUnit.SECONDS);
        });
  }

  private Worker adopt(Msg.RegisterWorker r) {
    for (Pool p : pools.values()) {
      if (p.adoptionsPending > 0) {
        p.adoptionsPending--;
        Worker w = new Worker(nextWorkerId++, p, Kind.TASK);
        workers.put(w.id, w);
        ProcessHandle.of(r.pid())
            .ifPresent(
                h -> {
                  w.adopted = h;
                  h.onExit().thenAccept(x -> loop.execute(() -> onWorkerExit(w, -1)));
                });
        return w;
      }
    }
    return null;
  }

  private void ensureWarm(Pool p, int n) {
    p.warmTarget = Math.max(p.warmTarget, n);
    if (p.starting > 0) {
      return; // the rest warm up once this one registered, so they do not slow the first task's
      // worker
    }
    int have = p.starting + p.idle.size();
    for (Worker w : workers.values()) {
      if (w.pool == p && w.kind == Kind.TASK && w.state == State.LEASED) {
        have++;
      }
    }
    if (have < n) {
      startWorker(p, Kind.TASK); // one at a time: a JVM's start-up is CPU-bound
    }
  }

  @Override
  public void onMessage(Connection c, long reqId, Msg msg) {
    loop.execute(() -> handle(c, reqId, msg));
  }

  @Override
  public void onClose(Connection c) {
    loop.execute(
        () -> {
          if (c.attachment() instanceof Integer jobId) {
            Pool p = jobs.remove(jobId);
            log.info("job {} ended: its driver disconnected", jobId);
            if (p != null && --p.jobs <= 0) {
              retirePool(p);
            }
          }
          // Lease holders that disconnect: their leases are returned when their workers go idle or
          // die.
          for (Iterator<LeaseRequest> it = waiting.iterator(); it.hasNext(); ) {
            if (it.next().conn == c) {
              it.remove();
            }
          }
        });
  }

  private void handle(Connection c, long reqId, Msg msg) {
    switch (msg) {
      case Msg.AttachJob a -> {
        Pool p = pool(a.classpath(), a.jvmOptions());
        p.jobs++;
        jobs.put(a.jobId(), p);
        c.attach(a.jobId());
        ensureWarm(p, Math.min(a.prestart(), (int) Math.ceil(total.getOrDefault("CPU", 1.0))));
        String driver = a.driverAddress();
        driverConns.add(c);
        c.closeFuture()
            .thenRun(
                () ->
                    loop.execute(
                        () -> {
                          driverConns.remove(c);
                          deleteObjectsOf(driver);
                        }));
        c.reply(reqId, new Msg.JobAttached(nodeId, storePath));
      }
      case Msg.RequestLease r -> {
        Pool p = r.jobId() != 0 ? jobs.get(r.jobId()) : null;
        if (p == null && c.attachment() instanceof Worker w) {
          p = w.pool;
        }
        if (p == null) {
          c.replyFailure(reqId, "job " + r.jobId() + " is not attached to node " + nodeId);
          return;
        }
        String infeasible = infeasible(r.resources());
        if (infeasible != null) {
          c.replyFailure(reqId, infeasible);
          return;
        }
        waiting.add(new LeaseRequest(c, reqId, p, r.resources()));
        grant();
      }
      case Msg.ReturnLease r -> {
        Worker w = leases.remove(r.leaseId());
        if (w != null && w.state == State.LEASED) {
          release(w.leases.remove(r.leaseId()));
          if (w.leases.isEmpty()) {
            w.state = State.IDLE;
            w.pool.idle.add(w);
          }
          grant();
        }
      }
      case Msg.RegisterWorker r -> {
        Worker w = r.workerId() == 0 ? adopt(r) : workers.get(r.workerId());
        if (w == null || w.state == State.DEAD) {
          c.replyFailure(reqId, "unknown worker " + r.workerId());
          c.close();
          return;
        }
        w.conn = c;
        w.address = r.address();
        w.taskAddress = r.taskAddress();
        c.attach(w);
        w.pool.starting--;
        c.reply(reqId, new Msg.WorkerConfig(controlAddress, nodeId, w.id, storePath));
        if (w.kind == Kind.TASK) {
          w.state = State.IDLE;
          w.pool.idle.add(w);
          loop.execute(() -> ensureWarm(w.pool, w.pool.warmTarget));
        } else {
          w.state = State.HOSTING;
        }
        List<Runnable> ready = new ArrayList<>(w.onReady);
        w.onReady.clear();
        ready.forEach(Runnable::run);
        grant();
      }
      case Msg.WorkerBlocked b -> {
        Lease l = leaseOf(b.workerId(), b.leaseId());
        if (l != null && !l.blocked) {
          l.blocked = true;
          add(available, cpuOnly(l.resources), +1);
          grant();
        }
      }
      case Msg.WorkerUnblocked b -> {
        Lease l = leaseOf(b.workerId(), b.leaseId());
        if (l != null && l.blocked) {
          l.blocked = false;
          add(available, cpuOnly(l.resources), -1);
        }
      }
      case Msg.HostActor h -> hostActor(c, reqId, h);
      case Msg.ListOwners l -> {
        List<String> addrs = new ArrayList<>();
        for (Worker w : workers.values()) {
          if (w.state != State.DEAD && w.address != null) {
            addrs.add(w.address);
          }
        }
        c.reply(reqId, new Msg.Owners(addrs));
      }
      case Msg.StoreCreate sc ->
          storeCreate(c, reqId, sc, System.nanoTime() + STORE_FULL_WAIT_MS * 1_000_000);
      case Msg.StoreSeal s -> {
        store.seal(new dev.weft.internal.store.ObjectDirectory.Key(s.hi(), s.lo()));
        c.reply(reqId, new Msg.Ack());
      }
      case Msg.StorePin p -> {
        var key = new dev.weft.internal.store.ObjectDirectory.Key(p.hi(), p.lo());
        // in memory: at once; spilled: after the IO thread has read it back (the loop goes on)
        store
            .pin(key)
            .whenComplete(
                (b, err) -> {
                  if (err != null) {
                    c.replyFailure(
                        reqId,
                        "cannot read object "
                            + key
                            + ": "
                            + (err.getCause() != null
                                ? err.getCause().getMessage()
                                : err.getMessage()));
                  } else if (b == null) {
                    c.replyFailure(
                        reqId, "object " + key + " is not in the object store of node " + nodeId);
                  } else if (!c.isOpen()) {
                    store.unpin(key); // the reader left while it was restored
                    store.spaceFreed();
                  } else {
                    Map<dev.weft.internal.store.ObjectDirectory.Key, Integer> mine =
                        pinsByConn.computeIfAbsent(
                            c,
                            k -> {
                              // a reader that goes away releases what it pinned
                              c.closeFuture().thenRun(() -> loop.execute(() -> releasePins(c)));
                              return new HashMap<>();
                            });
                    mine.merge(key, 1, Integer::sum);
                    c.reply(reqId, new Msg.StoreBlock(b.offset, b.sizeBytes));
                  }
                });
      }
      case Msg.StoreUnpin u -> {
        var key = new dev.weft.internal.store.ObjectDirectory.Key(u.hi(), u.lo());
        Map<dev.weft.internal.store.ObjectDirectory.Key, Integer> mine = pinsByConn.get(c);
        if (mine != null && mine.containsKey(key)) {
          mine.computeIfPresent(key, (k, v) -> v > 1 ? v - 1 : null);
          store.unpin(key);
          store.spaceFreed();
        }
      }
      case Msg.StoreDelete d -> {
        store.delete(new dev.weft.internal.store.ObjectDirectory.Key(d.hi(), d.lo()));
        store.spaceFreed();
      }
      case Msg.StoreStats s ->
          c.reply(
              reqId,
              new Msg.StoreStatsReply(
                  store.capacityBytes(),
                  store.usedBytes(),
                  store.objects(),
                  store.pinned(),
                  store.spilledBytes(),
                  store.spilledObjects(),
                  store.spillFiles(),
                  java.util.Arrays.stream(store.spillTotals()).boxed().toList(),
                  store.describe(1000)));
      case Msg.StopActor s -> {
        Worker w = actorHomes.remove(new ActorId(s.actorHi(), s.actorLo()));
        if (w != null) {
          w.actors.remove(new ActorId(s.actorHi(), s.actorLo()));
          boolean wasDetached = w.detached.remove(new ActorId(s.actorHi(), s.actorLo()));
          if (wasDetached && w.detached.isEmpty() && w.pool.jobs <= 0 && w.process != null) {
            w.actors.clear();
            w.process.destroy(); // it only stayed for detached actors, and the last one is gone
          } else if (w.kind == Kind.DEDICATED_ACTOR) {
            w.actors.clear(); // killed on purpose: not a death to report
            if (w.process != null) {
              w.process.destroyForcibly();
            }
          } else if (w.conn != null) {
            w.conn.send(s);
          }
        }
        c.reply(reqId, new Msg.Ack());
      }
      default ->
          c.replyFailure(
              reqId, "the node manager does not handle " + msg.getClass().getSimpleName());
    }
  }

  private void storeCreate(Connection c, long reqId, Msg.StoreCreate sc, long deadlineNanos) {
    var key = new dev.weft.internal.store.ObjectDirectory.Key(sc.hi(), sc.lo());
    if (sc.sizeBytes() > store.capacityBytes()) {
      c.replyFailure(
          reqId,
          "object "
              + key
              + " of "
              + sc.sizeBytes()
              + " bytes is larger than the whole object store of node "
              + nodeId
              + " ("
              + store.capacityBytes()
              + " bytes): start the cluster with a larger objectStoreBytes");
      return;
    }
    dev.weft.internal.store.ObjectDirectory.Block b;
    try {
      hintIfShort(sc.sizeBytes());
      b = store.create(key, sc.sizeBytes(), sc.owner()); // spills unpinned objects to make room
    } catch (RuntimeException e) {
      c.replyFailure(
          reqId,
          "cannot make room for object "
              + key
              + " in the object store of node "
              + nodeId
              + ": "
              + e.getMessage());
      return;
    }
    if (b != null) {
      c.reply(reqId, new Msg.StoreBlock(b.offset, b.sizeBytes));
      return;
    }
    long now = System.nanoTime();
    // While spills are under way the space they free is on its way: the deadline stretches, up to
    // a hard cap (below the client's own 60 s), so a create never waits without bound however busy
    // the disk is.
    long hardDeadline = deadlineNanos + SPILL_WAIT_MS * 1_000_000;
    boolean stretch = store.spilling() && now < hardDeadline;
    if (now >= deadlineNanos && !stretch) {
      c.replyFailure(
          reqId,
          "the object store of node "
              + nodeId
              + " is full: "
              + store.usedBytes()
              + " of "
              + store.capacityBytes()
              + " bytes are used by "
              + store.objects()
              + " objects ("
              + store.pinned()
              + " pinned by readers), and no "
              + sc.sizeBytes()
              + "-byte block came free within "
              + (STORE_FULL_WAIT_MS + (now - deadlineNanos) / 1_000_000)
              + " ms (objects pinned by readers cannot be"
              + " spilled to disk; "
              + store.spilledObjects()
              + " are spilled already"
              + (store.lastIoError() != null ? "; spilling failed: " + store.lastIoError() : "")
              + "). Drop refs to objects you no longer"
              + " need, or start the cluster with a larger objectStoreBytes");
      return;
    }
    waitingCreates.add(new WaitingCreate(c, reqId, sc, deadlineNanos));
    armCreateTimer(now < deadlineNanos ? deadlineNanos : hardDeadline);
  }

  /** How many times waiting creates were retried (a statistic; tests bound it). */
  long createRetries;

  private java.util.concurrent.ScheduledFuture<?> createTimer;
  private long createTimerAt = Long.MAX_VALUE;

  /**
   * One timer for all waiting creates, at the earliest time one of them may have to fail (a timer
   * per retry would multiply: every retry re-queues every waiting create). Freed space retries them
   * sooner, through {@link #retryCreates}.
   */
  private void armCreateTimer(long atNanos) {
    if (createTimer != null && createTimerAt <= atNanos) {
      return;
    }
    if (createTimer != null) {
      createTimer.cancel(false);
    }
    createTimerAt = atNanos;
    createTimer =
        loop.schedule(
            () -> {
              createTimer = null;
              createTimerAt = Long.MAX_VALUE;
              retryCreates();
            },
            Math.max(0, (atNanos - System.nanoTime()) / 1_000_000) + 1,
            java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /**
   * Above the high-water mark, asks every process of the node to collect garbage (at most every 200
   * ms, and again while the store stays short): dropped refs then free their objects, instead of
   * those being spilled to disk or a create being refused.
   */
  private void hintIfShort(long incoming) {
    if (store.usedBytes() + incoming <= STORE_HIGH_WATER * store.capacityBytes()) {
      return;
    }
    long now = System.nanoTime();
    if (now - lastGcHintNanos >= 200_000_000L) {
      lastGcHintNanos = now;
      Msg hint = new Msg.CollectGarbage();
      for (Connection d : driverConns) {
        d.send(hint);
      }
      for (Worker w : workers.values()) {
        if (w.conn != null && w.conn.isOpen()) {
          w.conn.send(hint);
        }
      }
    }
    if (!gcRecheckScheduled) {
      gcRecheckScheduled = true;
      loop.schedule(
          () -> {
            gcRecheckScheduled = false;
            hintIfShort(0);
          },
          500,
          java.util.concurrent.TimeUnit.MILLISECONDS);
    }
  }

  /** Space may have come free: serve waiting creates in order (or time them out). */
  private void retryCreates() {
    createRetries++;
    int n = waitingCreates.size();
    for (int i = 0; i < n; i++) {
      WaitingCreate w = waitingCreates.poll();
      if (w.conn().isOpen()) {
        storeCreate(w.conn(), w.reqId(), w.req(), w.deadlineNanos());
      }
    }
  }

  private void releasePins(Connection c) {
    Map<dev.weft.internal.store.ObjectDirectory.Key, Integer> mine = pinsByConn.remove(c);
    if (mine != null) {
      mine.forEach(
          (k, v) -> {
            for (int i = 0; i < v; i++) {
              store.unpin(k);
            }
          });
      store.spaceFreed();
    }
  }

  /** Objects share their owner's fate: a process that is gone takes its stored objects with it. */
  private void deleteObjectsOf(String owner) {
    if (owner != null && store.deleteOwnedBy(owner) > 0) {
      store.spaceFreed();
    }
  }

  /** The live lease {@code leaseId} of worker {@code workerId}, or null. */
  private Lease leaseOf(long workerId, long leaseId) {
    Worker w = workers.get(workerId);
    return w == null || w.state != State.LEASED ? null : w.leases.get(leaseId);
  }

  /**
   * A leased worker of {@code p} whose tasks all wait in {@code get}: it can run one more task (on
   * a virtual thread) for the CPU those gave back, so deep recursions of blocking tasks need no new
   * JVM per level. Null when there is none.
   */
  private Worker blockedWorker(Pool p) {
    for (Worker w : workers.values()) {
      if (w.pool == p
          && w.kind == Kind.TASK
          && w.state == State.LEASED
          && w.conn != null
          && w.conn.isOpen()
          && w.leases.values().stream().allMatch(l -> l.blocked)) {
        return w;
      }
    }
    return null;
  }

  private String infeasible(Map<String, Double> need) {
    for (Map.Entry<String, Double> e : need.entrySet()) {
      if (total.getOrDefault(e.getKey(), 0.0) < e.getValue()) {
        return "the demand "
            + need
            + " can never be met: node "
            + nodeId
            + " offers "
            + total
            + " in all (lower the task's .cpus/.resource, or start the cluster with more)";
      }
    }
    return null;
  }

  private static Map<String, Double> cpuOnly(Map<String, Double> r) {
    Double cpu = r.get("CPU");
    return cpu == null ? Map.of() : Map.of("CPU", cpu);
  }

  private boolean fits(Map<String, Double> need) {
    for (Map.Entry<String, Double> e : need.entrySet()) {
      if (available.getOrDefault(e.getKey(), 0.0) + 1e-9 < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private static void add(Map<String, Double> into, Map<String, Double> r, int sign) {
    r.forEach((k, v) -> into.merge(k, sign * v, Double::sum));
  }

  /** Grants waiting requests in order while resources allow; starts workers where none is idle. */
  private void grant() {
    Map<Pool, Integer> needWorkers = new HashMap<>();
    Map<String, Double> hypothetical = new HashMap<>(available);
    for (Iterator<LeaseRequest> it = waiting.iterator(); it.hasNext(); ) {
      LeaseRequest r = it.next();
      if (!r.conn.isOpen()) {
        it.remove();
        continue;
      }
      boolean fitsNow = true;
      for (Map.Entry<String, Double> e : r.resources().entrySet()) {
        if (hypothetical.getOrDefault(e.getKey(), 0.0) + 1e-9 < e.getValue()) {
          fitsNow = false;
          break;
        }
      }
      if (!fitsNow) {
        continue; // later, smaller requests may still fit
      }
      Worker w = r.pool.idle.poll();
      // An idle worker's task port runs the task on the thread that reads it; a worker whose
      // tasks are all blocked takes this one on its main port, where it runs on a virtual thread.
      boolean shared = false;
      if (w == null) {
        w = blockedWorker(r.pool);
        shared = w != null;
      }
      if (w != null) {
        it.remove();
        long leaseId = nextLeaseId++;
        w.state = State.LEASED;
        w.leases.put(leaseId, new Lease(leaseId, r.resources()));
        leases.put(leaseId, w);
        add(available, r.resources(), -1);
        add(hypothetical, r.resources(), -1);
        r.conn.reply(
            r.reqId,
            new Msg.LeaseGranted(leaseId, w.id, w.address, shared ? w.address : w.taskAddress));
      } else {
        add(hypothetical, r.resources(), -1);
        needWorkers.merge(r.pool, 1, Integer::sum);
      }
    }
    int startingNow = 0;
    for (Pool p : pools.values()) {
      startingNow += p.starting;
    }
    for (Map.Entry<Pool, Integer> e : needWorkers.entrySet()) {
      Pool p = e.getKey();
      while (p.starting < e.getValue()
          && startingNow < MAX_CONCURRENT_STARTS
          && liveWorkers() < MAX_WORKERS) {
        startWorker(p, Kind.TASK);
        startingNow++;
      }
    }
  }

  private int liveWorkers() {
    int n = 0;
    for (Worker w : workers.values()) {
      if (w.state != State.DEAD) {
        n++;
      }
    }
    return n;
  }

  /** Gives a lease's resources back (its CPU is back already while it is blocked). */
  private void release(Lease l) {
    if (l == null) {
      return;
    }
    if (!l.blocked) {
      add(available, l.resources, +1);
    } else {
      Map<String, Double> rest = new HashMap<>(l.resources);
      rest.remove("CPU");
      add(available, rest, +1);
    }
  }

  private Worker startWorker(Pool p, Kind kind) {
    Worker w = new Worker(nextWorkerId++, p, kind);
    workers.put(w.id, w);
    p.starting++;
    List<String> jvm = new ArrayList<>(p.jvmOptions);
    try {
      ProcessLauncher.Started s =
          ProcessLauncher.start(
              "dev.weft.internal.core.WorkerMain",
              List.of(
                  "--node",
                  address,
                  "--control",
                  controlAddress,
                  "--worker-id",
                  Long.toString(w.id),
                  "--node-pid",
                  Long.toString(ProcessHandle.current().pid()),
                  "--host",
                  host),
              p.classpath,
              jvm,
              Map.of("WEFT_TOKEN", token),
              sessionDir.resolve("worker-" + w.id + (kind == Kind.TASK ? "" : "-actors") + ".log"));
      w.process = s.process();
      w.process.onExit().thenAccept(proc -> loop.execute(() -> onWorkerExit(w, proc.exitValue())));
    } catch (IOException e) {
      log.error("cannot start a worker JVM", e);
      p.starting--;
      w.state = State.DEAD;
      workers.remove(w.id);
    }
    return w;
  }

  private void onWorkerExit(Worker w, int exitCode) {
    State was = w.state;
    if (was == State.STARTING) {
      w.pool.starting--;
    }
    w.state = State.DEAD;
    workers.remove(w.id);
    deleteObjectsOf(w.address);
    w.pool.idle.remove(w);
    if (w.pool.actorHost == w) {
      w.pool.actorHost = null;
    }
    if (was == State.LEASED) {
      for (Lease l : w.leases.values()) {
        leases.remove(l.id);
        release(l);
      }
      w.leases.clear();
    }
    if (!stopping) {
      log.warn(
          "worker {} ({}) exited with code {}; log: {}",
          w.id,
          w.kind,
          exitCode,
          sessionDir.resolve("worker-" + w.id + (w.kind == Kind.TASK ? "" : "-actors") + ".log"));
    }
    String reason = "worker " + w.id + " on node " + nodeId + " exited with code " + exitCode;
    for (ActorId a : w.actors) {
      actorHomes.remove(a);
      Connection ctl = control;
      if (ctl != null && ctl.isOpen() && !stopping) {
        ctl.send(new Msg.ActorProcessDied(a.hi(), a.lo(), reason));
      }
    }
    for (Runnable r : w.onReady) {
      r.run(); // lets waiting actor placements fail fast (they check the state)
    }
    w.onReady.clear();
    grant();
  }

  private void hostActor(Connection c, long reqId, Msg.HostActor h) {
    Msg.ActorSpec spec = h.spec();
    String infeasible = infeasible(spec.resources());
    if (infeasible != null) {
      c.replyFailure(reqId, infeasible);
      return;
    }
    Pool p = pool(spec.classpath(), spec.jvmOptions());
    Worker w;
    if (spec.dedicatedProcess()) {
      w = startWorker(p, Kind.DEDICATED_ACTOR);
    } else {
      if (p.actorHost == null || p.actorHost.state == State.DEAD) {
        p.actorHost = startWorker(p, Kind.ACTOR_HOST);
      }
      w = p.actorHost;
    }
    ActorId id = new ActorId(spec.actorHi(), spec.actorLo());
    Runnable start =
        () -> {
          if (w.state == State.DEAD || w.conn == null) {
            c.replyFailure(
                reqId,
                "its worker process exited before the actor could start (see " + sessionDir + ")");
            return;
          }
          w.actors.add(id);
          actorHomes.put(id, w);
          if (spec.detached()) {
            w.detached.add(id);
          }
          add(available, spec.resources(), -1);
          CompletableFuture<Msg> f = w.conn.call(new Msg.StartActor(spec, h.incarnation()));
          f.whenComplete(
              (reply, err) ->
                  loop.execute(
                      () -> {
                        if (!(reply instanceof Msg.ActorInfo)) {
                          w.detached.remove(id);
                          w.actors.remove(id);
                          actorHomes.remove(id);
                          add(available, spec.resources(), +1);
                          if (w.kind == Kind.DEDICATED_ACTOR && w.process != null) {
                            w.process.destroyForcibly();
                          }
                        }
                        c.reply(
                            reqId,
                            reply != null
                                ? reply
                                : new Msg.Failure("the actor's worker went away: " + err));
                      }));
        };
    if (w.state == State.HOSTING) {
      start.run();
    } else {
      w.onReady.add(start);
    }
  }

  private void retirePool(Pool p) {
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

  /** Stops every worker (shutdown hook). */
  void stopAll() {
    stopping = true;
    for (Worker w : new ArrayList<>(workers.values())) {
      if (w.adopted != null) {
        w.adopted.destroy();
      }
    }
    ProcessLauncher.killDescendants(3000);
    // spills or restores under way finish (or are dropped) before the spill files and the store go
    storeIo.shutdownNow();
    try {
      storeIo.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
