package dev.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.ActorHandle;
import dev.weft.NodeInfo;
import dev.weft.ObjectRef;
import dev.weft.Weft;
import dev.weft.WeftException;
import dev.weft.internal.core.ClusterFiles;
import dev.weft.internal.store.StoreFile;
import dev.weft.testing.LocalCluster;
import dev.weft.testing.NodeHandle;
import dev.weft.testing.NodeOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * {@link LocalCluster} as a user's test runs it: a head and two nodes with different resources on
 * this machine, a driver attached with {@code Weft.init(cluster.address())} running tasks and
 * actors that need a resource only one node has (each lands on that node's process tree), a node
 * leaving and another joining while the driver stays attached, and {@code close()} leaving no
 * process and no store file. A node that can never start fails {@code addNode} clearly and leaves
 * nothing behind.
 */
@ExtendWith(LocalClusterIT.DumpLogs.class)
class LocalClusterIT {
  private static final Duration SLOW = Duration.ofSeconds(60);
  private static final long MIB = 1 << 20;

  /** The cluster of the running test, for the log dump on failure. */
  private static LocalCluster current;

  public static int square(int x) {
    return x * x;
  }

  /** The pid of the node manager whose worker runs this: the worker's parent. */
  public static long nodePid() {
    return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
  }

  /** An actor that reports which node manager's worker hosts it. */
  public static class Where {
    public long nodePid() {
      return LocalClusterIT.nodePid();
    }
  }

  @AfterEach
  void closeCluster() {
    Weft.shutdown();
    if (current != null) {
      current.close();
    }
  }

  @Test
  void shouldPlaceOnTheNodeWithTheResourceAndLetNodesLeaveAndJoinWhileADriverIsAttached()
      throws Exception {
    LocalCluster cluster =
        LocalCluster.start(NodeOptions.builder().cpus(1).objectStoreBytes(64 * MIB).build());
    current = cluster;
    NodeHandle accel =
        cluster.addNode(
            NodeOptions.builder().cpus(1).resource("accel", 1).objectStoreBytes(80 * MIB).build());
    NodeHandle plain =
        cluster.addNode(NodeOptions.builder().cpus(2).objectStoreBytes(96 * MIB).build());
    NodeHandle head = cluster.head();

    assertThat(cluster.nodes()).containsExactly(head, accel, plain);
    assertThat(cluster.nodes().stream().map(NodeHandle::pid).distinct()).hasSize(3);
    assertThat(cluster.nodes().stream().map(NodeHandle::address).distinct())
        .as("one port each")
        .hasSize(3);
    assertThat(cluster.nodes().stream().map(NodeHandle::nodeId).distinct()).hasSize(3);
    for (NodeHandle n : cluster.nodes()) {
      assertThat(storeFilesOf(n.pid())).as("store file of " + n).hasSize(1);
      assertThat(Files.size(storeFilesOf(n.pid()).get(0)))
          .as("store size of " + n)
          .isEqualTo(n.options().objectStoreBytes());
    }
    assertThat(head.isHead()).isTrue();
    assertThat(accel.isHead()).isFalse();

    cluster.connect();
    assertThat(aliveNodeIds())
        .as("the driver's view right after connect() lists every node")
        .containsExactlyInAnyOrder(head.nodeId(), accel.nodeId(), plain.nodeId());
    List<ObjectRef<Integer>> squares = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      squares.add(Weft.task(LocalClusterIT::square, i).remote());
    }
    for (int i = 0; i < 6; i++) {
      assertThat(Weft.get(squares.get(i), SLOW)).isEqualTo(i * i);
    }
    assertThat(Weft.get(Weft.task(LocalClusterIT::nodePid).remote(), SLOW))
        .as("the driver's tasks run on the head's node, which it attached to")
        .isEqualTo(head.pid());
    ActorHandle<Where> onAccel = Weft.actor(Where::new).resource("accel", 1).remote();
    assertThat(Weft.get(onAccel.task(Where::nodePid).remote(), SLOW))
        .as("node manager hosting the actor that needs accel (only %s has it)", accel)
        .isEqualTo(accel.pid());

    plain.stop();

    assertThat(plain.isAlive()).isFalse();
    assertThat(cluster.nodes()).containsExactly(head, accel);
    assertThat(storeFilesOf(plain.pid())).as("store file of the stopped node").isEmpty();

    NodeHandle special =
        cluster.addNode(NodeOptions.builder().cpus(1).resource("special", 2).build());
    assertThat(aliveNodeIds())
        .as("the driver's view right after addNode lists the new node")
        .contains(special.nodeId());
    ActorHandle<Where> onSpecial = Weft.actor(Where::new).resource("special", 1).remote();
    assertThat(Weft.get(onSpecial.task(Where::nodePid).remote(), SLOW))
        .as("node manager hosting the actor that needs special (only the new %s has it)", special)
        .isEqualTo(special.pid());
    assertThat(Weft.get(onAccel.task(Where::nodePid).remote(), SLOW))
        .as("the first actor still answers from its node")
        .isEqualTo(accel.pid());
    assertThat(Weft.get(Weft.task(LocalClusterIT::square, 7).remote(), SLOW)).isEqualTo(49);

    special.kill();

    assertThat(special.isAlive()).isFalse();
    assertThat(cluster.nodes()).containsExactly(head, accel);
    assertThat(storeFilesOf(special.pid())).as("store file of the killed node").isEmpty();

    Set<Long> pids = new LinkedHashSet<>(List.of(cluster.controlStorePid()));
    for (NodeHandle n : List.of(head, accel, plain, special)) {
      pids.add(n.pid());
    }
    for (long p : List.copyOf(pids)) {
      ProcessHandle.of(p).ifPresent(h -> h.descendants().forEach(d -> pids.add(d.pid())));
    }
    assertThat(pids.size()).as("processes incl. workers").isGreaterThan(5);
    Path token = ClusterFiles.clusterDir(port(cluster.address())).resolve("token");
    assertThat(token).as("the cluster token, for Weft.init(address)").exists();

    cluster.close();

    assertThat(pids.stream().filter(p -> ProcessHandle.of(p).isPresent()).toList())
        .as("processes still running after close()")
        .isEmpty();
    for (NodeHandle n : List.of(head, accel, plain, special)) {
      assertThat(storeFilesOf(n.pid())).as("store files of " + n).isEmpty();
    }
    assertThat(token).as("the cluster token after close()").doesNotExist();
    assertThat(cluster.logDir().resolve("node-1").resolve("node.log"))
        .as("logs stay after close()")
        .exists();
    assertThatThrownBy(cluster::addNode).hasMessageContaining("is closed");
  }

  private static List<String> aliveNodeIds() {
    return Weft.nodes().stream().filter(NodeInfo::alive).map(NodeInfo::nodeId).toList();
  }

  @Test
  void shouldFailAddNodeClearlyAndLeakNothingWhenTheNodeCannotStart() throws Exception {
    LocalCluster cluster = LocalCluster.start();
    current = cluster;
    Set<Path> storeFilesBefore = Set.copyOf(allStoreFiles());
    Set<Long> childrenBefore = Set.copyOf(children());

    // 1 PiB passes the options' checks but no machine can map it: the node manager fails to start
    NodeOptions impossible = NodeOptions.builder().objectStoreBytes(1L << 50).build();
    assertThatThrownBy(() -> cluster.addNode(impossible))
        .isInstanceOf(WeftException.class)
        .hasMessageContaining("LocalCluster: node-1 (" + impossible + ") failed to start")
        .hasMessageContaining("exited with code")
        .hasMessageContaining(cluster.logDir().resolve("node-1").toString());

    assertThat(children()).as("child processes after the failed addNode").isEqualTo(childrenBefore);
    assertThat(
            allStoreFiles().stream()
                .filter(f -> !storeFilesBefore.contains(f))
                .filter(f -> ProcessHandle.of(pidOf(f)).isEmpty())
                .toList())
        .as("store files left by a node manager that is gone")
        .isEmpty();
    assertThat(cluster.nodes()).containsExactly(cluster.head());

    NodeHandle next = cluster.addNode();
    assertThat(next.name()).isEqualTo("node-2");
    assertThat(cluster.nodes()).containsExactly(cluster.head(), next);
  }

  // ------------------------------------------------------------------ helpers

  private static int port(String address) {
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }

  private static Set<Long> children() {
    Set<Long> out = new LinkedHashSet<>();
    ProcessHandle.current()
        .children()
        .filter(ProcessHandle::isAlive)
        .forEach(h -> out.add(h.pid()));
    return out;
  }

  private static long pidOf(Path storeFile) {
    String n = storeFile.getFileName().toString();
    try {
      return Long.parseLong(n.substring(n.lastIndexOf('-') + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static List<Path> allStoreFiles() throws IOException {
    try (Stream<Path> s = Files.list(StoreFile.defaultDir())) {
      return s.filter(f -> f.getFileName().toString().startsWith("weft-store-")).toList();
    }
  }

  private static List<Path> storeFilesOf(long pid) throws IOException {
    return allStoreFiles().stream()
        .filter(f -> f.getFileName().toString().endsWith("-" + pid))
        .toList();
  }

  /** On failure: the logs of every process the test's cluster started. */
  static final class DumpLogs implements TestWatcher {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      if (current != null) {
        current.printLogs(System.err);
      }
    }
  }
}
