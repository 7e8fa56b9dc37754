package dev.weft.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import dev.weft.internal.rpc.MessageHandler;
import dev.weft.internal.rpc.Rpc;
import dev.weft.internal.store.SpillFiles;
import dev.weft.internal.store.StoreFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node manager over real sockets, with fake workers: {@link FakeLauncher} stands in for the JVM
 * launcher, and each "started" worker is a client that registers with the node like a real one and
 * answers StartActor, StopActor and RevokeLease as the test tells it. Drivers and the control store
 * are plain connections that send what the real ones send.
 *
 * <p>"Still waiting" is checked after a round trip on the same connection (StoreStats): the node
 * handles one connection's messages in order on its loop, so by then it has seen the request.
 */
class NodeManagerTest {
  static final String TOKEN = "node-manager-test";
  static final Duration T = Duration.ofSeconds(20);
  @TempDir Path tmp;

  private final List<AutoCloseable> closeLast = new ArrayList<>();
  private NodeManager nm;
  private FakeLauncher launcher;
  private Rpc.Server server;

  @AfterEach
  void tearDown() throws Exception {
    if (launcher != null) {
      for (FakeWorker w : launcher.workers.values()) {
        w.exit(0);
      }
    }
    if (nm != null) {
      nm.stopAll();
    }
    if (server != null) {
      server.close();
    }
    for (AutoCloseable c : closeLast.reversed()) {
      c.close();
    }
  }

  private void startNode(Map<String, Double> resources) throws Exception {
    StoreFile mem = StoreFile.create(tmp.resolve("store"), 16 << 20);
    SpillFiles spill = new SpillFiles(tmp.resolve("spill"));
    closeLast.add(mem);
    closeLast.add(spill);
    launcher = new FakeLauncher();
    nm =
        new NodeManager(
            "n1", "127.0.0.1", TOKEN, tmp, resources, mem, spill, launcher, tmp.resolve("code"));
    server = Rpc.listen("127.0.0.1", 0, TOKEN, nm);
    nm.address = "127.0.0.1:" + server.port();
    nm.controlAddress = "127.0.0.1:1";
  }

  private Connection connect() throws IOException {
    Connection c = Rpc.connect(nm.address, TOKEN, (x, y, z) -> {}, T);
    closeLast.add(c::close);
    return c;
  }

  /** A driver of job {@code jobId}, attached to the node. */
  private Connection driver(int jobId) throws Exception {
    Connection c = connect();
    assertThat(get(c.call(new Msg.AttachJob(jobId, code("cp"), 1, 0, "driver-" + jobId))))
        .isInstanceOf(Msg.JobAttached.class);
    return c;
  }

  static Msg.JobCode code(String path) {
    return new Msg.JobCode(List.of(new Msg.CodeEntry(path, "", 0)), List.of());
  }

  /**
   * A job code of one jar that the node's code cache holds already (so the node fetches nothing);
   * {@code cachedPath[0]} is where it lies.
   */
  private Msg.JobCode cachedCode(String driverPath, String content, String[] cachedPath)
      throws IOException {
    byte[] bytes = content.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String sha =
        java.util.HexFormat.of().formatHex(dev.weft.internal.core.JobCode.sha256().digest(bytes));
    Path p = dev.weft.internal.core.JobCode.cached(tmp.resolve("code"), sha);
    java.nio.file.Files.createDirectories(p.getParent());
    java.nio.file.Files.write(p, bytes);
    cachedPath[0] = p.toString();
    return new Msg.JobCode(List.of(new Msg.CodeEntry(driverPath, sha, bytes.length)), List.of());
  }

  /**
   * A control store for the node: a real connection (the node's {@code control}) to a server that
   * only queues what the node asks, for the test to answer.
   */
  private BlockingQueue<Pending> controlStore() throws Exception {
    BlockingQueue<Pending> asked = new LinkedBlockingQueue<>();
    Rpc.Server cs =
        Rpc.listen(
            "127.0.0.1",
            0,
            TOKEN,
            new MessageHandler() {
              @Override
              public void onMessage(Connection c, long reqId, Msg msg) {
                if (!(msg instanceof Msg.OwnerGone)) { // one-way news of exited workers (see IT)
                  asked.add(new Pending(c, reqId, msg));
                }
              }

              @Override
              public void onClose(Connection c) {}
            });
    closeLast.add(cs::close);
    Connection ctl = Rpc.connect("127.0.0.1:" + cs.port(), TOKEN, nm, T);
    closeLast.add(ctl::close);
    nm.control = ctl;
    return asked;
  }

