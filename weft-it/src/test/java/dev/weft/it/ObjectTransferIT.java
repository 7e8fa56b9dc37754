package dev.weft.it;

import static dev.weft.it.TransferSupport.MIB;
import static dev.weft.it.TransferSupport.SLOW;
import static dev.weft.it.TransferSupport.bytes;
import static dev.weft.it.TransferSupport.cluster;
import static dev.weft.it.TransferSupport.crc;
import static dev.weft.it.TransferSupport.key;
import static dev.weft.it.TransferSupport.nodeWith;
import static dev.weft.it.TransferSupport.objectsOn;
import static dev.weft.it.TransferSupport.readerOn;
import static dev.weft.it.TransferSupport.start;
import static dev.weft.it.TransferSupport.stop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weft.ActorHandle;
import dev.weft.ObjectRef;
import dev.weft.Weft;
import dev.weft.WeftException;
import dev.weft.it.TransferSupport.Reader;
import dev.weft.testing.LocalCluster;
import dev.weft.testing.NodeHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

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
@ExtendWith(TransferSupport.DumpLogs.class)
class ObjectTransferIT {
  private static NodeHandle a;
  private static NodeHandle b;
  private static NodeHandle c;
  private static ActorHandle<Reader> onA;
  private static ActorHandle<Reader> onB;
  private static ActorHandle<Reader> onC;

  @BeforeAll
  static void startThreeNodes() {
    long store = 160L * MIB;
    a = start(nodeWith("nodeA", store)).head();
    b = cluster.addNode(nodeWith("nodeB", store));
    c = cluster.addNode(nodeWith("nodeC", store));
    cluster.connect();
    onA = readerOn("nodeA", a);
    onB = readerOn("nodeB", b);
    onC = readerOn("nodeC", c);
    assertThat(Weft.context().nodeId())
        .as("the driver attaches to the head's node")
        .isEqualTo(a.nodeId());
  }

  @AfterAll
  static void stopCluster() {
    stop();
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
        .hasMessageContaining(b.nodeId())
        // the pull's own failure, or, once the owner heard that B died, the owner's verdict
        .satisfiesAnyOf(
            e -> assertThat(e).hasMessageContaining("could not be pulled to node " + c.nodeId()),
            e -> assertThat(e).hasMessageContaining("node " + b.nodeId() + ", which died"));
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(SLOW);
  }
}
