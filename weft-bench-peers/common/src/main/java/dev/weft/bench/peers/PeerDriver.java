package dev.weft.bench.peers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A peer's driver process: starts the peer's cluster (its members in other JVMs, see {@link
 * MemberProcess}), announces itself ({@code {"event":"ready",...}}), then runs the {@link RunSpec}s
 * it reads on standard input one at a time, answering each with a {@link RunResult} line, until
 * {@code quit} or the end of its input; then closes the cluster and exits.
 */
public abstract class PeerDriver implements AutoCloseable {
  /** The system's name and version, e.g. "Hazelcast 5.7.0". */
  public abstract String system();

  /** The workloads this peer implements (names from {@link Workloads}). */
  public abstract List<String> workloads();

  /**
   * Sets up a workload on the running cluster.
   *
   * @throws IllegalArgumentException when this peer does not implement the workload
   */
  public abstract Workload open(RunSpec spec) throws Exception;

  /** Starts a driver (and its cluster). */
  @FunctionalInterface
  public interface Starter {
    PeerDriver start() throws Exception;
  }

  /** The driver's main loop; exits the JVM when done (peer libraries leave non-daemon threads). */
  public static void serve(Starter starter) {
    PeerProtocol.takeStdout();
    long t0 = System.nanoTime();
    PeerDriver driver;
    try {
      driver = starter.start();
    } catch (Exception | Error e) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("event", "fatal");
      m.put("error", "the peer did not start: " + RunResult.stackTrace(e));
      PeerProtocol.emit(m);
      System.err.println("peer driver: start failed");
      e.printStackTrace();
      Runtime.getRuntime().halt(1);
      return;
    }
    int rc = 0;
    try {
      Map<String, Object> ready = new LinkedHashMap<>();
      ready.put("event", "ready");
      ready.put("system", driver.system());
      ready.put("workloads", driver.workloads());
      ready.put("startup_ms", (System.nanoTime() - t0) / 1e6);
      PeerProtocol.emit(ready);
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        line = line.trim();
        if (line.isEmpty()) {
          continue;
        }
        if (line.equals("quit")) {
          break;
        }
        RunResult r;
        try {
          RunSpec spec = RunSpec.parse(line);
          System.err.println("peer driver: " + line);
          r = RunResult.measure(spec, driver::open);
        } catch (IllegalArgumentException e) {
          r = new RunResult("?", null, "bad command: " + e.getMessage());
        }
        if (!r.ok()) {
          System.err.println("peer driver: " + r.workload() + " FAILED: " + r.error());
        }
        PeerProtocol.emit(r.toJson());
      }
    } catch (IOException | RuntimeException | Error e) {
      System.err.println("peer driver: the command loop failed");
      e.printStackTrace();
      rc = 1;
    } finally {
      try {
        driver.close();
      } catch (Exception | Error e) {
        System.err.println("peer driver: close failed");
        e.printStackTrace();
      }
    }
    System.err.flush();
    Runtime.getRuntime().halt(rc);
  }
}