  private static Pending awaitAsked(BlockingQueue<Pending> asked, Class<? extends Msg> type)
      throws InterruptedException {
    Pending p = asked.poll(T.toSeconds(), TimeUnit.SECONDS);
    assertThat(p).as("the control store was asked a %s", type.getSimpleName()).isNotNull();
    assertThat(p.msg()).isInstanceOf(type);
    return p;
  }

  private static CompletableFuture<Msg> lease(Connection c, int jobId, Map<String, Double> r) {
    return c.call(new Msg.RequestLease(jobId, r, "shape"));
  }

  /** A round trip on {@code c}: every message sent on it before has been handled. */
  private static void sync(Connection c) throws Exception {
    assertThat(get(c.call(new Msg.StoreStats()))).isInstanceOf(Msg.StoreStatsReply.class);
  }

  private double available(String resource) throws Exception {
    return nm.loop
        .submit(() -> nm.resources.available.getOrDefault(resource, 0.0))
        .get(10, TimeUnit.SECONDS);
  }

  static Msg get(CompletableFuture<Msg> f) throws Exception {
    return f.get(T.toSeconds(), TimeUnit.SECONDS);
  }

  static Msg.LeaseGranted granted(CompletableFuture<Msg> f) throws Exception {
    Msg m = get(f);
    assertThat(m).as("lease reply").isInstanceOf(Msg.LeaseGranted.class);
    return (Msg.LeaseGranted) m;
  }

  static Msg.ActorSpec actor(long lo, String className, double cpus, boolean dedicated) {
    return new Msg.ActorSpec(
        7,
        lo,
        1,
        null,
        className,
        new Msg.FunctionDesc(className, "<init>", "()V", 0, null),
        List.of(),
        cpus > 0 ? Map.of("CPU", cpus) : Map.of(),
        0,
        0,
        1,
        false,
        dedicated,
        "cp",
        List.of(),
        "127.0.0.1:1");
  }

  private Connection actorsDriver;

  /** Asks the node to host {@code spec}, whose job (1) is attached first, as its driver would. */
  private CompletableFuture<Msg> host(Connection control, Msg.ActorSpec spec) throws Exception {
    if (actorsDriver == null
        && spec.jobId() == 1
        && nm.loop.submit(() -> nm.jobs.poolOf(1)).get(10, TimeUnit.SECONDS) == null) {
      actorsDriver = driver(1);
    }
    return control.call(new Msg.HostActor(spec, 0));
  }

  private static void stop(Connection control, long lo) {
    control.send(new Msg.StopActor(7, lo, "killed by the test"));
  }

  // ------------------------------------------------------------------ leases

  @Test
  void requestLease_moreThanTheNodeHasAtOnce_grantsInArrivalOrderAsLeasesReturn() throws Exception {
    startNode(Map.of("CPU", 1.0));
    Connection d = driver(1);
    Msg.LeaseGranted first = granted(lease(d, 1, Map.of("CPU", 1.0)));
    CompletableFuture<Msg> second = lease(d, 1, Map.of("CPU", 1.0));
    CompletableFuture<Msg> third = lease(d, 1, Map.of("CPU", 1.0));
    sync(d);
    assertThat(second).as("no CPU free yet").isNotDone();
    assertThat(third).isNotDone();

    d.send(new Msg.ReturnLease(first.leaseId()));
    Msg.LeaseGranted g2 = granted(second);
    assertThat(g2.workerId()).as("the idle worker is reused").isEqualTo(first.workerId());
    sync(d);
    assertThat(third).as("the second holds the only CPU").isNotDone();
    d.send(new Msg.ReturnLease(g2.leaseId()));
    granted(third);
    assertThat(launcher.launches).hasSize(1);
  }

  @Test
  void idleWorkers_theOneBackFromALeaseLastIsLeasedFirst() throws Exception {
    // a stack, not a queue: the worker that just ran tasks has them compiled (fails on a FIFO pool,
    // which hands out the worker idle longest)
    startNode(Map.of("CPU", 2.0));
    Connection d = driver(1);
    Msg.LeaseGranted a = granted(lease(d, 1, Map.of("CPU", 1.0)));
    Msg.LeaseGranted b = granted(lease(d, 1, Map.of("CPU", 1.0)));
    assertThat(b.workerId()).isNotEqualTo(a.workerId());
    d.send(new Msg.ReturnLease(a.leaseId()));
    d.send(new Msg.ReturnLease(b.leaseId()));
    sync(d);
    Msg.LeaseGranted next = granted(lease(d, 1, Map.of("CPU", 1.0)));
    assertThat(next.workerId()).as("the last one back").isEqualTo(b.workerId());
    d.send(new Msg.ReturnLease(next.leaseId()));
    sync(d);
    assertThat(granted(lease(d, 1, Map.of("CPU", 1.0))).workerId()).isEqualTo(b.workerId());
  }

