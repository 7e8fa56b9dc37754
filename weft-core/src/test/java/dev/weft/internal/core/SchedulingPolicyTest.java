package dev.weft.internal.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.internal.core.SchedulingPolicy.Candidate;
import dev.weft.internal.core.SchedulingPolicy.Decision;
import dev.weft.internal.proto.Msg;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulingPolicyTest {
  static final Map<String, Double> ONE_CPU = Map.of("CPU", 1.0);
  static final Msg.Scheduling SPREAD = new Msg.Scheduling(Msg.SchedulingKind.SPREAD, null, false);

  static Candidate node(String id, double total, double available) {
    return new Candidate(id, id + ":1", true, Map.of("CPU", total), Map.of("CPU", available));
  }

  static Candidate dead(String id, double total) {
    return new Candidate(id, id + ":1", false, Map.of("CPU", total), Map.of("CPU", total));
  }

  private final SchedulingPolicy policy = new SchedulingPolicy(0.5);

  private String placed(Decision d) {
    assertThat(d).isInstanceOf(Decision.Place.class);
    return ((Decision.Place) d).node().nodeId();
  }

  @Test
  void default_preferredNodeWithRoomBelowThreshold_staysLocal() {
    List<Candidate> v = List.of(node("a", 4, 4), node("b", 4, 4));
    assertThat(placed(policy.decide(v, "a", ONE_CPU, Msg.Scheduling.DEFAULT, false)))
        .isEqualTo("a");
  }

  @Test
  void default_preferredNodeFull_spillsToTheLeastUtilizedNodeWithRoom() {
    List<Candidate> v = List.of(node("a", 1, 0), node("b", 4, 1), node("c", 4, 3));
    assertThat(placed(policy.decide(v, "a", ONE_CPU, Msg.Scheduling.DEFAULT, false)))
        .isEqualTo("c");
  }

  @Test
  void default_preferredNodeAboveThreshold_spillsOnlyToANodeBelowIt() {
    List<Candidate> busyOthers = List.of(node("a", 4, 1), node("b", 4, 1));
    assertThat(placed(policy.decide(busyOthers, "a", ONE_CPU, Msg.Scheduling.DEFAULT, false)))
        .as("no node is better: local even above the threshold")
        .isEqualTo("a");
    List<Candidate> idleOther = List.of(node("a", 4, 1), node("b", 4, 4));
    assertThat(placed(policy.decide(idleOther, "a", ONE_CPU, Msg.Scheduling.DEFAULT, false)))
        .isEqualTo("b");
  }

  @Test
  void default_noRoomAnywhere_queuesLocallyIfItFits() {
    List<Candidate> v = List.of(node("a", 1, 0), node("b", 1, 0));
    Decision d = policy.decide(v, "a", ONE_CPU, Msg.Scheduling.DEFAULT, false);
    assertThat(d).isEqualTo(new Decision.Place(v.get(0), false));
  }

  @Test
  void default_resourceOnlyOnAnotherNode_goesThere() {
    Candidate a = node("a", 4, 4);
    Candidate b =
        new Candidate(
            "b",
            "b:1",
            true,
            Map.of("CPU", 1.0, "CPU_group_x_0", 1.0),
            Map.of("CPU", 0.0, "CPU_group_x_0", 1.0));
    Decision d =
        policy.decide(
            List.of(a, b), "a", Map.of("CPU_group_x_0", 1.0), Msg.Scheduling.DEFAULT, false);
    assertThat(placed(d)).isEqualTo("b");
  }

  @Test
  void default_noLiveNodeCouldEverFit_isInfeasibleWithWhatTheNodesOffer() {
    List<Candidate> v = List.of(node("a", 2, 2), dead("b", 8));
    Decision d = policy.decide(v, "a", Map.of("GPU", 4.0), Msg.Scheduling.DEFAULT, false);
    assertThat(d).isInstanceOf(Decision.Infeasible.class);
    assertThat(((Decision.Infeasible) d).message())
        .contains("GPU=4.0")
        .contains("GPU=0.0")
        .contains("waits");
  }

  @Test
  void spilled_staysWhereItLandsWhenItFitsThereEventually() {
    List<Candidate> v = List.of(node("a", 1, 4), node("b", 1, 0));
    assertThat(policy.decide(v, "b", ONE_CPU, Msg.Scheduling.DEFAULT, true))
        .isEqualTo(new Decision.Place(v.get(1), false));
  }

  @Test
  void default_tiesGoRoundRobin() {
    List<Candidate> v = List.of(node("a", 1, 0), node("b", 2, 2), node("c", 2, 2));
    List<String> chosen = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      chosen.add(placed(policy.decide(v, "a", ONE_CPU, Msg.Scheduling.DEFAULT, false)));
    }
    assertThat(chosen).containsExactly("b", "c", "b", "c");
  }

  @Test
  void spread_roundRobinsOverTheNodesThatFit() {
    List<Candidate> v = List.of(node("a", 2, 2), node("b", 2, 2), dead("x", 2), node("c", 2, 2));
    List<String> chosen = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      chosen.add(placed(policy.decide(v, "a", ONE_CPU, SPREAD, false)));
    }
    assertThat(chosen).containsExactly("a", "b", "c", "a", "b", "c");
  }

  @Test
  void affinity_hardToADeadOrUnknownOrTooSmallNode_fails() {
    List<Candidate> v = List.of(node("a", 2, 2), dead("b", 2));
    Msg.Scheduling toB = new Msg.Scheduling(Msg.SchedulingKind.NODE_AFFINITY, "b", false);
    Msg.Scheduling toZ = new Msg.Scheduling(Msg.SchedulingKind.NODE_AFFINITY, "z", false);
    Msg.Scheduling toA = new Msg.Scheduling(Msg.SchedulingKind.NODE_AFFINITY, "a", false);
    assertThat(policy.decide(v, "a", ONE_CPU, toB, false))
        .isInstanceOfSatisfying(
            Decision.Fail.class, f -> assertThat(f.message()).contains("node b is dead"));
    assertThat(policy.decide(v, "a", ONE_CPU, toZ, false))
        .isInstanceOfSatisfying(
            Decision.Fail.class, f -> assertThat(f.message()).contains("no node z"));
    assertThat(policy.decide(v, "a", Map.of("CPU", 3.0), toA, false))
        .isInstanceOfSatisfying(
            Decision.Fail.class, f -> assertThat(f.message()).contains("offers only"));
  }

  @Test
  void affinity_softToADeadNode_fallsBackToDefault_andToALiveOne_goesThere() {
    List<Candidate> v = List.of(node("a", 2, 2), dead("b", 2), node("c", 2, 0));
    Msg.Scheduling softB = new Msg.Scheduling(Msg.SchedulingKind.NODE_AFFINITY, "b", true);
    Msg.Scheduling hardC = new Msg.Scheduling(Msg.SchedulingKind.NODE_AFFINITY, "c", false);
    assertThat(placed(policy.decide(v, "a", ONE_CPU, softB, false))).isEqualTo("a");
    assertThat(policy.decide(v, "a", ONE_CPU, hardC, false))
        .as("a busy target still gets it: it queues there")
        .isEqualTo(new Decision.Place(v.get(2), false));
  }
}
