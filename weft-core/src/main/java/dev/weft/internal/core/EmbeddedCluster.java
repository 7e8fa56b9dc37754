package dev.weft.internal.core;

import dev.weft.WeftConfig;
import dev.weft.WeftException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The processes of a cluster on this machine: a control store and a node manager, each its own JVM.
 * Used by {@code Weft.init()} (embedded, tied to the driver: they exit when it does, even after a
 * SIGKILL) and by {@code weft start --head} (detached).
 */
public final class EmbeddedCluster {
  public static final String CONTROL_MAIN = "dev.weft.internal.control.ControlMain";
  public static final String NODE_MAIN = "dev.weft.internal.node.NodeMain";

  /** The control store's JVM options (also where the head's node manager starts it again). */
  public static final List<String> CONTROL_JVM_OPTIONS =
      List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", ProcessLauncher.SMALL_PROCESS_GC);

  /** The folder of the default control-store storage, in a cluster's session folder. */
  public static final String CONTROL_STORAGE_DIR = "control-store";

  private final List<ProcessLauncher.Started> processes;
  public final String controlAddress;
  public final String token;
  public final Path sessionDir;

  private EmbeddedCluster(
      List<ProcessLauncher.Started> processes,
      String controlAddress,
      String token,
      Path sessionDir) {
    this.processes = processes;
    this.controlAddress = controlAddress;
    this.token = token;
    this.sessionDir = sessionDir;
  }

  /**
   * Starts control store and node manager side by side. {@code parentPid} &gt; 0 ties them to that
   * process; {@code prestartClasspath} lets the node warm workers for the driver before it
   * attaches.
   */
  public static EmbeddedCluster start(
      WeftConfig cfg, String host, int controlPort, long parentPid, String prestartClasspath)
      throws IOException {
    return start(
        cfg, host, controlPort, parentPid, prestartClasspath, ClusterFiles.newToken(), () -> {});
  }

  /** As above, running {@code meanwhile} on this thread while the processes boot. */
  public static EmbeddedCluster start(
      WeftConfig cfg,
      String host,
      int controlPort,
      long parentPid,
      String prestartClasspath,
      String token,
      Runnable meanwhile)
      throws IOException {
    return start(cfg, host, host, controlPort, parentPid, prestartClasspath, token, meanwhile);
  }