  /** A driver of job {@code jobId} whose one-way messages from the node land in {@code got}. */
  private Connection driver(int jobId, BlockingQueue<Msg> got) throws Exception {
    Connection c = Rpc.connect(nm.address, TOKEN, (x, y, m) -> got.add(m), T);
    closeLast.add(c::close);
    assertThat(get(c.call(new Msg.AttachJob(jobId, code("cp"), 1, 0, "driver-" + jobId))))
        .isInstanceOf(Msg.JobAttached.class);
    return c;
  }

  private static Msg.NodeInfo info(String id, double cpus, double available) {
    return new Msg.NodeInfo(
        id, id + ":7000", Map.of("CPU", cpus), true, 1, Map.of("CPU", available), null);
  }

  /** The control store's full view, as it sends it right after RegisterNode. */
  private void view(long version, Msg.NodeInfo... nodes) throws Exception {
    Connection ctl = connect();
    ctl.send(new Msg.ViewDelta(0, version, List.of(nodes)));
    sync(ctl);
  }

  @Test
  void requestLease_ofAJobTheNodeNeverSaw_isServedOnceTheControlStoreGaveItsDefinition()
      throws Exception {
    startNode(Map.of("CPU", 2.0));
    BlockingQueue<Pending> cs = controlStore();
    Connection stranger = connect(); // neither the job's driver nor one of this node's workers
    CompletableFuture<Msg> first = lease(stranger, 5, Map.of("CPU", 1.0));
    CompletableFuture<Msg> second = lease(stranger, 5, Map.of("CPU", 1.0));
    Pending getJob = awaitAsked(cs, Msg.GetJob.class);
    assertThat(((Msg.GetJob) getJob.msg()).jobId()).isEqualTo(5);
    sync(stranger);
    assertThat(first).as("waits for the job's definition").isNotDone();
    assertThat(second).isNotDone();
    assertThat(cs).as("one request for both demands").isEmpty();

    String[] cached = new String[1];
    Msg.JobCode five = cachedCode("/jobs/5.jar", "job five", cached);
    getJob.conn().reply(getJob.reqId(), new Msg.JobDefinition(5, "driver-5", five));
    granted(first);
    granted(second);
    assertThat(launcher.classpaths.values())
        .as("the job's workers run its code")
        .isNotEmpty()
        .containsOnly(cached[0]);
    assertThat(cs).as("known now: no second request").isEmpty();

    // the control store says the job ended: the node forgets it and its workers go
    FakeWorker w = launcher.awaitWorker();
    getJob.conn().send(new Msg.JobEnded(5));
    w.process.onExit().get(T.toSeconds(), TimeUnit.SECONDS);
    CompletableFuture<Msg> late = lease(stranger, 5, Map.of("CPU", 1.0));
    Pending again = awaitAsked(cs, Msg.GetJob.class);
    again.conn().replyFailure(again.reqId(), "job 5 has ended");
    assertThat(get(late))
        .isInstanceOfSatisfying(
            Msg.Failure.class,
            f -> assertThat(f.text()).contains("job 5", "node n1", "job 5 has ended"));
  }

  @Test
  void hostActor_ofAJobTheNodeNeverSaw_startsItInTheJobsPool() throws Exception {
    startNode(Map.of("CPU", 2.0));
    BlockingQueue<Pending> cs = controlStore();
    Connection control = connect();
    Msg.ActorSpec a = actor(1, "A", 1, false);
    CompletableFuture<Msg> hosted =
        control.call(
            new Msg.HostActor(
                new Msg.ActorSpec(
                    a.actorHi(),
                    a.actorLo(),
                    3,
                    null,
                    "A",
                    a.ctor(),
                    List.of(),
                    a.resources(),
                    0,
                    0,
                    1,
                    false,
                    false,
                    "the-drivers-own-path",
                    List.of(),
                    a.ownerAddress()),
                0));
    Pending getJob = awaitAsked(cs, Msg.GetJob.class);
    String[] cached = new String[1];
    Msg.JobCode three = cachedCode("/jobs/3.jar", "job three", cached);
    getJob.conn().reply(getJob.reqId(), new Msg.JobDefinition(3, "driver-3", three));
    assertThat(get(hosted)).isInstanceOf(Msg.ActorInfo.class);
    assertThat(launcher.classpaths.values()).containsOnly(cached[0]);
  }

  @Test
  void aMessageWhoseHandlingThrows_isAnsweredWithAFailure_andTheNodeGoesOn() throws Exception {
    startNode(Map.of("CPU", 2.0));
    Connection c = driver(9);
    // fields a well-behaved sender never leaves null: handling them throws on the node's loop
    assertThat(get(c.call(new Msg.RequestLease(9, null, null))))
        .as("the caller hears of the failure instead of waiting for ever")
        .isInstanceOfSatisfying(
            Msg.Failure.class,
            f -> assertThat(f.text()).contains("node n1", "RequestLease", "a bug in Weft"));
    assertThat(get(c.call(new Msg.StoreStats())))
        .as("the loop still serves the next call")
        .isInstanceOf(Msg.StoreStatsReply.class);
  }

