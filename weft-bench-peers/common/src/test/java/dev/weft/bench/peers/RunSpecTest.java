package dev.weft.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RunSpecTest {
  private static final RunSpec SPEC =
      new RunSpec(Workloads.DAG, 1000, 10_000, 256L << 20, 1.5, 3, 0.25, 60, 0);

  @Test
  void command_roundTrips() {
    assertThat(RunSpec.parse(SPEC.toCommand())).isEqualTo(SPEC);
    assertThat(SPEC.toCommand()).doesNotContain("\n").startsWith("run workload=dag_tree ");
  }

  @Test
  void command_carriesTheUntilSteadyWarmUp_andOldLinesMeanOff() {
    RunSpec steady = SPEC.withSteadySeconds(30);
    assertThat(RunSpec.parse(steady.toCommand())).isEqualTo(steady);
    assertThat(steady.withWorkload(Workloads.LARGE).steadySeconds()).isEqualTo(30);
    String old = SPEC.toCommand().replace(" steady_s=0.0", "");
    assertThat(old).doesNotContain("steady_s");
    assertThat(RunSpec.parse(old).steadySeconds()).isZero();
    assertThatThrownBy(() -> SPEC.withSteadySeconds(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("until-steady");
  }

  @Test
  void parse_badCommands_sayWhatIsWrong() {
    assertThatThrownBy(() -> RunSpec.parse("go")).hasMessageContaining("not a run command");
    assertThatThrownBy(() -> RunSpec.parse("run workload=dag_tree"))
        .hasMessageContaining("'batch' missing");
    assertThatThrownBy(() -> RunSpec.parse(SPEC.toCommand().replace("batch=1000", "batch=x")))
        .hasMessageContaining("bad number");
    assertThatThrownBy(() -> RunSpec.parse(SPEC.toCommand().replace("dag_tree", "nope")))
        .hasMessageContaining("unknown workload 'nope'");
  }

  @Test
  void constructor_rejectsNonsense() {
    assertThatThrownBy(() -> new RunSpec(Workloads.DAG, 0, 1, 1, 0, 1, 1, 1, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RunSpec(Workloads.DAG, 1, 1, 1, 0, 1, 0, 1, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void params_nameWhatSizesTheFigure() {
    assertThat(SPEC.params()).isEqualTo(Map.of("leaves", 10_000, "tasks", 19_999L));
    assertThat(SPEC.withWorkload(Workloads.LARGE).params()).isEqualTo(Map.of("bytes", 256L << 20));
    assertThat(SPEC.withWorkload(Workloads.TASKS_SYNC).params()).isEmpty();
  }

  @Test
  void measure_countsLogicalOperations_andFailuresBecomeErrors() {
    RunSpec quick = new RunSpec(Workloads.TASKS_ASYNC, 10, 1, 1, 0, 2, 0.01, 1, 0);
    AtomicLong calls = new AtomicLong();
    RunResult ok =
        RunResult.measure(
            quick,
            s ->
                () -> {
                  calls.incrementAndGet();
                  return s.batch();
                });
    assertThat(ok.ok()).isTrue();
    assertThat(ok.samples()).hasSize(2);
    assertThat(ok.samples()[0]).isPositive();
    assertThat(ok.samples()[1]).isPositive();
    assertThat(calls.get()).isGreaterThanOrEqualTo(3); // warm-up + one per trial at least

    RunResult bad =
        RunResult.measure(
            quick,
            s ->
                () -> {
                  throw new WorkloadFailedException("wrong count 7");
                });
    assertThat(bad.ok()).isFalse();
    assertThat(bad.error()).contains("wrong count 7");
    assertThat(viaText(bad).error()).contains("wrong count 7");
    assertThat(viaText(ok).samples()).containsExactly(ok.samples());

    RunResult zero = RunResult.measure(quick, s -> () -> 0);
    assertThat(zero.error()).contains("at least 1");
  }

  /** As the result travels: one protocol line. */
  private static RunResult viaText(RunResult r) {
    return RunResult.fromJson(PeerProtocol.parse(PeerProtocol.MARKER + PeerJson.write(r.toJson())));
  }

  @Test
  void warmUpWindows_travelWithTheResult() {
    RunResult r = new RunResult("tasks_sync", new double[] {3, 4}, null, new double[] {1, 2, 3});
    assertThat(viaText(r).warmup()).containsExactly(1, 2, 3);
    assertThat(viaText(r).samples()).containsExactly(3, 4);
    assertThat(viaText(new RunResult("tasks_sync", new double[] {3}, null)).warmup()).isEmpty();
  }

  @Test
  void fromJson_okWithoutSamples_isAFailure() {
    assertThat(
            RunResult.fromJson(Map.of("workload", "x", "status", "ok", "samples", List.of())).ok())
        .isFalse();
  }
}
