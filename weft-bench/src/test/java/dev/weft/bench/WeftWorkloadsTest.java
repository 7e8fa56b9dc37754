package dev.weft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.bench.peers.RunResult;
import dev.weft.bench.peers.RunSpec;
import dev.weft.bench.peers.Workloads;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Weft's side of --peers on the in-process TestingRuntime: every workload's shape and checks (the
 * real multi-process run is PeersSmokeIT in weft-it).
 */
class WeftWorkloadsTest {
  @BeforeEach
  void start() {
    TestingRuntime.reset();
    TestingRuntime.enabled = true;
    Weft.init();
  }

  @AfterEach
  void stop() {
    Weft.shutdown();
    TestingRuntime.reset();
  }

  private static RunSpec spec(String w) {
    return new RunSpec(w, 5, 9, 4096, 0, 1, 0.01, 10, 0);
  }

  @Test
  void everyWorkloadButTheZeroCopyView_runsAndChecks() {
    for (String w :
        List.of(
            Workloads.TASKS_SYNC,
            Workloads.TASKS_ASYNC,
            Workloads.DAG,
            Workloads.ACTOR_SYNC,
            Workloads.ACTOR_ASYNC,
            Workloads.LARGE)) {
      RunResult r = RunResult.measure(spec(w), WeftWorkloads::open);
      assertThat(r.error()).as(w).isNull();
      assertThat(r.samples()).as(w).hasSize(1);
    }
    // the actors made by the actor and large-object workloads were all killed
    assertThat(TestingRuntime.actorsKilled.get())
        .isEqualTo(TestingRuntime.actorsCreated.get())
        .isEqualTo(3);
  }

  @Test
  void wrongTaskResults_failTheWorkload() {
    TestingRuntime.fault = TestingRuntime.Fault.NULL_TASK_RESULTS;
    RunResult r = RunResult.measure(spec(Workloads.DAG), WeftWorkloads::open);
    assertThat(r.ok()).isFalse();
    RunResult s = RunResult.measure(spec(Workloads.TASKS_SYNC), WeftWorkloads::open);
    assertThat(s.error()).contains("the task returned null, expected 1");
  }

  @Test
  void lostOrRepeatedActorCalls_failTheWorkload() {
    TestingRuntime.fault = TestingRuntime.Fault.DUPLICATE_ACTOR_CALLS;
    RunResult r = RunResult.measure(spec(Workloads.ACTOR_ASYNC), WeftWorkloads::open);
    assertThat(r.error()).contains("a call was lost, repeated or run out of order");
  }
}
