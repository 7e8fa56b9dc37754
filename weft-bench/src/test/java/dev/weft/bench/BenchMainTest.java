package dev.weft.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.weft.Weft;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchMainTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int execute(String... args) {
    CommandLine cl = new CommandLine(new BenchMain());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private static final List<String> NAMES =
      List.of(
          "init_to_first_result_ms",
          "recursive_fib_16",
          "many_pgs",
          "single_client_tasks_sync",
          "single_client_tasks_async",
          "1_1_actor_calls_sync",
          "1_1_actor_calls_async",
          "1_n_actor_calls_async",
          "n_n_actor_calls_async",
          "single_client_put_calls",
          "single_client_get_calls",
          "single_client_wait_1k_refs");

  @Test
  void list_printsRayNamesInRunOrder() {
    int code = execute("--list");

    assertThat(code).isZero();
    assertThat(out.toString().lines().toList()).isEqualTo(NAMES);
  }

  @Test
  void only_matchesNothing_usageErrorNamesTheBenchmarks() {
    int code = execute("--only", "no_such_benchmark");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("matches no benchmark")
        .contains("single_client_tasks_sync");
  }

  @Test
  void only_invalidRegex_usageError() {
    int code = execute("--only", "(");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--only is not a valid regex");
  }

  @Test
  void trials_zero_usageError() {
    int code = execute("--trials", "0");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--trials must be >= 1");
  }

  @BeforeEach
  @AfterEach
  void resetRuntime() {
    Weft.shutdown();
    TestingRuntime.reset();
  }

  @Test
  void call_runtimeFailsToStart_exit1AndJsonNamesTheError(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("out/results.json"); // the folder does not exist yet

    int code = execute("--quick", "--json", json.toString());

    assertThat(code).isEqualTo(1);
    assertThat(err.toString())
        .contains("Weft did not start")
        .contains("TestingRuntime is disabled");
    assertThat(Files.readString(json))
        .contains("\"name\": \"init_to_first_result_ms\"")
        .contains("\"status\": \"failed\"")
        .contains("TestingRuntime is disabled");
    assertThat(Weft.isInitialized()).isFalse();
  }

  @Test
  void call_quickOnWorkingRuntime_everyBenchmarkPassesAndIsReported(@TempDir Path dir)
      throws Exception {
    TestingRuntime.enabled = true;
    Path json = dir.resolve("results.json");

    int code =
        execute(
            "--quick",
            "--warmup",
            "0.01",
            "--duration",
            "0.04",
            "--actors",
            "3",
            "--json",
            json.toString());

    assertThat(code).as("stderr: %s", err).isZero();
    String doc = Files.readString(json);
    for (String name : NAMES) {
      assertThat(out.toString()).contains(name);
      assertThat(doc).contains("\"name\": \"" + name + "\"");
    }
    assertThat(doc).doesNotContain("\"status\": \"failed\"").contains("\"actors\": 3");
    assertThat(out.toString()).contains("Ray 2.48 reference*").contains("64-vCPU m5.16xlarge");
    // every actor a benchmark created was killed, and Weft was shut down
    assertThat(TestingRuntime.actorsCreated.get()).isEqualTo(1 + 1 + 3 + 3 + 3);
    assertThat(TestingRuntime.actorsKilled.get()).isEqualTo(TestingRuntime.actorsCreated.get());
    assertThat(Weft.isInitialized()).isFalse();
  }

  @Test
  void call_actorRunsCallsTwice_actorBenchmarksFailLoudlyOthersPass(@TempDir Path dir)
      throws Exception {
    TestingRuntime.enabled = true;
    TestingRuntime.fault = TestingRuntime.Fault.DUPLICATE_ACTOR_CALLS;
    Path json = dir.resolve("results.json");

    int code =
        execute(
            "--quick",
            "--warmup",
            "0.01",
            "--duration",
            "0.02",
            "--only",
            "actor|tasks_sync",
            "--json",
            json.toString());

    assertThat(code).isEqualTo(1);
    assertThat(err.toString())
        .contains("lost, repeated or run out of order")
        .contains("some benchmarks FAILED");
    String table = out.toString();
    assertThat(table).containsPattern("1_1_actor_calls_sync +FAILED");
    assertThat(table).containsPattern("1_1_actor_calls_async +FAILED");
    assertThat(table).containsPattern("1_n_actor_calls_async +FAILED");
    assertThat(table).containsPattern("n_n_actor_calls_async +FAILED");
    assertThat(table).containsPattern("single_client_tasks_sync +[0-9]");
    assertThat(table).doesNotContain("single_client_put_calls");
    assertThat(TestingRuntime.actorsKilled.get()).isEqualTo(TestingRuntime.actorsCreated.get());
  }

  @Test
  void call_tasksReturnNull_firstTaskCheckFails(@TempDir Path dir) {
    TestingRuntime.enabled = true;
    TestingRuntime.fault = TestingRuntime.Fault.NULL_TASK_RESULTS;

    int code = execute("--quick", "--json", dir.resolve("r.json").toString());

    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("the first task returned null, expected 1");
  }

  @Test
  void settings_quickDefaults_tinyAndShort() {
    BenchMain.Settings s = BenchMain.settings(true, null, null, null, null, 60);

    assertThat(s.trials()).isEqualTo(2);
    assertThat(s.batch()).isEqualTo(10);
    assertThat(s.waitRefs()).isEqualTo(100);
    assertThat(s.warmupSeconds() + s.measureSeconds()).isCloseTo(0.3, within(1e-9));
    assertThat(s.plan().trialNanos()).isEqualTo(100_000_000L);
    assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void settings_fullDefaultsOverriddenByOptions() {
    BenchMain.Settings defaults = BenchMain.settings(false, null, null, null, null, 60);
    BenchMain.Settings custom = BenchMain.settings(true, 7, 14.0, 0.0, 500, 1.5);

    assertThat(defaults.trials()).isEqualTo(5);
    assertThat(defaults.measureSeconds()).isEqualTo(5.0);
    assertThat(defaults.warmupSeconds()).isEqualTo(2.0);
    assertThat(defaults.batch()).isEqualTo(1000);
    assertThat(defaults.waitRefs()).isEqualTo(1000);
    assertThat(custom.trials()).isEqualTo(7);
    assertThat(custom.plan().trialNanos()).isEqualTo(2_000_000_000L);
    assertThat(custom.warmupSeconds()).isZero();
    assertThat(custom.batch()).isEqualTo(500);
    assertThat(custom.timeout()).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void settings_negativeDuration_throws() {
    assertThatThrownBy(() -> BenchMain.settings(false, null, -1.0, null, null, 60))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--duration");
  }

  @Test
  void peersOptions_withoutPeers_usageError() {
    assertThat(execute("--rounds", "2")).isEqualTo(2);
    assertThat(err.toString()).contains("--rounds only applies with --peers");
  }

  @Test
  void peers_missingFolder_exit1NamesIt(@TempDir Path dir) {
    int code =
        execute(
            "--peers",
            "--quick",
            "--peers-dir",
            dir.resolve("none").toString(),
            "--json",
            dir.resolve("p.json").toString());
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("does not exist");
  }

  @Test
  void peers_badValues_usageErrors() {
    assertThat(execute("--peers", "--rounds", "0", "--peers-dir", "x")).isEqualTo(2);
    assertThat(err.toString()).contains("--rounds must be >= 1");
    assertThat(execute("--peers", "--large-mib", "4096", "--peers-dir", "x")).isEqualTo(2);
    assertThat(execute("--peers", "--list")).isEqualTo(2);
  }

  @Test
  void peersOptions_quickAndFullDefaults() {
    BenchMain quick = new BenchMain();
    new CommandLine(quick).parseArgs("--peers", "--quick", "--peers-dir", "p");
    quick.spec = new CommandLine(quick).getCommandSpec();
    PeersRun.Options q = quick.peersOptions();
    assertThat(q.rounds()).isEqualTo(1);
    assertThat(q.warmupRounds()).isZero();
    assertThat(q.base().batch()).isEqualTo(10);
    assertThat(q.base().leaves()).isEqualTo(100);
    assertThat(q.base().bytes()).isEqualTo(1L << 20);
    assertThat(q.base().steadySeconds()).isZero();
    assertThat(q.json()).isEqualTo(Path.of(BenchMain.PEERS_JSON));

    BenchMain full = new BenchMain();
    new CommandLine(full).parseArgs("--peers", "--peers-dir", "p", "--large-mib", "512");
    full.spec = new CommandLine(full).getCommandSpec();
    PeersRun.Options f = full.peersOptions();
    assertThat(f.rounds()).isEqualTo(3);
    assertThat(f.warmupRounds()).isEqualTo(1);
    assertThat(f.base().batch()).isEqualTo(1000);
    assertThat(f.base().leaves()).isEqualTo(10_000);
    assertThat(f.base().bytes()).isEqualTo(512L << 20);
    assertThat(f.base().trials()).isEqualTo(3);
    assertThat(f.base().trialSeconds()).isEqualTo(1.0);
    assertThat(f.base().steadySeconds()).isEqualTo(20.0);

    BenchMain off = new BenchMain();
    new CommandLine(off).parseArgs("--peers", "--peers-dir", "p", "--warmup-steady", "0");
    off.spec = new CommandLine(off).getCommandSpec();
    assertThat(off.peersOptions().base().steadySeconds()).isZero();
    assertThat(execute("--peers", "--warmup-steady", "-1", "--peers-dir", "p")).isEqualTo(2);
    assertThat(execute("--warmup-steady", "5")).isEqualTo(2); // only with --peers
  }
}
