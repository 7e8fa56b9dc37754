package dev.weft.it;

import static dev.weft.it.CliClusterIT.cli;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.ActorHandle;
import dev.weft.NodeInfo;
import dev.weft.RuntimeContext;
import dev.weft.Weft;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * The cluster resource view on real processes: a head ({@code weft start --head}) and two joined
 * nodes ({@code weft start --address}), one of them with a custom resource; a driver attached to a
 * node here reads {@code Weft.nodes()}, {@code clusterResources()}, {@code availableResources()}
 * and {@code Weft.context()}, in itself, in a task and in an actor. An actor holding the custom
 * resource shows in what is available, and its kill gives it back; a node whose process is killed
 * shows alive=false (its connection to the control store closes at once; a machine that vanishes
 * without closing it would need heartbeats, which are issue 11's).
 *
 * <p>Runs with {@code java.io.tmpdir} set to a folder of its own, as MultiNodeCliIT does, so that
 * {@code weft stop} only sees this test's processes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(ClusterViewIT.DumpLogs.class)
class ClusterViewIT {
  /** JSON as maps, lists, strings, longs, doubles, booleans and nulls; exactly one value. */
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper()
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_LONG_FOR_INTS)
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static final Duration SLOW = Duration.ofSeconds(60);

  /** How long the view may take to show a change: ~100 ms report + ~100 ms spread, with slack. */
  private static final Duration VIEW = Duration.ofSeconds(10);

  private static String savedTmpdir;
  private static Path tmp;
  private static String address;
  private static long customNodePid;
  private static long plainNodePid;
  private static final Set<Long> started = new LinkedHashSet<>();

  /** Where a task runs: node, job and worker, joined by '|'. */
  public static String where() {
    RuntimeContext c = Weft.context();
    return c.nodeId() + "|" + c.jobId() + "|" + c.workerId();
  }

  /** An actor that needs the custom resource only one joined node offers. */
  public static class Holder {
    public String where() {
      return ClusterViewIT.where();
    }
  }

  @BeforeAll
  static void startHeadAndTwoNodes() throws Exception {
    assumeTrue(
        System.getenv("WEFT_TOKEN") == null,
        "WEFT_TOKEN is set in the environment: it would override the head's token");
    savedTmpdir = System.getProperty("java.io.tmpdir");
    tmp = Files.createTempDirectory("weft-clusterview-it-");
    System.setProperty("java.io.tmpdir", tmp.toString());
    int port = freePort();
    address = "127.0.0.1:" + port;
    CliClusterIT.Cli head =
        cli("start", "--head", "--port", Integer.toString(port), "--num-cpus", "1");
    assertThat(head.code()).as("weft start --head; stderr:\n" + head.err()).isZero();
    for (String s :
        Files.readAllLines(dev.weft.internal.core.ClusterFiles.clusterDir(port).resolve("pids"))) {
      started.add(Long.parseLong(s.trim()));
    }
    customNodePid = join("--resources", "custom=2");
    plainNodePid = join();
    Weft.init(address);
  }

  private static long join(String... extra) {
    List<String> args =
        new java.util.ArrayList<>(List.of("start", "--address", address, "--num-cpus", "1"));
    args.addAll(List.of(extra));
    CliClusterIT.Cli join = cli(args.toArray(String[]::new));
    assertThat(join.code()).as("weft start --address; stderr:\n" + join.err()).isZero();
    Matcher m = Pattern.compile("\\(pid (\\d+)\\)").matcher(join.out());
    assertThat(m.find()).as("the join's output:\n" + join.out()).isTrue();
    long pid = Long.parseLong(m.group(1));
    started.add(pid);
    return pid;
  }

  @AfterAll
  static void stopEverything() {
    if (tmp == null) {
      return;
    }
    try {
      Weft.shutdown();
      cli("stop");
    } finally {
      for (long pid : started) {
        ProcessHandle.of(pid)
            .filter(ProcessHandle::isAlive)
            .ifPresent(
                h -> {
                  h.descendants().forEach(ProcessHandle::destroyForcibly);
                  h.destroyForcibly();
                });
      }
      System.setProperty("java.io.tmpdir", savedTmpdir);
    }
  }

  @Test
  @Order(1)
  void shouldListThreeAliveNodesWithTheirTotals() {
    await("Weft.nodes() lists the head's node and the two joined ones")
        .atMost(VIEW)
        .untilAsserted(
            () -> assertThat(Weft.nodes()).hasSize(3).allMatch(NodeInfo::alive, "alive"));
    List<NodeInfo> nodes = Weft.nodes();
    assertThat(nodes).extracting(NodeInfo::nodeId).doesNotHaveDuplicates();
    assertThat(nodes)
        .extracting(NodeInfo::address)
        .doesNotHaveDuplicates()
        .allMatch(a -> a.startsWith("127.0.0.1:"));
    assertThat(nodes).allSatisfy(n -> assertThat(n.total()).containsEntry("CPU", 1.0));
    assertThat(nodes)
        .filteredOn(n -> n.total().containsKey("custom"))
        .singleElement()
        .satisfies(n -> assertThat(n.total()).containsEntry("custom", 2.0));

    Map<String, Double> cluster = Weft.clusterResources();
    assertThat(cluster).containsEntry("CPU", 3.0).containsEntry("custom", 2.0);
    assertThat(Weft.availableResources()).containsEntry("custom", 2.0);
  }

  @Test
  @Order(2)
  void shouldTellTheDriverTaskAndActorWhereTheyRun() throws Exception {
    List<String> ids = Weft.nodes().stream().map(NodeInfo::nodeId).toList();
    RuntimeContext driver = Weft.context();
    assertThat(ids).as("the driver's node").contains(driver.nodeId());
    assertThat(driver.jobId()).matches("\\d+");
    assertThat(driver.workerId()).isEqualTo("driver-" + driver.jobId());

    String[] task = Weft.get(Weft.task(ClusterViewIT::where).remote(), SLOW).split("\\|");
    assertThat(ids).as("the task's node").contains(task[0]);
    assertThat(task[1]).as("the task's job").isEqualTo(driver.jobId());
    assertThat(task[2]).as("the task's worker").startsWith("worker-").endsWith("@" + task[0]);

    ActorHandle<Holder> holder = Weft.actor(Holder::new).resource("custom", 1).remote();
    String[] actor = Weft.get(holder.task(Holder::where).remote(), SLOW).split("\\|");
    String customNode = customNode().nodeId();
    assertThat(customNode).isEqualTo(nodeIdOfPid(customNodePid));
    assertThat(actor[0]).as("the actor runs on the one node with 'custom'").isEqualTo(customNode);
    assertThat(actor[1]).isEqualTo(driver.jobId());
    assertThat(actor[2]).startsWith("worker-").endsWith("@" + customNode);
    holder.kill();
  }

  @Test
  @Order(3)
  void shouldShowAnActorsCustomResourceTakenAndGivenBack() {
    await("custom is all available before the actor")
        .atMost(VIEW)
        .untilAsserted(() -> assertThat(Weft.availableResources()).containsEntry("custom", 2.0));
    ActorHandle<Holder> holder = Weft.actor(Holder::new).resource("custom", 1).remote();
    Weft.get(holder.task(Holder::where).remote(), SLOW);

    await("availableResources() shows the actor's custom 1 taken")
        .atMost(VIEW)
        .untilAsserted(() -> assertThat(Weft.availableResources()).containsEntry("custom", 1.0));
    assertThat(customNode().available()).containsEntry("custom", 1.0);
    assertThat(Weft.clusterResources()).as("totals do not move").containsEntry("custom", 2.0);

    holder.kill();
    await("availableResources() shows custom back once the actor is killed")
        .atMost(VIEW)
        .untilAsserted(() -> assertThat(Weft.availableResources()).containsEntry("custom", 2.0));
  }

  @Test
  @Order(4)
  void shouldShowAKilledNodeAsNotAlive() throws Exception {
    String driverNode = Weft.context().nodeId();
    String plainNode = nodeIdOfPid(plainNodePid);
    assertThat(plainNode).as("the node to kill is not the driver's").isNotEqualTo(driverNode);

    ProcessHandle h = ProcessHandle.of(plainNodePid).orElseThrow();
    h.descendants().forEach(ProcessHandle::destroyForcibly);
    h.destroyForcibly();

    await("Weft.nodes() shows the killed node alive=false")
        .atMost(VIEW)
        .untilAsserted(
            () ->
                assertThat(Weft.nodes())
                    .hasSize(3)
                    .filteredOn(n -> n.nodeId().equals(plainNode))
                    .singleElement()
                    .satisfies(n -> assertThat(n.alive()).isFalse()));
    assertThat(Weft.nodes()).filteredOn(NodeInfo::alive).hasSize(2);
    assertThat(Weft.clusterResources())
        .as("the sum of the live nodes' totals")
        .containsEntry("CPU", 2.0)
        .containsEntry("custom", 2.0);
  }

  // ------------------------------------------------------------------ helpers

  private static NodeInfo customNode() {
    return Weft.nodes().stream()
        .filter(n -> n.total().containsKey("custom"))
        .findFirst()
        .orElseThrow();
  }

  /** The node id of the node manager with this pid, from {@code weft status --json}. */
  @SuppressWarnings("unchecked")
  private static String nodeIdOfPid(long pid) throws IOException {
    CliClusterIT.Cli status = cli("status", "--address", address, "--json");
    assertThat(status.code()).as("weft status --json; stderr:\n" + status.err()).isZero();
    Map<String, Object> root =
        (Map<String, Object>) JSON.readValue(status.out().strip(), Object.class);
    return ((List<Map<String, Object>>) root.get("nodes"))
        .stream()
            .filter(n -> ((Number) n.get("pid")).longValue() == pid)
            .map(n -> (String) n.get("nodeId"))
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("no node with pid " + pid + ":\n" + status.out()));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** On failure: every log under this test's private folder (head, joined nodes, workers). */
  static final class DumpLogs implements TestWatcher {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      if (tmp == null) {
        return;
      }
      try (java.util.stream.Stream<Path> files = Files.walk(tmp)) {
        for (Path f : files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
          System.err.println("===== " + f + " =====");
          System.err.println(Files.readString(f));
        }
      } catch (IOException e) {
        System.err.println("cannot read the logs under " + tmp + ": " + e);
      }
    }
  }
}
