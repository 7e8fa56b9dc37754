package dev.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.internal.core.ProcessLauncher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A driver's embedded cluster (control store, node manager, worker JVMs) never outlives the driver:
 * not when it is killed with SIGKILL, not after {@code Weft.shutdown()}, not when main returns
 * without shutdown. The driver is {@link DriverProgram} in its own JVM; its output is echoed to
 * this test's stderr, and the cluster's logs are printed when a test fails.
 */
@ExtendWith(ClusterSupport.Logs.class)
class ProcessLifecycleIT {
  private static final Duration STARTUP = Duration.ofSeconds(120);
  private static final Duration CLEANUP = Duration.ofSeconds(30);

  private DriverProgram.Launched driver;
  private final Set<Long> started = new LinkedHashSet<>();

  @AfterEach
  void killLeftovers() {
    // Only processes this test started (its driver and what the driver started), and only while
    // they still run Weft: a pid of a process that is gone may have been reused.
    if (driver != null) {
      driver.process.destroyForcibly();
    }
    for (long pid : started) {
      ProcessHandle.of(pid)
          .filter(ProcessLifecycleIT::isWeftProcess)
          .ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void shouldLeaveNoProcessWhenDriverIsKilledWithSigkill(TestInfo info) throws Exception {
    Path logs = logs(info);
    driver = DriverProgram.launch(Map.of(), "block", logs.toString());
    Set<Long> pids = clusterPids(logs);

    driver.process.destroyForcibly(); // SIGKILL: no shutdown hook runs in the driver
    await("the killed driver " + driver.process.pid() + " exits")
        .atMost(CLEANUP)
        .until(() -> !driver.process.isAlive());

    awaitAllGone(pids, logs, "after the driver was killed with SIGKILL");
  }

  @Test
  void shouldLeaveNoProcessAfterShutdown(TestInfo info) throws Exception {
    Path logs = logs(info);
    driver = DriverProgram.launch(Map.of(), "shutdown", logs.toString());
    Set<Long> pids = clusterPids(logs);

    driver.awaitLine("DONE", STARTUP);
    await(
            "DriverProgram exits by itself after Weft.shutdown() and returning from main (a non-daemon thread left behind?)")
        .atMost(CLEANUP)
        .until(() -> !driver.process.isAlive());
    assertThat(driver.process.exitValue())
        .as("exit code of the driver; its output:\n" + driver.output())
        .isZero();

    awaitAllGone(pids, logs, "after Weft.shutdown()");
  }

  @Test
  void shouldLeaveNoProcessWhenDriverExitsWithoutShutdown(TestInfo info) throws Exception {
    Path logs = logs(info);
    driver = DriverProgram.launch(Map.of(), "exit", logs.toString());
    Set<Long> pids = clusterPids(logs);

    driver.awaitLine("RETURNING", STARTUP);
    await("DriverProgram exits after main returns (the shutdown hook stops Weft)")
        .atMost(CLEANUP)
        .until(() -> !driver.process.isAlive());
    assertThat(driver.process.exitValue())
        .as("exit code of the driver; its output:\n" + driver.output())
        .isZero();

    awaitAllGone(pids, logs, "after the driver returned from main without Weft.shutdown()");
  }

  // ------------------------------------------------------------------ helpers

  private static Path logs(TestInfo info) {
    Path logs =
        ClusterSupport.logDir(ProcessLifecycleIT.class)
            .resolveSibling(
                "ProcessLifecycleIT-"
                    + info.getTestMethod().orElseThrow().getName()
                    + "-"
                    + System.currentTimeMillis());
    ClusterSupport.current = logs; // printed by ClusterSupport.Logs if the test fails
    return logs;
  }

  /**
   * The processes of the driver's cluster once it has run a task and an actor call: what it printed
   * as its descendants, what this JVM sees as its descendants now, and every process that belongs
   * to the cluster by its command line (a worker may be starting).
   */
  private Set<Long> clusterPids(Path logs) {
    String line = driver.awaitLine("PIDS", STARTUP);
    Set<Long> pids = new LinkedHashSet<>();
    Arrays.stream(line.split("\\s+"))
        .filter(s -> !s.isBlank())
        .map(Long::parseLong)
        .forEach(pids::add);
    assertThat(pids)
        .as(
            "descendants of the driver after a task and an actor call (control store, node manager, a task worker,"
                + " the actor's worker): "
                + describe(pids))
        .hasSizeGreaterThanOrEqualTo(4);
    driver.process.descendants().map(ProcessHandle::pid).forEach(pids::add);
    pids.addAll(processesOfCluster(logs));
    started.addAll(pids);
    return pids;
  }

  private void awaitAllGone(Set<Long> pids, Path logs, String when) {
    await("every process of the driver's cluster exits " + when)
        .atMost(CLEANUP)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              Set<Long> alive = new LinkedHashSet<>();
              for (long pid : pids) {
                ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(h -> alive.add(pid));
              }
              alive.addAll(processesOfCluster(logs));
              assertThat(alive)
                  .as("processes of the cluster still running " + when + ": " + describe(alive))
                  .isEmpty();
            });
  }

