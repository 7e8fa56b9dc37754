package dev.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weft.ActorDiedException;
import dev.weft.ActorHandle;
import dev.weft.ObjectLostException;
import dev.weft.ObjectRef;
import dev.weft.OwnerDiedException;
import dev.weft.SchedulingStrategy;
import dev.weft.Weft;
import dev.weft.testing.LocalCluster;
import dev.weft.testing.NodeHandle;
import dev.weft.testing.NodeOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node that fails without leaving (issue 11, items 1 and 2): killed (SIGKILL of the node manager
 * and its workers, noticed at once through its connections) or frozen (SIGSTOP of the node manager
 * and its workers, as a machine that hangs or is cut off: its sockets stay open and nothing on them
 * answers; noticed by the missing heartbeats). Either way the view marks it dead, the task that ran
 * there is retried on another node, an actor that may restart comes back elsewhere, one that may
 * not fails its calls instead of hanging, a get of an object owned by a process of that node fails
 * with OwnerDiedException (item 4) instead of hanging, and new work goes to the nodes left. A
 * frozen node that wakes up finds itself cut off and exits with its workers.
 */
class NodeFailureIT {
  private static final Duration SLOW = Duration.ofSeconds(120);

  private LocalCluster cluster;
  private final List<Long> frozen = new ArrayList<>();

  /** An actor that tells where it runs. */
  public static class Where {
    public String node() {
      return Weft.context().nodeId();
    }
  }

  public static String node() {
    return Weft.context().nodeId();
  }

  /** Sleeps 8 s: long enough to fail its owner's node while it runs. */
  public static String sleepy() throws InterruptedException {
    new CountDownLatch(1).await(8, TimeUnit.SECONDS); // a task that works for 8 s
    return Weft.context().nodeId();
  }

  /** Submits {@link #sleepy} to node {@code other} (a lease held by this worker) and returns. */
  public static ObjectRef<String> sleepyOn(String other) {
    return Weft.task(NodeFailureIT::sleepy)
        .scheduling(SchedulingStrategy.nodeAffinity(other, false))
        .remote();
  }

  /** A 2 MiB result: it stays in the store of the node that ran the task (its only copy). */
  public static byte[] big() {
    return new byte[2 << 20];
  }

  /** A 2 MiB object put by a worker (its owner), and that worker's pid. */
  public record Owned(long pid, ObjectRef<byte[]> ref) {}

  /** Puts a 2 MiB object here: this worker owns it. */
  public static Owned bigOwnedHere() {
    byte[] b = new byte[2 << 20];
    b[7] = 7;
    return new Owned(ProcessHandle.current().pid(), Weft.put(b));
  }

  /**
   * A ref owned by the worker running this task (it stays, as the owner), to a task that never ends
   * on node {@code failing}.
   */
  public static ObjectRef<String> pendingOn(String failing) {
    return Weft.task(NodeFailureIT::hangOn, failing)
        .scheduling(SchedulingStrategy.nodeAffinity(failing, false))
        .remote();
  }

  /** Runs for ever on node {@code failing}; elsewhere returns where it ran (the retry's node). */
  public static String hangOn(String failing) throws InterruptedException {
    if (Weft.context().nodeId().equals(failing)) {
      new CountDownLatch(1).await(10, TimeUnit.MINUTES); // until the node fails under it
    }
    return Weft.context().nodeId();
  }

