package dev.weft.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.ActorHandle;
import dev.weft.ObjectRef;
import dev.weft.PlacementGroup;
import dev.weft.PlacementStrategy;
import dev.weft.Weft;
import dev.weft.internal.control.RedisServer;
import dev.weft.testing.LocalCluster;
import dev.weft.testing.NodeOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The head's control store killed mid-job (issue 11, items 6 and 8), with each storage backend: the
 * default file log in the head's folder, and a real {@code redis-server} from Debian's package. The
 * head's node manager starts it again at once; it recovers the nodes, the job, the actors (a named
 * detached one among them) and the placement group from storage; the nodes and the driver register
 * again; what ran meanwhile (a task, actor calls, new tasks) went on, and what needs the control
 * store (getActor, actor creation) waited and then succeeded.
 */
class HeadRestartIT {
  private static final Duration SLOW = Duration.ofSeconds(120);

  private LocalCluster cluster;
  private RedisServer redis;

  /** An actor with state: a restart would lose it. */
  public static class Counter {
    private long n;

    public long add(long d) {
      n += d;
      return n;
    }

    public long pid() {
      return ProcessHandle.current().pid();
    }
  }

  public static int square(int x) {
    return x * x;
  }

  /** Runs for {@code millis}: long enough to span the control store's death and restart. */
  public static int slowSquare(int x, int millis) throws InterruptedException {
    new CountDownLatch(1).await(millis, TimeUnit.MILLISECONDS); // a task that works a while
    return x * x;
  }

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @ParameterizedTest(name = "storage {0}")
  @ValueSource(strings = {"file", "redis"})
  void aKilledControlStoreShouldBeRestartedFromStorageWhileTheJobGoesOn(String backend)
      throws Exception {
    String storage = null; // the default: a file log in the head's folder
    if (backend.equals("redis")) {
      redis = RedisServer.start();
      storage = redis.uri(0);
    }
    cluster = LocalCluster.start(NodeOptions.builder().cpus(2).controlStorage(storage).build());
    cluster.addNode(NodeOptions.builder().cpus(1).build());
    cluster.connect();

    ActorHandle<Counter> named = Weft.actor(Counter::new).name("counter").detached().remote();
    assertThat(Weft.get(named.task(Counter::add, 5L).remote(), SLOW)).isEqualTo(5L);
    long actorPid = Weft.get(named.task(Counter::pid).remote(), SLOW);
    PlacementGroup pg = Weft.placementGroup(List.of(Map.of("CPU", 1.0)), PlacementStrategy.PACK);
    assertThat(pg.waitReady(SLOW)).isTrue();
    List<String> pgNodes = pg.bundleNodes();
    ObjectRef<Integer> spanning = Weft.task(HeadRestartIT::slowSquare, 7, 4_000).remote();
    byte[] bytes = new byte[1 << 20];
    java.util.Arrays.fill(bytes, (byte) 3);
    ObjectRef<byte[]> ownedByControl = Weft.putDetached(bytes); // in the head's store
    ObjectRef<String> keptByControl = Weft.putDetached("kept in the control store's own table");
    Weft.kv().put("restart/before", "written before the kill".getBytes(UTF_8));

    long oldPid = cluster.killControlStore();

    // what never touches the control store goes on, whether it is back yet or not
    List<ObjectRef<Integer>> squares = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      squares.add(Weft.task(HeadRestartIT::square, i).remote());
    }
    for (int i = 0; i < 20; i++) {
      assertThat(Weft.get(squares.get(i), SLOW)).isEqualTo(i * i);
    }
    assertThat(Weft.get(named.task(Counter::add, 1L).remote(), SLOW)).isEqualTo(6L);
    assertThat(Weft.get(spanning, SLOW)).isEqualTo(49);

