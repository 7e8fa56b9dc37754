package dev.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.weft.ActorDiedException;
import dev.weft.ActorHandle;
import dev.weft.NodeInfo;
import dev.weft.ObjectRef;
import dev.weft.PlacementGroup;
import dev.weft.PlacementStrategy;
import dev.weft.SchedulingStrategy;
import dev.weft.TaskFailedException;
import dev.weft.Weft;
import dev.weft.testing.LocalCluster;
import dev.weft.testing.NodeHandle;
import dev.weft.testing.NodeOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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
 * Placement groups on real processes: a {@link LocalCluster} of a head (2 CPUs and {@code home=1})
 * and two nodes (2 CPUs each), a driver attached to the head's node. Each strategy lays its bundles
 * as Ray's does; removing gives everything back; tasks (on the driver's node, and spilled to the
 * bundle's node when it is another) and actors (on every node: the control store places them where
 * the bundle's resources are) run in a bundle and take its resources; removing a group fails the
 * tasks and actors waiting for its bundles (queued at a node, parked as infeasible, submitted
 * after) with an error naming it, and keeps what runs in it; a STRICT_PACK that can never be placed
 * is pending, logged and listed, and is placed once a big enough node joins; of two groups wanting
 * the one {@code home}, the second waits for the first's removal; a killed node's bundle is placed
 * again elsewhere.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(PlacementGroupsIT.DumpLogs.class)
class PlacementGroupsIT {
  private static final Duration SLOW = Duration.ofSeconds(60);
  private static final Duration PROMPT = Duration.ofSeconds(20);
  private static final Map<String, Double> ONE = Map.of("CPU", 1.0);
  private static LocalCluster cluster;
  private static Map<String, Double> startAvailable;

  /** The node this code runs on. */
  public static String node() {
    return Weft.context().nodeId();
  }

  /** An actor that says where it runs. */
  public static class Where {
    public String node() {
      return PlacementGroupsIT.node();
    }
  }

  @BeforeAll
  static void startCluster() {
    cluster =
        LocalCluster.start(
            NodeOptions.builder().cpus(2).resource("home", 1).objectStoreBytes(64 << 20).build());
    cluster.addNode(NodeOptions.builder().cpus(2).objectStoreBytes(64 << 20).build());
    cluster.addNode(NodeOptions.builder().cpus(2).objectStoreBytes(64 << 20).build());
    cluster.connect();
    await("three nodes in the view")
        .atMost(SLOW)
        .untilAsserted(() -> assertThat(Weft.availableResources()).containsEntry("CPU", 6.0));
    startAvailable = Weft.availableResources();
  }

  @AfterAll
  static void stopCluster() {
    Weft.shutdown();
    if (cluster != null) {
      cluster.close();
    }
  }

  private static List<String> liveNodeIds() {
    return Weft.nodes().stream().filter(NodeInfo::alive).map(NodeInfo::nodeId).toList();
  }

  private static PlacementGroup ready(List<Map<String, Double>> bundles, PlacementStrategy s) {
    PlacementGroup pg = Weft.placementGroup(bundles, s);
    assertThat(pg.waitReady(SLOW)).as("%s %s is placed", s, bundles).isTrue();
    return pg;
  }

  private static void awaitEverythingBack() {
    await("availableResources() back to what it was at the start, no bundle resource left")
        .atMost(SLOW)
        .untilAsserted(
            () -> {
              assertThat(Weft.availableResources()).isEqualTo(startAvailable);
              assertThat(Weft.clusterResources().keySet()).noneMatch(k -> k.contains("_group_"));
            });
  }

  @Test
  @Order(1)
  void shouldLayBundlesOutAsEachStrategySaysAndGiveEverythingBackOnRemove() {
    List<String> three = liveNodeIds();
    assertThat(three).hasSize(3);

    PlacementGroup strictSpread = ready(List.of(ONE, ONE, ONE), PlacementStrategy.STRICT_SPREAD);
    assertThat(strictSpread.bundleNodes()).containsExactlyInAnyOrderElementsOf(three);
    await("the view shows the reserved CPUs and the bundles")
        .atMost(SLOW)
        .untilAsserted(
            () -> {
              Map<String, Double> avail = Weft.availableResources();
              assertThat(avail).containsEntry("CPU", 3.0);
              assertThat(avail).containsEntry("CPU_group_" + strictSpread.id(), 3.0);
              assertThat(Weft.clusterResources())
                  .containsEntry("CPU_group_" + strictSpread.id() + "_0", 1.0);
            });
    Weft.removePlacementGroup(strictSpread);
    awaitEverythingBack();

    PlacementGroup strictPack = ready(List.of(ONE, ONE), PlacementStrategy.STRICT_PACK);
    assertThat(new HashSet<>(strictPack.bundleNodes())).hasSize(1);
    PlacementGroup pack = ready(List.of(ONE, ONE), PlacementStrategy.PACK);
    assertThat(new HashSet<>(pack.bundleNodes())).as("both fit on one node").hasSize(1);
    assertThat(pack.bundleNodes().get(0)).isNotEqualTo(strictPack.bundleNodes().get(0));
    Weft.removePlacementGroup(strictPack);
    Weft.removePlacementGroup(pack);
    awaitEverythingBack();

    PlacementGroup spread = ready(List.of(ONE, ONE, ONE), PlacementStrategy.SPREAD);
    assertThat(spread.bundleNodes()).containsExactlyInAnyOrderElementsOf(three);
    Weft.removePlacementGroup(spread);
    awaitEverythingBack();
  }

