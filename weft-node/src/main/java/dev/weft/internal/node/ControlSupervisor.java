package dev.weft.internal.node;

import dev.weft.internal.core.EmbeddedCluster;
import dev.weft.internal.core.ProcessLauncher;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The head's node manager keeps the head's control store running (issue 11, item 6): when its
 * process exits, for whatever reason, while this node is not stopping, a new one is started at once
 * on the same port and the same storage, and recovers the cluster's tables from it; nodes, drivers
 * and workers reconnect to it meanwhile.
 *
 * <h2>Implementation notes</h2>
 *
 * <pre>
 *  start(port): watches the first control store (started beside this node by the head's starter:
 *      EmbeddedCluster, for Weft.init() and `weft start --head`) by its pid
 *  its process exits → restart on a thread of its own: ProcessLauncher.start(ControlMain, the same
 *      arguments with --port set to the port it had, the same storage) and wait for its ready line;
 *      a start that fails (the port still held, storage unreachable) is retried after 200 ms
 *      doubling to 5 s, for as long as this node runs
 *  stop() (this node stops): no more restarts, and the control store this node started is stopped
 *      with it (the first one belongs to the head's starter, which stops it itself)
 * </pre>
 *
 * The node manager is the supervisor because it is the one process of the head that lives as long
 * as the cluster, whoever started it; a head whose node manager dies has no supervisor until it is
 * started again (`weft start --head`).
 */
final class ControlSupervisor {
  private static final Logger log = LoggerFactory.getLogger(ControlSupervisor.class);

  private final long firstPid;
  private final List<String> args;
  private final Path logFile;
  private final String token;
  private int port;
  private boolean stopping;
  private Process current;
  private int restarts;

  /** When the running control store became ready (System.nanoTime), for the crash-loop back-off. */
  private volatile long readyAtNanos = System.nanoTime();

  /** The wait before the next start after one that died soon after it came up. */
  private long crashBackoffMillis = 0;

  /** A control store that lived this long before it died is started again at once. */
  static final long STABLE_MILLIS = 30_000;

  /**
   * Supervises the control store of pid {@code firstPid}, started with {@code args} (ControlMain's
   * arguments), logging to {@code logFile}.
   */
  ControlSupervisor(long firstPid, List<String> args, Path logFile, String token) {
    this.firstPid = firstPid;
    this.args = List.copyOf(args);
    this.logFile = logFile;
    this.token = token;
  }

  /** Starts watching, once the first control store listens on {@code port}. */
  synchronized void start(int port) {
    this.port = port;
    ProcessHandle.of(firstPid)
        .ifPresentOrElse(this::watch, () -> restartSoon("it is gone before this node started"));
  }

  /** This node stops: no more restarts; a control store this node started stops too. */
  void stop() {
    Process p;
    synchronized (this) {
      stopping = true;
      p = current;
    }
    if (p != null && p.isAlive()) {
      p.destroy();
      try {
        if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  private void watch(ProcessHandle h) {
    h.onExit().thenRun(() -> restartSoon("its process " + h.pid() + " exited"));
  }

  private void restartSoon(String why) {
    synchronized (this) {
      if (stopping) {
        return;
      }
    }
    log.warn("the control store stopped ({}): starting it again on port {}", why, port);
    Thread.ofPlatform().name("weft-control-restart").daemon().start(this::restart);
  }

  private void restart() {
    long lived = (System.nanoTime() - readyAtNanos) / 1_000_000;
    if (lived >= STABLE_MILLIS) {
      crashBackoffMillis = 0;
    } else {
      // it died soon after it came up (it cannot write its storage?): not a restart loop at full
      // speed
      crashBackoffMillis = Math.min(5_000, Math.max(200, crashBackoffMillis * 2));
      log.warn(
          "the control store died {} ms after it came up: waiting {} ms before starting it again",
          lived,
          crashBackoffMillis);
      try {
        Thread.sleep(crashBackoffMillis); // the back-off between starts of a crashing process
      } catch (InterruptedException e) {
        return;
      }
    }
    long backoff = 200;
    while (true) {
      List<String> a = argsWithPort();
      ProcessLauncher.Started s;
      synchronized (this) {
        if (stopping) {
          return;
        }
        try {
          s =
              ProcessLauncher.start(
                  EmbeddedCluster.CONTROL_MAIN,
                  a,
                  System.getProperty("java.class.path"),
                  EmbeddedCluster.CONTROL_JVM_OPTIONS,
                  Map.of("WEFT_TOKEN", token),
                  logFile);
        } catch (java.io.IOException | RuntimeException e) {
          log.error("cannot start the control store again: {}", e.toString());
          s = null;
        }
        current = s == null ? null : s.process();
      }
      if (s != null) {
        try {
          s.awaitReady(60_000, "the control store");
          readyAtNanos = System.nanoTime();
          restarts++;
          log.warn(
              "the control store runs again (pid {}, restart {}), recovering from its storage",
              s.process().pid(),
              restarts);
          watch(s.process().toHandle());
          return;
        } catch (java.io.IOException | RuntimeException e) {
          log.error(
              "the restarted control store did not come up ({}); trying again in {} ms (see {})",
              e.getMessage(),
              backoff,
              logFile);
          s.process().destroyForcibly();
        }
      }
      try {
        Thread.sleep(backoff); // back-off between start attempts; stop() ends the loop
      } catch (InterruptedException e) {
        return;
      }
      backoff = Math.min(5_000, backoff * 2);
    }
  }

  private List<String> argsWithPort() {
    List<String> a = new ArrayList<>(args);
    int i = a.indexOf("--port");
    if (i >= 0 && i + 1 < a.size()) {
      a.set(i + 1, Integer.toString(port));
    } else {
      a.add("--port");
      a.add(Integer.toString(port));
    }
    return a;
  }
}
