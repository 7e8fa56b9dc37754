package dev.weft.internal.node;

import dev.weft.internal.core.ProcessLauncher;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import dev.weft.internal.rpc.Rpc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Entry point of a node manager process. Arguments: {@code --control host:port --host H
 * [--bind-host B] --num-cpus N [--tasks-per-worker N] [--num-gpus N] [--memory BYTES] [--resources
 * name=amount,...] [--parent-pid PID] [--session-dir DIR] [--prestart N --prestart-classpath CP]};
 * token in {@code WEFT_TOKEN}. Prints {@code WEFT-READY <port>} once registered with the control
 * store. {@code --host} is the address others reach this node (and its workers) at; {@code
 * --bind-host} what they listen on (default: the same; e.g. {@code 0.0.0.0} to listen on every
 * interface).
 */
public final class NodeMain {
  private NodeMain() {}

  public static void main(String[] args) {
    try {
      run(args);
    } catch (Throwable t) {
      // a failed start must end this JVM: its other threads would keep it alive, and its starter
      // waiting
      System.err.println("NodeMain failed: " + t);
      t.printStackTrace();
      System.exit(1);
    }
  }

  private static void run(String[] args) throws Exception {
    dev.weft.internal.core.StartupTrace.mark("node: main");
    String control = null;
    String host = null;
    String bindHost = null;
    int cpus = Runtime.getRuntime().availableProcessors();
    Map<String, Double> custom = new LinkedHashMap<>();
    long parentPid = 0;
    Path session = null;
    int prestart = 0;
    int adopt = 0;
    String prestartCp = null;
    List<String> prestartJvm = List.of();
    int port = 0;
    long storeBytes = 0;
    int gpus = -1;
    long memory = -1;
    int tasksPerWorker = 1;
    long controlPid = 0;
    List<String> controlArgs = List.of();
    Path controlLog = null;
    long reconnectMillis = DEFAULT_RECONNECT_MILLIS;
    int metricsPort = 0;
    int dashboardPort = -1;
    String dashboardHost = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--control" -> control = v;
        case "--host" -> host = v;
        case "--bind-host" -> bindHost = v;
        case "--port" -> port = Integer.parseInt(v);
        case "--num-cpus" -> cpus = Integer.parseInt(v);
        case "--tasks-per-worker" -> tasksPerWorker = Integer.parseInt(v);
        case "--num-gpus" -> gpus = Integer.parseInt(v);
        case "--memory" -> memory = Long.parseLong(v);
        case "--resources" -> {
          for (String kv : v.split(",")) {
            String[] p = kv.split("=", 2);
            custom.put(p[0].trim(), Double.parseDouble(p[1].trim()));
          }
        }
        case "--parent-pid" -> parentPid = Long.parseLong(v);
        case "--session-dir" -> session = Path.of(v);
        case "--prestart" -> prestart = Integer.parseInt(v);
        case "--adopt" -> adopt = Integer.parseInt(v);
        case "--prestart-classpath" -> prestartCp = v;
        case "--prestart-jvm-options" -> prestartJvm = Arrays.asList(v.split("\u001f"));
        case "--object-store-bytes" -> storeBytes = Long.parseLong(v);
        case "--supervise-control-pid" -> controlPid = Long.parseLong(v);
        case "--control-args" -> controlArgs = Arrays.asList(v.split("\u001f"));
        case "--control-log" -> controlLog = Path.of(v);
        case "--control-reconnect-ms" -> reconnectMillis = Long.parseLong(v);
        case "--metrics-port" -> metricsPort = Integer.parseInt(v);
        case "--dashboard-port" -> dashboardPort = Integer.parseInt(v);
        case "--dashboard-host" -> dashboardHost = v;
        default -> throw new IllegalArgumentException("unknown node manager argument " + args[i]);
      }
    }
    String token = System.getenv("WEFT_TOKEN");
    if (control == null || host == null || token == null) {
      System.err.println(
          "the node manager needs --control host:port, --host (its advertised address) and the"
              + " cluster token in WEFT_TOKEN");
      System.exit(2);
    }
    if (session == null) {
      session = Files.createTempDirectory("weft-node-");
    }
    ProcessLauncher.exitWhenGone(parentPid, "the driver that started this cluster");
    Map<String, Double> resources = new LinkedHashMap<>();
    resources.put("CPU", (double) cpus);
    if (storeBytes > 0) {
      resources.put("object_store_memory", (double) storeBytes);
    }
    long storeSize =
        storeBytes > 0 ? storeBytes : dev.weft.WeftConfig.defaults().objectStoreBytes();
    if (gpus < 0) {
      gpus = detectGpus();
    }
    if (gpus > 0) {
      resources.put("GPU", (double) gpus);
    }
    resources.put("memory", (double) (memory >= 0 ? memory : defaultMemory(storeSize)));
    resources.putAll(custom);
    String nodeId = "node-" + UUID.randomUUID().toString().substring(0, 8);
    dev.weft.internal.store.StoreFile storeFile = openStore(nodeId, storeSize);
    dev.weft.internal.store.SpillFiles spillFiles =
        new dev.weft.internal.store.SpillFiles(session.resolve("spill-" + nodeId));
    NodeManager nm =
        new NodeManager(nodeId, host, token, session, resources, storeFile, spillFiles);
    nm.bindHost = bindHost != null ? bindHost : host;
    if (tasksPerWorker < 1) {
      throw new IllegalArgumentException(
          "--tasks-per-worker must be >= 1 (got " + tasksPerWorker + ")");
    }
    nm.workers.tasksPerWorker = tasksPerWorker;
    ControlSupervisor supervisor =
        controlPid > 0
            ? new ControlSupervisor(
                controlPid,
                controlArgs,
                controlLog != null ? controlLog : session.resolve("control.log"),
                token)
            : null;
    // stopped with SIGTERM (its cluster stops), the node cleans up and ends at once (QuickExit)
    java.util.List<Runnable> dashboardStops = new java.util.concurrent.CopyOnWriteArrayList<>();
    dev.weft.internal.rpc.QuickExit.onTerm(
        "weft-node-stop",
        dev.weft.internal.rpc.QuickExit.once(
            () -> {
              dashboardStops.forEach(Runnable::run);
              if (supervisor != null) {
                supervisor.stop();
              }
              nm.stopAll();
              spillFiles.close();
              try {
                storeFile.close();
              } catch (java.io.IOException e) {
                System.err.println(
                    "cannot remove the object store file " + storeFile.path() + ": " + e);
              }
            }));
    if (prestartCp != null && adopt > 0) {
      nm.expectAdoptions(
          prestartCp, prestartJvm, adopt); // before we listen: the worker may register at once
    }
    Rpc.Server server = Rpc.listen(nm.bindHost, port, token, nm);
    nm.address = host + ":" + server.port();
    control = ProcessLauncher.argOrStdin(control, "the control store's address");
    nm.controlAddress = control;
    if (prestartCp != null && prestart > 0) {
      nm.prestart(prestartCp, prestartJvm, prestart); // warm workers while we register
    }
    String metricsUrl = metricsPort >= 0 ? nm.serveMetrics(metricsPort) : null;
    String dashboardUrl = null;
    if (dashboardPort >= 0) {
      JobSubmissions submissions = new JobSubmissions(session, control, token);
      Dashboard d =
          Dashboard.start(
              dashboardHost != null ? dashboardHost : "127.0.0.1",
              host,
              dashboardPort,
              control,
              token,
              submissions);
      dashboardStops.add(submissions::stopAll);
      dashboardStops.add(d::close);
      dashboardUrl = d.url();
    }
    Connection c = connect(control, token, nm);
    Msg.RegisterNode registration =
        new Msg.RegisterNode(
            nodeId, nm.address, resources, ProcessHandle.current().pid(), metricsUrl, dashboardUrl);
    Msg reply = c.call(registration).get(30, java.util.concurrent.TimeUnit.SECONDS);
    if (!(reply instanceof Msg.Ack)) {
      System.err.println("the control store refused this node: " + reply);
      System.exit(3);
    }
    nm.control = c;
    nm.liveness.startHeartbeats();
    nm.loop.execute(nm::resourcesChanged); // what leases took while it registered
    if (supervisor != null) {
      supervisor.start(Integer.parseInt(control.substring(control.lastIndexOf(':') + 1)));
    }
    new ControlReconnect(nm, token, registration, reconnectMillis).watch(c);
    System.out.println(ProcessLauncher.READY + server.port());
    dev.weft.internal.core.StartupTrace.mark("node: ready");
    Thread.currentThread().join();
  }

  /**
   * GPUs that {@code nvidia-smi --query-gpu=index --format=csv,noheader} lists; 0 when it is not
   * installed or fails (a machine without NVIDIA GPUs or drivers).
   */
  static int detectGpus() {
    try {
      Process p =
          new ProcessBuilder("nvidia-smi", "--query-gpu=index", "--format=csv,noheader")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        System.err.println("nvidia-smi failed; this node offers no GPU: " + out.strip());
        return 0;
      }
      return countGpuLines(out);
    } catch (java.io.IOException e) {
      return 0; // no nvidia-smi: no NVIDIA GPUs here
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  /** The GPU indices in nvidia-smi's output, one a line. */
  static int countGpuLines(String out) {
    return (int) out.lines().map(String::strip).filter(l -> l.matches("\\d+")).count();
  }

  /** Memory tasks may reserve: the machine's physical memory less the object store. */
  static long defaultMemory(long storeBytes) {
    long total = 8L << 30;
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      total = os.getTotalMemorySize();
    }
    return Math.max(0, total - storeBytes);
  }

  /**
   * Creates this node's store file, first removing the files of node managers that died without
   * cleaning up.
   */
  static dev.weft.internal.store.StoreFile openStore(String nodeId, long bytes)
      throws java.io.IOException {
    Path dir = dev.weft.internal.store.StoreFile.defaultDir();
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      files
          .filter(f -> f.getFileName().toString().startsWith("weft-store-"))
          .forEach(
              f -> {
                String[] parts = f.getFileName().toString().split("-");
                try {
                  long pid = Long.parseLong(parts[parts.length - 1]);
                  if (ProcessHandle.of(pid).isEmpty()) {
                    Files.deleteIfExists(f);
                  }
                } catch (NumberFormatException | java.io.IOException e) {
                  // not ours, or already gone
                }
              });
    }
    Path p = dir.resolve("weft-store-" + nodeId + "-" + ProcessHandle.current().pid());
    return dev.weft.internal.store.StoreFile.create(p, bytes);
  }

  /** How long a node tries to reach a control store that went away, by default. */
  static final long DEFAULT_RECONNECT_MILLIS = 300_000;

  /**
   * A node whose control-store connection closes registers again with back-off (the control store
   * restarted, or the network failed for a moment), instead of exiting:
   *
   * <pre>
   *  connection closed (not stopping) → every 100 ms doubling to 1 s: connect, RegisterNode(same
   *      id, address, resources) →
   *        Ack: the new connection is the node's (what waited is sent, resources reported again)
   *        Failure (the control store declared this node dead): exit, as a fenced node must
   *  nothing for the reconnect window (--control-reconnect-ms, default 5 min): exit
   * </pre>
   */
  private record ControlReconnect(
      NodeManager nm, String token, Msg.RegisterNode registration, long windowMillis) {
    void watch(Connection c) {
      c.closeFuture()
          .thenRun(
              () ->
                  Thread.ofPlatform()
                      .name("weft-control-reconnect")
                      .daemon()
                      .start(this::reconnect));
    }

    private void reconnect() {
      String control = nm.controlAddress;
      System.err.println(
          "lost the connection to the control store at " + control + ": reconnecting");
      dev.weft.internal.core.Backoff backoff =
          new dev.weft.internal.core.Backoff(100, 1_000, windowMillis);
      String last = "";
      while (backoff.open()) {
        if (!backoff.pause()) {
          return;
        }
        Connection c;
        try {
          c = Rpc.connect(control, token, nm, Duration.ofSeconds(5));
        } catch (java.io.IOException e) {
          last = e.getMessage();
          continue;
        }
        Msg reply;
        try {
          // no short timeout: a registration the control store took must not be undone by
          // closing this connection (that would declare this node dead); the call fails if the
          // connection closes
          reply =
              c.call(registration).get(windowMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
          last = String.valueOf(e.getMessage());
          c.close();
          continue;
        }
        if (reply instanceof Msg.Ack) {
          System.err.println("registered again with the control store at " + control);
          nm.controlReconnected(c);
          watch(c);
          return;
        }
        ProcessLauncher.exitNow(
            "the control store at "
                + control
                + " refused this node when it registered again: "
                + (reply instanceof Msg.Failure f ? f.text() : reply));
        return;
      }
      ProcessLauncher.exitNow(
          "could not reach the control store at "
              + control
              + " for "
              + windowMillis / 1000
              + " s (last: "
              + last
              + ")");
    }
  }

  private static Connection connect(String control, String token, NodeManager nm) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    long backoff = 10;
    while (true) {
      try {
        return Rpc.connect(control, token, nm, Duration.ofSeconds(5));
      } catch (java.io.IOException e) {
        if (System.nanoTime() > deadline) {
          throw new java.io.IOException(
              "cannot reach the control store at " + control + ": " + e.getMessage(), e);
        }
        Thread.sleep(backoff); // bounded retry while the control store starts
        backoff = Math.min(50, backoff * 2);
      }
    }
  }
}
