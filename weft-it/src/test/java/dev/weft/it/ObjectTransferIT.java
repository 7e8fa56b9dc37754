package dev.weft.it;

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
import dev.weft.testing.LocalCluster;
import dev.weft.testing.NodeHandle;
import dev.weft.testing.NodeOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Objects moving between the stores of three nodes on real processes (a {@link LocalCluster}: the
 * head A, where the driver attaches, and nodes B and C; an actor is put on a chosen node through a
 * custom resource only that node has): an object put by the driver read by actors on B and C, as an
 * argument and through a get; an object an actor makes on B read by the driver and passed to an
 * actor on C; a 64 MiB broadcast to every node; freeing an object deleting every copy on every
 * node; and a pull whose only source node was killed failing with a clear ObjectLostException
 * instead of hanging.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(ObjectTransferIT.DumpLogs.class)
class ObjectTransferIT {
  private static final Duration SLOW = Duration.ofSeconds(120);
  private static final int MIB = 1 << 20;

  private static LocalCluster cluster;
  private static NodeHandle a;
  private static NodeHandle b;
  private static NodeHandle c;
  private static ActorHandle<Reader> onA;
  private static ActorHandle<Reader> onB;
  private static ActorHandle<Reader> onC;

  /** Reads objects on the node it was placed on. */
  public static class Reader {
    /** The checksum of an argument (a ref resolved by the runtime: pulled here if missing). */
    public long checksum(byte[] data) {
      return crc(data);
    }

    /** The checksum of a ref's value read with Weft.get (nested refs are not resolved). */
    public long checksumViaGet(List<ObjectRef<byte[]>> refs) {
      return crc(Weft.get(refs.get(0), SLOW));
    }

    /** A large result: it stays in this node's store. */
    public byte[] make(int sizeBytes, long seed) {
      return bytes(sizeBytes, seed);
    }

    public String nodeId() {
      return Weft.context().nodeId();
    }
  }

  static long crc(byte[] data) {
    CRC32 crc = new CRC32();
    crc.update(data);
    return crc.getValue();
  }

  static byte[] bytes(int n, long seed) {
    byte[] out = new byte[n];
    new Random(seed).nextBytes(out);
    return out;
  }

  @BeforeAll
  static void startThreeNodes() {
    long store = 160L * MIB;
    cluster =
        LocalCluster.start(
            NodeOptions.builder().cpus(1).resource("nodeA", 1).objectStoreBytes(store).build());
    a = cluster.head();
    b =
        cluster.addNode(
            NodeOptions.builder().cpus(1).resource("nodeB", 1).objectStoreBytes(store).build());
    c =
        cluster.addNode(
            NodeOptions.builder().cpus(1).resource("nodeC", 1).objectStoreBytes(store).build());
    cluster.connect();
    onA = Weft.actor(Reader::new).resource("nodeA", 1).remote();
    onB = Weft.actor(Reader::new).resource("nodeB", 1).remote();
    onC = Weft.actor(Reader::new).resource("nodeC", 1).remote();
    assertThat(Weft.get(onA.task(Reader::nodeId).remote(), SLOW)).isEqualTo(a.nodeId());
    assertThat(Weft.get(onB.task(Reader::nodeId).remote(), SLOW)).isEqualTo(b.nodeId());
    assertThat(Weft.get(onC.task(Reader::nodeId).remote(), SLOW)).isEqualTo(c.nodeId());
    assertThat(Weft.context().nodeId())
        .as("the driver attaches to the head's node")
        .isEqualTo(a.nodeId());
  }

