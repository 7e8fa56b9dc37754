package dev.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weft.ActorDiedException;
import dev.weft.ActorHandle;
import dev.weft.ObjectRef;
import dev.weft.SchedulingStrategy;
import dev.weft.Weft;
import dev.weft.testing.LocalCluster;
import dev.weft.testing.NodeHandle;
import dev.weft.testing.NodeOptions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node leaving a three-node cluster cleanly ({@link NodeHandle#stop()}, what {@code weft stop}
 * does on its machine) while work runs on it: the cluster view marks it gone and drops its
 * resources, a task that ran there is retried on another node and finishes, an actor that may
 * restart comes back on another node while one that may not fails its calls clearly, objects whose
 * only copy was there fail their gets clearly while ones copied elsewhere stay readable, and new
 * work goes to the nodes that remain.
 */
class NodeLeaveIT {
  private static final Duration SLOW = Duration.ofSeconds(120);

  private LocalCluster cluster;
  private NodeHandle leaving;

  /** An actor that tells where it runs. */
  public static class Where {
    public String node() {
      return Weft.context().nodeId();
    }
  }

  public static String node() {
    return Weft.context().nodeId();
  }

  /** Runs on a node whose id it is given: where it ran (the retry's node after the first died). */
  public static String slowOnFirstTry(String leavingNode) throws InterruptedException {
    if (Weft.context().nodeId().equals(leavingNode)) {
      new CountDownLatch(1).await(10, TimeUnit.MINUTES); // until the node stops under it
    }
    return Weft.context().nodeId();
  }

  public static byte[] big(int n) {
    return new byte[n];
  }

  @BeforeEach
  void startThreeNodes() {
    cluster = LocalCluster.start(NodeOptions.builder().cpus(1).build());
    cluster.addNode(NodeOptions.builder().cpus(1).build());
    leaving = cluster.addNode(NodeOptions.builder().cpus(1).build());
    cluster.connect();
  }

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void shouldRetryMoveAndFailClearlyWhatRanOnANodeThatLeft() throws Exception {
    String gone = leaving.nodeId();
    SchedulingStrategy onLeaving = SchedulingStrategy.nodeAffinity(gone, true);

    // work on the leaving node: two objects, two actors, then a task that would run there for ever
    ActorHandle<Where> restarts =
        Weft.actor(Where::new).maxRestarts(1).scheduling(onLeaving).remote();
    ActorHandle<Where> mortal = Weft.actor(Where::new).scheduling(onLeaving).remote();
    assertThat(Weft.get(restarts.task(Where::node).remote(), SLOW)).isEqualTo(gone);
    assertThat(Weft.get(mortal.task(Where::node).remote(), SLOW)).isEqualTo(gone);
    ObjectRef<byte[]> onlyThere =
        Weft.task(NodeLeaveIT::big, 4 << 20)
            .scheduling(SchedulingStrategy.nodeAffinity(gone, false))
            .remote();
    ObjectRef<byte[]> copied =
        Weft.task(NodeLeaveIT::big, 4 << 20)
            .scheduling(SchedulingStrategy.nodeAffinity(gone, false))
            .remote();
    assertThat(Weft.get(copied, SLOW)).hasSize(4 << 20); // now also in the driver's node
    Weft.wait(List.of(onlyThere), 1, SLOW);
    ObjectRef<String> retried =
        Weft.task(NodeLeaveIT::slowOnFirstTry, gone).scheduling(onLeaving).remote();
    await("the long task started on the leaving node")
        .atMost(SLOW)
        .until(() -> NodeFailures.available(gone, "CPU") == 0.0);

    leaving.stop();

    NodeFailures.awaitGone(gone, 2.0, SLOW);
    assertThat(Weft.get(retried, SLOW)).as("the task retried elsewhere").isNotEqualTo(gone);
    assertThat(Weft.get(restarts.task(Where::node).remote(), SLOW))
        .as("the restartable actor's node after the restart")
        .isNotEqualTo(gone);
    assertThatThrownBy(() -> Weft.get(mortal.task(Where::node).remote(), SLOW))
        .isInstanceOf(ActorDiedException.class);
    assertThat(Weft.get(copied, SLOW)).as("an object with a copy elsewhere").hasSize(4 << 20);
    assertThatThrownBy(() -> Weft.get(onlyThere, SLOW))
        .as("an object whose only copy was on the node that left")
        .hasMessageContaining(onlyThere.id().toString());

    // new work goes to the nodes that remain: actors spread over them, one after the other
    Set<String> where = new HashSet<>();
    for (int i = 0; i < 4; i++) {
      ActorHandle<Where> a = Weft.actor(Where::new).scheduling(SchedulingStrategy.SPREAD).remote();
      where.add(Weft.get(a.task(Where::node).remote(), SLOW));
    }
    assertThat(where).as("nodes of new SPREAD actors").doesNotContain(gone).hasSize(2);
    assertThat(Weft.get(Weft.task(NodeLeaveIT::node).remote(), SLOW)).isNotEqualTo(gone);
  }
}