  /**
   * As above; the processes listen on {@code bindHost} and tell others to reach them at {@code
   * host} (the same unless the machine's address differs from what it listens on, e.g. {@code
   * 0.0.0.0}).
   */
  public static EmbeddedCluster start(
      WeftConfig cfg,
      String bindHost,
      String host,
      int controlPort,
      long parentPid,
      String prestartClasspath,
      String token,
      Runnable meanwhile)
      throws IOException {
    Path session;
    if (cfg.logDir() != null) {
      session = Path.of(cfg.logDir());
    } else {
      Path sessions = Files.createDirectories(ClusterFiles.root().resolve("sessions"));
      pruneOldSessions(sessions, 20);
      session =
          sessions.resolve(
              "session-" + System.currentTimeMillis() + "-" + ProcessHandle.current().pid());
    }
    Files.createDirectories(session);
    // Ports: each process binds the one it is given, or port 0, and reports what it got in its
    // ready line; the node (and the driver's first worker) read the addresses they need from
    // standard input once known. No port is picked in advance, so nothing can take it meanwhile.
    String cp = System.getProperty("java.class.path");
    Map<String, String> env = Map.of("WEFT_TOKEN", token);
    List<ProcessLauncher.Started> started = new ArrayList<>();
    int port;
    String storage = cfg.controlStorage();
    boolean endsWithParent = false;
    if (storage == null) {
      // the default: a file log in this session's folder, fresh for a new cluster (a restarted
      // control store of this cluster recovers from it; a new head does not inherit a stopped
      // one's)
      Path dir = session.resolve(CONTROL_STORAGE_DIR);
      deleteTree(dir);
      storage = "file:" + dir;
      // a cluster that ends with the process that started it never forces its log to disk: see
      // ControlStorage.open(String, long)
      endsWithParent = parentPid > 0;
    }
    List<String> controlArgs =
        new ArrayList<>(
            List.of(
                "--host",
                bindHost,
                "--port",
                Integer.toString(Math.max(0, controlPort)),
                "--parent-pid",
                Long.toString(parentPid),
                "--node-timeout-ms",
                Long.toString(cfg.nodeTimeout().toMillis()),
                "--storage",
                storage));
    if (endsWithParent) {
      controlArgs.addAll(List.of("--storage-sync", "never"));
    }
    try {
      started.add(
          ProcessLauncher.start(
              CONTROL_MAIN,
              controlArgs,
              cp,
              CONTROL_JVM_OPTIONS,
              env,
              session.resolve("control.log")));
      List<String> nodeArgs =
          nodeArgs(cfg, ProcessLauncher.FROM_STDIN, bindHost, host, 0, parentPid, session);
      // the head's node manager restarts the control store if it dies (see ControlSupervisor)
      nodeArgs.addAll(
          List.of(
              "--supervise-control-pid",
              Long.toString(started.get(0).process().pid()),
              "--control-args",
              String.join("\u001f", controlArgs),
              "--control-log",
              session.resolve("control.log").toString()));
      // the dashboard, where the head's starter asked for one (weft start --head)
      String dashboardPort = System.getProperty("weft.dashboard.port");
      if (dashboardPort != null) {
        nodeArgs.addAll(List.of("--dashboard-port", dashboardPort));
        nodeArgs.addAll(
            List.of("--dashboard-host", System.getProperty("weft.dashboard.host", "127.0.0.1")));
      }
      if (prestartClasspath != null) {
        // One worker boots with the cluster, started right here beside the node (the node adopts
        // it):
        // the first task's worker is then not behind the node's own start-up. The rest warm up once
        // the job attaches, so they do not compete for the CPUs with the first task's path.
        int n = Math.min(1, cfg.prestartWorkers() >= 0 ? cfg.prestartWorkers() : cfg.numCpus());
        nodeArgs.addAll(
            List.of("--adopt", Integer.toString(n), "--prestart-classpath", prestartClasspath));
        if (!Serde.workerJvmOptions(cfg).isEmpty()) {
          nodeArgs.addAll(
              List.of(
                  "--prestart-jvm-options", String.join("\u001f", Serde.workerJvmOptions(cfg))));
        }
      }
      started.add(
          ProcessLauncher.start(
              NODE_MAIN,
              nodeArgs,
              cp,
              List.of("-Xmx512m", "-XX:TieredStopAtLevel=1", ProcessLauncher.SMALL_PROCESS_GC),
              env,
              session.resolve("node.log")));
      if (prestartClasspath != null && (cfg.prestartWorkers() != 0)) {
        started.add(
            ProcessLauncher.start(
                "dev.weft.internal.core.WorkerMain",
                List.of(
                    "--control",
                    ProcessLauncher.FROM_STDIN,
                    "--node",
                    ProcessLauncher.FROM_STDIN,
                    "--worker-id",
                    "0",
                    "--node-pid",
                    Long.toString(started.get(1).process().pid()),
                    "--host",
                    host,
                    "--bind-host",
                    bindHost),
                prestartClasspath,
                ProcessLauncher.workerJvmOptions(Serde.workerJvmOptions(cfg)),
                env,
                session.resolve("worker-0.log")));
      }
      meanwhile.run();
      port = started.get(0).awaitReady(60_000, "the control store");
      String control = host + ":" + port;
      for (ProcessLauncher.Started s : started.subList(1, started.size())) {
        s.tell(control);
      }
      int nodePort = started.get(1).awaitReady(60_000, "the node manager");
      if (started.size() > 2) {
        started.get(2).tell(host + ":" + nodePort);
      }
    } catch (IOException | RuntimeException e) {
      for (ProcessLauncher.Started s : started) {
        s.process().destroyForcibly();
      }
      throw e;
    }
    return new EmbeddedCluster(started, host + ":" + port, token, session);
  }