  @AfterAll
  static void stop() {
    Weft.shutdown();
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void shouldReadAnObjectPutOnAFromActorsOnBAndC() {
    byte[] data = bytes(8 * MIB, 1);
    ObjectRef<byte[]> ref = Weft.put(data);

    assertThat(Weft.get(onB.task(Reader::checksum, ref).remote(), SLOW))
        .as("argument read on B")
        .isEqualTo(crc(data));
    assertThat(Weft.get(onC.task(Reader::checksumViaGet, List.of(ref)).remote(), SLOW))
        .as("get on C")
        .isEqualTo(crc(data));
    assertThat(objectsOn(b)).as("B's store holds a copy").contains(key(ref));
    assertThat(objectsOn(c)).as("C's store holds a copy").contains(key(ref));
  }

  @Test
  @Order(2)
  void shouldReadAnObjectMadeOnBFromTheDriverOnAAndAnActorOnC() {
    ObjectRef<byte[]> made = onB.task(Reader::make, 8 * MIB, 2L).remote();
    long expected = crc(bytes(8 * MIB, 2));

    assertThat(crc(Weft.get(made, SLOW)))
        .as("the driver on A reads B's result")
        .isEqualTo(expected);
    assertThat(Weft.get(onC.task(Reader::checksum, made).remote(), SLOW))
        .as("argument of an actor on C")
        .isEqualTo(expected);
    assertThat(objectsOn(b)).as("the primary copy on B").contains(key(made));
    assertThat(objectsOn(a)).contains(key(made));
    assertThat(objectsOn(c)).contains(key(made));
  }

  @Test
  @Order(3)
  void shouldBroadcastOneLargeObjectToEveryNode() {
    byte[] data = bytes(64 * MIB, 3);
    long expected = crc(data);
    ObjectRef<byte[]> ref = Weft.put(data);
    data = null;

    List<ObjectRef<Long>> sums = new ArrayList<>();
    for (ActorHandle<Reader> r : List.of(onA, onB, onC)) {
      sums.add(r.task(Reader::checksum, ref).remote());
    }
    assertThat(Weft.get(sums, SLOW)).containsExactly(expected, expected, expected);
    for (NodeHandle n : List.of(a, b, c)) {
      assertThat(objectsOn(n)).as("store of %s", n).contains(key(ref));
    }
    ref.release();
  }

  @Test
  @Order(4)
  void shouldDeleteEveryCopyWhenTheObjectIsFreed() {
    ObjectRef<byte[]> ref = Weft.put(bytes(4 * MIB, 4));
    String key = key(ref);
    Weft.get(onB.task(Reader::checksum, ref).remote(), SLOW);
    Weft.get(onC.task(Reader::checksum, ref).remote(), SLOW);
    for (NodeHandle n : List.of(a, b, c)) {
      assertThat(objectsOn(n)).as("store of %s before the free", n).contains(key);
    }

    ref.release();

    for (NodeHandle n : List.of(a, b, c)) {
      await("object " + key + " deleted from the store of " + n)
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> assertThat(objectsOn(n)).doesNotContain(key));
    }
  }

  @Test
  @Order(5)
  void shouldFailClearlyWhenTheOnlySourceNodeWasKilled() {
    ObjectRef<byte[]> made = onB.task(Reader::make, 4 * MIB, 5L).remote();
    Weft.wait(List.of(made), 1, SLOW);
    assertThat(objectsOn(b)).contains(key(made));

    b.kill();

    long t0 = System.nanoTime();
    assertThatThrownBy(() -> Weft.get(onC.task(Reader::checksum, made).remote(), SLOW))
        .isInstanceOf(WeftException.class)
        .hasMessageContaining("ObjectLostException")
        .hasMessageContaining(key(made))
        .hasMessageContaining("could not be pulled to node " + c.nodeId())
        .hasMessageContaining(b.nodeId());
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(SLOW);
  }

  // ------------------------------------------------------------------ helpers

  /** The object's key as node stores print it. */
  static String key(ObjectRef<?> ref) {
    return String.format("%016x%016x", ref.id().hi(), ref.id().lo());
  }

  /** The ids of the objects in a node's store, asked of its node manager (StoreStats). */
  static List<String> objectsOn(NodeHandle n) {
    String token = CoreWorker.clusterAccess().get("token");
    try {
      Connection conn = Rpc.connect(n.address(), token, (x, id, m) -> {}, Duration.ofSeconds(10));
      try {
        Msg.StoreStatsReply r =
            (Msg.StoreStatsReply) conn.call(new Msg.StoreStats()).get(10, TimeUnit.SECONDS);
        return r.objectLines().stream().map(l -> l.substring(0, l.indexOf(' '))).toList();
      } finally {
        conn.close();
      }
    } catch (Exception e) {
      throw new AssertionError("reading the store stats of " + n + ": " + e, e);
    }
  }

  static final class DumpLogs implements TestWatcher {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      if (cluster != null) {
        cluster.printLogs(System.err);
      }
    }
  }
}
