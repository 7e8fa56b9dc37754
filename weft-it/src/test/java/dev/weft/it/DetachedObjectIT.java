package dev.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Objects that outlive their owner (issue 11, item 9): {@code Weft.putDetached} hands an object's
 * ownership to the control store, so that it stays readable after the process that put it is gone
 * (SIGKILL of its worker, its node killed, the control store itself restarted), and it is still
 * freed on every node once the last reference is dropped. A plain {@code put} beside it, under the
 * same failure, fails with OwnerDiedException: the test would fail if the detached one shared its
 * owner's fate.
 */
class DetachedObjectIT {
  private static final Duration SLOW = Duration.ofSeconds(120);

  private LocalCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Two 2 MiB objects put by one worker, one detached and one plain, and the worker's pid. */
  public record Pair(long pid, ObjectRef<byte[]> detached, ObjectRef<byte[]> plain) {}

  public static Pair putBoth() {
    return new Pair(
        ProcessHandle.current().pid(),
        Weft.putDetached(filled(2 << 20, 7)),
        Weft.put(filled(2 << 20, 9)));
  }

  /** A detached object of {@code n} bytes, each {@code b}, put here. */
  public static ObjectRef<byte[]> putDetachedHere(int n, int b) {
    return Weft.putDetached(filled(n, b));
  }

  /**
   * The value of a task's result, the result's ref released at once: the refs nested in the value
   * are then held by the value alone, and the test's release of them is the last (no wait for a
   * collection to notice the result's ref was dropped).
   */
  static <T> T getAndRelease(ObjectRef<T> result) {
    T value = Weft.get(result, SLOW);
    result.release();
    return value;
  }

  public static int sum(byte[] data) {
    int s = 0;
    for (byte x : data) {
      s += x;
    }
    return s;
  }

  public static byte[] filled(int n, int b) {
    byte[] out = new byte[n];
    java.util.Arrays.fill(out, (byte) b);
    return out;
  }

  /** An actor that puts detached objects and keeps nothing of them. */
  public static class Maker {
    public Maker() {}

    public long pid() {
      return ProcessHandle.current().pid();
    }

    public ObjectRef<byte[]> big(int b) {
      return Weft.putDetached(filled(2 << 20, b));
    }

    public ObjectRef<String> small(String s) {
      return Weft.putDetached(s);
    }
  }

  /** A detached actor that keeps the refs a driver of another job handed it. */
  public static class Keeper {
    private ObjectRef<byte[]> detached;
    private ObjectRef<byte[]> plain;

    public Keeper() {}

    public String keep(List<ObjectRef<byte[]>> refs) {
      detached = refs.get(0);
      plain = refs.get(1);
      return "kept";
    }

    public ObjectRef<byte[]> detached() {
      return detached;
    }

    public ObjectRef<byte[]> plain() {
      return plain;
    }

    /** Lets go of both refs at once (ObjectRef.release), without waiting for a collection. */
    public String drop() {
      detached.release();
      plain.release();
      return "dropped";
    }
  }

  @Test
  void aDetachedObjectShouldOutliveTheJobOfTheDriverThatPutIt() throws Exception {
    start(0);
    DriverProgram.Launched other =
        DriverProgram.launchOnThisCluster("hand-over", "keeper-of-job-2");
    other.awaitLine("DONE", Duration.ofSeconds(90));
    assertThat(other.process.waitFor(60, TimeUnit.SECONDS)).as("the other driver exited").isTrue();

    ActorHandle<Keeper> k = Weft.<Keeper>getActor("keeper-of-job-2").orElseThrow();
    ObjectRef<byte[]> plain = Weft.get(k.task(Keeper::plain).remote(), SLOW);
    assertThatThrownBy(() -> Weft.get(plain, SLOW))
        .as("a plain put dies with the driver that put it")
        .isInstanceOf(OwnerDiedException.class);
    ObjectRef<byte[]> detached = getAndRelease(k.task(Keeper::detached).remote());
    assertThat(Weft.get(detached, SLOW)).as("read in another job").containsOnly((byte) 11);
    String key = TransferSupport.key(detached);
    assertThat(TransferSupport.objectsOn(cluster.head())).contains(key);

    assertThat(Weft.get(k.task(Keeper::drop).remote(), SLOW)).isEqualTo("dropped");
    k.kill();
    detached.release(); // with the keeper's, the last reference anywhere
    await("freed once the last holder is gone")
        .atMost(SLOW)
        .until(() -> !TransferSupport.objectsOn(cluster.head()).contains(key));
  }

  private void start(int extraNodes) {
    cluster = LocalCluster.start(NodeOptions.builder().cpus(1).build());
    for (int i = 0; i < extraNodes; i++) {
      cluster.addNode(NodeOptions.builder().cpus(1).build());
    }
    cluster.connect();
  }

