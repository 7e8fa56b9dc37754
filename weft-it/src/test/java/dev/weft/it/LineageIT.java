package dev.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.ActorHandle;
import dev.weft.ObjectLostException;
import dev.weft.ObjectRef;
import dev.weft.SchedulingStrategy;
import dev.weft.Weft;
import dev.weft.testing.LocalCluster;
import dev.weft.testing.NodeHandle;
import dev.weft.testing.NodeOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Lineage reconstruction (issue 11, item 3): a node dies holding the only copies of a three-level
 * DAG's objects, and their owner makes them again by running their tasks again on the nodes left,
 * recursively for arguments lost or already freed; what cannot be made again fails with a message
 * that says why.
 */
class LineageIT {
  private static final Duration SLOW = Duration.ofSeconds(120);
  private static final int SIZE = 1 << 20; // in the store: never inline in the owner

  private LocalCluster cluster;

  /** A 1 MiB leaf, every byte {@code i}. */
  public static byte[] leaf(int i) {
    byte[] b = new byte[SIZE];
    Arrays.fill(b, (byte) i);
    return b;
  }

  /** Byte-wise sum of two objects. */
  public static byte[] add(byte[] a, byte[] b) {
    byte[] out = new byte[SIZE];
    for (int k = 0; k < SIZE; k++) {
      out[k] = (byte) (a[k] + b[k]);
    }
    return out;
  }

  /** Byte-wise sum of objects given as refs nested in a list (read here with get). */
  public static byte[] addAll(List<ObjectRef<byte[]>> parts) {
    byte[] out = new byte[SIZE];
    for (ObjectRef<byte[]> p : parts) {
      byte[] b = Weft.get(p);
      for (int k = 0; k < SIZE; k++) {
        out[k] = (byte) (out[k] + b[k]);
      }
    }
    return out;
  }

  /** A 16-byte result: it comes back inline, its value kept in its owner, never in a store. */
  public static byte[] small(int v) {
    byte[] b = new byte[16];
    Arrays.fill(b, (byte) v);
    return b;
  }

  /** A 1 MiB object, every byte the first of {@code seed}. */
  public static byte[] grow(byte[] seed) {
    return leaf(seed[0]);
  }

  /** An actor whose call returns a 1 MiB object (it stays in its node's store). */
  public static class Maker {
    public byte[] make(int v) {
      return leaf(v);
    }
  }

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aThreeLevelDagLostWithANodeShouldBeMadeAgainFromItsLineage() {
    cluster = LocalCluster.start(NodeOptions.builder().cpus(1).build());
    cluster.addNode(NodeOptions.builder().cpus(1).build());
    cluster.addNode(NodeOptions.builder().cpus(1).build());
    cluster.connect();
    NodeHandle failing = cluster.nodes().get(1);
    SchedulingStrategy there = SchedulingStrategy.nodeAffinity(failing.nodeId(), true);

    // leaves 1..8, pairs of leaves, a pair of pairs, the total: all run on the failing node
    List<ObjectRef<byte[]>> leaves = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      leaves.add(Weft.task(LineageIT::leaf, i).scheduling(there).remote());
    }
    List<ObjectRef<byte[]>> pairs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      pairs.add(
          Weft.task(LineageIT::add, leaves.get(2 * i), leaves.get(2 * i + 1))
              .scheduling(there)
              .remote());
    }
    List<ObjectRef<byte[]>> quads = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      quads.add(
          Weft.task(LineageIT::add, pairs.get(2 * i), pairs.get(2 * i + 1))
              .scheduling(there)
              .remote());
    }
    ObjectRef<byte[]> total =
        Weft.task(LineageIT::add, quads.get(0), quads.get(1)).scheduling(there).remote();
    // refs nested in a plain argument (not top-level): leaves 1 and 2, freed below
    ObjectRef<byte[]> viaList =
        Weft.task(LineageIT::addAll, List.of(leaves.get(0), leaves.get(1)))
            .scheduling(there)
            .remote();
    // a result whose task may not run again
    ObjectRef<byte[]> once = Weft.task(LineageIT::leaf, 9).scheduling(there).maxRetries(0).remote();
    // an actor call's result
    ActorHandle<Maker> maker = Weft.actor(Maker::new).scheduling(there).remote();
    ObjectRef<byte[]> made = maker.task(Maker::make, 10).remote();
    // a stored result of a task's inline result, which is freed below (nothing in a store)
    ObjectRef<byte[]> seed = Weft.task(LineageIT::small, 5).scheduling(there).remote();
    ObjectRef<byte[]> grown = Weft.task(LineageIT::grow, seed).scheduling(there).remote();
    assertThat(Weft.wait(List.of(total, once, made, viaList, grown), 5, SLOW).ready()).hasSize(5);
    seed.release();

    // the leaves and pairs are freed (their values deleted); one quad stays referenced
    ObjectRef<byte[]> kept = quads.get(1);
    leaves.forEach(ObjectRef::release);
    pairs.forEach(ObjectRef::release);
    quads.get(0).release();
    for (NodeHandle n : List.of(cluster.head(), cluster.nodes().get(2))) {
      assertThat(TransferSupport.objectsOn(n))
          .as("no other node holds a copy of the total or the kept quad")
          .doesNotContain(TransferSupport.key(total), TransferSupport.key(kept));
    }

    failing.kill();
    NodeFailures.awaitGone(failing.nodeId(), 2.0, SLOW);

    // 1+..+8 = 36; (5+6)+(7+8) = 26
    assertThat(Weft.get(total, SLOW))
        .as("the total, made again from its lineage: 7 lost or freed objects below it")
        .containsOnly((byte) 36)
        .hasSize(SIZE);
    assertThat(Weft.get(kept, SLOW)).as("the kept quad, made again").containsOnly((byte) 26);
    assertThat(Weft.get(viaList, SLOW))
        .as("a result of freed refs nested in a list, made again with them")
        .containsOnly((byte) 3);
    assertThat(Weft.get(grown, SLOW))
        .as("a result of a freed inline result, made again with it")
        .containsOnly((byte) 5)
        .hasSize(SIZE);
    assertThatThrownBy(() -> Weft.get(once, SLOW))
        .isInstanceOf(ObjectLostException.class)
        .hasMessageContaining("only copy was in the object store of node " + failing.nodeId())
        .hasMessageContaining("its retries are used up (maxRetries = 0)");
    assertThatThrownBy(() -> Weft.get(made, SLOW))
        .isInstanceOf(ObjectLostException.class)
        .hasMessageContaining("an actor call is not run again");
    // the objects made again are real objects: they feed new tasks
    assertThat(Weft.get(Weft.task(LineageIT::add, total, kept).remote(), SLOW))
        .containsOnly((byte) 62);
  }
}
