package dev.weft.internal.control;

import static dev.weft.internal.control.ControlStoreFixture.CODE;
import static dev.weft.internal.control.ControlStoreFixture.T;
import static dev.weft.internal.control.ControlStoreFixture.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import dev.weft.internal.rpc.MessageHandler;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The control store over real sockets: drivers and node managers are plain connections sending what
 * the real ones send; a {@link FakeNode} answers HostActor when the test says so and records every
 * StopActor. The store handles one connection's messages in order on its loop, so a reply to a
 * later request (ClusterStatus) means the earlier ones have been handled.
 */
class ControlStoreTest {
  private ControlStoreFixture fx;

  @BeforeEach
  void start() {
    fx = new ControlStoreFixture();
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  private Connection connect(MessageHandler h) throws IOException {
    return fx.connect(h);
  }

  private static void sync(Connection c) throws Exception {
    assertThat(get(c.call(new Msg.ClusterStatus()))).isInstanceOf(Msg.StatusReply.class);
  }

  private Connection driver(String name) throws Exception {
    return fx.driver(name);
  }

  private FakeNode node(String id, double cpus) throws Exception {
    FakeNode n = new FakeNode(id);
    n.conn = fx.registerNode(n, id, cpus);
    return n;
  }

  static Msg.ActorSpec spec(long lo, String name, int jobId, int maxRestarts, boolean detached) {
    return new Msg.ActorSpec(
        9,
        lo,
        jobId,
        name,
        "Counter",
        new Msg.FunctionDesc("Counter", "<init>", "()V", 0, null),
        List.of(),
        Map.of("CPU", 1.0),
        maxRestarts,
        0,
        1,
        detached,
        false,
        "cp",
        List.of(),
        "127.0.0.1:1");
  }

  private static Msg.ActorInfo create(Connection d, Msg.ActorSpec s) throws Exception {
    Msg m = get(d.call(new Msg.CreateActor(s)));
    assertThat(m).isInstanceOf(Msg.ActorInfo.class);
    return (Msg.ActorInfo) m;
  }

  private static Msg.ActorInfo info(Connection d, long lo) throws Exception {
    return (Msg.ActorInfo) get(d.call(new Msg.GetActorInfo(9, lo, false, 0, null)));
  }

  private static Msg.ActorInfo settled(Connection d, long lo) throws Exception {
    return (Msg.ActorInfo) get(d.call(new Msg.GetActorInfo(9, lo, true, 10_000, null)));
  }

  // ------------------------------------------------------------------ nodes and jobs

  @Test
  void reportResources_latestPerNode_showsInStatusWithThePid() throws Exception {
    FakeNode n1 = node("n1", 4);
    FakeNode n2 = node("n2", 2);
    Msg.StatusReply before = (Msg.StatusReply) get(n1.conn.call(new Msg.ClusterStatus()));
    assertThat(before.nodes())
        .extracting(Msg.NodeInfo::available)
        .as("available before any report: all of it")
        .containsExactly(Map.of("CPU", 4.0), Map.of("CPU", 2.0));
    assertThat(before.nodes()).extracting(Msg.NodeInfo::pid).containsOnly(1L);

    n1.conn.send(new Msg.ReportResources("n1", Map.of("CPU", 3.0)));
    n1.conn.send(new Msg.ReportResources("n1", Map.of("CPU", 1.0)));
    n1.conn.send(new Msg.ReportResources("n2", Map.of("CPU", 0.0))); // not n1's to report

    Msg.StatusReply after = (Msg.StatusReply) get(n1.conn.call(new Msg.ClusterStatus()));
    assertThat(after.nodes())
        .extracting(Msg.NodeInfo::available)
        .containsExactly(Map.of("CPU", 1.0), Map.of("CPU", 2.0));
  }

  private static Map<String, Msg.NodeInfo> byId(Msg.ViewDelta d) {
    Map<String, Msg.NodeInfo> m = new java.util.LinkedHashMap<>();
    d.changed().forEach(n -> m.put(n.nodeId(), n));
    return m;
  }

  @Test
  void viewDelta_newNodeGetsEverything_othersOnlyWhatChangedAfterTheirVersion() throws Exception {
    FakeNode n1 = node("n1", 4);
    Msg.ViewDelta first = n1.awaitView();
    assertThat(first.fromVersion()).as("a new node's first view is the full one").isZero();
    assertThat(byId(first)).containsOnlyKeys("n1");

    FakeNode n2 = node("n2", 2);
    Msg.ViewDelta full2 = n2.awaitView();
    assertThat(full2.fromVersion()).isZero();
    assertThat(byId(full2)).containsOnlyKeys("n1", "n2");
    assertThat(full2.version()).isGreaterThan(first.version());
    Msg.ViewDelta n1Sees2 = n1.awaitView();
    assertThat(n1Sees2.fromVersion())
        .as("n1 gets what changed after its version")
        .isEqualTo(first.version());
    assertThat(byId(n1Sees2))
        .as("only the new node: n1 itself did not change")
        .containsOnlyKeys("n2");
    assertThat(n1Sees2.version()).isEqualTo(full2.version());

    n2.conn.send(new Msg.ReportResources("n2", Map.of("CPU", 1.0)));
    Msg.ViewDelta n1Report = n1.awaitView();
    Msg.ViewDelta n2Report = n2.awaitView();
    assertThat(n1Report.fromVersion()).isEqualTo(n1Sees2.version());
    assertThat(n2Report.fromVersion()).isEqualTo(full2.version());
    for (Msg.ViewDelta d : List.of(n1Report, n2Report)) {
      assertThat(byId(d)).containsOnlyKeys("n2");
      assertThat(byId(d).get("n2").available()).isEqualTo(Map.of("CPU", 1.0));
      assertThat(byId(d).get("n2").resources()).isEqualTo(Map.of("CPU", 2.0));
    }

    // a report that changes nothing is no change: the next delta follows on from the last one,
    // with one change in it
    n1.conn.send(new Msg.ReportResources("n1", Map.of("CPU", 4.0)));
    sync(n1.conn);
    n1.conn.send(new Msg.ReportResources("n1", Map.of("CPU", 3.0)));
    Msg.ViewDelta n1Change = n1.awaitView();
    assertThat(n1Change.fromVersion())
        .as("no delta was published for the report that changed nothing")
        .isEqualTo(n1Report.version());
    assertThat(n1Change.version())
        .as(
            "versions count changes: one since the last delta, the report that changed nothing was none")
        .isEqualTo(n1Report.version() + 1);
    assertThat(byId(n1Change)).containsOnlyKeys("n1");
    assertThat(byId(n1Change).get("n1").available()).isEqualTo(Map.of("CPU", 3.0));
    assertThat(n2.awaitView().fromVersion()).isEqualTo(n2Report.version());
  }

  @Test
  void viewDelta_deadNodeIsSentAliveFalse_andStaysInTheFullView() throws Exception {
    FakeNode n1 = node("n1", 4);
    FakeNode n2 = node("n2", 2);
    n1.awaitView();
    Msg.ViewDelta n1Sees2 = n1.awaitView();
    assertThat(byId(n1Sees2).get("n2").alive()).isTrue();
    n2.awaitView();

    n2.conn.close();
    Msg.ViewDelta gone = n1.awaitView();
    assertThat(gone.fromVersion()).isEqualTo(n1Sees2.version());
    assertThat(byId(gone)).containsOnlyKeys("n2");
    assertThat(byId(gone).get("n2").alive()).as("n2 after its connection closed").isFalse();

    FakeNode n3 = node("n3", 1);
    Msg.ViewDelta full3 = n3.awaitView();
    assertThat(full3.fromVersion()).isZero();
    assertThat(full3.changed())
        .extracting(Msg.NodeInfo::nodeId, Msg.NodeInfo::alive)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("n1", true),
            org.assertj.core.groups.Tuple.tuple("n2", false),
            org.assertj.core.groups.Tuple.tuple("n3", true));
  }

