package dev.weft.it;

import static dev.weft.it.TransferSupport.MIB;
import static dev.weft.it.TransferSupport.SLOW;
import static dev.weft.it.TransferSupport.bytes;
import static dev.weft.it.TransferSupport.cluster;
import static dev.weft.it.TransferSupport.crc;
import static dev.weft.it.TransferSupport.key;
import static dev.weft.it.TransferSupport.nodeWith;
import static dev.weft.it.TransferSupport.readerOn;
import static dev.weft.it.TransferSupport.start;
import static dev.weft.it.TransferSupport.stats;
import static dev.weft.it.TransferSupport.stop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weft.ActorHandle;
import dev.weft.ObjectRef;
import dev.weft.Weft;
import dev.weft.WeftException;
import dev.weft.internal.core.CoreWorker;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import dev.weft.internal.rpc.Rpc;
import dev.weft.it.TransferSupport.Reader;
import dev.weft.testing.LocalCluster;
import dev.weft.testing.NodeHandle;
import dev.weft.testing.NodeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pulls that meet trouble, on real processes (a {@link LocalCluster}: the head A, where the driver
 * attaches, and nodes B, C, D and E (a small store), each with an actor placed through a custom
 * resource): a pull from a copy that was spilled on its node (restored for the pull); a source node
 * killed while the chunks of a large object flow, with another copy (the pull fails over to it) and
 * without one (the read fails with a clear ObjectLostException, and the puller's store keeps no
 * partial block).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(TransferSupport.DumpLogs.class)
class PullFailuresIT {
  private static NodeHandle b;
  private static NodeHandle c;
  private static NodeHandle d;
  private static NodeHandle e;
  private static ActorHandle<Reader> onE;
  private static ActorHandle<Reader> onB;
  private static ActorHandle<Reader> onC;
  private static ActorHandle<Reader> onD;

  @BeforeAll
  static void startFourNodes() {
    start(NodeOptions.builder().cpus(1).objectStoreBytes(64L * MIB).build());
    b = cluster.addNode(nodeWith("nodeB", 600L * MIB));
    // E's store is small: three 40 MiB objects do not fit, so one is spilled
    e = cluster.addNode(nodeWith("nodeE", 100L * MIB));
    c = cluster.addNode(nodeWith("nodeC", 600L * MIB));
    d = cluster.addNode(nodeWith("nodeD", 600L * MIB));
    cluster.connect();
    onE = readerOn("nodeE", e);
    onB = readerOn("nodeB", b);
    onC = readerOn("nodeC", c);
    onD = readerOn("nodeD", d);
  }

  @AfterAll
  static void stopCluster() {
    stop();
  }

  @Test
  @Order(1)
  void shouldPullACopyThatWasSpilledOnItsNode() {
    List<ObjectRef<byte[]>> made =
        List.of(
            onE.task(Reader::make, 40 * MIB, 11L).remote(),
            onE.task(Reader::make, 40 * MIB, 12L).remote(),
            onE.task(Reader::make, 40 * MIB, 13L).remote());
    Weft.wait(made, 3, SLOW);
    Msg.StoreStatsReply before = stats(e);
    assertThat(before.spilledObjects()).as("objects spilled on E").isGreaterThan(0);
    // every one of them is pulled to D: at least one comes from its spill file, restored first
    for (int i = 0; i < made.size(); i++) {
      assertThat(Weft.get(onD.task(Reader::checksum, made.get(i)).remote(), SLOW))
          .as("object %d read on D", i)
          .isEqualTo(crc(bytes(40 * MIB, 11L + i)));
    }
    assertThat(stats(e).spillTotals().get(2))
        .as("bytes restored on E")
        .isGreaterThan(before.spillTotals().get(2));
    made.forEach(ObjectRef::release);
  }