  @Test
  @Order(2)
  void shouldRunTasksAndActorsOnTheirBundlesNodeAndTakeItsResources() {
    PlacementGroup pg = ready(List.of(ONE, ONE, ONE), PlacementStrategy.STRICT_SPREAD);
    List<String> where = pg.bundleNodes();
    String driverNode = Weft.context().nodeId();
    int local = where.indexOf(driverNode);
    assertThat(local).as("a bundle on the driver's node %s: %s", driverNode, where).isNotNegative();

    String taskNode =
        Weft.get(
            Weft.task(PlacementGroupsIT::node)
                .scheduling(SchedulingStrategy.placementGroup(pg, local))
                .remote(),
            SLOW);
    assertThat(taskNode).isEqualTo(driverNode);
    assertThat(
            Weft.get(
                Weft.task(PlacementGroupsIT::node)
                    .scheduling(SchedulingStrategy.placementGroup(pg, -1))
                    .remote(),
                SLOW))
        .as(
            "any bundle: a node that holds one (the driver's, or another while the task before"
                + " still holds the driver's bundle under its lease)")
        .isIn(where);
    assertThatThrownBy(
            () ->
                Weft.task(PlacementGroupsIT::node)
                    .cpus(2)
                    .scheduling(SchedulingStrategy.placementGroup(pg, local))
                    .remote())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not fit in bundle " + local)
        .hasMessageContaining(pg.id());

    List<ActorHandle<Where>> actors = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      actors.add(
          Weft.actor(Where::new)
              .cpus(1)
              .scheduling(SchedulingStrategy.placementGroup(pg, i))
              .remote());
    }
    for (int i = 0; i < 3; i++) {
      assertThat(Weft.get(actors.get(i).task(Where::node).remote(), SLOW))
          .as("the actor in bundle %d runs on that bundle's node", i)
          .isEqualTo(where.get(i));
    }
    await("each actor holds its bundle's CPU")
        .atMost(SLOW)
        .untilAsserted(
            () -> {
              Map<String, Double> avail = Weft.availableResources();
              for (int i = 0; i < 3; i++) {
                assertThat(avail).containsEntry("CPU_group_" + pg.id() + "_" + i, 0.0);
              }
              assertThat(avail).containsEntry("CPU", 3.0).as("outside the bundles: untouched");
            });
    actors.forEach(ActorHandle::kill);
    await("the bundles' CPUs are free again once the actors are gone")
        .atMost(SLOW)
        .untilAsserted(
            () -> assertThat(Weft.availableResources()).containsEntry("CPU_group_" + pg.id(), 3.0));
    Weft.removePlacementGroup(pg);
    awaitEverythingBack();
  }

  @Test
  @Order(3)
  void shouldKeepAStrictPackThatCanNeverBePlacedPendingLoggedAndListedUntilABigNodeJoins()
      throws Exception {
    ch.qos.logback.classic.Logger driverLog =
        (ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger("dev.weft.internal.core.PlacementGroupClient");
    ListAppender<ILoggingEvent> seen = new ListAppender<>();
    seen.start();
    driverLog.addAppender(seen);
    PlacementGroup pg;
    try {
      pg = Weft.placementGroup(List.of(ONE, ONE, ONE), PlacementStrategy.STRICT_PACK);
    } finally {
      driverLog.detachAppender(seen);
    }
    assertThat(seen.list)
        .as("the driver's WARN")
        .anySatisfy(
            e -> {
              assertThat(e.getLevel().toString()).isEqualTo("WARN");
              assertThat(e.getFormattedMessage())
                  .contains(pg.id())
                  .contains("STRICT_PACK")
                  .contains("{CPU=3.0}");
            });
    assertThat(pg.waitReady(Duration.ofSeconds(2))).isFalse();
    assertThat(pg.bundleNodes()).isEmpty();

    CliClusterIT.Cli status = CliClusterIT.cli("status", "--address", cluster.address(), "--json");
    assertThat(status.code()).as(status.err()).isZero();
    Map<?, ?> json =
        new com.fasterxml.jackson.databind.ObjectMapper().readValue(status.out(), Map.class);
    assertThat((List<?>) json.get("placementGroups"))
        .singleElement()
        .satisfies(
            g -> {
              Map<?, ?> m = (Map<?, ?>) g;
              assertThat(m.get("groupId")).isEqualTo(pg.id());
              assertThat(m.get("state")).isEqualTo("PENDING");
              assertThat(m.get("strategy")).isEqualTo("STRICT_PACK");
              assertThat((String) m.get("pendingReason")).contains("no node can ever hold");
            });
    await("the control store's WARN in its log")
        .atMost(SLOW)
        .until(() -> logsContain("cannot be placed: STRICT_PACK puts every bundle on one node"));

    NodeHandle big =
        cluster.addNode(NodeOptions.builder().cpus(3).objectStoreBytes(64 << 20).build());
    assertThat(pg.waitReady(SLOW)).as("placed once a 3-CPU node joined").isTrue();
    assertThat(pg.bundleNodes()).containsOnly(big.nodeId());
    Weft.removePlacementGroup(pg);
    await("the big node's CPUs are all free again")
        .atMost(SLOW)
        .untilAsserted(() -> assertThat(Weft.availableResources()).containsEntry("CPU", 9.0));
  }

  @Test
  @Order(4)
  void shouldLetASecondGroupForTheSameResourceWaitUntilTheFirstIsRemoved() {
    PlacementGroup first = ready(List.of(Map.of("home", 1.0)), PlacementStrategy.PACK);
    PlacementGroup second =
        Weft.placementGroup(List.of(Map.of("home", 1.0)), PlacementStrategy.PACK);
    assertThat(second.waitReady(Duration.ofSeconds(2))).as("home is taken").isFalse();
    Weft.removePlacementGroup(first);
    assertThat(second.waitReady(SLOW)).as("placed once the first is removed").isTrue();
    assertThat(second.bundleNodes()).containsExactly(cluster.head().nodeId());
    Weft.removePlacementGroup(second);
  }

  @Test
  @Order(5)
  void shouldPlaceAKilledNodesBundleAgainOnAnotherNode() {
    PlacementGroup pg = ready(List.of(ONE, ONE), PlacementStrategy.STRICT_SPREAD);
    List<String> before = pg.bundleNodes();
    String headId = cluster.head().nodeId();
    int lost = headId.equals(before.get(0)) ? 1 : 0;
    NodeHandle victim =
        cluster.nodes().stream()
            .filter(n -> n.nodeId().equals(before.get(lost)))
            .findFirst()
            .orElseThrow();
    victim.kill();
    await("bundle %d placed again on a live node other than the other bundle's".formatted(lost))
        .atMost(SLOW)
        .untilAsserted(
            () -> {
              assertThat(pg.waitReady(Duration.ofSeconds(1))).isTrue();
              List<String> now = pg.bundleNodes();
              assertThat(now.get(1 - lost))
                  .as("the other bundle stays")
                  .isEqualTo(before.get(1 - lost));
              assertThat(now.get(lost))
                  .isNotEqualTo(victim.nodeId())
                  .isNotEqualTo(before.get(1 - lost));
              assertThat(liveNodeIds()).contains(now.get(lost));
            });
    Weft.removePlacementGroup(pg);
  }

  @Test
  @Order(6)
  void shouldRunEachTaskOnItsBundlesNodeWhenTheBundlesAreSpreadOverNodes() {
    PlacementGroup pg = ready(List.of(ONE, ONE, ONE), PlacementStrategy.STRICT_SPREAD);
    List<String> where = pg.bundleNodes();
    assertThat(new HashSet<>(where)).as("three nodes: %s", where).hasSize(3);
    List<ObjectRef<String>> ran = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ran.add(
          Weft.task(PlacementGroupsIT::node)
              .scheduling(SchedulingStrategy.placementGroup(pg, i))
              .remote());
    }
    for (int i = 0; i < 3; i++) {
      assertThat(Weft.get(ran.get(i), SLOW))
          .as("the task in bundle %d runs on that bundle's node", i)
          .isEqualTo(where.get(i));
    }
    Weft.removePlacementGroup(pg);
  }

  /** Submits a task into bundle 0 of the one-CPU group {@code groupId}; says how that ended. */
  public static String submitInto(String groupId) {
    PlacementGroup pg = new PlacementGroup(groupId, List.of(ONE), PlacementStrategy.PACK);
    try {
      return "ran on "
          + Weft.get(
              Weft.task(PlacementGroupsIT::node)
                  .scheduling(SchedulingStrategy.placementGroup(pg, 0))
                  .remote(),
              PROMPT);
    } catch (RuntimeException e) {
      return e.getMessage();
    }
  }

  @Test
  @Order(7)
  void shouldFailDemandsWaitingForARemovedGroupAndKeepWhatRunsInIt() {
    PlacementGroup pg = ready(List.of(ONE), PlacementStrategy.PACK);
    String bundleNode = pg.bundleNodes().get(0);
    ActorHandle<Where> holder =
        Weft.actor(Where::new)
            .cpus(1)
            .scheduling(SchedulingStrategy.placementGroup(pg, 0))
            .remote();
    assertThat(Weft.get(holder.task(Where::node).remote(), SLOW)).isEqualTo(bundleNode);
    // the holder takes the bundle's CPU: these wait in the line of the bundle's node
    ObjectRef<String> queuedTask =
        Weft.task(PlacementGroupsIT::node)
            .scheduling(SchedulingStrategy.placementGroup(pg, 0))
            .remote();
    ObjectRef<String> queuedAny =
        Weft.task(PlacementGroupsIT::node)
            .scheduling(SchedulingStrategy.placementGroup(pg, -1))
            .remote();
    ActorHandle<Where> queuedActor =
        Weft.actor(Where::new)
            .cpus(1)
            .scheduling(SchedulingStrategy.placementGroup(pg, 0))
            .remote();
    ObjectRef<String> queuedActorCall = queuedActor.task(Where::node).remote();
    // a group no node can hold: these wait as infeasible (the task at a node, the actor at the
    // control store, parked until the group is created)
    PlacementGroup never =
        Weft.placementGroup(List.of(Map.of("CPU", 1.0, "nowhere", 1.0)), PlacementStrategy.PACK);
    ObjectRef<String> parkedTask =
        Weft.task(PlacementGroupsIT::node)
            .scheduling(SchedulingStrategy.placementGroup(never, 0))
            .remote();
    ActorHandle<Where> parkedActor =
        Weft.actor(Where::new)
            .cpus(1)
            .scheduling(SchedulingStrategy.placementGroup(never, 0))
            .remote();
    ObjectRef<String> parkedActorCall = parkedActor.task(Where::node).remote();
    assertThat(
            Weft.wait(
                    List.of(queuedTask, queuedAny, queuedActorCall, parkedTask, parkedActorCall),
                    1,
                    Duration.ofMillis(500))
                .ready())
        .as("nothing can run before the removal")
        .isEmpty();

    Weft.removePlacementGroup(pg);
    Weft.removePlacementGroup(never);

    String removed = "placement group " + pg.id() + " was removed while this ";
    assertThatThrownBy(() -> Weft.get(queuedTask, PROMPT))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining(removed + "task waited for its bundle 0");
    assertThatThrownBy(() -> Weft.get(queuedAny, PROMPT))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining(removed + "task waited for one of its bundles");
    assertThatThrownBy(() -> Weft.get(queuedActorCall, PROMPT))
        .isInstanceOf(ActorDiedException.class)
        .hasMessageContaining(removed + "actor waited for its bundle 0");
    assertThatThrownBy(() -> Weft.get(parkedTask, PROMPT))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining(
            "placement group " + never.id() + " was removed while this task waited");
    assertThatThrownBy(() -> Weft.get(parkedActorCall, PROMPT))
        .isInstanceOf(ActorDiedException.class)
        .hasMessageContaining("placement group " + never.id() + " was removed");

    assertThatThrownBy(
            () ->
                Weft.get(
                    Weft.task(PlacementGroupsIT::node)
                        .scheduling(SchedulingStrategy.placementGroup(pg, 0))
                        .remote(),
                    PROMPT))
        .as("submitted after the removal, by the process that removed it")
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("placement group " + pg.id() + " was removed");
    assertThat(Weft.get(Weft.task(PlacementGroupsIT::submitInto, pg.id()).remote(), SLOW))
        .as("submitted after the removal, by another process (a task's worker)")
        .contains("placement group " + pg.id() + " was removed");

    assertThat(Weft.get(holder.task(Where::node).remote(), SLOW))
        .as("an actor running in the group keeps running")
        .isEqualTo(bundleNode);
    holder.kill();
  }

  private static boolean logsContain(String text) throws IOException {
    try (Stream<Path> files = Files.walk(cluster.logDir())) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        if (Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1).contains(text)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Prints every process's log when a test fails. */
  static final class DumpLogs implements TestWatcher {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      if (cluster != null) {
        cluster.printLogs(System.err);
      }
    }
  }
}
