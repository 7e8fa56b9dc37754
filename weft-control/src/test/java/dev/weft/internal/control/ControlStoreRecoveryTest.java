package dev.weft.internal.control;

import static dev.weft.internal.control.ControlStoreFixture.CODE;
import static dev.weft.internal.control.ControlStoreFixture.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.internal.control.ControlStoreTest.FakeNode;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A control store that stops (its connections closed, nothing said to anyone, as a SIGKILL leaves
 * them) and a new one started on the same storage (issue 11, item 6): the file log, as a head uses
 * by default. The new one knows the nodes, jobs and actors; nodes and drivers come back to it; a
 * node declared dead stays fenced; a node that does not come back is declared dead after the node
 * timeout and its actors restart elsewhere. The real processes are HeadRestartIT's.
 */
class ControlStoreRecoveryTest {
  @TempDir Path dir;

  private ControlStoreFixture fx;
  private ControlStorage storage;

  @AfterEach
  void stop() throws InterruptedException {
    if (fx != null) {
      crash(); // its loop stops before its storage closes: no write into a closed log
    }
  }

  /** A control store on the file log in {@link #dir}, whatever it holds. */
  private ControlStoreFixture start(long nodeTimeoutMillis) {
    storage = new FileLogStorage(dir);
    fx = new ControlStoreFixture(nodeTimeoutMillis, storage);
    return fx;
  }

