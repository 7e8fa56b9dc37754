package dev.weft.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.internal.node.ClusterView.Outcome;
import dev.weft.internal.proto.Msg;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The node's copy of the cluster view: deltas in order, stale ones ignored, gaps resynced. */
class ClusterViewTest {
  private final ClusterView view = new ClusterView();

  private static Msg.NodeInfo node(String id, double available, boolean alive) {
    return new Msg.NodeInfo(
        id, id + ":1", Map.of("CPU", 4.0), alive, 1, Map.of("CPU", available), null);
  }

  private static Msg.ViewDelta delta(long from, long to, Msg.NodeInfo... changed) {
    return new Msg.ViewDelta(from, to, List.of(changed));
  }

  private Map<String, Double> availableOf(String id) {
    return view.snapshot().nodes().stream()
        .filter(n -> n.nodeId().equals(id))
        .findFirst()
        .orElseThrow()
        .available();
  }

  @Test
  void apply_deltasInOrder_replaceTheirNodesRecords() {
    assertThat(view.apply(delta(0, 2, node("a", 4, true), node("b", 4, true))))
        .isEqualTo(Outcome.APPLIED);
    assertThat(view.apply(delta(2, 3, node("b", 1, true)))).isEqualTo(Outcome.APPLIED);
    assertThat(view.apply(delta(3, 5, node("c", 4, true), node("a", 0, false))))
        .isEqualTo(Outcome.APPLIED);

    Msg.ClusterView s = view.snapshot();
    assertThat(s.version()).isEqualTo(5);
    assertThat(s.nodes())
        .extracting(Msg.NodeInfo::nodeId, Msg.NodeInfo::alive)
        .as("in the order first listed; a dead node stays, alive=false")
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a", false),
            org.assertj.core.groups.Tuple.tuple("b", true),
            org.assertj.core.groups.Tuple.tuple("c", true));
    assertThat(availableOf("b")).containsEntry("CPU", 1.0);
  }

  @Test
  void takeDied_listsEachNodeThatWentFromAliveToDeadOnce_byDeltaOrFullView() {
    view.apply(delta(0, 2, node("a", 4, true), node("b", 4, true), node("c", 4, true)));
    assertThat(view.takeDied()).as("nothing died yet").isEmpty();

    view.apply(delta(2, 3, node("a", 4, false)));
    view.apply(delta(3, 4, node("a", 4, false), node("b", 2, true)));
    assertThat(view.takeDied()).extracting(Msg.NodeInfo::nodeId).containsExactly("a");
    assertThat(view.takeDied()).as("taken once").isEmpty();

    // a full view after a resync: c is dead in it; a was dead before and is not listed again
    view.apply(delta(0, 9, node("a", 4, false), node("b", 2, true), node("c", 4, false)));
    assertThat(view.takeDied()).extracting(Msg.NodeInfo::nodeId).containsExactly("c");
  }

  @Test
  void apply_staleDelta_isIgnored() {
    view.apply(delta(0, 2, node("a", 4, true)));
    view.apply(delta(2, 4, node("a", 1, true)));

    assertThat(view.apply(delta(2, 3, node("a", 3, true)))).isEqualTo(Outcome.STALE);
    assertThat(view.apply(delta(3, 4, node("a", 2, true)))).isEqualTo(Outcome.STALE);

    assertThat(view.version()).isEqualTo(4);
    assertThat(availableOf("a")).containsEntry("CPU", 1.0);
  }

  @Test
  void apply_deltaThatOverlapsTheView_appliesItsNewerRecords() {
    view.apply(delta(0, 3, node("a", 4, true)));
    assertThat(view.apply(delta(2, 5, node("a", 2, true)))).isEqualTo(Outcome.APPLIED);
    assertThat(view.version()).isEqualTo(5);
    assertThat(availableOf("a")).containsEntry("CPU", 2.0);
  }

  @Test
  void apply_gap_asksOnceForTheFullView_whichReplacesEverything() {
    view.apply(delta(0, 2, node("a", 4, true), node("b", 4, true)));

    assertThat(view.apply(delta(4, 5, node("a", 0, true)))).isEqualTo(Outcome.GAP);
    assertThat(view.apply(delta(5, 6, node("a", 1, true))))
        .as("another delta while the full view is on its way")
        .isEqualTo(Outcome.AWAITING_FULL);
    assertThat(view.version()).isEqualTo(2);
    assertThat(availableOf("a"))
        .as("nothing of a gapped delta is applied")
        .containsEntry("CPU", 4.0);

    assertThat(view.apply(delta(0, 6, node("a", 1, true)))).isEqualTo(Outcome.APPLIED);
    assertThat(view.snapshot().nodes()).extracting(Msg.NodeInfo::nodeId).containsExactly("a");
    assertThat(view.apply(delta(9, 10, node("a", 2, true))))
        .as("a later gap asks again")
        .isEqualTo(Outcome.GAP);
  }

  @Test
  void apply_fullView_replacesTheViewEvenAtALowerVersion() {
    view.apply(delta(0, 40, node("a", 4, true)));
    // a restarted control store counts from 1 again
    assertThat(view.apply(delta(0, 2, node("b", 4, true)))).isEqualTo(Outcome.APPLIED);
    assertThat(view.version()).isEqualTo(2);
    assertThat(view.snapshot().nodes()).extracting(Msg.NodeInfo::nodeId).containsExactly("b");
  }

  @Test
  void whenReady_waitsForTheFirstFullView() {
    List<Long> answered = new ArrayList<>();
    view.whenReady(() -> answered.add(view.version()));
    assertThat(view.apply(delta(3, 4, node("a", 4, true))))
        .as("a delta before any full view")
        .isEqualTo(Outcome.GAP);
    assertThat(answered).isEmpty();

    view.apply(delta(0, 4, node("a", 4, true)));
    assertThat(answered).containsExactly(4L);
    view.whenReady(() -> answered.add(view.version()));
    assertThat(answered).containsExactly(4L, 4L);
  }
}
