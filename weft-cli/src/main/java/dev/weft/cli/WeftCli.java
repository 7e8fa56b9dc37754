package dev.weft.cli;

import dev.weft.WeftConfig;
import dev.weft.internal.core.ClusterFiles;
import dev.weft.internal.core.EmbeddedCluster;
import dev.weft.internal.core.HostAddresses;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import dev.weft.internal.rpc.Rpc;
import dev.weft.internal.rpc.Tls;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code weft} command. */
@Command(
    name = "weft",
    mixinStandardHelpOptions = true,
    version = "weft 0.1.0",
    description = "Weft: distributed futures, actors and a shared object memory for the JVM.",
    subcommands = {
      WeftCli.Demo.class,
      WeftCli.Bench.class,
      WeftCli.Sort.class,
      WeftCli.Start.class,
      WeftCli.Stop.class,
      WeftCli.Status.class,
      WeftCli.Memory.class,
      LogsCommand.class,
      StateCommands.ListCommand.class,
      StateCommands.SummaryCommand.class,
      StateCommands.TimelineCommand.class,
      JobCommand.class
    })
public final class WeftCli implements Callable<Integer> {
  public static void main(String[] args) {
    System.exit(run(args));
  }

  public static int run(String... args) {
    return new CommandLine(new WeftCli()).execute(args);
  }

  @Override
  public Integer call() {
    CommandLine.usage(this, System.out);
    return 0;
  }

  /** Runs a main-like {@code static int run(String...)} or {@code main} of a class in lib/. */
  static int runClass(String className, List<String> args) throws Exception {
    Class<?> c;
    try {
      c = Class.forName(className);
    } catch (ClassNotFoundException e) {
      System.err.println(
          className
              + " is not on the class path: run the weft command of the distribution (bin/weft), whose lib/ has it");
      return 1;
    }
    try {
      for (Method m : c.getMethods()) {
        if (m.getName().equals("run")
            && m.getReturnType() == int.class
            && java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
          if (m.getParameterCount() == 1 && m.getParameterTypes()[0] == String[].class) {
            return (Integer) m.invoke(null, (Object) args.toArray(String[]::new));
          }
          if (m.getParameterCount() == 0 && args.isEmpty()) {
            return (Integer) m.invoke(null);
          }
        }
      }
      c.getMethod("main", String[].class).invoke(null, (Object) args.toArray(String[]::new));
      return 0;
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    }
  }