    // what needs it waits for the restarted one, which knows the actor from storage
    Optional<ActorHandle<Counter>> found = Weft.getActor("counter");
    assertThat(found).as("the named actor, found through the restarted control store").isPresent();
    assertThat(Weft.get(found.get().task(Counter::add, 1L).remote(), SLOW))
        .as("the same actor process, its state kept: it was never restarted")
        .isEqualTo(7L);
    assertThat(Weft.get(found.get().task(Counter::pid).remote(), SLOW)).isEqualTo(actorPid);
    ActorHandle<Counter> fresh = Weft.actor(Counter::new).remote();
    assertThat(Weft.get(fresh.task(Counter::add, 3L).remote(), SLOW)).isEqualTo(3L);
    assertThat(pg.bundleNodes()).isEqualTo(pgNodes);
    assertThat(Weft.get(ownedByControl, SLOW))
        .as("an object the control store owns, known again from storage")
        .isEqualTo(bytes);
    assertThat(Weft.get(keptByControl, SLOW)).isEqualTo("kept in the control store's own table");
    assertThat(Weft.kv().get("restart/before"))
        .as("the key-value table, recovered from storage")
        .hasValueSatisfying(
            v -> assertThat(new String(v, UTF_8)).isEqualTo("written before the kill"));
    assertThat(Weft.get(Weft.task(HeadRestartIT::square, 9).remote(), SLOW)).isEqualTo(81);

    long newPid = cluster.awaitControlStoreRestarted(oldPid, SLOW);
    CliClusterIT.Cli status = CliClusterIT.cli("status", "--address", cluster.address(), "--json");
    assertThat(status.code()).as(status.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(status.out());
    assertThat(json.path("controlStore").path("pid").asLong()).isEqualTo(newPid);
    assertThat(json.path("nodes")).hasSize(2);
    for (JsonNode n : json.path("nodes")) {
      assertThat(n.path("alive").asBoolean()).as("node %s registered again", n).isTrue();
    }
    assertThat(Weft.nodes()).hasSize(2);
  }

  /**
   * Redis, the control store's storage, dies under a running cluster (SIGKILL) and an actor is
   * created meanwhile: the control store cannot write the actor's record, so it stops rather than
   * answer as if it had kept it; its supervisor starts it again, over and over with back-off while
   * Redis is down; once Redis is back (with its append-only file), it recovers, and the actor
   * creation, sent again by the driver's link, succeeds. Tasks went on throughout.
   */
  @org.junit.jupiter.api.Test
  void aControlStoreWhoseRedisDiesShouldStopAndComeBackWithIt() throws Exception {
    redis = RedisServer.start("--appendonly", "yes", "--appendfsync", "always");
    cluster =
        LocalCluster.start(NodeOptions.builder().cpus(2).controlStorage(redis.uri(0)).build());
    cluster.connect();
    ActorHandle<Counter> before = Weft.actor(Counter::new).name("before").detached().remote();
    assertThat(Weft.get(before.task(Counter::add, 2L).remote(), SLOW)).isEqualTo(2L);
    long firstPid = cluster.controlStorePid();

    redis.kill();
    java.util.concurrent.CompletableFuture<Long> creation =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              ActorHandle<Counter> during = Weft.actor(Counter::new).name("during").remote();
              return Weft.get(during.task(Counter::add, 40L).remote(), SLOW);
            });
    await("the control store stops: it cannot write the new actor's record")
        .atMost(SLOW)
        .until(() -> ProcessHandle.of(firstPid).isEmpty());
    for (int i = 0; i < 5; i++) {
      assertThat(Weft.get(Weft.task(HeadRestartIT::square, i).remote(), SLOW)).isEqualTo(i * i);
    }
    assertThat(Weft.get(before.task(Counter::add, 1L).remote(), SLOW)).isEqualTo(3L);
    assertThat(creation).as("the creation waits for the control store").isNotDone();

    redis.restart(); // the same port and folder: its append-only file brings the tables back
    assertThat(creation.get(SLOW.toSeconds(), TimeUnit.SECONDS)).isEqualTo(40L);
    assertThat(Weft.<Counter>getActor("before")).isPresent();
    assertThat(cluster.controlStorePid()).isNotEqualTo(firstPid);
  }
}