  @Test
  void silentNode_isDeclaredDeadAndCutOff_whileOneThatHeartbeatsStays() throws Exception {
    fx.close();
    fx = new ControlStoreFixture(600);
    FakeNode talking = node("talking", 1);
    FakeNode silent = node("silent", 1);
    java.util.concurrent.ScheduledExecutorService beats =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    try {
      beats.scheduleAtFixedRate(
          () -> talking.conn.send(new Msg.NodeHeartbeat("talking")), 0, 100, TimeUnit.MILLISECONDS);
      Msg.ViewDelta d;
      do {
        d = talking.awaitView();
      } while (!byId(d).containsKey("silent") || byId(d).get("silent").alive());
      assertThat(byId(d).get("silent").alive()).as("the node that sent nothing").isFalse();
      silent.conn.closeFuture().get(T.toSeconds(), TimeUnit.SECONDS); // cut off: it exits on this
      Msg.StatusReply s = (Msg.StatusReply) get(talking.conn.call(new Msg.ClusterStatus()));
      assertThat(s.nodes())
          .extracting(Msg.NodeInfo::nodeId, Msg.NodeInfo::alive)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("talking", true),
              org.assertj.core.groups.Tuple.tuple("silent", false));
      assertThat(talking.conn.isOpen()).isTrue();
    } finally {
      beats.shutdownNow();
    }
  }

  @Test
  void nodeTimeout_belowHalfASecond_isRefusedWithTheReason() {
    assertThatThrownBy(() -> new ControlStore(100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 500 ms");
  }

  @Test
  void resyncView_sendsTheFullViewAgain() throws Exception {
    FakeNode n1 = node("n1", 4);
    FakeNode n2 = node("n2", 2);
    n1.awaitView();
    Msg.ViewDelta n1Sees2 = n1.awaitView();
    n1.conn.send(new Msg.ResyncView("n1", 0));
    Msg.ViewDelta again = n1.awaitView();
    assertThat(again.fromVersion()).isZero();
    assertThat(again.version()).isEqualTo(n1Sees2.version());
    assertThat(byId(again)).containsOnlyKeys("n1", "n2");
    assertThat(n2.conn.isOpen()).isTrue();
  }

  @Test
  void registerJob_beforeAnyNode_waitsForTheFirstNodeAndJobsGetTheirOwnIds() throws Exception {
    Connection d1 = connect((c, r, m) -> {});
    CompletableFuture<Msg> job1 = d1.call(new Msg.RegisterJob("first", "d1", 1, CODE));
    sync(d1);
    assertThat(job1).as("no node yet").isNotDone();

    node("n1", 2);
    Msg.JobInfo j1 = (Msg.JobInfo) get(job1);
    assertThat(j1.jobId()).isEqualTo(1);
    assertThat(j1.nodes()).extracting(Msg.NodeInfo::nodeId).containsExactly("n1");
    Connection d2 = connect((c, r, m) -> {});
    Msg.JobInfo j2 = (Msg.JobInfo) get(d2.call(new Msg.RegisterJob("second", "d2", 1, CODE)));
    assertThat(j2.jobId()).isEqualTo(2);

    d1.close(); // its close reaches the store on its own connection: wait for it
    Awaitility.await("job 1 finished when its driver disconnected")
        .atMost(T)
        .untilAsserted(
            () -> {
              Msg.StatusReply s = (Msg.StatusReply) get(d2.call(new Msg.ClusterStatus()));
              assertThat(s.jobs())
                  .anyMatch(j -> j.startsWith("1 first") && j.endsWith("FINISHED"))
                  .anyMatch(j -> j.startsWith("2 second") && j.endsWith("RUNNING"));
            });
  }

  // ------------------------------------------------------------------ actors

  @Test
  void getJob_givesAnyNodeTheJobsCodeWhileItLives_andNodesHearWhenItEnds() throws Exception {
    FakeNode n1 = node("n1", 1);
    FakeNode n2 = node("n2", 1);
    Connection d = connect((c, r, m) -> {});
    Msg.JobInfo job = (Msg.JobInfo) get(d.call(new Msg.RegisterJob("j", "d-addr", 1, CODE)));
    assertThat(get(n2.conn.call(new Msg.GetJob(job.jobId()))))
        .isEqualTo(new Msg.JobDefinition(job.jobId(), "d-addr", CODE));
    assertThat(get(n2.conn.call(new Msg.GetJob(job.jobId() + 100))))
        .isInstanceOfSatisfying(
            Msg.Failure.class,
            f -> assertThat(f.text()).contains("job " + (job.jobId() + 100), "unknown"));

    d.close();
    assertThat(n1.ended.poll(T.toSeconds(), TimeUnit.SECONDS)).isEqualTo(job.jobId());
    assertThat(n2.ended.poll(T.toSeconds(), TimeUnit.SECONDS)).isEqualTo(job.jobId());
    assertThat(get(n2.conn.call(new Msg.GetJob(job.jobId()))))
        .isInstanceOfSatisfying(
            Msg.Failure.class, f -> assertThat(f.text()).contains("job " + job.jobId(), "ended"));
  }

  @Test
  void namedActor_isFoundByName_refusedTwice_andItsNameIsFreeOnceKilled() throws Exception {
    FakeNode n = node("n1", 2);
    Connection d = driver("job");
    assertThat(create(d, spec(1, "counter", 1, 0, false)).state())
        .isEqualTo(Msg.ActorState.PENDING);
    n.hostNext("w1");
    assertThat(settled(d, 1).state()).isEqualTo(Msg.ActorState.ALIVE);
    Msg.ActorInfo byName = (Msg.ActorInfo) get(d.call(new Msg.GetNamedActor("counter")));
    assertThat(byName.actorLo()).isEqualTo(1);
    assertThat(byName.address()).isEqualTo("w1");
    assertThat(get(d.call(new Msg.CreateActor(spec(2, "counter", 1, 0, false)))))
        .isInstanceOfSatisfying(
            Msg.Failure.class, f -> assertThat(f.text()).contains("already exists"));

    assertThat(get(d.call(new Msg.KillActor(9, 1)))).isInstanceOf(Msg.Ack.class);
    n.awaitStop(1);
    assertThat(info(d, 1).state()).isEqualTo(Msg.ActorState.DEAD);
    assertThat(get(d.call(new Msg.GetNamedActor("counter")))).isInstanceOf(Msg.Failure.class);
    assertThat(create(d, spec(3, "counter", 1, 0, false)).actorLo()).isEqualTo(3);
  }

  @Test
  void killActor_whilePending_stopsItOnTheNodeItIsPlacedOnAndItStaysDead() throws Exception {
    FakeNode n = node("n1", 2);
    Connection d = driver("job");
    create(d, spec(1, null, 1, 0, false));
    Pending hosting = n.awaitHost(); // the node has not answered yet
    assertThat(get(d.call(new Msg.KillActor(9, 1)))).isInstanceOf(Msg.Ack.class);
    n.awaitStop(1);
    assertThat(info(d, 1).state()).isEqualTo(Msg.ActorState.DEAD);

    hosting.answer("w1"); // the node's answer comes later
    n.awaitStop(1); // and is told again to stop what it started
    assertThat(settled(d, 1).state()).as("a killed actor is dead").isEqualTo(Msg.ActorState.DEAD);
    assertThat(info(d, 1).deathReason()).contains("killed");
  }

  @Test
  void killActor_whileRestarting_stopsItsNewPlacementAndItStaysDead() throws Exception {
    FakeNode n = node("n1", 2);
    Connection d = driver("job");
    create(d, spec(1, null, 1, 1, false));
    n.hostNext("w1");
    assertThat(settled(d, 1).state()).isEqualTo(Msg.ActorState.ALIVE);

    n.conn.send(new Msg.ActorProcessDied(9, 1, "worker exited with code 137"));
    Pending restart = n.awaitHost();
    assertThat(restart.host().incarnation()).isEqualTo(1);
    assertThat(info(d, 1).state()).isEqualTo(Msg.ActorState.RESTARTING);
    assertThat(get(d.call(new Msg.KillActor(9, 1)))).isInstanceOf(Msg.Ack.class);
    n.awaitStop(1);
    restart.answer("w2");
    n.awaitStop(1);
    assertThat(info(d, 1).state()).isEqualTo(Msg.ActorState.DEAD);
    assertThat(info(d, 1).address()).isNull();
  }

  @Test
  void actorProcessDied_ofAnOlderIncarnation_isIgnored() throws Exception {
    FakeNode n = node("n1", 2);
    Connection d = driver("job");
    create(d, spec(1, null, 1, 0, false));
    n.hostNext("w1");
    assertThat(settled(d, 1).state()).isEqualTo(Msg.ActorState.ALIVE);
    assertThat(info(d, 1).incarnation()).isZero();
    // a late report about another incarnation (kept by a node while the control store was away)
    n.conn.send(new Msg.ActorProcessDied(9, 1, "an old process exited", 3));
    sync(n.conn);
    assertThat(info(d, 1).state())
        .as("not this incarnation's death")
        .isEqualTo(Msg.ActorState.ALIVE);
    n.conn.send(new Msg.ActorProcessDied(9, 1, "worker exited with code 137", 0));
    sync(n.conn);
    assertThat(info(d, 1).state()).isEqualTo(Msg.ActorState.DEAD);
  }

  @Test
  void actorProcessDies_withoutRestartsLeft_isDeadWithTheReason() throws Exception {
    FakeNode n = node("n1", 2);
    Connection d = driver("job");
    create(d, spec(1, null, 1, 0, false));
    n.hostNext("w1");
    assertThat(settled(d, 1).state()).isEqualTo(Msg.ActorState.ALIVE);
    n.conn.send(new Msg.ActorProcessDied(9, 1, "worker exited with code 137"));
    sync(n.conn);
    Msg.ActorInfo dead = info(d, 1);
    assertThat(dead.state()).isEqualTo(Msg.ActorState.DEAD);
    assertThat(dead.deathReason()).contains("code 137").contains("no restarts left");
  }

  @Test
  void nodeGone_itsActorsRestartOnAnotherNodeOrDie() throws Exception {
    FakeNode n1 = node("n1", 2);
    Connection d = driver("job");
    create(d, spec(1, null, 1, 1, false));
    n1.hostNext("w1");
    create(d, spec(2, null, 1, 0, false));
    n1.hostNext("w2");
    assertThat(settled(d, 2).state()).isEqualTo(Msg.ActorState.ALIVE);
    FakeNode n2 = node("n2", 2);

    n1.conn.close();
    n2.hostNext("w3");
    Msg.ActorInfo moved =
        (Msg.ActorInfo) get(d.call(new Msg.GetActorInfo(9, 1, true, 10_000, "w1")));
    assertThat(moved.state()).isEqualTo(Msg.ActorState.ALIVE);
    assertThat(moved.address()).isEqualTo("w3");
    assertThat(moved.incarnation()).isEqualTo(1);
    assertThat(info(d, 2).state()).isEqualTo(Msg.ActorState.DEAD);
    assertThat(info(d, 2).deathReason()).contains("node n1 is gone");
  }

  @Test
  void jobEnds_itsActorsDieButDetachedOnesLive() throws Exception {
    FakeNode n = node("n1", 4);
    Connection owner = driver("job");
    create(owner, spec(1, null, 1, 0, false));
    n.hostNext("w1");
    create(owner, spec(2, null, 1, 0, true));
    n.hostNext("w1");
    Connection other = driver("other");
    assertThat(settled(other, 2).state()).isEqualTo(Msg.ActorState.ALIVE);

    owner.close();
    n.awaitStop(1);
    assertThat(settled(other, 1).state()).isEqualTo(Msg.ActorState.DEAD);
    assertThat(info(other, 1).deathReason()).contains("job 1").contains("ended");
    assertThat(info(other, 2).state()).isEqualTo(Msg.ActorState.ALIVE);
  }

  @Test
  void createActor_thatNoNodeCanHost_waitsWarnedAndListed_untilANodeThatCanJoins()
      throws Exception {
    node("n1", 0.5);
    BlockingQueue<Msg> told = new LinkedBlockingQueue<>();
    Connection d = connect((c, r, m) -> told.add(m));
    assertThat(get(d.call(new Msg.RegisterJob("job", "job-addr", 1, CODE))))
        .isInstanceOf(Msg.JobInfo.class);
    create(d, spec(1, null, 1, 0, false));
    assertThat(told.poll(T.toSeconds(), TimeUnit.SECONDS))
        .isInstanceOfSatisfying(
            Msg.DemandInfeasible.class,
            w -> assertThat(w.message()).contains("CPU=1.0").contains("CPU=0.5").contains("waits"));
    assertThat(info(d, 1).state()).isEqualTo(Msg.ActorState.PENDING);
    Msg.StatusReply s = (Msg.StatusReply) get(d.call(new Msg.ClusterStatus()));
    assertThat(s.infeasible())
        .containsExactly(
            new Msg.PendingDemand("actor", "Counter", Map.of("CPU", 1.0), "control", 1));
    FakeNode big = node("n2", 2);
    big.hostNext("w-addr");
    assertThat(settled(d, 1).address()).isEqualTo("w-addr");
    assertThat(((Msg.StatusReply) get(d.call(new Msg.ClusterStatus()))).infeasible()).isEmpty();
  }

  static Msg.ActorSpec spec(long lo, Msg.Scheduling scheduling, String creatorNode) {
    Msg.ActorSpec b = spec(lo, null, 1, 0, false);
    return spec(b, b.resources(), scheduling, creatorNode);
  }

  /** {@code b} with other resources and scheduling. */
  static Msg.ActorSpec spec(
      Msg.ActorSpec b,
      Map<String, Double> resources,
      Msg.Scheduling scheduling,
      String creatorNode) {
    return new Msg.ActorSpec(
        b.actorHi(),
        b.actorLo(),
        b.jobId(),
        b.name(),
        b.className(),
        b.ctor(),
        b.args(),
        resources,
        b.maxRestarts(),
        b.maxTaskRetries(),
        b.maxConcurrency(),
        b.detached(),
        b.dedicatedProcess(),
        b.classpath(),
        b.jvmOptions(),
        b.ownerAddress(),
        scheduling,
        creatorNode);
  }

  @Test
  void createActor_default_prefersTheCreatorsNode_thenTheLeastUtilizedByAvailable()
      throws Exception {
    FakeNode n1 = node("n1", 2);
    FakeNode n2 = node("n2", 2);
    FakeNode n3 = node("n3", 2);
    Connection d = driver("job");
    n2.conn.send(new Msg.ReportResources("n2", Map.of("CPU", 1.0)));
    sync(n2.conn);
    create(d, spec(1, Msg.Scheduling.DEFAULT, "n3"));
    n3.hostNext("w1");
    // n3 is now half used (by what was placed there), n2 half used by its report, n1 idle
    create(d, spec(2, Msg.Scheduling.DEFAULT, "n3"));
    n1.hostNext("w2");
    assertThat(n2.hosts).isEmpty();
  }

  @Test
  void createActor_spread_roundRobins_andHardAffinityToADeadNode_isDead() throws Exception {
    FakeNode[] ns = {node("n1", 4), node("n2", 4), node("n3", 4)};
    Connection d = driver("job");
    Msg.Scheduling spread = new Msg.Scheduling(Msg.SchedulingKind.SPREAD, null, false);
    for (int i = 0; i < 3; i++) {
      create(d, spec(10 + i, spread, "n1"));
    }
    for (FakeNode n : ns) {
      n.hostNext("w-" + n.id);
    }
    ns[2].conn.close();
    Awaitility.await("n3 seen dead")
        .atMost(T)
        .until(
            () ->
                ((Msg.StatusReply) get(d.call(new Msg.ClusterStatus())))
                    .nodes().stream().anyMatch(n -> n.nodeId().equals("n3") && !n.alive()));
    create(d, spec(20, new Msg.Scheduling(Msg.SchedulingKind.NODE_AFFINITY, "n3", false), "n1"));
    Msg.ActorInfo dead = settled(d, 20);
    assertThat(dead.state()).isEqualTo(Msg.ActorState.DEAD);
    assertThat(dead.deathReason()).contains("node n3 is dead");
  }

  // ------------------------------------------------------------------ fakes

  /** A HostActor the fake node has not answered yet. */
  record Pending(Connection conn, long reqId, Msg.HostActor host) {
    void answer(String workerAddress) {
      Msg.ActorSpec s = host.spec();
      conn.reply(
          reqId,
          new Msg.ActorInfo(
              s.actorHi(),
              s.actorLo(),
              s.name(),
              s.className(),
              Msg.ActorState.ALIVE,
              workerAddress,
              host.incarnation(),
              null,
              1,
              0,
              s.ownerAddress(),
              null,
              null));
    }
  }

  /** A node manager without workers: the test answers its HostActor calls. */
  static final class FakeNode implements MessageHandler {
    final String id;
    final BlockingQueue<Pending> hosts = new LinkedBlockingQueue<>();
    final BlockingQueue<Msg.StopActor> stops = new LinkedBlockingQueue<>();
    final BlockingQueue<Msg.ViewDelta> views = new LinkedBlockingQueue<>();
    final BlockingQueue<Integer> ended = new LinkedBlockingQueue<>();
    final BlockingQueue<Msg.StoreDelete> deletes = new LinkedBlockingQueue<>();
    Connection conn;

    FakeNode(String id) {
      this.id = id;
    }

    @Override
    public void onMessage(Connection c, long reqId, Msg msg) {
      switch (msg) {
        case Msg.HostActor h -> hosts.add(new Pending(c, reqId, h));
        case Msg.StopActor s -> stops.add(s);
        case Msg.ViewDelta d -> views.add(d);
        case Msg.JobEnded e -> ended.add(e.jobId());
        case Msg.StoreDelete d -> deletes.add(d);
        default -> c.replyFailure(reqId, "fake node " + id + " does not handle " + msg);
      }
    }

    Pending awaitHost() throws InterruptedException {
      Pending p = hosts.poll(T.toSeconds(), TimeUnit.SECONDS);
      assertThat(p).as("node %s was asked to host an actor", id).isNotNull();
      return p;
    }

    void hostNext(String workerAddress) throws InterruptedException {
      awaitHost().answer(workerAddress);
    }

    Msg.ViewDelta awaitView() throws InterruptedException {
      Msg.ViewDelta d = views.poll(T.toSeconds(), TimeUnit.SECONDS);
      assertThat(d).as("node %s was sent a cluster view", id).isNotNull();
      return d;
    }

    void awaitStop(long actorLo) throws InterruptedException {
      Msg.StopActor s = stops.poll(T.toSeconds(), TimeUnit.SECONDS);
      assertThat(s).as("node %s was told to stop actor %d", id, actorLo).isNotNull();
      assertThat(s.actorLo()).isEqualTo(actorLo);
    }
  }
}