  @AfterEach
  void stop() {
    NodeFailures.signal("CONT", frozen); // a frozen process would ignore everything but SIGKILL
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aKilledNodeShouldBeNoticedThroughItsConnectionsAndItsWorkRetriedElsewhere() {
    // a minute of heartbeat timeout: noticing the death sooner proves it came from the connections
    start(Duration.ofSeconds(60));
    NodeHandle failing = cluster.nodes().get(2);
    Work w = startWorkOn(failing.nodeId());

    failing.kill();

    assertTheClusterCarriesOn(failing.nodeId(), w, Duration.ofSeconds(30));
    assertThatThrownBy(() -> Weft.get(w.onlyThere(), SLOW))
        .as("its task, bound to the dead node, cannot run again")
        .hasMessageContaining("failed when run again: it cannot be scheduled");
  }

  @Test
  void aFrozenNodeShouldBeDeclaredDeadAfterTheTimeoutAndExitWhenItWakes() throws Exception {
    // this driver keeps (almost) no lineage: its lost objects fail saying their lineage was evicted
    System.setProperty("weft.lineage.maxBytes", "1");
    try {
      start(Duration.ofSeconds(2));
    } finally {
      System.clearProperty("weft.lineage.maxBytes");
    }
    NodeHandle failing = cluster.nodes().get(2);
    Work w = startWorkOn(failing.nodeId());
    List<Long> processes = NodeFailures.withDescendants(failing.pid());
    assertThat(processes).as("the node manager and its workers").hasSizeGreaterThan(2);

    NodeFailures.signal("STOP", processes);
    frozen.addAll(processes);

    assertTheClusterCarriesOn(failing.nodeId(), w, SLOW);
    assertThat(processes.stream().filter(p -> ProcessHandle.of(p).isPresent()))
        .as("the frozen processes are still there, stopped")
        .hasSameSizeAs(processes);

    assertThatThrownBy(() -> Weft.get(w.onlyThere(), SLOW))
        .hasMessageContaining("its lineage was evicted")
        .hasMessageContaining("weft.lineage.maxBytes=1 bytes");
    NodeFailures.signal("CONT", processes);
    frozen.clear();

    await("the node that woke up finds itself cut off and exits with its workers")
        .atMost(SLOW)
        .until(() -> processes.stream().noneMatch(p -> ProcessHandle.of(p).isPresent()));
    assertThat(Weft.nodes())
        .filteredOn(n -> n.nodeId().equals(failing.nodeId()))
        .singleElement()
        .satisfies(n -> assertThat(n.alive()).as("dead for good").isFalse());
    assertThat(Weft.get(Weft.task(NodeFailureIT::node).remote(), SLOW))
        .isNotEqualTo(failing.nodeId());
  }

  @Test
  void anOwnerThatDiesShouldTakeTheCopiesOfItsObjectsOnOtherNodesWithIt() {
    start(Duration.ofSeconds(60));
    NodeHandle other = cluster.nodes().get(1);
    Owned owned =
        Weft.get(
            Weft.task(NodeFailureIT::bigOwnedHere)
                .scheduling(SchedulingStrategy.nodeAffinity(other.nodeId(), false))
                .remote(),
            SLOW);
    ObjectRef<byte[]> ref = owned.ref();
    assertThat(Weft.get(ref, SLOW)[7]).isEqualTo((byte) 7);
    String key = TransferSupport.key(ref);
    assertThat(TransferSupport.objectsOn(cluster.head())).as("the copy pulled here").contains(key);
    assertThat(TransferSupport.objectsOn(other)).as("the primary").contains(key);

    ProcessHandle.of(owned.pid()).orElseThrow().destroyForcibly(); // the owner's worker only

    await("both nodes drop the dead owner's object")
        .atMost(SLOW)
        .until(
            () ->
                !TransferSupport.objectsOn(cluster.head()).contains(key)
                    && !TransferSupport.objectsOn(other).contains(key));
    assertThatThrownBy(() -> Weft.get(ref, SLOW)).isInstanceOf(OwnerDiedException.class);
  }

  /** Work placed on the node that will fail, started before it does. */
  private record Work(
      ObjectRef<String> retried,
      ActorHandle<Where> restarts,
      ActorHandle<Where> mortal,
      ObjectRef<String> ownedThere,
      CompletableFuture<String> waitingGet,
      ObjectRef<byte[]> copiedToHead,
      ObjectRef<byte[]> onlyThere) {}

  private void start(Duration nodeTimeout) {
    cluster = LocalCluster.start(NodeOptions.builder().cpus(1).nodeTimeout(nodeTimeout).build());
    cluster.addNode(NodeOptions.builder().cpus(1).build());
    cluster.addNode(NodeOptions.builder().cpus(1).build());
    cluster.connect();
  }

  private Work startWorkOn(String failing) {
    SchedulingStrategy there = SchedulingStrategy.nodeAffinity(failing, true);
    // first, while the node's one CPU is free: an object owned there, with a copy on the head
    ObjectRef<byte[]> copiedToHead =
        Weft.get(
                Weft.task(NodeFailureIT::bigOwnedHere)
                    .scheduling(SchedulingStrategy.nodeAffinity(failing, false))
                    .remote(),
                SLOW)
            .ref();
    assertThat(Weft.get(copiedToHead, SLOW)[7]).isEqualTo((byte) 7); // pulled to the head's store
    assertThat(TransferSupport.objectsOn(cluster.head()))
        .contains(TransferSupport.key(copiedToHead));
    // owned here, made there and never read: its only copy is in the failing node's store
    ObjectRef<byte[]> onlyThere =
        Weft.task(NodeFailureIT::big)
            .scheduling(SchedulingStrategy.nodeAffinity(failing, false))
            .remote();
    assertThat(Weft.wait(List.of(onlyThere), 1, SLOW).ready()).hasSize(1);
    // a worker of the failing node holds a lease on another node while its task runs there
    String other = cluster.nodes().get(1).nodeId();
    Weft.get(
        Weft.task(NodeFailureIT::sleepyOn, other)
            .scheduling(SchedulingStrategy.nodeAffinity(failing, false))
            .remote(),
        SLOW);
    await("the failing node's worker's task runs on " + other)
        .atMost(SLOW)
        .until(() -> NodeFailures.available(other, "CPU") == 0.0);
    ActorHandle<Where> restarts =
        Weft.actor(Where::new)
            .name("restarts")
            .detached()
            .maxRestarts(1)
            .scheduling(there)
            .remote();
    ActorHandle<Where> mortal = Weft.actor(Where::new).scheduling(there).remote();
    assertThat(Weft.get(restarts.task(Where::node).remote(), SLOW)).isEqualTo(failing);
    assertThat(Weft.get(mortal.task(Where::node).remote(), SLOW)).isEqualTo(failing);
    ObjectRef<String> ownedThere =
        Weft.get(
            Weft.task(NodeFailureIT::pendingOn, failing)
                .scheduling(SchedulingStrategy.nodeAffinity(failing, false))
                .remote(),
            SLOW); // owned by the worker that ran pendingOn there, borrowed here
    ObjectRef<String> retried =
        Weft.task(NodeFailureIT::hangOn, failing).scheduling(there).remote();
    await("the hanging task started on the failing node")
        .atMost(SLOW)
        .until(() -> NodeFailures.available(failing, "CPU") == 0.0);
    // a get that waits on the owner when its node fails (a long poll on the owner's connection)
    CompletableFuture<String> waitingGet =
        CompletableFuture.supplyAsync(() -> Weft.get(ownedThere, SLOW));
    return new Work(retried, restarts, mortal, ownedThere, waitingGet, copiedToHead, onlyThere);
  }

  private void assertTheClusterCarriesOn(String gone, Work w, Duration noticedWithin) {
    NodeFailures.awaitGone(gone, 2.0, noticedWithin);
    assertThat(Weft.get(w.retried(), SLOW)).as("the task retried elsewhere").isNotEqualTo(gone);
    assertThatThrownBy(() -> Weft.get(w.onlyThere(), SLOW))
        .as("an object whose only copy was on the failed node")
        .isInstanceOf(ObjectLostException.class)
        .hasMessageContaining("only copy was in the object store of node " + gone + ", which died");
    assertThat(w.waitingGet())
        .as("a get that waited on an owner that ran on the failed node")
        .failsWithin(SLOW)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .havingCause()
        .isInstanceOf(OwnerDiedException.class)
        .withMessageContaining(w.ownedThere().ownerAddress());
    assertThatThrownBy(() -> Weft.get(w.ownedThere(), SLOW))
        .as("a get of an object whose owner ran on the failed node, after it failed")
        .isInstanceOf(OwnerDiedException.class)
        .hasMessageContaining(w.ownedThere().ownerAddress());
    assertThat(Weft.get(w.restarts().task(Where::node).remote(), SLOW))
        .as("the restartable actor's node after the restart")
        .isNotEqualTo(gone);
    ActorHandle<Where> byName = Weft.<Where>getActor("restarts").orElseThrow();
    assertThat(Weft.get(byName.task(Where::node).remote(), SLOW))
        .as("the named, detached actor keeps its name across the restart")
        .isNotEqualTo(gone);
    assertThatThrownBy(() -> Weft.get(w.mortal().task(Where::node).remote(), SLOW))
        .isInstanceOf(ActorDiedException.class)
        .hasMessageContaining(gone);
    assertThat(Weft.get(Weft.task(NodeFailureIT::node).remote(), SLOW)).isNotEqualTo(gone);
    await("the leases held by the failed node's processes on the other nodes are given back")
        .atMost(SLOW)
        .until(() -> Weft.availableResources().getOrDefault("CPU", 0.0) == 2.0);
    await("the head's node drops its copy of an object whose owner ran on the failed node")
        .atMost(SLOW)
        .until(
            () ->
                !TransferSupport.objectsOn(cluster.head())
                    .contains(TransferSupport.key(w.copiedToHead())));
  }
}