  /**
   * Live processes that belong to the cluster logging to {@code logs}, found by command line: its
   * node manager ({@code --session-dir logs}), its control store ({@code --port P} of control.log's
   * ready line) and its workers ({@code --node host:N} of node.log's ready line).
   */
  static Set<Long> processesOfCluster(Path logs) {
    Optional<Integer> controlPort = readyPort(logs.resolve("control.log"));
    Optional<Integer> nodePort = readyPort(logs.resolve("node.log"));
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .filter(
            h -> {
              List<String> args = commandLine(h);
              if (args.contains("--session-dir") && args.contains(logs.toString())) {
                return true;
              }
              if (controlPort.isPresent()
                  && args.contains("dev.weft.internal.control.ControlMain")
                  && follows(args, "--port", Integer.toString(controlPort.get()))) {
                return true;
              }
              int node = args.indexOf("--node");
              return nodePort.isPresent()
                  && args.contains("dev.weft.internal.core.WorkerMain")
                  && node >= 0
                  && node + 1 < args.size()
                  && args.get(node + 1).endsWith(":" + nodePort.get());
            })
        .map(ProcessHandle::pid)
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  private static boolean follows(List<String> args, String flag, String value) {
    for (int i = 0; i + 1 < args.size(); i++) {
      if (args.get(i).equals(flag) && args.get(i + 1).equals(value)) {
        return true;
      }
    }
    return false;
  }

  static Optional<Integer> readyPort(Path log) {
    try {
      if (!Files.exists(log)) {
        return Optional.empty();
      }
      return Files.readAllLines(log).stream()
          .filter(l -> l.startsWith(ProcessLauncher.READY))
          .map(l -> Integer.parseInt(l.substring(ProcessLauncher.READY.length()).trim()))
          .reduce((a, b) -> b);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static boolean isWeftProcess(ProcessHandle h) {
    return h.isAlive() && commandLine(h).stream().anyMatch(a -> a.startsWith("dev.weft."));
  }

  /**
   * The arguments of a process (after the executable). From /proc where there is one: the JDK gives
   * no arguments on Linux for a command line over 4 KiB, and Weft's carry the class path.
   */
  static List<String> commandLine(ProcessHandle h) {
    Path proc = Path.of("/proc", Long.toString(h.pid()), "cmdline");
    try {
      if (Files.isReadable(proc)) {
        String[] all = new String(Files.readAllBytes(proc), StandardCharsets.UTF_8).split("\0");
        return all.length <= 1 ? List.of() : List.of(all).subList(1, all.length);
      }
    } catch (IOException | RuntimeException e) {
      // gone meanwhile, or not readable: fall back
    }
    return h.info().arguments().map(Arrays::asList).orElse(List.of());
  }

  /** pid and main class of each process, for messages. */
  static String describe(Set<Long> pids) {
    List<String> out = new ArrayList<>();
    for (long pid : pids) {
      String main =
          ProcessHandle.of(pid)
              .flatMap(
                  h -> commandLine(h).stream().filter(s -> s.startsWith("dev.weft.")).findFirst())
              .orElse(ProcessHandle.of(pid).isPresent() ? "?" : "(gone)");
      out.add(pid + " " + main.substring(main.lastIndexOf('.') + 1));
    }
    return out.toString();
  }

  @org.junit.jupiter.api.Test
  void shouldEndADaemonWhoseStartFailsInsteadOfLeavingItHanging() throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      java.nio.file.Path log =
          java.nio.file.Files.createTempDirectory("weft-failed-start").resolve("control.log");
      dev.weft.internal.core.ProcessLauncher.Started s =
          dev.weft.internal.core.ProcessLauncher.start(
              "dev.weft.internal.control.ControlMain",
              java.util.List.of(
                  "--host", "127.0.0.1", "--port", Integer.toString(taken.getLocalPort())),
              System.getProperty("java.class.path"),
              java.util.List.of(),
              java.util.Map.of("WEFT_TOKEN", "t"),
              log);
      org.assertj.core.api.Assertions.assertThat(
              s.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS))
          .as("a control store that cannot listen exits (log: %s)", log)
          .isTrue();
      org.assertj.core.api.Assertions.assertThat(s.process().exitValue()).isEqualTo(1);
      org.assertj.core.api.Assertions.assertThat(java.nio.file.Files.readString(log))
          .contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
    }
  }
}
