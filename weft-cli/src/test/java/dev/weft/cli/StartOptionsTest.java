package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code weft start}'s options: each bad one fails before any process starts, with a message that
 * names the option.
 */
class StartOptionsTest {

  record Result(int code, String err) {}

  static synchronized Result run(String... args) {
    PrintStream realErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code = WeftCli.run(args);
    } finally {
      System.setErr(realErr);
    }
    return new Result(code, err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void parseResources_namesAndAmounts_keptInOrder() {
    assertThat(WeftCli.Start.parseResources("accel=2, disk_fast=0.5,"))
        .containsExactly(Map.entry("accel", 2.0), Map.entry("disk_fast", 0.5));
  }

  @Test
  void parseResources_malformed_throwsNamingTheOption() {
    assertThatThrownBy(() -> WeftCli.Start.parseResources("accel"))
        .hasMessageContaining("--resources wants NAME=AMOUNT");
    assertThatThrownBy(() -> WeftCli.Start.parseResources("accel=lots"))
        .hasMessageContaining("'accel' is not a number");
    assertThatThrownBy(() -> WeftCli.Start.parseResources("accel=-1"))
        .hasMessageContaining("must be >= 0");
    assertThatThrownBy(() -> WeftCli.Start.parseResources("accel=NaN"))
        .hasMessageContaining("must be >= 0");
    assertThatThrownBy(() -> WeftCli.Start.parseResources("a=1,a=2"))
        .hasMessageContaining("given twice");
    assertThatThrownBy(() -> WeftCli.Start.parseResources("CPU=2"))
        .hasMessageContaining("--num-cpus");
  }

  @Test
  void start_withoutHeadOrAddress_failsWithUsage() {
    Result r = run("start", "--num-cpus", "1");

    assertThat(r.code).isEqualTo(2);
    assertThat(r.err).contains("--head").contains("--address");
  }

  @Test
  void start_headAndAddressTogether_fails() {
    Result r = run("start", "--head", "--address", "127.0.0.1:1");

    assertThat(r.code).isEqualTo(2);
    assertThat(r.err).contains("mutually exclusive");
  }

  @Test
  void start_storage_unknownOrOnAJoiningNode_isRejectedClearly() {
    Result unknown = run("start", "--head", "--port", "1", "--storage", "ftp://x");

    assertThat(unknown.code).isEqualTo(2);
    assertThat(unknown.err)
        .contains("--storage ftp://x is not a storage")
        .contains("file:DIR")
        .contains("redis://HOST:PORT");
    Result joining = run("start", "--address", "127.0.0.1:1", "--storage", "file:/tmp/x");
    assertThat(joining.code).isEqualTo(2);
    assertThat(joining.err).contains("--storage is the head's setting");
  }

  @Test
  void start_badNodeOptions_failBeforeStartingAnything() {
    assertThat(run("start", "--head", "--port", "1", "--object-store-memory", "1000").err)
        .contains("--object-store-memory must be at least 1 MiB");
    assertThat(run("start", "--head", "--port", "1", "--num-cpus", "0").err)
        .contains("--num-cpus must be >= 1");
    assertThat(run("start", "--head", "--port", "1", "--tasks-per-worker", "0").err)
        .contains("--tasks-per-worker must be >= 1 (got 0)");
    assertThat(run("start", "--head", "--port", "1", "--num-gpus", "-1").err)
        .contains("--num-gpus must be >= 0");
    assertThat(run("start", "--head", "--port", "1", "--resources", "x").err)
        .contains("--resources wants NAME=AMOUNT");
    assertThat(run("start", "--head", "--port", "99999").err).contains("--port must be 0..65535");
    assertThat(run("start", "--address", "nohostport").err).contains("--address wants HOST:PORT");
  }

  @Test
  void start_wildcardNodeIp_isRefusedWithTheFix() {
    Result r = run("start", "--head", "--port", "1", "--node-ip", "0.0.0.0");

    assertThat(r.code).isEqualTo(2);
    assertThat(r.err).contains("--node-ip 0.0.0.0").contains("--bind-address 0.0.0.0");
  }
}
