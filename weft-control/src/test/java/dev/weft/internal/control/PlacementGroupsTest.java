package dev.weft.internal.control;

import static dev.weft.internal.control.ControlStoreFixture.T;
import static dev.weft.internal.control.ControlStoreFixture.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.PlacementStrategy;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.proto.Msg.PlacementGroupState;
import dev.weft.internal.rpc.Connection;
import dev.weft.internal.rpc.MessageHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The control store's placement groups over real sockets, against fake node managers that answer
 * the two phases as the test says: a node may refuse a prepare (it lost the resources the view
 * still shows), and the group must then never be half-placed.
 */
class PlacementGroupsTest {
  private static final Map<String, Double> ONE = Map.of("CPU", 1.0);

  private ControlStoreFixture fx;

  @BeforeEach
  void start() {
    fx = new ControlStoreFixture();
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  /** A node manager that records the bundle messages and refuses prepares while told to. */
  static final class FakeNode implements MessageHandler {
    final String id;
    final BlockingQueue<Msg> bundleMsgs = new LinkedBlockingQueue<>();
    volatile boolean refuse;
    Connection conn;

    FakeNode(String id) {
      this.id = id;
    }

    @Override
    public void onMessage(Connection c, long reqId, Msg msg) {
      switch (msg) {
        case Msg.PrepareBundle p -> {
          bundleMsgs.add(p);
          if (refuse) {
            c.replyFailure(reqId, "fake node " + id + " refuses");
          } else {
            c.reply(reqId, new Msg.Ack());
          }
        }
        case Msg.CommitBundle m -> {
          bundleMsgs.add(m);
          c.reply(reqId, new Msg.Ack());
        }
        case Msg.CancelBundle m -> {
          bundleMsgs.add(m);
          c.reply(reqId, new Msg.Ack());
        }
        case Msg.ViewDelta d -> {}
        case Msg.PlacementGroupRemoved r -> {}
        default -> c.replyFailure(reqId, "fake node " + id + " does not handle " + msg);
      }
    }

    Msg next() throws InterruptedException {
      Msg m = bundleMsgs.poll(T.toSeconds(), TimeUnit.SECONDS);
      assertThat(m).as("a bundle message to node %s", id).isNotNull();
      return m;
    }

    /** Every bundle message so far, after a round trip that orders them. */
    List<Msg> drain() {
      List<Msg> out = new ArrayList<>();
      bundleMsgs.drainTo(out);
      return out;
    }
  }

  private FakeNode node(String id, double cpus) throws Exception {
    FakeNode n = new FakeNode(id);
    n.conn = fx.registerNode(n, id, cpus);
    return n;
  }

  private Connection driver() throws Exception {
    return fx.driver("pg");
  }

  private static Msg.PlacementGroupInfo create(
      Connection d, String id, PlacementStrategy s, List<Map<String, Double>> bundles)
      throws Exception {
    return (Msg.PlacementGroupInfo)
        get(d.call(new Msg.CreatePlacementGroup(id, 1, bundles, s, "pg-addr")));
  }

  private static Msg.PlacementGroupInfo await(Connection d, String id, long millis)
      throws Exception {
    return (Msg.PlacementGroupInfo) get(d.call(new Msg.GetPlacementGroup(id, millis)));
  }

  private Msg.NodeInfo nodeInfo(Connection d, String id) throws Exception {
    Msg.StatusReply s = (Msg.StatusReply) get(d.call(new Msg.ClusterStatus()));
    return s.nodes().stream().filter(n -> n.nodeId().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void create_bothNodesPrepare_committedOnDistinctNodesAndTotalsShowTheBundles() throws Exception {
    FakeNode a = node("a", 2);
    FakeNode b = node("b", 2);
    Connection d = driver();
    create(d, "a1", PlacementStrategy.STRICT_SPREAD, List.of(ONE, ONE));
    Msg.PlacementGroupInfo info = await(d, "a1", 10_000);
    assertThat(info.state()).isEqualTo(PlacementGroupState.CREATED);
    assertThat(info.bundleNodes()).containsExactlyInAnyOrder("a", "b");
    for (FakeNode n : List.of(a, b)) {
      assertThat(n.next()).isInstanceOf(Msg.PrepareBundle.class);
      assertThat(n.next()).isInstanceOf(Msg.CommitBundle.class);
    }
    int onA = info.bundleNodes().indexOf("a");
    assertThat(nodeInfo(d, "a").resources())
        .containsEntry("CPU_group_a1_" + onA, 1.0)
        .containsEntry("CPU_group_a1", 1.0)
        .containsEntry("CPU", 2.0);
  }

  @Test
  void prepareRefused_preparedOnesCancelledNothingCommitted_thenRetriedUntilPlaced()
      throws Exception {
    FakeNode a = node("a", 1);
    FakeNode b = node("b", 1);
    b.refuse = true;
    Connection d = driver();
    create(d, "b2", PlacementStrategy.STRICT_SPREAD, List.of(ONE, ONE));

    assertThat(a.next()).isInstanceOf(Msg.PrepareBundle.class);
    assertThat(a.next())
        .as("a's prepared bundle is given back")
        .isInstanceOf(Msg.CancelBundle.class);
    assertThat(b.next()).isInstanceOf(Msg.PrepareBundle.class);
    assertThat(await(d, "b2", 0).state()).isEqualTo(PlacementGroupState.PENDING);
    assertThat(await(d, "b2", 0).bundleNodes()).isEmpty();

    b.refuse = false;
    Msg.PlacementGroupInfo info = await(d, "b2", 15_000);
    assertThat(info.state()).as("retried after the backoff").isEqualTo(PlacementGroupState.CREATED);
    List<Msg> all = new ArrayList<>(a.drain());
    all.addAll(b.drain());
    assertThat(all).filteredOn(m -> m instanceof Msg.CommitBundle).hasSize(2);
  }

  @Test
  void strictPackThatNeverFits_pendingWithReason_placedWhenABigNodeJoins() throws Exception {
    node("a", 1);
    node("b", 1);
    Connection d = driver();
    Msg.PlacementGroupInfo info =
        create(d, "c3", PlacementStrategy.STRICT_PACK, List.of(ONE, ONE, ONE));
    assertThat(info.state()).isEqualTo(PlacementGroupState.PENDING);
    assertThat(info.pendingReason()).contains("STRICT_PACK").contains("{CPU=3.0}");
    Msg.PlacementGroupList list =
        (Msg.PlacementGroupList) get(d.call(new Msg.ListPlacementGroups()));
    assertThat(list.groups())
        .singleElement()
        .satisfies(g -> assertThat(g.groupId()).isEqualTo("c3"));

    node("big", 3);
    Msg.PlacementGroupInfo placed = await(d, "c3", 10_000);
    assertThat(placed.state()).isEqualTo(PlacementGroupState.CREATED);
    assertThat(placed.bundleNodes()).containsExactly("big", "big", "big");
    assertThat(placed.pendingReason()).isNull();
  }

  @Test
  void remove_cancelsEveryBundleAndForgetsTheGroup() throws Exception {
    FakeNode a = node("a", 2);
    Connection d = driver();
    create(d, "d4", PlacementStrategy.PACK, List.of(ONE, ONE));
    assertThat(await(d, "d4", 10_000).state()).isEqualTo(PlacementGroupState.CREATED);
    assertThat(get(d.call(new Msg.RemovePlacementGroup("d4")))).isInstanceOf(Msg.Ack.class);
    Awaitility.await("both bundles cancelled on a")
        .atMost(T)
        .until(() -> a.bundleMsgs.stream().filter(m -> m instanceof Msg.CancelBundle).count() == 2);
    assertThat(((Msg.PlacementGroupList) get(d.call(new Msg.ListPlacementGroups()))).groups())
        .isEmpty();
    assertThat(nodeInfo(d, "a").resources()).containsOnlyKeys("CPU");
  }

  @Test
  void nodeDies_itsBundleIsPlacedAgainTheOtherStays() throws Exception {
    node("a", 1);
    FakeNode b = node("b", 1);
    Connection d = driver();
    create(d, "e5", PlacementStrategy.STRICT_SPREAD, List.of(ONE, ONE));
    List<String> before = await(d, "e5", 10_000).bundleNodes();
    assertThat(before).containsExactlyInAnyOrder("a", "b");
    int lostIndex = before.indexOf("b");

    b.conn.close();
    FakeNode c = node("c", 1);
    Awaitility.await("the lost bundle is placed on c")
        .atMost(T)
        .untilAsserted(
            () -> {
              Msg.PlacementGroupInfo i = await(d, "e5", 0);
              assertThat(i.state()).isEqualTo(PlacementGroupState.CREATED);
              assertThat(i.bundleNodes().get(lostIndex)).isEqualTo("c");
              assertThat(i.bundleNodes().get(1 - lostIndex)).isEqualTo("a");
            });
    Msg prepare = c.next();
    assertThat(prepare).isInstanceOf(Msg.PrepareBundle.class);
    assertThat(((Msg.PrepareBundle) prepare).index()).isEqualTo(lostIndex);
  }

  @Test
  void jobEnds_itsGroupsAreRemoved() throws Exception {
    FakeNode a = node("a", 1);
    Connection d = driver();
    create(d, "f6", PlacementStrategy.PACK, List.of(ONE));
    assertThat(await(d, "f6", 10_000).state()).isEqualTo(PlacementGroupState.CREATED);
    d.close();
    Awaitility.await("the bundle is cancelled on a")
        .atMost(T)
        .until(() -> a.bundleMsgs.stream().anyMatch(m -> m instanceof Msg.CancelBundle));
  }

  @Test
  void twoGroupsForTheSameCpu_secondWaitsUntilTheFirstIsRemoved() throws Exception {
    node("a", 1);
    Connection d = driver();
    create(d, "g7", PlacementStrategy.PACK, List.of(ONE));
    assertThat(await(d, "g7", 10_000).state()).isEqualTo(PlacementGroupState.CREATED);
    Msg.PlacementGroupInfo second = create(d, "h8", PlacementStrategy.PACK, List.of(ONE));
    assertThat(second.pendingReason()).as("busy, not impossible").isNull();
    assertThat(await(d, "h8", 300).state()).isEqualTo(PlacementGroupState.PENDING);
    get(d.call(new Msg.RemovePlacementGroup("g7")));
    assertThat(await(d, "h8", 10_000).state()).isEqualTo(PlacementGroupState.CREATED);
  }
}