  @Test
  void requestLease_withoutAControlStore_failsWithTheReason() throws Exception {
    startNode(Map.of("CPU", 2.0));
    nm.controlWaitMillis = 300; // it waits that long for a control store that is away
    assertThat(get(lease(connect(), 9, Map.of("CPU", 1.0))))
        .isInstanceOfSatisfying(
            Msg.Failure.class,
            f -> assertThat(f.text()).contains("job 9", "node n1", "no connection"));
  }

  @Test
  void requestLease_infeasibleDemand_waitsWarnsAndSpillsOnceANodeFits() throws Exception {
    startNode(Map.of("CPU", 2.0));
    view(1, info("n1", 2, 2));
    BlockingQueue<Msg> got = new LinkedBlockingQueue<>();
    Connection d = driver(1, got);
    CompletableFuture<Msg> big = lease(d, 1, Map.of("CPU", 4.0));
    Msg warned = got.poll(T.toSeconds(), TimeUnit.SECONDS);
    assertThat(warned)
        .isInstanceOfSatisfying(
            Msg.DemandInfeasible.class,
            w -> assertThat(w.message()).contains("CPU=4.0").contains("CPU=2.0").contains("waits"));
    sync(d);
    assertThat(big).as("it waits, not refused").isNotDone();
    view(2, info("n1", 2, 2), info("n2", 8, 8));
    assertThat(get(big)).isEqualTo(new Msg.LeaseSpillback("n2", "n2:7000", true));
  }

  @Test
  void requestLease_busyNode_spillsBackToANodeWithRoom_butASpilledOneQueues() throws Exception {
    startNode(Map.of("CPU", 1.0));
    view(1, info("n1", 1, 1), info("n2", 1, 1));
    Connection d = driver(1);
    granted(lease(d, 1, Map.of("CPU", 1.0)));
    assertThat(get(lease(d, 1, Map.of("CPU", 1.0))))
        .isEqualTo(new Msg.LeaseSpillback("n2", "n2:7000", true));
    CompletableFuture<Msg> spilled =
        d.call(new Msg.RequestLease(1, Map.of("CPU", 1.0), "s", Msg.Scheduling.DEFAULT, true));
    sync(d);
    assertThat(spilled).as("a spilled request is not passed on again").isNotDone();
  }