  @Test
  @Order(2)
  void shouldFailOverToAnotherCopyWhenTheSourceDiesMidPull() throws Exception {
    int size = 256 * MIB;
    ObjectRef<byte[]> made = onB.task(Reader::make, size, 21L).remote();
    long expected = crc(bytes(size, 21L));
    assertThat(Weft.get(onC.task(Reader::checksum, made).remote(), SLOW))
        .as("a second copy, on C")
        .isEqualTo(expected);
    List<Integer> pins = pinned(List.of(b, c));
    ObjectRef<Long> onDsum = onD.task(Reader::checksum, made).remote();
    NodeHandle source = killSourceMidPull(List.of(b, c), pins);
    assertThat(Weft.get(onDsum, SLOW)).as("read on D after its source died").isEqualTo(expected);
    assertThat(log(d))
        .as("D's node log: the pull from the killed node failed, and went on elsewhere")
        .contains("pulling object " + key(made) + " from node " + source.nodeId());
    made.release();
  }

  @Test
  @Order(3)
  void shouldFailClearlyWhenTheOnlySourceDiesMidPull() throws Exception {
    NodeHandle alive = b.isAlive() ? b : c;
    ActorHandle<Reader> maker = alive == b ? onB : onC;
    int size = 256 * MIB;
    ObjectRef<byte[]> made = maker.task(Reader::make, size, 31L).remote();
    Weft.wait(List.of(made), 1, SLOW);
    long usedBefore = stats(d).usedBytes();
    List<Integer> pins = pinned(List.of(alive));
    ObjectRef<Long> onDsum = onD.task(Reader::checksum, made).remote();
    killSourceMidPull(List.of(alive), pins);
    assertThatThrownBy(() -> Weft.get(onDsum, SLOW))
        .isInstanceOf(WeftException.class)
        .hasMessageContaining("ObjectLostException")
        .hasMessageContaining(alive.nodeId())
        // the failed pull, or (asked again) its owner's verdict once it heard of the death
        .satisfiesAnyOf(
            t -> assertThat(t).hasMessageContaining("could not be pulled to node " + d.nodeId()),
            t ->
                assertThat(t)
                    .hasMessageContaining("its only copy was in the object store of node")
                    .hasMessageContaining("an actor call is not run again"));
    assertThat(log(d))
        .as("the pull was under way when its source died")
        .contains("pulling object " + key(made) + " from node " + alive.nodeId());
    await("D's store gives back the partial block")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Msg.StoreStatsReply s = stats(d);
              assertThat(s.usedBytes()).isEqualTo(usedBefore);
              assertThat(s.objectLines()).noneMatch(l -> l.startsWith(key(made)));
            });
  }

  // ------------------------------------------------------------------ helpers

  private static List<Integer> pinned(List<NodeHandle> nodes) {
    return nodes.stream().map(n -> stats(n).pinned()).toList();
  }

  /**
   * Waits (polling fast) until one of {@code sources} has more pins than {@code pinsBefore} (D's
   * pull pinned the object there: chunks are flowing from it), then kills that node at once
   * (SIGKILL); returns it.
   */
  private static NodeHandle killSourceMidPull(List<NodeHandle> sources, List<Integer> pinsBefore)
      throws Exception {
    String token = CoreWorker.clusterAccess().get("token");
    long deadline = System.nanoTime() + SLOW.toNanos();
    java.util.Map<NodeHandle, Connection> conns = new java.util.LinkedHashMap<>();
    try {
      for (NodeHandle n : sources) {
        conns.put(n, Rpc.connect(n.address(), token, (x, id, m) -> {}, Duration.ofSeconds(10)));
      }
      while (System.nanoTime() < deadline) {
        int i = 0;
        for (var e : conns.entrySet()) {
          int before = pinsBefore.get(i++);
          Msg.StoreStatsReply r =
              (Msg.StoreStatsReply)
                  e.getValue().call(new Msg.StoreStats()).get(10, TimeUnit.SECONDS);
          if (r.pinned() > before) {
            ProcessHandle.of(e.getKey().pid()).ifPresent(ProcessHandle::destroyForcibly);
            e.getKey().kill();
            return e.getKey();
          }
        }
        Thread.onSpinWait(); // polling a condition that lasts a fraction of a second
      }
    } finally {
      conns.values().forEach(Connection::close);
    }
    throw new AssertionError("no source pinned the object for D within " + SLOW);
  }

  private static String log(NodeHandle n) throws Exception {
    Path p = n.dir().resolve("node.log");
    return Files.exists(p) ? Files.readString(p) : "";
  }
}
