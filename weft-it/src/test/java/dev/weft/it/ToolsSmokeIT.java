package dev.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.bench.BenchMain;
import dev.weft.examples.Demo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user-facing programs on a real embedded cluster: the demo of `weft demo`, and every benchmark
 * of `weft bench` in its smoke mode (tiny sizes, results checked), so both keep working.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ToolsSmokeIT {
  @TempDir Path tmp;

  @AfterEach
  void tearDown() {
    Weft.shutdown();
  }

  @Test
  void demoShouldPassEveryCheck() {
    assertThat(Demo.run()).as("Demo.run() exit code (see its output above)").isZero();
  }

  @Test
  void storeBenchmarksShouldRunAndCheckTheirResultsInSmokeMode() throws Exception {
    Path json = tmp.resolve("store.json");
    assertThat(dev.weft.bench.StoreBench.run("--quick", "--json", json.toString()))
        .as("store benchmark exit code (see its output above)")
        .isZero();
    assertThat(Files.readString(json))
        .contains("single_client_put_gigabytes_8MiB")
        .contains("spill_gigabytes")
        .contains("restore_gigabytes");
  }

  @Test
  void quickStartShouldRun() {
    dev.weft.examples.QuickStart.main(new String[0]);
    assertThat(Weft.isInitialized()).as("QuickStart shuts Weft down at the end").isFalse();
  }

  @Test
  void benchmarksShouldRunAndCheckTheirResultsInSmokeMode() throws Exception {
    Path json = tmp.resolve("bench.json");
    int rc = BenchMain.run("--quick", "--json", json.toString());
    assertThat(rc).as("weft bench --quick exit code (see its output above)").isZero();
    String out = Files.readString(json);
    for (String name :
        new String[] {
          "single_client_tasks_sync",
          "single_client_tasks_async",
          "1_1_actor_calls_sync",
          "1_1_actor_calls_async",
          "1_n_actor_calls_async",
          "n_n_actor_calls_async",
          "single_client_put_calls",
          "single_client_get_calls",
          "single_client_wait_1k_refs"
        }) {
      assertThat(out).contains("\"" + name + "\"");
    }
  }
}