  @Test
  void requestLease_spreadAndAffinity_followTheView() throws Exception {
    startNode(Map.of("CPU", 4.0));
    view(1, info("n1", 4, 4), info("n2", 4, 4), info("n3", 4, 4));
    Connection d = driver(1);
    Msg.Scheduling spread = new Msg.Scheduling(Msg.SchedulingKind.SPREAD, null, false);
    List<Msg> replies = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      replies.add(get(d.call(new Msg.RequestLease(1, Map.of("CPU", 1.0), "s", spread, false))));
    }
    assertThat(replies.get(0)).isInstanceOf(Msg.LeaseGranted.class);
    assertThat(replies.subList(1, 3))
        .containsExactly(
            new Msg.LeaseSpillback("n2", "n2:7000", true),
            new Msg.LeaseSpillback("n3", "n3:7000", true));
    Msg.Scheduling hardGone = new Msg.Scheduling(Msg.SchedulingKind.NODE_AFFINITY, "n9", false);
    assertThat(get(d.call(new Msg.RequestLease(1, Map.of("CPU", 1.0), "s", hardGone, false))))
        .isInstanceOfSatisfying(
            Msg.Failure.class, f -> assertThat(f.text()).contains("no node n9"));
    Msg.Scheduling hardN3 = new Msg.Scheduling(Msg.SchedulingKind.NODE_AFFINITY, "n3", false);
    assertThat(get(d.call(new Msg.RequestLease(1, Map.of("CPU", 1.0), "s", hardN3, false))))
        .isEqualTo(new Msg.LeaseSpillback("n3", "n3:7000", true));
  }

  @Test
  void workerBlocked_givesBackItsCpuUntilItUnblocks() throws Exception {
    startNode(Map.of("CPU", 1.0));
    Connection d = driver(1);
    Msg.LeaseGranted first = granted(lease(d, 1, Map.of("CPU", 1.0)));
    CompletableFuture<Msg> second = lease(d, 1, Map.of("CPU", 1.0));
    sync(d);
    assertThat(second).isNotDone();

    FakeWorker w1 = launcher.worker(first.workerId());
    w1.conn.send(new Msg.WorkerBlocked(first.workerId(), first.leaseId()));
    Msg.LeaseGranted g2 = granted(second);
    // the blocked worker takes the second lease itself (no new JVM), on its main port, where the
    // task runs on a virtual thread beside the blocked one
    assertThat(g2.workerId()).isEqualTo(first.workerId());
    assertThat(g2.taskAddress()).isEqualTo(g2.workerAddress()).isNotEqualTo(first.taskAddress());
    w1.conn.send(new Msg.WorkerUnblocked(first.workerId(), first.leaseId()));
    sync(w1.conn);
    assertThat(available("CPU")).as("briefly over, as the design accepts").isEqualTo(-1.0);
    d.send(new Msg.ReturnLease(g2.leaseId()));
    d.send(new Msg.ReturnLease(first.leaseId()));
    sync(d);
    assertThat(available("CPU")).isEqualTo(1.0);
  }

  @Test
  void holderDisconnects_itsLeaseIsRevokedAndTheWorkerServesTheNextInLine() throws Exception {
    startNode(Map.of("CPU", 1.0));
    Connection a = driver(1);
    Connection b = driver(2);
    Msg.LeaseGranted held = granted(lease(a, 1, Map.of("CPU", 1.0)));
    FakeWorker w = launcher.worker(held.workerId());
    w.holdRevokes = true; // as if a task of the gone holder still ran
    CompletableFuture<Msg> next = lease(b, 2, Map.of("CPU", 1.0));
    sync(b);
    assertThat(next).isNotDone();

    a.close(); // the holder dies
    Pending revoke = w.awaitHeld("RevokeLease");
    assertThat(((Msg.RevokeLease) revoke.msg).leaseId()).isEqualTo(held.leaseId());
    sync(b);
    assertThat(next).as("the worker keeps the CPU until its task ends").isNotDone();

    revoke.conn.reply(revoke.reqId, new Msg.Ack()); // its task ended
    Msg.LeaseGranted g = granted(next);
    assertThat(g.workerId()).isEqualTo(held.workerId());
    assertThat(launcher.launches).hasSize(1);
  }

  @Test
  void holderWorkerDies_theLeasesItHeldForNestedTasksAreRevoked() throws Exception {
    startNode(Map.of("CPU", 2.0));
    Connection d = driver(1);
    Msg.LeaseGranted outer = granted(lease(d, 1, Map.of("CPU", 1.0)));
    FakeWorker parent = launcher.worker(outer.workerId());
    // the parent's task submits a nested task: it leases a worker through its own connection
    Msg.LeaseGranted nested = granted(lease(parent.conn, 0, Map.of("CPU", 1.0)));
    CompletableFuture<Msg> both = lease(d, 1, Map.of("CPU", 2.0));
    sync(d);
    assertThat(both).isNotDone();

    parent.exit(137); // its own lease ends with it; the one it held must come back too
    Msg.LeaseGranted g = granted(both);
    assertThat(g.workerId()).isEqualTo(nested.workerId());
    assertThat(launcher.worker(nested.workerId()).received("RevokeLease")).isTrue();
  }

  // ------------------------------------------------------------------ actors

  @Test
  void actorsKilledAgainAndAgain_giveTheirCpuBackAndNeverOversubscribe() throws Exception {
    startNode(Map.of("CPU", 2.0));
    Connection control = connect();
    Connection d = driver(1);
    for (int i = 1; i <= 6; i++) {
      assertThat(get(host(control, actor(i, "A", 1.0, false)))).isInstanceOf(Msg.ActorInfo.class);
      stop(control, i);
    }
    sync(control);
    assertThat(available("CPU")).as("every killed actor gave its CPU back").isEqualTo(2.0);

    assertThat(get(host(control, actor(10, "A", 1.0, false)))).isInstanceOf(Msg.ActorInfo.class);
    assertThat(get(host(control, actor(11, "A", 1.0, false)))).isInstanceOf(Msg.ActorInfo.class);
    CompletableFuture<Msg> third = host(control, actor(12, "A", 1.0, false));
    CompletableFuture<Msg> task = lease(d, 1, Map.of("CPU", 1.0));
    sync(control);
    sync(d);
    assertThat(third).as("no room: it waits").isNotDone();
    assertThat(task).as("a task waits behind it").isNotDone();
    assertThat(available("CPU")).isEqualTo(0.0);

    stop(control, 10);
    assertThat(get(third)).as("first in line").isInstanceOf(Msg.ActorInfo.class);
    sync(d);
    assertThat(task).isNotDone();
    stop(control, 11);
    granted(task);
  }

  @Test
  void actorStartFails_itsCpuComesBack() throws Exception {
    startNode(Map.of("CPU", 1.0));
    Connection control = connect();
    assertThat(get(host(control, actor(1, "Fails", 1.0, false))))
        .isInstanceOfSatisfying(Msg.Failure.class, f -> assertThat(f.text()).contains("threw"));
    sync(control);
    assertThat(available("CPU")).isEqualTo(1.0);
  }

  @Test
  void actorWorkerExits_itsActorsGiveTheirCpuBack() throws Exception {
    startNode(Map.of("CPU", 2.0));
    Connection control = connect();
    assertThat(get(host(control, actor(1, "A", 1.0, false)))).isInstanceOf(Msg.ActorInfo.class);
    assertThat(get(host(control, actor(2, "A", 1.0, true)))).isInstanceOf(Msg.ActorInfo.class);
    sync(control);
    assertThat(available("CPU")).isEqualTo(0.0);
    for (FakeWorker w : launcher.workers.values()) {
      w.exit(137);
    }
    Connection d = driver(1);
    granted(lease(d, 1, Map.of("CPU", 2.0)));
  }

  @Test
  void stopActor_whileQueued_neverStartsIt() throws Exception {
    startNode(Map.of("CPU", 1.0));
    Connection control = connect();
    assertThat(get(host(control, actor(1, "A", 1.0, false)))).isInstanceOf(Msg.ActorInfo.class);
    CompletableFuture<Msg> queued = host(control, actor(2, "A", 1.0, false));
    sync(control);
    assertThat(queued).isNotDone();

    stop(control, 2);
    assertThat(get(queued))
        .isInstanceOfSatisfying(Msg.Failure.class, f -> assertThat(f.text()).contains("stopped"));
    stop(control, 1);
    sync(control);
    assertThat(available("CPU")).isEqualTo(1.0);
    assertThat(launcher.startedActors()).containsExactly(1L);
  }

  @Test
  void stopActor_whileItsConstructorRuns_stopsItOnceStartedAndGivesTheCpuBack() throws Exception {
    startNode(Map.of("CPU", 1.0));
    Connection control = connect();
    CompletableFuture<Msg> starting = host(control, actor(1, "Slow", 1.0, false));
    FakeWorker host = launcher.awaitWorker();
    Pending start = host.awaitHeld("StartActor");
    stop(control, 1);
    sync(control);
    assertThat(available("CPU")).as("held while it starts").isEqualTo(0.0);

    start.conn.reply(start.reqId, host.actorInfo((Msg.StartActor) start.msg)); // ctor returns
    assertThat(get(starting))
        .isInstanceOfSatisfying(Msg.Failure.class, f -> assertThat(f.text()).contains("stopped"));
    host.awaitReceived("StopActor");
    sync(control);
    assertThat(available("CPU")).isEqualTo(1.0);
  }

  // ------------------------------------------------------------------ store

  @Test
  void writerGoneBeforeSeal_itsBlockIsDroppedAndARetryCreatesItAnew() throws Exception {
    startNode(Map.of("CPU", 1.0));
    Connection first = connect();
    Connection retry = connect();
    long mib = 1 << 20;
    assertThat(get(first.call(new Msg.StoreCreate(5, 5, mib, "owner"))))
        .isInstanceOf(Msg.StoreBlock.class);
    assertThat(get(retry.call(new Msg.StoreCreate(5, 5, mib, "owner"))))
        .as("its writer still writes it")
        .isInstanceOfSatisfying(
            Msg.Failure.class, f -> assertThat(f.text()).contains("already in the store"));

    first.close(); // the writer crashed mid-write
    assertThat(get(retry.call(new Msg.StoreCreate(5, 5, mib, "owner"))))
        .isInstanceOf(Msg.StoreBlock.class);
    assertThat(get(retry.call(new Msg.StoreSeal(5, 5)))).isInstanceOf(Msg.Ack.class);
    Msg.StoreStatsReply stats = (Msg.StoreStatsReply) get(retry.call(new Msg.StoreStats()));
    assertThat(stats.objects()).isEqualTo(1);
  }

  @Test
  void pinBeforeTheSeal_waitsForIt_andFindsNothingIfTheWriterLeavesUnsealed() throws Exception {
    // writers do not wait for the seal's answer before they announce an object, so a reader told
    // of it on another connection can ask before the node has read the seal
    startNode(Map.of("CPU", 1.0));
    Connection writer = connect();
    Connection reader = connect();
    Msg.StoreBlock block =
        (Msg.StoreBlock) get(writer.call(new Msg.StoreCreate(6, 6, 4096, "owner")));
    CompletableFuture<Msg> early = reader.call(new Msg.StorePin(6, 6));
    sync(reader);
    assertThat(early).as("not sealed yet").isNotDone();
    writer.send(new Msg.StoreSeal(6, 6));
    assertThat(get(early))
        .isInstanceOfSatisfying(
            Msg.StoreBlock.class, b -> assertThat(b.offset()).isEqualTo(block.offset()));

    Connection stranger = connect();
    assertThat(get(stranger.call(new Msg.StoreCreate(8, 8, 4096, "owner"))))
        .isInstanceOf(Msg.StoreBlock.class);
    assertThat(get(reader.call(new Msg.StoreSeal(8, 8))))
        .as("a seal from a process that is not the writer (a stale one, after a retry)")
        .isInstanceOfSatisfying(
            Msg.Failure.class, f -> assertThat(f.text()).contains("another process"));
    CompletableFuture<Msg> stillUnsealed = reader.call(new Msg.StorePin(8, 8));
    sync(reader);
    assertThat(stillUnsealed).isNotDone();
    stranger.send(new Msg.StoreSeal(8, 8));
    assertThat(get(stillUnsealed)).isInstanceOf(Msg.StoreBlock.class);

    Connection leaves = connect();
    assertThat(get(leaves.call(new Msg.StoreCreate(7, 7, 4096, "owner"))))
        .isInstanceOf(Msg.StoreBlock.class);
    CompletableFuture<Msg> orphan = reader.call(new Msg.StorePin(7, 7));
    sync(reader);
    assertThat(orphan).isNotDone();
    leaves.close(); // the writer crashed before its seal
    assertThat(get(orphan))
        .isInstanceOfSatisfying(
            Msg.Failure.class, f -> assertThat(f.text()).contains("not in the object store"));
  }

  // ------------------------------------------------------------------ GPUs

  @Test
  void gpuLeases_getWorkersStartedForTheirGpus_andCpuLeasesNever() throws Exception {
    startNode(Map.of("CPU", 4.0, "GPU", 2.0));
    Connection d = driver(1);
    Map<String, Double> oneGpu = Map.of("CPU", 1.0, "GPU", 1.0);
    Msg.LeaseGranted g1 = granted(lease(d, 1, oneGpu));
    Msg.LeaseGranted g2 = granted(lease(d, 1, oneGpu));
    CompletableFuture<Msg> g3 = lease(d, 1, oneGpu);
    sync(d);
    assertThat(g3).as("both GPUs are leased").isNotDone();
    assertThat(
            List.of(
                launcher.env(g1.workerId()).get("CUDA_VISIBLE_DEVICES"),
                launcher.env(g2.workerId()).get("CUDA_VISIBLE_DEVICES")))
        .containsExactlyInAnyOrder("0", "1");

    d.send(new Msg.ReturnLease(g1.leaseId()));
    assertThat(granted(g3).workerId())
        .as("the worker of the GPU that came free")
        .isEqualTo(g1.workerId());
    Msg.LeaseGranted cpu = granted(lease(d, 1, Map.of("CPU", 1.0)));
    assertThat(launcher.env(cpu.workerId())).doesNotContainKey("CUDA_VISIBLE_DEVICES");
    assertThat(get(lease(d, 1, Map.of("GPU", 0.5))))
        .isInstanceOfSatisfying(
            Msg.Failure.class, f -> assertThat(f.text()).contains("whole GPUs"));
  }

  // ------------------------------------------------------------------ fakes

  /** A message a fake worker holds unanswered until the test answers it. */
  record Pending(Connection conn, long reqId, Msg msg) {}

  /** Starts {@link FakeWorker}s instead of JVMs. */
  final class FakeLauncher implements NodeManager.WorkerLauncher {
    final Map<Long, FakeWorker> workers = new ConcurrentHashMap<>();
    final Map<Long, Map<String, String>> launches = new ConcurrentHashMap<>();
    final Map<Long, String> classpaths = new ConcurrentHashMap<>();
    final BlockingQueue<FakeWorker> started = new LinkedBlockingQueue<>();

    @Override
    public Process launch(
        NodeManager node,
        long workerId,
        WorkerPool pool,
        Worker.Kind kind,
        Map<String, String> env,
        Path log) {
      launches.put(workerId, Map.copyOf(env));
      classpaths.put(workerId, pool.classpath);
      FakeWorker w = new FakeWorker(workerId);
      workers.put(workerId, w);
      // registers from another thread, as a JVM would once it is up
      Thread.ofVirtual().start(w::register);
      started.add(w);
      return w.process;
    }

    FakeWorker worker(long id) {
      return workers.get(id);
    }

    FakeWorker awaitWorker() throws InterruptedException {
      FakeWorker w = started.poll(T.toSeconds(), TimeUnit.SECONDS);
      assertThat(w).as("a worker was started").isNotNull();
      return w;
    }

    Map<String, String> env(long workerId) {
      return launches.get(workerId);
    }

    List<Long> startedActors() {
      List<Long> out = new ArrayList<>();
      for (FakeWorker w : workers.values()) {
        for (Msg m : w.received) {
          if (m instanceof Msg.StartActor s) {
            out.add(s.spec().actorLo());
          }
        }
      }
      return out;
    }
  }

  /** A worker without a JVM: a real connection to the node, answers as the test says. */
  final class FakeWorker implements MessageHandler {
    final long id;
    final FakeProcess process = new FakeProcess();
    final List<Msg> received = new CopyOnWriteArrayList<>();
    final BlockingQueue<Pending> held = new LinkedBlockingQueue<>();
    volatile boolean holdRevokes;
    volatile Connection conn;

    FakeWorker(long id) {
      this.id = id;
    }

    void register() {
      try {
        Connection c = Rpc.connect(nm.address, TOKEN, this, T);
        conn = c;
        Msg reply =
            get(c.call(new Msg.RegisterWorker(id, "fake-worker-" + id, 0, "fake-task-" + id)));
        assertThat(reply).isInstanceOf(Msg.WorkerConfig.class);
      } catch (Exception e) {
        throw new AssertionError("fake worker " + id + " could not register", e);
      }
    }

    @Override
    public void onMessage(Connection c, long reqId, Msg msg) {
      received.add(msg);
      switch (msg) {
        case Msg.StartActor s when s.spec().className().equals("Fails") ->
            c.replyFailure(reqId, "the constructor of actor Fails threw IllegalStateException");
        case Msg.StartActor s when s.spec().className().equals("Slow") ->
            held.add(new Pending(c, reqId, msg));
        case Msg.StartActor s -> c.reply(reqId, actorInfo(s));
        case Msg.RevokeLease r when holdRevokes -> held.add(new Pending(c, reqId, msg));
        case Msg.RevokeLease r -> c.reply(reqId, new Msg.Ack());
        default -> {}
      }
    }

    Msg.ActorInfo actorInfo(Msg.StartActor s) {
      return new Msg.ActorInfo(
          s.spec().actorHi(),
          s.spec().actorLo(),
          null,
          s.spec().className(),
          Msg.ActorState.ALIVE,
          "fake-worker-" + id,
          s.incarnation(),
          null,
          1,
          0,
          s.spec().ownerAddress(),
          null,
          null);
    }

    Pending awaitHeld(String type) throws InterruptedException {
      Pending p = held.poll(T.toSeconds(), TimeUnit.SECONDS);
      assertThat(p).as("worker %d got a %s", id, type).isNotNull();
      assertThat(p.msg.getClass().getSimpleName()).isEqualTo(type);
      return p;
    }

    boolean received(String type) {
      return received.stream().anyMatch(m -> m.getClass().getSimpleName().equals(type));
    }

    void awaitReceived(String type) throws Exception {
      long deadline = System.nanoTime() + T.toNanos();
      while (!received(type)) {
        assertThat(System.nanoTime()).as("worker %d got a %s", id, type).isLessThan(deadline);
        sync(conn); // a round trip with the node, so that what it sent before has arrived
      }
    }

    /** The worker's process ends: its connection closes, then the node sees the exit. */
    void exit(int code) {
      Connection c = conn;
      if (c != null) {
        c.close();
        c.closeFuture().orTimeout(10, TimeUnit.SECONDS).join();
      }
      process.exit(code);
    }

    @Override
    public void onClose(Connection c) {}
  }

  /** A process that ends when the test (or the node, by destroying it) says so. */
  static final class FakeProcess extends Process {
    private final CompletableFuture<Process> exit = new CompletableFuture<>();
    private volatile int code = -1;

    void exit(int exitCode) {
      if (!exit.isDone()) {
        code = exitCode;
        exit.complete(this);
      }
    }

    @Override
    public CompletableFuture<Process> onExit() {
      return exit;
    }

    @Override
    public OutputStream getOutputStream() {
      return OutputStream.nullOutputStream();
    }

    @Override
    public InputStream getInputStream() {
      return InputStream.nullInputStream();
    }

    @Override
    public InputStream getErrorStream() {
      return InputStream.nullInputStream();
    }

    @Override
    public int waitFor() {
      exit.join();
      return code;
    }

    @Override
    public int exitValue() {
      if (!exit.isDone()) {
        throw new IllegalThreadStateException("still running");
      }
      return code;
    }

    @Override
    public void destroy() {
      exit(143);
    }

    @Override
    public Process destroyForcibly() {
      exit(137);
      return this;
    }

    @Override
    public boolean isAlive() {
      return !exit.isDone();
    }

    @Override
    public long pid() {
      return 0;
    }
  }
}