  @Command(
      name = "demo",
      description = "Runs a short tour on an embedded local cluster (or WEFT_ADDRESS).")
  static final class Demo implements Callable<Integer> {
    @CommandLine.Unmatched List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      return runClass("dev.weft.examples.Demo", args);
    }
  }

  @Command(
      name = "bench",
      description = "Runs Weft's benchmarks (see docs/BENCHMARKS.md); --help lists options.",
      mixinStandardHelpOptions = false)
  static final class Bench implements Callable<Integer> {
    @CommandLine.Unmatched List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      return runClass("dev.weft.bench.BenchMain", args);
    }
  }

  @Command(
      name = "sort",
      description =
          "Generates, sorts and checks gensort-format data, and benchmarks the sort against"
              + " Apache Spark (weft sort --help).",
      mixinStandardHelpOptions = false)
  static final class Sort implements Callable<Integer> {
    @CommandLine.Unmatched List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      return runClass("dev.weft.shuffle.sort.SortMain", args);
    }
  }

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Starts Weft processes on this machine, in the background, and returns once they are up.",
        "  weft start --head [options]            a head: control store + node manager;"
            + " prints its address",
        "  weft start --address HOST:PORT [opts]  one more node manager that joins the head at"
            + " HOST:PORT",
        "Several nodes may run on one machine, each with its own port, store file and folder."
            + " A joining node finds the cluster token itself when the head runs on this machine,"
            + " else it reads WEFT_TOKEN."
      })
  static final class Start implements Callable<Integer> {
    /** Head or join: exactly one. */
    static final class Mode {
      @Option(
          names = "--head",
          required = true,
          description = "Start a head: the control store and a node manager.")
      boolean head;

      @Option(
          names = "--address",
          required = true,
          paramLabel = "HOST:PORT",
          description = "Join a node manager to the running head at HOST:PORT.")
      String address;
    }

    @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    @Option(
        names = "--port",
        description =
            "With --head: the control store's port (default 7380). With --address: the node"
                + " manager's port (default: any free one, reported when it is up).")
    Integer port;

    @Option(names = "--num-cpus", description = "CPUs to offer (default: all of this machine's).")
    Integer numCpus;

    @Option(
        names = "--tasks-per-worker",
        paramLabel = "N",
        description =
            "How many tasks one worker JVM of this node runs at once (default 1: a JVM per"
                + " running task). Above 1, tasks of the same job share a JVM, its heap and its"
                + " compiled code, as in a Spark executor.")
    Integer tasksPerWorker;

    @Option(
        names = "--num-gpus",
        description = "GPUs to offer (default: those nvidia-smi lists, none without it).")
    Integer numGpus;

    @Option(
        names = "--resources",
        paramLabel = "NAME=AMOUNT,...",
        description = "Custom resources to offer, e.g. --resources accel=2,disk_fast=1.")
    String resources;

    @Option(
        names = "--object-store-memory",
        paramLabel = "BYTES",
        description = "This node's object store size in bytes (default: 30% of memory).")
    Long objectStoreMemory;

    @Option(
        names = "--node-timeout-ms",
        paramLabel = "MS",
        description =
            "With --head: how long the control store waits for a node that stopped sending"
                + " heartbeats before it declares it dead (default 10000, at least 500). A node"
                + " whose process dies is noticed at once.")
    Long nodeTimeoutMs;

    @Option(
        names = "--node-ip",
        paramLabel = "ADDRESS",
        description =
            "The address other processes reach this node at (default: --bind-address when it is"
                + " one address; else loopback for a head, and for a joining node this machine's"
                + " address on the route to the head).")
    String nodeIp;

    @Option(
        names = {"--bind-address", "--host"},
        paramLabel = "ADDRESS",
        description =
            "The address this node's processes listen on, e.g. 0.0.0.0 for every interface"
                + " (default: --node-ip).")
    String bindAddress;

    @Option(
        names = "--storage",
        paramLabel = "URI",
        description =
            "Where the head's control store keeps its tables, so that it restarts with them:"
                + " file:DIR (an append-only log with snapshots), redis://HOST:PORT[/DB] (a Redis"
                + " server) or memory (nothing kept). Default: a file log in the head's folder,"
                + " fresh at each start.")
    String storage;

    @Option(
        names = "--tls-cert",
        description =
            "PEM certificate (chain) for TLS on every link of the cluster; needs --tls-key.")
    Path tlsCert;

    @Option(
        names = "--tls-key",
        description = "PEM private key (PKCS#8, unencrypted) of --tls-cert.")
    Path tlsKey;

    @Option(
        names = "--tls-ca",
        description = "PEM CA certificates that clients trust (default: --tls-cert itself).")
    Path tlsCa;

    /** What the options ask for, checked; or null after printing why not. */
    WeftConfig config(String logDir) {
      WeftConfig.Builder b = WeftConfig.builder();
      if (logDir != null) {
        b.logDir(logDir);
      }
      try {
        if (numCpus != null) {
          b.numCpus(numCpus);
        }
        if (tasksPerWorker != null) {
          b.tasksPerWorker(tasksPerWorker);
        }
        if (numGpus != null) {
          if (numGpus < 0) {
            throw new IllegalArgumentException("--num-gpus must be >= 0 (got " + numGpus + ")");
          }
          b.numGpus(numGpus);
        }
        if (resources != null) {
          b.resources(parseResources(resources));
        }
        if (objectStoreMemory != null) {
          b.objectStoreBytes(objectStoreMemory);
        }
        if (storage != null) {
          if (mode.address != null) {
            throw new IllegalArgumentException(
                "--storage is the head's setting: give it to weft start --head");
          }
          if (storage.startsWith("file:") && storage.length() > 5) {
            storage = "file:" + Path.of(storage.substring(5)).toAbsolutePath();
          } else if (!storage.equals("memory") && !storage.startsWith("redis://")) {
            throw new IllegalArgumentException(
                "--storage "
                    + storage
                    + " is not a storage Weft knows: give file:DIR (an append-only log in DIR),"
                    + " redis://HOST:PORT[/DB] (a Redis server) or memory (nothing kept)");
          }
          b.controlStorage(storage);
        }
        if (nodeTimeoutMs != null) {
          if (mode.address != null) {
            throw new IllegalArgumentException(
                "--node-timeout-ms is the head's setting: give it to weft start --head");
          }
          b.nodeTimeout(java.time.Duration.ofMillis(nodeTimeoutMs));
        }
        if (port != null && (port < 0 || port > 65535)) {
          throw new IllegalArgumentException("--port must be 0..65535 (got " + port + ")");
        }
        return b.build();
      } catch (IllegalArgumentException e) {
        System.err.println(
            "weft start: "
                + e.getMessage()
                    .replace("WeftConfig.numCpus", "--num-cpus")
                    .replace("WeftConfig.tasksPerWorker", "--tasks-per-worker")
                    .replace("WeftConfig.objectStoreBytes", "--object-store-memory")
                    .replace("WeftConfig.resources", "--resources")
                    .replace("WeftConfig.nodeTimeout", "--node-timeout-ms"));
        return null;
      }
    }

    /** {@code NAME=AMOUNT,...}: names without blanks, amounts non-negative numbers. */
    static Map<String, Double> parseResources(String spec) {
      Map<String, Double> out = new LinkedHashMap<>();
      for (String kv : spec.split(",")) {
        if (kv.isBlank()) {
          continue;
        }
        int eq = kv.indexOf('=');
        String name = eq < 0 ? "" : kv.substring(0, eq).trim();
        if (eq < 0 || name.isEmpty() || name.chars().anyMatch(Character::isWhitespace)) {
          throw new IllegalArgumentException(
              "--resources wants NAME=AMOUNT,... (got '" + kv.trim() + "')");
        }
        if (name.equals("CPU") || name.equals("GPU")) {
          throw new IllegalArgumentException(
              "--resources: give " + name + " with --num-" + name.toLowerCase() + "s instead");
        }
        double amount;
        try {
          amount = Double.parseDouble(kv.substring(eq + 1).trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "--resources: the amount of '" + name + "' is not a number (got '" + kv + "')");
        }
        if (!(amount >= 0) || Double.isInfinite(amount)) {
          throw new IllegalArgumentException(
              "--resources: the amount of '" + name + "' must be >= 0 (got " + amount + ")");
        }
        if (out.put(name, amount) != null) {
          throw new IllegalArgumentException("--resources: '" + name + "' is given twice");
        }
      }
      return out;
    }

    /** The advertised address: --node-ip, else a specific --bind-address, else {@code dflt}. */
    String advertisedHost(String dflt) {
      if (nodeIp != null) {
        return nodeIp;
      }
      if (bindAddress != null && !isWildcard(bindAddress)) {
        return bindAddress;
      }
      return dflt;
    }

    static boolean isWildcard(String host) {
      return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }

    @Override
    public Integer call() throws Exception {
      if (tlsCert != null || tlsKey != null || tlsCa != null) {
        if (tlsCert == null || tlsKey == null) {
          System.err.println("TLS needs both --tls-cert and --tls-key");
          return 2;
        }
        // the processes started below inherit these (ProcessLauncher forwards weft.tls.*)
        System.setProperty(Tls.CERT_PROPERTY, tlsCert.toAbsolutePath().toString());
        System.setProperty(Tls.KEY_PROPERTY, tlsKey.toAbsolutePath().toString());
        System.setProperty(
            Tls.CA_PROPERTY, (tlsCa != null ? tlsCa : tlsCert).toAbsolutePath().toString());
        try {
          Tls.fromSystemProperties();
        } catch (IllegalArgumentException e) {
          System.err.println(e.getMessage());
          return 2;
        }
      }
      if (nodeIp != null && isWildcard(nodeIp)) {
        System.err.println(
            "--node-ip "
                + nodeIp
                + " is not an address others can reach: give this machine's address (listen on"
                + " every interface with --bind-address "
                + nodeIp
                + ")");
        return 2;
      }
      return mode.head ? startHead() : JoinedNodes.join(this, mode.address);
    }

    @Option(
        names = "--dashboard-port",
        defaultValue = "8265",
        description =
            "The head's dashboard port (default ${DEFAULT-VALUE}; a free one if taken; -1: no"
                + " dashboard).")
    int dashboardPort;

    @Option(
        names = "--dashboard-host",
        defaultValue = "127.0.0.1",
        description =
            "Where the dashboard listens (default ${DEFAULT-VALUE}, this machine only; 0.0.0.0"
                + " exposes it, and then its API asks for the cluster token).")
    String dashboardHost;

    private static boolean isLoopback(String host) {
      try {
        return java.net.InetAddress.getByName(host).isLoopbackAddress();
      } catch (java.net.UnknownHostException e) {
        return false;
      }
    }

    /** The dashboard's URL, as the head's node registered it (null: none). */
    private static String dashboardUrl(String controlAddress, String token) {
      try {
        Connection c =
            Rpc.connect(controlAddress, token, (conn, id, m) -> {}, Duration.ofSeconds(5));
        try {
          Msg reply = c.call(new Msg.ClusterStatus()).get(10, TimeUnit.SECONDS);
          return reply instanceof Msg.StatusReply s ? s.dashboardUrl() : null;
        } finally {
          c.close();
        }
      } catch (Exception e) {
        return null;
      }
    }

    private int startHead() throws Exception {
      int headPort = port != null ? port : 7380;
      Path dir = ClusterFiles.clusterDir(headPort);
      WeftConfig cfg = config(dir.resolve("logs").toString());
      if (cfg == null) {
        return 2;
      }
      if (Files.exists(dir.resolve("pids")) && alivePids(dir).findAny().isPresent()) {
        System.err.println(
            "a Weft head is already running on port "
                + headPort
                + " (stop it with `weft stop --port "
                + headPort
                + "`)");
        return 1;
      }
      String host = advertisedHost(HostAddresses.loopback());
      String bind = bindAddress != null ? bindAddress : host;
      System.setProperty("weft.dashboard.port", Integer.toString(dashboardPort));
      System.setProperty("weft.dashboard.host", dashboardHost);
      EmbeddedCluster c;
      try {
        c =
            EmbeddedCluster.start(
                cfg, bind, host, headPort, 0, null, ClusterFiles.newToken(), () -> {});
      } finally {
        System.clearProperty("weft.dashboard.port");
        System.clearProperty("weft.dashboard.host");
      }
      ClusterFiles.writeToken(headPort, c.token);
      StringBuilder pids = new StringBuilder();
      for (Process p : c.processes()) {
        pids.append(p.pid()).append('\n');
      }
      Files.writeString(dir.resolve("pids"), pids);
      System.out.println("Weft head started at " + c.controlAddress);
      System.out.println("  logs:    " + c.sessionDir);
      System.out.println(
          "  connect: Weft.init(\""
              + c.controlAddress
              + "\")  or  WEFT_ADDRESS="
              + c.controlAddress);
      System.out.println(
          "  token:   "
              + c.token
              + "  (drivers on this machine find it themselves; elsewhere set WEFT_TOKEN)");
      System.out.println("  join:    weft start --address " + c.controlAddress);
      String dashboard = dashboardUrl(c.controlAddress, c.token);
      if (dashboard != null) {
        System.out.println(
            "  dashboard: "
                + dashboard
                + (isLoopback(dashboardHost)
                    ? ""
                    : "  (its API needs the token: open " + dashboard + "?token=<token>)"));
      }
      Tls tls = Tls.fromSystemProperties();
      if (tls != null) {
        Files.writeString(dir.resolve("tls"), String.join("\n", tls.jvmOptions()) + "\n");
        System.out.println(
            "  TLS:     on; drivers and other processes need "
                + String.join(" ", tls.jvmOptions()));
      }
      System.out.println("  stop:    weft stop --port " + headPort);
      return 0;
    }
  }

  /**
   * A connection to a head's control store, found from --address, WEFT_ADDRESS or the default port.
   */
  record Head(String address, String token, Connection control) {
    /** Connects, or prints why it cannot and returns null. */
    /** A head started with --tls-cert wrote its TLS options next to its token: use them. */
    static void useTlsOfHead(String addr) {
      try {
        int port = Integer.parseInt(addr.substring(addr.lastIndexOf(':') + 1));
        Path tls = ClusterFiles.clusterDir(port).resolve("tls");
        if (Files.exists(tls)) {
          for (String line : Files.readAllLines(tls)) {
            int eq = line.indexOf('=');
            if (line.startsWith("-D") && eq > 2) {
              System.setProperty(line.substring(2, eq), line.substring(eq + 1));
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        System.err.println("cannot read the TLS settings of the head at " + addr + ": " + e);
      }
    }

    static Head connect(String address) {
      String addr =
          address != null
              ? address
              : System.getenv("WEFT_ADDRESS") != null
                  ? System.getenv("WEFT_ADDRESS")
                  : HostAddresses.loopback() + ":7380";
      String token;
      try {
        token = ClusterFiles.tokenFor(addr);
      } catch (IOException e) {
        System.err.println("no Weft cluster known at " + addr + ": " + e.getMessage());
        return null;
      }
      useTlsOfHead(addr);
      try {
        return new Head(
            addr, token, Rpc.connect(addr, token, (conn, id, m) -> {}, Duration.ofSeconds(5)));
      } catch (IOException e) {
        System.err.println(
            "cannot reach the Weft head at "
                + addr
                + ": "
                + e.getMessage()
                + " (start one with `weft start --head`)");
        return null;
      }
    }
  }

  static Stream<ProcessHandle> alivePids(Path dir) throws IOException {
    return Files.readAllLines(dir.resolve("pids")).stream()
        .filter(s -> !s.isBlank())
        .map(s -> ProcessHandle.of(Long.parseLong(s.trim())))
        .flatMap(java.util.Optional::stream)
        .filter(ProcessHandle::isAlive);
  }

  @Command(
      name = "stop",
      mixinStandardHelpOptions = true,
      description =
          "Stops every Weft process that `weft start` started on this machine: heads and joined"
              + " nodes (with their workers).")
  static final class Stop implements Callable<Integer> {
    @Option(
        names = "--port",
        description =
            "Only the head on this port and the nodes joined to it from this machine (default:"
                + " every head and node of this user).")
    Integer port;

    @Override
    public Integer call() throws Exception {
      // Joined nodes first: they would exit anyway once their head's control store is gone, but
      // stopping them here ends their workers in order and lets this command wait for them.
      int nodesStopped = 0;
      for (JoinedNodes.Node n : JoinedNodes.list()) {
        if (port != null && !n.head().endsWith(":" + port)) {
          continue;
        }
        if (n.process().isPresent()) {
          ProcessHandle p = n.process().get();
          stopProcesses(List.of(p));
          System.out.println(
              "stopped the Weft node joined to " + n.head() + " (pid " + p.pid() + ")");
          nodesStopped++;
        }
        Files.deleteIfExists(n.dir().resolve("pid"));
      }
      Path root = ClusterFiles.root().resolve("clusters");
      List<Path> dirs = new ArrayList<>();
      if (port != null) {
        dirs.add(ClusterFiles.clusterDir(port));
      } else if (Files.isDirectory(root)) {
        try (Stream<Path> s = Files.list(root)) {
          s.forEach(dirs::add);
        }
      }
      int stopped = 0;
      for (Path d : dirs) {
        if (!Files.exists(d.resolve("pids"))) {
          continue;
        }
        List<ProcessHandle> ps = alivePids(d).toList();
        stopProcesses(ps);
        Files.deleteIfExists(d.resolve("pids"));
        Files.deleteIfExists(d.resolve("token"));
        System.out.println(
            "stopped the Weft head on port " + d.getFileName() + " (" + ps.size() + " processes)");
        stopped++;
      }
      if (stopped == 0) {
        System.out.println("no Weft head is running" + (port != null ? " on port " + port : ""));
      }
      if (nodesStopped == 0 && port == null) {
        System.out.println("no joined Weft node is running");
      }
      return 0;
    }

    /**
     * SIGTERM (in reverse order), then up to 10 s each to exit, else they and theirs are killed.
     */
    static void stopProcesses(List<ProcessHandle> ps) {
      for (int i = ps.size() - 1; i >= 0; i--) {
        ps.get(i).destroy();
      }
      for (ProcessHandle p : ps) {
        try {
          p.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
        }
      }
    }
  }

  @Command(
      name = "memory",
      mixinStandardHelpOptions = true,
      description =
          "Lists the cluster's objects: owner, size, where they are, who references them.")
  static final class Memory implements Callable<Integer> {
    @Option(
        names = "--address",
        description = "Head address host:port (default: WEFT_ADDRESS, else 127.0.0.1:7380).")
    String address;

    @Option(
        names = "--max",
        defaultValue = "200",
        description =
            "At most this many objects per owner and per store (default ${DEFAULT-VALUE}).")
    int max;

    @Override
    public Integer call() throws Exception {
      Head head = Head.connect(address);
      if (head == null) {
        return 1;
      }
      String token = head.token();
      Connection control = head.control();
      List<Connection> opened = new ArrayList<>(List.of(control));
      try {
        Msg.StatusReply status =
            (Msg.StatusReply) control.call(new Msg.ClusterStatus()).get(10, TimeUnit.SECONDS);
        List<String> owners =
            new ArrayList<>(
                ((Msg.Owners) control.call(new Msg.ListOwners()).get(10, TimeUnit.SECONDS))
                    .addresses());
        java.util.Map<String, String[]> stored = new java.util.HashMap<>(); // id -> {size, node}
        long storeUsed = 0;
        long storeCapacity = 0;
        long spilled = 0;
        StringBuilder stores = new StringBuilder();
        for (Msg.NodeInfo n : status.nodes()) {
          if (!n.alive()) {
            continue;
          }
          Connection nc =
              Rpc.connect(n.address(), token, (conn, id, m) -> {}, Duration.ofSeconds(5));
          opened.add(nc);
          owners.addAll(
              ((Msg.Owners) nc.call(new Msg.ListOwners()).get(10, TimeUnit.SECONDS)).addresses());
          Msg.StoreStatsReply st =
              (Msg.StoreStatsReply) nc.call(new Msg.StoreStats()).get(10, TimeUnit.SECONDS);
          storeUsed += st.usedBytes();
          storeCapacity += st.capacityBytes();
          spilled += st.spilledBytes();
          stores.append(
              String.format(
                  "  %-14s %s of %s in memory, %d objects, %d pinned by readers, %d spilled to disk (%s in %d files)%n",
                  n.nodeId(),
                  bytes(st.usedBytes()),
                  bytes(st.capacityBytes()),
                  st.objects(),
                  st.pinned(),
                  st.spilledObjects(),
                  bytes(st.spilledBytes()),
                  st.spillFiles()));
          for (String line : st.objectLines()) {
            String[] p = line.split(" ");
            stored.put(p[0], new String[] {p[1], n.nodeId(), p[3]});
          }
        }
        System.out.printf(
            "%-32s  %-7s  %10s  %-22s  %-14s  %s%n",
            "OBJECT", "WHERE", "SIZE", "OWNER", "NODE", "REFERENCES");
        int count = 0;
        long inline = 0;
        for (String owner : owners) {
          Msg.ObjectList list;
          try {
            Connection oc = Rpc.connect(owner, token, (conn, id, m) -> {}, Duration.ofSeconds(5));
            opened.add(oc);
            list = (Msg.ObjectList) oc.call(new Msg.ListObjects(max)).get(10, TimeUnit.SECONDS);
          } catch (Exception e) {
            System.err.println("  (cannot ask " + owner + ": " + e.getMessage() + ")");
            continue;
          }
          for (String line : list.lines()) {
            String[] p = line.split(" ", 4); // id state bytes refs...
            String[] where = stored.get(p[0]);
            long size = where != null ? Long.parseLong(where[0]) : Long.parseLong(p[2]);
            if (where == null) {
              inline += size;
            }
            String state =
                where != null && where.length > 2 && "SPILLED".equals(where[2]) ? "SPILLED" : p[1];
            System.out.printf(
                "%-32s  %-7s  %10s  %-22s  %-14s  %s%n",
                p[0], state, bytes(size), owner, where != null ? where[1] : "(in owner)", p[3]);
            count++;
          }
          if (list.total() > list.lines().size()) {
            System.out.println(
                "  ... and "
                    + (list.total() - list.lines().size())
                    + " more objects of "
                    + owner
                    + " (raise --max)");
          }
        }
        System.out.println();
        System.out.printf(
            "%d objects listed: %s held inline by their owners, %s in object stores (%s capacity), %s spilled to disk%n",
            count, bytes(inline), bytes(storeUsed), bytes(storeCapacity), bytes(spilled));
        System.out.print(stores);
        return 0;
      } finally {
        opened.forEach(Connection::close);
      }
    }

    static String bytes(long b) {
      if (b < 1024) {
        return b + " B";
      }
      String[] u = {"KiB", "MiB", "GiB", "TiB"};
      double v = b;
      int i = -1;
      while (v >= 1024 && i < u.length - 1) {
        v /= 1024;
        i++;
      }
      return String.format("%.1f %s", v, u[i]);
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = {
        "Shows the cluster's nodes, jobs and actors.",
        "--json prints one JSON object: {\"address\":…,\"nodes\":[{\"nodeId\":…,\"address\":…,"
            + "\"alive\":…,\"pid\":…,\"total\":{…},\"available\":{…}}],\"jobs\":[…],"
            + "\"actors\":[…],\"placementGroups\":[…]} (pid: the node manager's process id on"
            + " its machine)."
      })
  static final class Status implements Callable<Integer> {
    @Option(
        names = "--address",
        description = "Head address host:port (default: WEFT_ADDRESS, else 127.0.0.1:7380).")
    String address;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      Head head = Head.connect(address);
      if (head == null) {
        return 1;
      }
      String addr = head.address();
      Connection c = head.control();
      try {
        Msg reply = c.call(new Msg.ClusterStatus()).get(10, TimeUnit.SECONDS);
        if (!(reply instanceof Msg.StatusReply s)) {
          System.err.println("unexpected reply: " + reply);
          return 1;
        }
        Msg pgs = c.call(new Msg.ListPlacementGroups()).get(10, TimeUnit.SECONDS);
        List<Msg.PlacementGroupInfo> groups =
            pgs instanceof Msg.PlacementGroupList l ? l.groups() : List.of();
        if (json) {
          System.out.println(StatusJson.of(addr, s, groups));
          return 0;
        }
        System.out.println(
            "Weft cluster at " + addr + " (control store pid " + s.controlStorePid() + ")");
        System.out.println("nodes (" + s.nodes().size() + "):");
        for (Msg.NodeInfo n : s.nodes()) {
          System.out.printf(
              "  %-14s %-22s %-6s pid %-8d total %s available %s%n",
              n.nodeId(),
              n.address(),
              n.alive() ? "ALIVE" : "DEAD",
              n.pid(),
              n.resources(),
              n.available());
        }
        System.out.println("jobs (" + s.jobs().size() + "):");
        s.jobs().forEach(j -> System.out.println("  " + j));
        System.out.println("actors (" + s.actors().size() + "):");
        for (Msg.ActorInfo a : s.actors()) {
          System.out.printf(
              "  %016x%016x %-10s %-30s %s%s%n",
              a.actorHi(),
              a.actorLo(),
              a.state(),
              a.className(),
              a.name() == null ? "" : "name=" + a.name() + " ",
              a.state() == Msg.ActorState.DEAD
                  ? "(" + a.deathReason() + ")"
                  : a.address() == null ? "" : "at " + a.address());
        }
        System.out.println("placement groups (" + groups.size() + "):");
        for (Msg.PlacementGroupInfo g : groups) {
          System.out.printf(
              "  %s job %d %-13s %-8s %s %s%n",
              g.groupId(),
              g.jobId(),
              g.strategy(),
              g.state(),
              g.bundles(),
              g.state() == Msg.PlacementGroupState.CREATED
                  ? "on " + g.bundleNodes()
                  : g.pendingReason() == null
                      ? "(waiting for free resources)"
                      : "(cannot be placed: " + g.pendingReason() + ")");
        }
        if (!s.infeasible().isEmpty()) {
          System.out.println(
              "infeasible demands (" + s.infeasible().size() + "), waiting for a node that can:");
          for (Msg.PendingDemand d : s.infeasible()) {
            System.out.printf(
                "  %-5s %-40s x%d asks %s (waits at %s)%n",
                d.kind(), d.name(), d.count(), d.resources(), d.nodeId());
          }
        }
        return 0;
      } finally {
        c.close();
      }
    }
  }
}
