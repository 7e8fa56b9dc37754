package dev.weft.testing;

import dev.weft.Weft;
import dev.weft.WeftConfig;
import dev.weft.WeftException;
import dev.weft.WeftRuntime;
import dev.weft.internal.core.ClusterFiles;
import dev.weft.internal.core.EmbeddedCluster;
import dev.weft.internal.core.HostAddresses;
import dev.weft.internal.core.ProcessLauncher;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import dev.weft.internal.rpc.Rpc;
import dev.weft.internal.store.StoreFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Weft cluster on this machine for tests: a head (control store and a node manager) and as many
 * more nodes as a test adds, each node its own process with its own resources, port, object store
 * file and folder. What Ray's {@code cluster_utils.Cluster} gives Python users.
 *
 * <pre>{@code
 * LocalCluster cluster = LocalCluster.start(NodeOptions.builder().cpus(2).build()); // the head
 * try {
 *   NodeHandle accel =
 *       cluster.addNode(NodeOptions.builder().resource("accel", 1).objectStoreBytes(64 << 20).build());
 *   cluster.connect(); // Weft.init(cluster.address()): the driver attaches to the head's node
 *   ActorHandle<Model> m = Weft.actor(Model::new).resource("accel", 1).remote(); // lands on accel
 *   ...
 *   accel.stop();                            // the node leaves; the cluster keeps running
 *   cluster.addNode(NodeOptions.defaults()); // another joins
 * } catch (Throwable t) {
 *   cluster.printLogs(System.err); // the logs of every process the cluster started
 *   throw t;
 * } finally {
 *   cluster.close(); // no process, no store file left
 * }
 * }</pre>
 *
 * <p>{@link #start} and {@link #addNode} return once the node has registered with the head, so a
 * test can schedule onto it at once; {@link NodeHandle#stop()} and {@link NodeHandle#kill()} return
 * once the head lists the node as gone. {@link #close()} stops every process the cluster started
 * (node managers, their workers, the control store) and removes their store files, whether the test
 * passed or not; the logs stay in {@link #logDir()} (the 20 newest clusters' are kept).
 *
 * <p>Implementation notes. The processes are started by the code that starts {@code Weft.init()}'s
 * embedded cluster and {@code weft start --address}'s nodes ({@code EmbeddedCluster}), from this
 * JVM's class path, so a test's classes reach the workers as a driver's do. The control store and
 * the head's node exit when this JVM exits, even by SIGKILL, and the other nodes exit when the
 * control store does: a test JVM that dies leaves no cluster behind. Everything listens on
 * loopback. The cluster token is written where {@code weft start --head} writes it (the folder of
 * the head's port), so {@code Weft.init(address)} and {@code weft status --address} find it as on a
 * head started by hand; {@link #close()} removes it. Methods that change the cluster are
 * synchronized on it.
 */
public final class LocalCluster implements AutoCloseable {
  static final String HEAD_NAME = "head";

  /** How long a node may take to start and register; JVMs start slowly on a loaded machine. */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /** How long a stopped process may take to exit before it is killed. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private static final int KEEP_LOGS_OF = 20;

  private final EmbeddedCluster headProcesses;
  private final String host;
  private final String address;
  private final int port;
  private final String token;
  private final Path dir;
  private volatile Connection control;
  private final List<NodeHandle> started = new ArrayList<>();
  private int nodesAdded;
  private boolean closed;
  private boolean connected;

  private LocalCluster(
      EmbeddedCluster headProcesses,
      String host,
      int port,
      String token,
      Path dir,
      Connection control) {
    this.headProcesses = headProcesses;
    this.host = host;
    this.address = headProcesses.controlAddress;
    this.port = port;
    this.token = token;
    this.dir = dir;
    this.control = control;
  }

  /** Starts a head whose node has the {@linkplain NodeOptions#defaults() default options}. */
  public static LocalCluster start() {
    return start(NodeOptions.defaults());
  }

  /**
   * Starts the head: the control store and a node manager with {@code headNode}'s resources. The
   * head's {@link NodeOptions#port() port} is the control store's, the one {@link #address()} names
   * ({@code weft start --head --port} alike); its node manager takes any free port. Returns once
   * the head's node has registered.
   *
   * @throws WeftException when the head does not start, with the end of its log; nothing is left
   *     running
   */
  public static LocalCluster start(NodeOptions headNode) {
    Path root = ClusterFiles.root().resolve("local-clusters");
    Path dir;
    try {
      Files.createDirectories(root);
      EmbeddedCluster.pruneOldSessions(root, KEEP_LOGS_OF - 1);
      dir = newFolder(root);
    } catch (IOException e) {
      throw new WeftException(
          "LocalCluster: cannot create its folder under " + root + ": " + e.getMessage(), e);
    }
    String host = HostAddresses.loopback();
    String token = ClusterFiles.newToken();
    Path headDir = dir.resolve(HEAD_NAME);
    EmbeddedCluster head;
    try {
      head =
          EmbeddedCluster.start(
              headNode.toConfig(headDir),
              host,
              host,
              headNode.port(),
              ProcessHandle.current().pid(),
              null,
              token,
              () -> {});
    } catch (IOException | RuntimeException e) {
      removeStoreFilesOfDeadProcesses();
      throw new WeftException(
          "LocalCluster: the head ("
              + headNode
              + ") failed to start: "
              + e.getMessage()
              + " (logs in "
              + headDir
              + ")",
          e);
    }
    int port =
        Integer.parseInt(head.controlAddress.substring(head.controlAddress.indexOf(':') + 1));
    Connection control = null;
    try {
      ClusterFiles.writeToken(port, token);
      control =
          Rpc.connect(head.controlAddress, token, (conn, id, m) -> {}, Duration.ofSeconds(10));
      LocalCluster cluster = new LocalCluster(head, host, port, token, dir, control);
      Process nodeProcess = head.processes().get(1);
      Msg.NodeInfo info = cluster.awaitNode(nodeProcess.pid(), true, START_TIMEOUT);
      cluster.started.add(
          new NodeHandle(
              cluster, HEAD_NAME, info.nodeId(), info.address(), nodeProcess, headNode, headDir));
      return cluster;
    } catch (IOException | RuntimeException e) {
      if (control != null) {
        control.close();
      }
      head.stop();
      deleteToken(port);
      removeStoreFilesOfDeadProcesses();
      throw new WeftException(
          "LocalCluster: the head at "
              + head.controlAddress
              + " started but cannot be used: "
              + e.getMessage()
              + " (logs in "
              + headDir
              + ")",
          e);
    }
  }

  /** The head's {@code host:port}: what {@code Weft.init(address)} and {@code weft status} take. */
  public String address() {
    return address;
  }

  /**
   * {@code Weft.init(address())}: this JVM becomes a driver of the cluster, attached to the head's
   * node. {@link #close()} shuts it down first.
   */
  public WeftRuntime connect() {
    return connect(WeftConfig.defaults());
  }

  /**
   * As {@link #connect()}, with {@code config}'s job options (job name, worker JVM options, ...);
   * its address is replaced by this cluster's.
   */
  public synchronized WeftRuntime connect(WeftConfig config) {
    checkOpen();
    WeftRuntime rt = Weft.init(config.toBuilder().address(address).build());
    connected = true;
    awaitDriverView();
    return rt;
  }

  /**
   * Waits until this JVM's driver lists every node the cluster started and still runs as alive in
   * {@link Weft#nodes()}: the view reaches the driver's node as deltas a moment after the head
   * lists a node, and a caller that counts nodes right after {@link #connect()} or {@link #addNode}
   * must see them all.
   */
  private void awaitDriverView() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      java.util.Set<String> want = new java.util.HashSet<>();
      for (NodeHandle h : started) {
        if (h.isAlive()) {
          want.add(h.nodeId());
        }
      }
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (dev.weft.NodeInfo n : Weft.nodes()) {
        if (n.alive()) {
          seen.add(n.nodeId());
        }
      }
      if (seen.containsAll(want)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new WeftException(
            "LocalCluster: the driver's view of the cluster at "
                + address
                + " still lacks nodes "
                + want.stream().filter(id -> !seen.contains(id)).toList()
                + " after "
                + START_TIMEOUT.toSeconds()
                + " s; it lists "
                + seen);
      }
      try {
        Thread.sleep(20); // the view travels as deltas about every 100 ms
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WeftException("LocalCluster: interrupted while waiting for the driver's view", e);
      }
    }
  }

  /** The head's node (the node manager started beside the control store). */
  public synchronized NodeHandle head() {
    return started.get(0);
  }

  /** The nodes still running, the head's first, then the others in the order they were added. */
  public synchronized List<NodeHandle> nodes() {
    return started.stream().filter(NodeHandle::isAlive).toList();
  }

  /**
   * The control store's process id, as it says itself: after a restart by its supervisor (the
   * head's node manager), the new process's.
   */
  public long controlStorePid() {
    return status().controlStorePid();
  }

  /**
   * Kills the control store (SIGKILL) and returns once it is gone; the head's node manager starts
   * it again at once ({@link #awaitControlStoreRestarted}). Returns the killed pid.
   */
  public long killControlStore() {
    checkOpen();
    long pid = controlStorePid();
    ProcessHandle.of(pid)
        .ifPresent(
            p -> {
              p.destroyForcibly();
              if (!awaitExit(p, STOP_GRACE)) {
                throw new WeftException(
                    "LocalCluster: the control store (pid " + pid + ") did not exit after SIGKILL");
              }
            });
    return pid;
  }

  /** Waits until a control store other than {@code oldPid} answers; returns its pid. */
  public long awaitControlStoreRestarted(long oldPid, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    WeftException last = null;
    while (System.nanoTime() < deadline) {
      try {
        long pid = controlStorePid();
        if (pid != oldPid) {
          return pid;
        }
      } catch (WeftException e) {
        last = e; // not back yet
      }
      try {
        Thread.sleep(50); // polls the head while its supervisor starts the control store again
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WeftException("LocalCluster: interrupted while waiting for the head", e);
      }
    }
    throw new WeftException(
        "LocalCluster: no control store other than pid "
            + oldPid
            + " answered at "
            + address
            + " within "
            + timeout.toSeconds()
            + " s"
            + (last != null ? " (last: " + last.getMessage() + ")" : ""),
        last);
  }

  /** The folder of this cluster's logs: {@code head/}, {@code node-1/}, ... one per node. */
  public Path logDir() {
    return dir;
  }

  /** Adds a node with the {@linkplain NodeOptions#defaults() default options}. */
  public NodeHandle addNode() {
    return addNode(NodeOptions.defaults());
  }

  /**
   * Starts a node manager with {@code options} and joins it to the head. Returns once the head
   * lists it: tasks and actors may be placed on it at once.
   *
   * @throws WeftException when the node does not start and register within 60 s, with the reason
   *     and the end of its log; the node's process and store file are gone by then
   */
  public synchronized NodeHandle addNode(NodeOptions options) {
    checkOpen();
    String name = "node-" + (++nodesAdded);
    Path nodeDir = dir.resolve(name);
    ProcessLauncher.Started node;
    try {
      node =
          EmbeddedCluster.startNode(
              options.toConfig(nodeDir), host, host, options.port(), address, token, nodeDir);
    } catch (IOException | RuntimeException e) {
      removeStoreFilesOfDeadProcesses();
      throw new WeftException(
          "LocalCluster: "
              + name
              + " ("
              + options
              + ") failed to start and was stopped: "
              + e.getMessage()
              + " (its folder: "
              + nodeDir
              + ")",
          e);
    }
    NodeHandle h;
    try {
      Msg.NodeInfo info = awaitNode(node.process().pid(), true, START_TIMEOUT);
      h =
          new NodeHandle(
              this, name, info.nodeId(), info.address(), node.process(), options, nodeDir);
      started.add(h);
    } catch (RuntimeException e) {
      stopProcess(node.process(), true, Duration.ZERO);
      throw new WeftException(
          "LocalCluster: "
              + name
              + " ("
              + options
              + ") started but the head at "
              + address
              + " does not list it: "
              + e.getMessage(),
          e);
    }
    if (connected && Weft.isInitialized()) {
      awaitDriverView();
    }
    return h;
  }

  /** Stops (or kills) one node and waits until the head lists it as gone; see NodeHandle. */
  synchronized void stopNode(NodeHandle node, boolean kill, Duration grace) {
    stopProcess(node.process(), kill, grace);
    if (!closed) {
      awaitNode(node.pid(), false, START_TIMEOUT);
    }
  }

  /**
   * Stops every process the cluster started, nodes first, then the head; removes their store files
   * and the cluster token. A driver that {@link #connect()} started is shut down before. Logs stay
   * in {@link #logDir()}. Idempotent.
   *
   * @throws WeftException naming the processes that could not be stopped
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (connected) {
      Weft.shutdown();
    }
    List<ProcessHandle> all = new ArrayList<>();
    for (Process p : headProcesses.processes()) {
      all.add(p.toHandle());
    }
    for (NodeHandle n : started) {
      all.add(n.process().toHandle());
    }
    for (ProcessHandle p : List.copyOf(all)) {
      p.descendants().forEach(all::add); // workers
    }
    List<NodeHandle> others = started.subList(1, started.size());
    others.forEach(n -> n.process().destroy()); // all at once: each then has its grace period
    for (NodeHandle n : others) {
      stopProcess(n.process(), false, STOP_GRACE);
    }
    control.close();
    headProcesses.stop();
    List<String> survivors = new ArrayList<>();
    for (ProcessHandle p : all) {
      if (!awaitExit(p, STOP_GRACE)) {
        p.destroyForcibly();
        if (!awaitExit(p, STOP_GRACE)) {
          survivors.add(Long.toString(p.pid()));
        }
      }
    }
    for (ProcessHandle p : all) {
      removeStoreFilesOf(p.pid());
    }
    removeSpillFolders();
    deleteToken(port);
    if (!survivors.isEmpty()) {
      throw new WeftException(
          "LocalCluster at "
              + address
              + ": processes "
              + survivors
              + " did not exit after SIGKILL; end them by hand (kill -9)");
    }
  }

  /**
   * Prints every log of the cluster's processes (control store, node managers, workers) to {@code
   * out}, each under a {@code ===== path =====} line: what a failing test shows to tell why.
   */
  public void printLogs(PrintStream out) {
    List<Path> logs;
    try (Stream<Path> files = Files.walk(dir)) {
      logs = files.filter(f -> f.toString().endsWith(".log")).sorted().toList();
    } catch (IOException e) {
      out.println("LocalCluster: cannot list the logs under " + dir + ": " + e);
      return;
    }
    for (Path f : logs) {
      out.println("===== " + f + " =====");
      try {
        out.println(Files.readString(f));
      } catch (IOException e) {
        out.println("(cannot read it: " + e + ")");
      }
    }
  }

  @Override
  public String toString() {
    return "LocalCluster at " + address + (closed ? " (closed)" : "") + ", logs in " + dir;
  }

  // ------------------------------------------------------------------ helpers

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("LocalCluster at " + address + " is closed");
    }
  }

  /**
   * What the control store says of the node manager with process id {@code pid}, once it is listed
   * alive ({@code alive}), or once it is gone (not alive, or not listed).
   */
  private Msg.NodeInfo awaitNode(long pid, boolean alive, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Msg.StatusReply status = status();
      Optional<Msg.NodeInfo> node =
          status.nodes().stream().filter(n -> n.pid() == pid && n.alive()).findFirst();
      if (node.isPresent() == alive) {
        return node.orElse(null);
      }
      if (System.nanoTime() > deadline) {
        throw new WeftException(
            "LocalCluster: the head at "
                + address
                + (alive
                    ? " does not list the node manager of pid " + pid + " as alive"
                    : " still lists the node manager of pid " + pid + " as alive")
                + " after "
                + timeout.toSeconds()
                + " s; it lists "
                + status.nodes());
      }
      try {
        Thread.sleep(20); // the head learns of a node's start or end within milliseconds
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WeftException("LocalCluster: interrupted while waiting for the head", e);
      }
    }
  }

  private Msg.StatusReply status() {
    try {
      Connection c = control;
      if (!c.isOpen()) {
        // the control store restarted: a new connection to the new one
        try {
          c = Rpc.connect(address, token, (conn, id, m) -> {}, Duration.ofSeconds(5));
        } catch (IOException e) {
          throw new WeftException(
              "LocalCluster: cannot reach the control store at " + address + ": " + e.getMessage(),
              e);
        }
        control = c;
      }
      Msg reply = c.call(new Msg.ClusterStatus()).get(10, TimeUnit.SECONDS);
      if (reply instanceof Msg.StatusReply s) {
        return s;
      }
      throw new WeftException(
          "LocalCluster: the head at " + address + " answered ClusterStatus with " + reply);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WeftException("LocalCluster: interrupted while asking the head", e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new WeftException(
          "LocalCluster: cannot ask the head at " + address + " for the nodes: " + e, e);
    }
  }

  /**
   * Ends {@code p} and its workers: SIGTERM and up to {@code grace} to exit ({@code kill}: SIGKILL
   * at once), then SIGKILL for what is left; removes the store file it left.
   */
  private static void stopProcess(Process p, boolean kill, Duration grace) {
    List<ProcessHandle> workers = p.descendants().toList();
    if (kill) {
      p.destroyForcibly();
      workers.forEach(ProcessHandle::destroyForcibly);
    } else {
      p.destroy();
    }
    if (!awaitExit(p.toHandle(), grace)) {
      p.destroyForcibly();
    }
    List<String> survivors = new ArrayList<>();
    for (ProcessHandle h : Stream.concat(Stream.of(p.toHandle()), workers.stream()).toList()) {
      if (!awaitExit(h, STOP_GRACE)) {
        h.destroyForcibly();
        if (!awaitExit(h, STOP_GRACE)) {
          survivors.add(Long.toString(h.pid()));
        }
      }
    }
    removeStoreFilesOf(p.pid());
    if (!survivors.isEmpty()) {
      throw new WeftException(
          "LocalCluster: processes "
              + survivors
              + " of the node manager "
              + p.pid()
              + " did not exit after SIGKILL; end them by hand (kill -9)");
    }
  }

  private static boolean awaitExit(ProcessHandle p, Duration timeout) {
    if (!p.isAlive()) {
      return true;
    }
    try {
      p.onExit().get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      throw new WeftException("LocalCluster: cannot wait for process " + p.pid(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WeftException("LocalCluster: interrupted while stopping process " + p.pid(), e);
    }
  }

  /** A node manager names its store file {@code weft-store-<node id>-<pid>}. */
  private static void removeStoreFilesOf(long pid) {
    removeStoreFiles(name -> name.endsWith("-" + pid) && ProcessHandle.of(pid).isEmpty());
  }

  /** The store files of node managers that are gone: a node that failed to start left one. */
  private static void removeStoreFilesOfDeadProcesses() {
    removeStoreFiles(
        name -> {
          try {
            long pid = Long.parseLong(name.substring(name.lastIndexOf('-') + 1));
            return ProcessHandle.of(pid).isEmpty();
          } catch (NumberFormatException e) {
            return false; // not a node manager's
          }
        });
  }

  private static void removeStoreFiles(java.util.function.Predicate<String> which) {
    Path storeDir = StoreFile.defaultDir();
    try (Stream<Path> files = Files.list(storeDir)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (name.startsWith("weft-store-") && which.test(name)) {
          Files.deleteIfExists(f);
        }
      }
    } catch (IOException e) {
      throw new WeftException(
          "LocalCluster: cannot remove the store files of stopped nodes in "
              + storeDir
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** Spill files of nodes that were killed (a stopped node removes its own). */
  private void removeSpillFolders() {
    try (Stream<Path> files = Files.walk(dir)) {
      List<Path> spill =
          files
              .filter(f -> !f.equals(dir) && f.getFileName().toString().startsWith("spill-"))
              .toList();
      for (Path s : spill) {
        try (Stream<Path> w = Files.walk(s)) {
          for (Path f : w.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(f);
          }
        }
      }
    } catch (IOException e) {
      throw new WeftException(
          "LocalCluster: cannot remove the spill files under " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void deleteToken(int port) {
    Path clusterDir = ClusterFiles.clusterDir(port);
    try {
      Files.deleteIfExists(clusterDir.resolve("token"));
      try (Stream<Path> left = Files.list(clusterDir)) {
        if (left.findAny().isEmpty()) {
          Files.delete(clusterDir);
        }
      }
    } catch (java.nio.file.NoSuchFileException e) {
      // never written
    } catch (IOException e) {
      throw new WeftException(
          "LocalCluster: cannot remove the cluster token in " + clusterDir + ": " + e.getMessage(),
          e);
    }
  }

  private static Path newFolder(Path root) throws IOException {
    for (int i = 0; ; i++) {
      Path d =
          root.resolve(
              "cluster-"
                  + System.currentTimeMillis()
                  + "-"
                  + ProcessHandle.current().pid()
                  + "-"
                  + i);
      try {
        return Files.createDirectory(d);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // another cluster of this JVM in the same millisecond: next number
      }
    }
  }
}