  /** The arguments of a node manager (NodeMain) for {@code cfg}'s resources and store size. */
  static List<String> nodeArgs(
      WeftConfig cfg,
      String control,
      String bindHost,
      String host,
      int port,
      long parentPid,
      Path session) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--control",
                control,
                "--host",
                host,
                "--bind-host",
                bindHost,
                "--port",
                Integer.toString(port),
                "--num-cpus",
                Integer.toString(cfg.numCpus()),
                "--parent-pid",
                Long.toString(parentPid),
                "--session-dir",
                session.toString(),
                "--object-store-bytes",
                Long.toString(cfg.objectStoreBytes())));
    if (cfg.tasksPerWorker() != 1) {
      args.addAll(List.of("--tasks-per-worker", Integer.toString(cfg.tasksPerWorker())));
    }
    if (cfg.numGpus() >= 0) {
      args.addAll(List.of("--num-gpus", Integer.toString(cfg.numGpus())));
    }
    if (!cfg.resources().isEmpty()) {
      args.add("--resources");
      args.add(
          cfg.resources().entrySet().stream()
              .map(e -> e.getKey() + "=" + e.getValue())
              .collect(Collectors.joining(",")));
    }
    return args;
  }

  /**
   * Starts one more node manager, detached, that joins the running cluster whose control store is
   * at {@code controlAddress}: its own port ({@code port}, 0 for any), store file and folder
   * ({@code dir}, which gets its log and spill files). Returns once it registered; on failure it is
   * stopped and the exception says why, with the end of its log.
   */
  public static ProcessLauncher.Started startNode(
      WeftConfig cfg,
      String bindHost,
      String host,
      int port,
      String controlAddress,
      String token,
      Path dir)
      throws IOException {
    Files.createDirectories(dir);
    ProcessLauncher.Started node =
        ProcessLauncher.start(
            NODE_MAIN,
            nodeArgs(cfg, controlAddress, bindHost, host, port, 0, dir),
            System.getProperty("java.class.path"),
            List.of("-Xmx512m", "-XX:TieredStopAtLevel=1", ProcessLauncher.SMALL_PROCESS_GC),
            Map.of("WEFT_TOKEN", token),
            dir.resolve("node.log"));
    try {
      node.awaitReady(60_000, "the node manager");
    } catch (IOException | RuntimeException e) {
      node.process().destroyForcibly();
      try {
        node.process().waitFor(10, TimeUnit.SECONDS); // gone when this returns: nothing leaks
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
      throw e;
    }
    return node;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (java.util.stream.Stream<Path> w = Files.walk(dir)) {
      for (Path p : w.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Keeps the logs of the {@code keep} most recent embedded sessions. */
  public static void pruneOldSessions(Path sessions, int keep) {
    try (java.util.stream.Stream<Path> s = Files.list(sessions)) {
      List<Path> all =
          s.filter(Files::isDirectory)
              .sorted(java.util.Comparator.comparing(Path::getFileName).reversed())
              .toList();
      for (Path old : all.subList(Math.min(keep, all.size()), all.size())) {
        try (java.util.stream.Stream<Path> w = Files.walk(old)) {
          w.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
      }
    } catch (IOException | RuntimeException e) {
      // best effort: old logs are only a disk nuisance
    }
  }

  public List<Process> processes() {
    return processes.stream().map(ProcessLauncher.Started::process).toList();
  }

  /**
   * Stops node manager (which stops its workers) and control store; forcibly after a grace period.
   */
  public void stop() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).process().destroy();
    }
    for (ProcessLauncher.Started s : processes) {
      try {
        if (!s.process().waitFor(10, TimeUnit.SECONDS)) {
          s.process().descendants().forEach(ProcessHandle::destroyForcibly);
          s.process().destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WeftException("interrupted while stopping the embedded cluster");
      }
    }
  }
}