  @Test
  void aDetachedObjectShouldOutliveTheWorkerThatPutIt() {
    start(1);
    NodeHandle other = cluster.nodes().get(1);
    Pair p =
        getAndRelease(
            Weft.task(DetachedObjectIT::putBoth)
                .scheduling(SchedulingStrategy.nodeAffinity(other.nodeId(), false))
                .remote());
    assertThat(Weft.get(p.detached(), SLOW)).hasSize(2 << 20).containsOnly((byte) 7);
    assertThat(Weft.get(p.plain(), SLOW)).containsOnly((byte) 9);
    String detachedKey = TransferSupport.key(p.detached());
    String plainKey = TransferSupport.key(p.plain());
    assertThat(TransferSupport.objectsOn(other)).as("the primary copies").contains(detachedKey);
    assertThat(TransferSupport.objectsOn(cluster.head()))
        .as("copies pulled here")
        .contains(detachedKey);

    ProcessHandle.of(p.pid()).orElseThrow().destroyForcibly(); // the putting worker only

    await("both nodes drop the dead worker's plain object")
        .atMost(SLOW)
        .until(
            () ->
                !TransferSupport.objectsOn(cluster.head()).contains(plainKey)
                    && !TransferSupport.objectsOn(other).contains(plainKey));
    assertThatThrownBy(() -> Weft.get(p.plain(), SLOW)).isInstanceOf(OwnerDiedException.class);
    assertThat(TransferSupport.objectsOn(other))
        .as("the detached primary stays")
        .contains(detachedKey);
    assertThat(Weft.get(p.detached(), SLOW)).as("read again here").containsOnly((byte) 7);
    assertThat(
            Weft.get(
                Weft.task(DetachedObjectIT::sum, p.detached())
                    .scheduling(SchedulingStrategy.nodeAffinity(other.nodeId(), false))
                    .remote(),
                SLOW))
        .as("read by a new task, as its argument")
        .isEqualTo(7 * (2 << 20));

    p.detached().release(); // the last reference anywhere: every copy goes
    await("the detached object is freed on both nodes once its last reference is dropped")
        .atMost(SLOW)
        .until(
            () ->
                !TransferSupport.objectsOn(cluster.head()).contains(detachedKey)
                    && !TransferSupport.objectsOn(other).contains(detachedKey));
  }

  @Test
  void aDetachedObjectShouldOutliveItsOwnersNodeWhileACopyIsLeft() {
    start(2);
    NodeHandle failing = cluster.nodes().get(1);
    SchedulingStrategy there = SchedulingStrategy.nodeAffinity(failing.nodeId(), false);
    ActorHandle<Maker> maker = Weft.actor(Maker::new).scheduling(there).remote();
    ObjectRef<byte[]> copied = Weft.get(maker.task(Maker::big, 3).remote(), SLOW);
    ObjectRef<byte[]> onlyThere = Weft.get(maker.task(Maker::big, 4).remote(), SLOW);
    ObjectRef<String> small =
        Weft.get(maker.task(Maker::small, "kept by the control store").remote(), SLOW);
    assertThat(Weft.get(copied, SLOW)).containsOnly((byte) 3); // a copy on the head now
    assertThat(TransferSupport.objectsOn(cluster.head())).contains(TransferSupport.key(copied));
    assertThat(Weft.wait(List.of(onlyThere), 1, SLOW).ready()).hasSize(1);

    failing.kill(); // SIGKILL of its node manager and workers: the owner's process and node
    NodeFailures.awaitGone(failing.nodeId(), 2.0, SLOW);

    assertThat(Weft.get(copied, SLOW)).as("from the copy left on the head").containsOnly((byte) 3);
    assertThat(Weft.get(small, SLOW)).isEqualTo("kept by the control store");
    assertThatThrownBy(() -> Weft.get(onlyThere, SLOW))
        .isInstanceOf(ObjectLostException.class)
        .hasMessageContaining("Weft.putDetached")
        .hasMessageContaining("node " + failing.nodeId() + ", which died");
  }

  @Test
  void aDetachedObjectShouldSurviveARestartOfTheControlStoreAndItsOwnersDeath() {
    start(1);
    NodeHandle other = cluster.nodes().get(1);
    ActorHandle<Maker> maker =
        Weft.actor(Maker::new)
            .scheduling(SchedulingStrategy.nodeAffinity(other.nodeId(), false))
            .remote();
    long makerPid = Weft.get(maker.task(Maker::pid).remote(), SLOW);
    ObjectRef<byte[]> big = getAndRelease(maker.task(Maker::big, 5).remote());
    ObjectRef<String> small =
        Weft.get(maker.task(Maker::small, "small and detached").remote(), SLOW);
    String key = TransferSupport.key(big);

    long oldPid = cluster.killControlStore();
    cluster.awaitControlStoreRestarted(oldPid, SLOW);
    ProcessHandle.of(makerPid).orElseThrow().destroyForcibly(); // the owner that put them

    assertThat(Weft.get(big, SLOW)).as("its row recovered from storage").containsOnly((byte) 5);
    assertThat(Weft.get(small, SLOW)).isEqualTo("small and detached");
    assertThat(TransferSupport.objectsOn(other)).contains(key);

    big.release(); // the driver's was the last reference (the maker is dead)
    await("freed on every node by the restarted control store")
        .atMost(SLOW)
        .until(
            () ->
                !TransferSupport.objectsOn(other).contains(key)
                    && !TransferSupport.objectsOn(cluster.head()).contains(key));
  }

  @Test
  void aDetachedObjectHoldingRefsShouldBeRefusedWithAClearError() {
    start(0);
    ObjectRef<String> inner = Weft.put("inner");
    assertThatThrownBy(() -> Weft.putDetached(List.of(inner)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("may not contain refs");
    ObjectRef<String> fine = Weft.putDetached("fine");
    assertThat(Weft.get(fine, SLOW)).isEqualTo("fine");
  }
}