  /**
   * The control store dies: its loop stops first (as a killed process writes nothing more: the
   * closing connections below must not be recorded as nodes and drivers leaving), then its
   * connections close and its storage is let go of.
   */
  private void crash() throws InterruptedException {
    fx.cs.loop.shutdownNow();
    assertThat(fx.cs.loop.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    fx.close();
    storage.close();
    fx = null;
    storage = null;
  }

  private static FakeNode node(ControlStoreFixture fx, String id, double cpus) throws Exception {
    FakeNode n = new FakeNode(id);
    n.conn = fx.registerNode(n, id, cpus);
    return n;
  }

  /** Creates actor {@code spec} (lo 1) from driver {@code d}; {@code n} hosts it at w1; ALIVE. */
  private static void aliveActor(Connection d, FakeNode n, Msg.ActorSpec spec) throws Exception {
    assertThat(get(d.call(new Msg.CreateActor(spec)))).isInstanceOf(Msg.ActorInfo.class);
    n.hostNext("w1");
    assertThat(get(d.call(new Msg.GetActorInfo(9, 1, true, 10_000, null))))
        .isInstanceOfSatisfying(
            Msg.ActorInfo.class, i -> assertThat(i.state()).isEqualTo(Msg.ActorState.ALIVE));
  }

  private static Msg.StatusReply status(Connection c) throws Exception {
    return (Msg.StatusReply) get(c.call(new Msg.ClusterStatus()));
  }

  @Test
  void restartedStore_knowsNodesJobsAndActors_andTheyComeBack() throws Exception {
    start(3_600_000);
    FakeNode n1 = node(fx, "n1", 2);
    Connection d = fx.driver("job");
    aliveActor(d, n1, ControlStoreTest.spec(1, "counter", 1, 0, true));

    crash();
    start(3_600_000);

    Connection look = fx.connect((c, r, m) -> {});
    Msg.StatusReply s = status(look);
    assertThat(s.nodes()).singleElement().satisfies(n -> assertThat(n.alive()).isTrue());
    assertThat(s.jobs()).singleElement().asString().contains("RUNNING");
    assertThat(get(look.call(new Msg.GetNamedActor("counter"))))
        .as("the named actor, where it runs")
        .isInstanceOfSatisfying(
            Msg.ActorInfo.class,
            i -> {
              assertThat(i.state()).isEqualTo(Msg.ActorState.ALIVE);
              assertThat(i.address()).isEqualTo("w1");
            });

    FakeNode back = new FakeNode("n1");
    back.conn = fx.registerNode(back, "n1", 2);
    Connection resumed = fx.connect((c, r, m) -> {});
    Msg.RegisterJob reg = new Msg.RegisterJob("job", "job-addr", 1, CODE);
    assertThat(get(resumed.call(new Msg.ResumeJob(1, reg))))
        .isInstanceOfSatisfying(Msg.JobInfo.class, j -> assertThat(j.jobId()).isEqualTo(1));
    assertThat(get(resumed.call(new Msg.ResumeJob(1, reg))))
        .as("a job is resumed once")
        .isInstanceOf(Msg.Failure.class);
    assertThat(get(fx.connect((c, r, m) -> {}).call(new Msg.RegisterJob("next", "a", 1, CODE))))
        .as("job ids go on from where they were")
        .isInstanceOfSatisfying(Msg.JobInfo.class, j -> assertThat(j.jobId()).isEqualTo(2));
    assertThat(
            get(resumed.call(new Msg.CreateActor(ControlStoreTest.spec(1, "counter", 1, 0, true)))))
        .as("creating an actor again under its id (a retry) answers the actor that is")
        .isInstanceOfSatisfying(Msg.ActorInfo.class, i -> assertThat(i.address()).isEqualTo("w1"));
    assertThat(back.hosts).as("nothing is started twice").isEmpty();
  }

  @Test
  void objectsItOwns_areServedAfterARestart_andFreedWhenTheirLastBorrowerGoes() throws Exception {
    start(3_600_000);
    FakeNode n1 = node(fx, "n1", 2);
    Connection d = fx.driver("job");
    Msg.ObjectLocation onN1 = new Msg.ObjectLocation("n1", "n1-addr");
    assertThat(get(d.call(new Msg.PutDetached(1, 1, null, onN1, "putter", "n1", 1))))
        .isInstanceOf(Msg.Ack.class);
    assertThat(get(d.call(new Msg.PutDetached(1, 2, new byte[] {42}, null, "putter", "n1", 1))))
        .isInstanceOf(Msg.Ack.class);
    assertThat(get(d.call(new Msg.DetachedBorrower(1, 1, "reader", "n2", true))))
        .isInstanceOf(Msg.Ack.class);

    crash();
    start(3_600_000);

    fx.cs.objects().deathGraceMillis = 500;
    FakeNode back = new FakeNode("n1");
    back.conn = fx.registerNode(back, "n1", 2);
    Connection look = fx.connect((c, r, m) -> {});
    assertThat(get(look.call(new Msg.GetObject(1, 1, 0))))
        .isInstanceOfSatisfying(
            Msg.ObjectReply.class,
            r -> {
              assertThat(r.status()).isEqualTo(Msg.ObjectStatus.IN_STORE);
              assertThat(r.locations()).containsExactly(onN1);
            });
    assertThat(get(look.call(new Msg.GetObject(1, 2, 0))))
        .isInstanceOfSatisfying(
            Msg.ObjectReply.class, r -> assertThat(r.value()).containsExactly((byte) 42));

    // the putter exits (its node says so): the reader still holds object 1, nobody holds 2
    back.conn.send(new Msg.OwnerGone("putter")); // one-way, on the node's connection
    org.awaitility.Awaitility.await("object 2 freed after the grace, with its only borrower")
        .until(
            () ->
                ((Msg.ObjectReply) get(look.call(new Msg.GetObject(1, 2, 0)))).status()
                    == Msg.ObjectStatus.UNKNOWN);
    assertThat(get(look.call(new Msg.GetObject(1, 1, 0))))
        .isInstanceOfSatisfying(
            Msg.ObjectReply.class,
            r -> assertThat(r.status()).isEqualTo(Msg.ObjectStatus.IN_STORE));
    assertThat(back.deletes).isEmpty();
    assertThat(get(look.call(new Msg.DetachedBorrower(1, 1, "putter", "n1", true))))
        .as("a process reported gone cannot borrow again")
        .isInstanceOf(Msg.Failure.class);

    assertThat(get(look.call(new Msg.DetachedBorrower(1, 1, "reader", "n2", false))))
        .isInstanceOf(Msg.Ack.class);
    Msg.StoreDelete del = back.deletes.poll(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(del).as("the copy on n1 is deleted").isEqualTo(new Msg.StoreDelete(1, 1));

    crash();
    start(3_600_000);
    assertThat(get(fx.connect((c, r, m) -> {}).call(new Msg.GetObject(1, 1, 0))))
        .as("a freed object stays freed after another restart")
        .isInstanceOfSatisfying(
            Msg.ObjectReply.class, r -> assertThat(r.status()).isEqualTo(Msg.ObjectStatus.UNKNOWN));
  }

  @Test
  void objectWhosePutterDies_isKeptForAReceiverThatRegistersWithinTheGrace() throws Exception {
    start(3_600_000);
    fx.cs.objects().deathGraceMillis = 300;
    FakeNode n1 = node(fx, "n1", 2);
    FakeNode n2 = node(fx, "n2", 2);
    Connection d = fx.driver("job");
    Msg.ObjectLocation onN1 = new Msg.ObjectLocation("n1", "n1-addr");
    assertThat(get(d.call(new Msg.PutDetached(1, 3, null, onN1, "worker", "n1", 1))))
        .isInstanceOf(Msg.Ack.class);
    // the worker returned the ref in a task's result and died before the receiver registered
    n1.conn.send(new Msg.OwnerGone("worker"));
    org.awaitility.Awaitility.await("the death is heard")
        .until(
            () ->
                get(d.call(new Msg.DetachedBorrower(1, 3, "worker", "n1", true)))
                    instanceof Msg.Failure);
    assertThat(get(d.call(new Msg.DetachedBorrower(1, 3, "receiver", "n2", true))))
        .as("the receiver registers within the grace")
        .isInstanceOf(Msg.Ack.class);
    org.awaitility.Awaitility.await("kept past the grace, for the receiver")
        .during(java.time.Duration.ofSeconds(1)) // three graces: a wrong free would show
        .atMost(java.time.Duration.ofSeconds(5))
        .until(
            () ->
                ((Msg.ObjectReply) get(d.call(new Msg.GetObject(1, 3, 0)))).status()
                    == Msg.ObjectStatus.IN_STORE);
    assertThat(n1.deletes).isEmpty();

    // a borrower on a node declared dead is refused (it would never be dropped)
    n2.conn.close();
    org.awaitility.Awaitility.await("n2 declared dead")
        .until(
            () ->
                get(d.call(new Msg.DetachedBorrower(1, 3, "late", "n2", true)))
                        instanceof Msg.Failure f
                    && f.text().contains("declared dead"));
    Msg.StoreDelete del = n1.deletes.poll(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(del)
        .as("the receiver ran on n2, which died: freed after the grace, its copy deleted")
        .isEqualTo(new Msg.StoreDelete(1, 3));
  }

  @Test
  void nodeInventory_afterARestart_dropsBorrowersThatDiedUnheardAndDeletesCopiesOfFreedObjects()
      throws Exception {
    start(3_600_000);
    node(fx, "n1", 2);
    Connection d = fx.driver("job");
    Msg.ObjectLocation onN1 = new Msg.ObjectLocation("n1", "n1-addr");
    assertThat(get(d.call(new Msg.PutDetached(1, 5, null, onN1, "w-dead", "n1", 1))))
        .isInstanceOf(Msg.Ack.class);
    assertThat(get(d.call(new Msg.DetachedBorrower(1, 5, "w-live", "n1", true))))
        .isInstanceOf(Msg.Ack.class);

    crash(); // w-dead exits meanwhile: its OwnerGone is lost with the old control store
    start(3_600_000);
    fx.cs.objects().deathGraceMillis = 300;

    FakeNode back = new FakeNode("n1");
    back.conn = fx.registerNode(back, "n1", 2);
    // it holds object 5, and object 6, whose free the old control store did not get to tell it
    back.conn.send(
        new Msg.NodeInventory(
            "n1",
            java.util.List.of("w-live"),
            java.util.List.of(1L, 1L),
            java.util.List.of(5L, 6L)));
    Msg.StoreDelete first = back.deletes.poll(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(first).as("the copy of the freed object goes").isEqualTo(new Msg.StoreDelete(1, 6));

    Connection look = fx.connect((c, r, m) -> {});
    assertThat(get(look.call(new Msg.DetachedBorrower(1, 5, "w-live", "n1", false))))
        .isInstanceOf(Msg.Ack.class);
    Msg.StoreDelete second = back.deletes.poll(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(second)
        .as("w-dead was dropped, so w-live's release was the last: object 5 is freed")
        .isEqualTo(new Msg.StoreDelete(1, 5));
  }

  @Test
  void keyValueTable_isKeptAcrossARestart() throws Exception {
    start(3_600_000);
    Connection c = fx.connect((x, r, m) -> {});
    assertThat(get(c.call(new Msg.KvPut("app/a", new byte[] {1}, true))))
        .isEqualTo(new Msg.KvReply(true, null, null));
    assertThat(get(c.call(new Msg.KvPut("app/b", new byte[] {2}, true)))).isNotNull();
    assertThat(get(c.call(new Msg.KvPut("app/gone", new byte[] {3}, true)))).isNotNull();
    assertThat(get(c.call(new Msg.KvPut("other", new byte[] {4}, true)))).isNotNull();
    assertThat(get(c.call(new Msg.KvDelete("app/gone"))))
        .isEqualTo(new Msg.KvReply(true, null, null));
    assertThat(get(c.call(new Msg.KvPut("app/a", new byte[] {9}, false))))
        .as("only if absent: a is there")
        .isEqualTo(new Msg.KvReply(false, null, null));
    assertThat(get(c.call(new Msg.KvPut("", new byte[] {9}, true))))
        .as("an empty key is refused")
        .isInstanceOf(Msg.Failure.class);
    assertThat(get(c.call(new Msg.KvPut("app/\uFFFFz", new byte[] {5}, true)))).isNotNull();
    fx.cs.kv().maxTotalBytes = 64;
    assertThat(get(c.call(new Msg.KvPut("full", new byte[64], true))))
        .as("past the table's limit")
        .isInstanceOfSatisfying(
            Msg.Failure.class, f -> assertThat(f.text()).contains("-Dweft.kv.maxBytes"));
    assertThat(get(c.call(new Msg.KvGet("full"))))
        .isInstanceOfSatisfying(Msg.KvReply.class, r -> assertThat(r.found()).isFalse());

    crash();
    start(3_600_000);

    Connection look = fx.connect((x, r, m) -> {});
    assertThat(get(look.call(new Msg.KvKeys("app/"))))
        .isInstanceOfSatisfying(
            Msg.KvReply.class,
            r -> assertThat(r.keys()).containsExactly("app/a", "app/b", "app/\uFFFFz"));
    assertThat(get(look.call(new Msg.KvGet("app/a"))))
        .isInstanceOfSatisfying(
            Msg.KvReply.class,
            r -> {
              assertThat(r.found()).isTrue();
              assertThat(r.value()).containsExactly((byte) 1);
            });
    assertThat(get(look.call(new Msg.KvGet("app/gone"))))
        .isInstanceOfSatisfying(Msg.KvReply.class, r -> assertThat(r.found()).isFalse());
    assertThat(get(look.call(new Msg.KvKeys(""))))
        .isInstanceOfSatisfying(Msg.KvReply.class, r -> assertThat(r.keys()).hasSize(4));
  }

  @Test
  void actorBeingPlacedWhenTheStoreStopped_isHostedAgainAsANewIncarnation_andAStaleDeathIgnored()
      throws Exception {
    start(3_600_000);
    FakeNode n1 = node(fx, "n1", 2);
    Connection d = fx.driver("job");
    assertThat(get(d.call(new Msg.CreateActor(ControlStoreTest.spec(1, "placing", 1, 0, true)))))
        .isInstanceOf(Msg.ActorInfo.class);
    ControlStoreTest.Pending first = n1.awaitHost(); // never answered: the store stops
    assertThat(first.host().incarnation()).isZero();

    crash();
    start(3_600_000);

    FakeNode back = new FakeNode("n1");
    back.conn = fx.registerNode(back, "n1", 2);
    ControlStoreTest.Pending again = back.awaitHost();
    assertThat(again.host().incarnation()).as("a new incarnation, no restart used").isEqualTo(1);
    // what the node kept while the store was away: the first attempt's process died
    back.conn.send(new Msg.ActorProcessDied(9, 1, "the first attempt's worker exited", 0));
    again.answer("w2");
    Connection look = fx.connect((c, r, m) -> {});
    assertThat(get(look.call(new Msg.GetActorInfo(9, 1, true, 10_000, null))))
        .isInstanceOfSatisfying(
            Msg.ActorInfo.class,
            i -> {
              assertThat(i.state()).isEqualTo(Msg.ActorState.ALIVE);
              assertThat(i.address()).isEqualTo("w2");
            });
    assertThat(back.hosts).as("not restarted for the stale death").isEmpty();
  }

  @Test
  void removedPlacementGroup_staysRemovedAfterARestart() throws Exception {
    start(3_600_000);
    node(fx, "n1", 2);
    Connection d = fx.driver("job");
    assertThat(
            get(
                d.call(
                    new Msg.CreatePlacementGroup(
                        "g1",
                        1,
                        java.util.List.of(Map.of("CPU", 1.0)),
                        dev.weft.PlacementStrategy.PACK,
                        "pg-addr"))))
        .isInstanceOf(Msg.PlacementGroupInfo.class);
    assertThat(get(d.call(new Msg.RemovePlacementGroup("g1")))).isNotInstanceOf(Msg.Failure.class);

    crash();
    start(3_600_000);

    Msg.ActorSpec b = ControlStoreTest.spec(1, null, 1, 0, false);
    Msg.ActorSpec inRemovedGroup =
        ControlStoreTest.spec(
            ControlStoreTest.spec(1, null, 1, 0, false),
            dev.weft.internal.proto.BundleResources.of("g1", 0, Map.of("CPU", 1.0)),
            null,
            null);
    Connection look = fx.connect((c, r, m) -> {});
    get(look.call(new Msg.CreateActor(inRemovedGroup)));
    assertThat(get(look.call(new Msg.GetActorInfo(9, 1, true, 10_000, null))))
        .isInstanceOfSatisfying(
            Msg.ActorInfo.class,
            i -> {
              assertThat(i.state()).isEqualTo(Msg.ActorState.DEAD);
              assertThat(i.deathReason()).contains("placement group g1 was removed");
            });
  }

  @Test
  void actorBoundToANodeNotBackYet_waitsForItAfterARestart() throws Exception {
    start(3_600_000);
    node(fx, "n1", 2);
    node(fx, "n2", 2);
    fx.driver("job");

    crash();
    start(3_600_000);

    FakeNode n2 = new FakeNode("n2");
    n2.conn = fx.registerNode(n2, "n2", 2); // n2 is back, n1 not yet
    Connection d = fx.connect((c, r, m) -> {});
    Msg.Scheduling onN1 = new Msg.Scheduling(Msg.SchedulingKind.NODE_AFFINITY, "n1", false);
    assertThat(get(d.call(new Msg.CreateActor(ControlStoreTest.spec(1, onN1, null)))))
        .isInstanceOfSatisfying(
            Msg.ActorInfo.class,
            i -> assertThat(i.state()).as("waits, not failed").isNotEqualTo(Msg.ActorState.DEAD));
    FakeNode n1 = new FakeNode("n1");
    n1.conn = fx.registerNode(n1, "n1", 2);
    n1.hostNext("w1");
    assertThat(get(d.call(new Msg.GetActorInfo(9, 1, true, 10_000, null))))
        .isInstanceOfSatisfying(
            Msg.ActorInfo.class,
            i -> {
              assertThat(i.state()).isEqualTo(Msg.ActorState.ALIVE);
              assertThat(i.nodeId()).isEqualTo("n1");
            });
    assertThat(n2.hosts).isEmpty();
  }

  @Test
  void nodeDeclaredDead_staysFencedAfterARestart() throws Exception {
    start(3_600_000);
    FakeNode n1 = node(fx, "n1", 2);
    node(fx, "n2", 2);
    n1.conn.close();
    Connection look = fx.connect((c, r, m) -> {});
    org.awaitility.Awaitility.await()
        .until(() -> status(look).nodes().stream().anyMatch(n -> !n.alive()));

    crash();
    start(3_600_000);

    Connection again = fx.connect(new FakeNode("n1"));
    assertThat(
            get(
                again.call(
                    new Msg.RegisterNode("n1", "n1-addr", Map.of("CPU", 2.0), 1, null, null))))
        .isInstanceOfSatisfying(
            Msg.Failure.class, f -> assertThat(f.text()).contains("declared dead"));
    FakeNode n2 = new FakeNode("n2");
    n2.conn = fx.registerNode(n2, "n2", 2);
  }

  @Test
  void nodeThatDoesNotComeBack_isDeclaredDead_andItsActorRestartsOnOneThatDid() throws Exception {
    start(1_000);
    FakeNode n1 = node(fx, "n1", 2);
    Connection d = fx.driver("job");
    aliveActor(d, n1, ControlStoreTest.spec(1, null, 1, 1, true));
    node(fx, "n2", 2);

    crash();
    start(1_000);
    fx.cs.recoveryGraceMillis = 1_000; // n1 gets a second to come back (15 s by default)

    FakeNode n2 = new FakeNode("n2");
    n2.conn = fx.registerNode(n2, "n2", 2);
    java.util.concurrent.ScheduledExecutorService beat =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    try {
      beat.scheduleAtFixedRate(
          () -> n2.conn.send(new Msg.NodeHeartbeat("n2")),
          0,
          200,
          java.util.concurrent.TimeUnit.MILLISECONDS);
      ControlStoreTest.Pending restart = n2.awaitHost(); // n1 never came back: declared dead
      assertThat(restart.host().incarnation()).isEqualTo(1);
      restart.answer("w2");
      Connection look = fx.connect((c, r, m) -> {});
      assertThat(get(look.call(new Msg.GetActorInfo(9, 1, true, 10_000, "w1"))))
          .isInstanceOfSatisfying(
              Msg.ActorInfo.class, i -> assertThat(i.address()).isEqualTo("w2"));
      assertThat(status(look).nodes())
          .anySatisfy(
              n -> {
                assertThat(n.nodeId()).isEqualTo("n1");
                assertThat(n.alive()).isFalse();
              });
    } finally {
      beat.shutdownNow();
    }
  }

  @Test
  void actorKilledBeforeItsNodeIsBack_isStoppedThereWhenItComesBack() throws Exception {
    start(3_600_000);
    FakeNode n1 = node(fx, "n1", 2);
    Connection d = fx.driver("job");
    aliveActor(d, n1, ControlStoreTest.spec(1, null, 1, 0, true));

    crash();
    start(3_600_000);

    Connection driver = fx.connect((c, r, m) -> {});
    assertThat(get(driver.call(new Msg.KillActor(9, 1)))).isInstanceOf(Msg.Ack.class);
    FakeNode back = new FakeNode("n1");
    back.conn = fx.registerNode(back, "n1", 2);
    back.awaitStop(1); // what was meant for it while it was away
  }

  @Test
  void actorRestartingWithNowhereToGo_isPlacedOnANewNodeAfterARestart() throws Exception {
    start(3_600_000);
    FakeNode n1 = node(fx, "n1", 2);
    Connection d = fx.driver("job");
    aliveActor(d, n1, ControlStoreTest.spec(1, null, 1, 1, true));
    n1.conn.close(); // its node dies: the actor restarts, with no node to go to
    Connection look = fx.connect((c, r, m) -> {});
    org.awaitility.Awaitility.await()
        .until(
            () ->
                ((Msg.ActorInfo) get(look.call(new Msg.GetActorInfo(9, 1, false, 0, null)))).state()
                    == Msg.ActorState.RESTARTING);

    crash();
    start(3_600_000);

    FakeNode n3 = node(fx, "n3", 2);
    ControlStoreTest.Pending placed = n3.awaitHost();
    assertThat(placed.host().incarnation()).isEqualTo(1);
  }
}
