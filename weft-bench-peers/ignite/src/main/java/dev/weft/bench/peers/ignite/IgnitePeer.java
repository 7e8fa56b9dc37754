package dev.weft.bench.peers.ignite;

import dev.weft.bench.peers.MemberProcess;
import dev.weft.bench.peers.PeerDriver;
import dev.weft.bench.peers.PeerProtocol;
import dev.weft.bench.peers.RunSpec;
import dev.weft.bench.peers.Workload;
import dev.weft.bench.peers.WorkloadFailedException;
import dev.weft.bench.peers.Workloads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCompute;
import org.apache.ignite.Ignition;
import org.apache.ignite.configuration.DataStorageConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.lang.IgniteFuture;
import org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;

/**
 * Apache Ignite compute: this driver is one server node of a two-node cluster on loopback (static
 * IP finder, no multicast, no update check, no client/REST connectors) and runs every task on the
 * other node, a separate JVM ({@link IgnitePeer.OtherNode}), through {@code
 * ignite.compute(forRemotes())}.
 */
public final class IgnitePeer extends PeerDriver {
  private final MemberProcess other;
  private final Ignite ignite;
  private final IgniteCompute compute;

  private IgnitePeer() throws Exception {
    String name = "weft-bench-" + UUID.randomUUID();
    int[] disco = {PeerProtocol.freePort(), PeerProtocol.freePort()};
    int[] comm = {PeerProtocol.freePort(), PeerProtocol.freePort()};
    other =
        MemberProcess.start(
            "ignite-node",
            OtherNode.class.getName(),
            List.of(
                name + "-b",
                String.valueOf(disco[1]),
                String.valueOf(comm[1]),
                String.valueOf(disco[0])),
            Duration.ofSeconds(120));
    try {
      ignite = Ignition.start(config(name + "-a", disco[0], comm[0], disco[1]));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (ignite.cluster().forRemotes().nodes().isEmpty()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the second Ignite node did not join within 60 s");
        }
        Thread.sleep(20);
      }
      compute = ignite.compute(ignite.cluster().forRemotes());
    } catch (Exception | Error e) {
      other.close();
      throw e;
    }
  }

  public static void main(String[] args) {
    serve(IgnitePeer::new);
  }

  /**
   * A server node's configuration: loopback only, both nodes' discovery ports listed statically.
   */
  static IgniteConfiguration config(String instance, int discoPort, int commPort, int otherDisco) {
    IgniteConfiguration c = new IgniteConfiguration();
    c.setIgniteInstanceName(instance);
    c.setLocalHost("127.0.0.1");
    // its work folder (marshaller mappings, binary metadata) in the run's log folder, not ./ignite
    c.setWorkDirectory(PeerProtocol.logDir().resolve("ignite-work-" + instance).toString());
    TcpDiscoveryVmIpFinder finder = new TcpDiscoveryVmIpFinder();
    finder.setAddresses(List.of("127.0.0.1:" + discoPort, "127.0.0.1:" + otherDisco));
    TcpDiscoverySpi disco = new TcpDiscoverySpi();
    disco.setLocalAddress("127.0.0.1");
    disco.setLocalPort(discoPort);
    disco.setLocalPortRange(0);
    disco.setIpFinder(finder);
    c.setDiscoverySpi(disco);
    TcpCommunicationSpi comm = new TcpCommunicationSpi();
    comm.setLocalAddress("127.0.0.1");
    comm.setLocalPort(commPort);
    comm.setLocalPortRange(0);
    c.setCommunicationSpi(comm);
    c.setClientConnectorConfiguration(null);
    c.setConnectorConfiguration(null);
    c.setMetricsLogFrequency(0);
    DataStorageConfiguration ds = new DataStorageConfiguration();
    ds.getDefaultDataRegionConfiguration().setInitialSize(64L << 20).setMaxSize(128L << 20);
    ds.setSystemDataRegionConfiguration(
        ds.getSystemDataRegionConfiguration().setInitialSize(32L << 20).setMaxSize(64L << 20));
    c.setDataStorageConfiguration(ds);
    return c;
  }

  @Override
  public String system() {
    return "Apache Ignite " + ignite.version().toString().replaceAll("#.*", "");
  }

  @Override
  public List<String> workloads() {
    return List.of(Workloads.TASKS_SYNC, Workloads.TASKS_ASYNC, Workloads.DAG);
  }

  @Override
  public Workload open(RunSpec spec) {
    long timeoutMs = spec.timeout().toMillis();
    return switch (spec.workload()) {
      case Workloads.TASKS_SYNC ->
          () -> {
            check(compute.callAsync(new SmallValue()).get(timeoutMs, TimeUnit.MILLISECONDS));
            return 1;
          };
      case Workloads.TASKS_ASYNC ->
          () -> {
            int n = spec.batch();
            List<IgniteFuture<Integer>> fs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
              fs.add(compute.callAsync(new SmallValue()));
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            for (IgniteFuture<Integer> f : fs) {
              check(f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            }
            return n;
          };
      case Workloads.DAG ->
          () -> {
            int leaves = spec.leaves();
            CompletableFuture<Long> root =
                Workloads.treeReduce(
                    leaves,
                    i -> submit(new Leaf(i)),
                    (a, b) -> a.thenCombine(b, Add::new).thenCompose(this::submit));
            long got = root.get(timeoutMs, TimeUnit.MILLISECONDS);
            if (got != Workloads.dagExpected(leaves)) {
              throw new WorkloadFailedException(
                  "the DAG's root is " + got + ", expected " + Workloads.dagExpected(leaves));
            }
            return Workloads.dagTasks(leaves);
          };
      default ->
          throw new IllegalArgumentException(
              "Ignite runs " + workloads() + ", not " + spec.workload());
    };
  }

  private <T> CompletableFuture<T> submit(IgniteCallable<T> task) {
    CompletableFuture<T> f = new CompletableFuture<>();
    compute
        .callAsync(task)
        .listen(
            done -> {
              try {
                f.complete(done.get());
              } catch (RuntimeException e) {
                f.completeExceptionally(e);
              }
            });
    return f;
  }

  private static void check(Integer got) {
    if (got == null || got != Workloads.SMALL_VALUE) {
      throw new WorkloadFailedException(
          "the task returned " + got + ", expected " + Workloads.SMALL_VALUE);
    }
  }

  @Override
  public void close() {
    try {
      Ignition.stop(ignite.name(), true);
    } finally {
      other.close();
    }
  }

  /** The trivial task: returns 1. */
  static final class SmallValue implements IgniteCallable<Integer> {
    @Override
    public Integer call() {
      return Workloads.SMALL_VALUE;
    }
  }

  /**
   * A DAG leaf: returns its index. (A class, not a record: Ignite's marshaller can't write
   * records.)
   */
  static final class Leaf implements IgniteCallable<Long> {
    private final int i;

    Leaf(int i) {
      this.i = i;
    }

    @Override
    public Long call() {
      return (long) i;
    }
  }

  /** A DAG reduction: returns a + b. */
  static final class Add implements IgniteCallable<Long> {
    private final long a;
    private final long b;

    Add(long a, long b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public Long call() {
      return a + b;
    }
  }

  /** The other node: joins, runs the tasks sent to it, exits when its input closes. */
  public static final class OtherNode {
    private OtherNode() {}

    public static void main(String[] args) {
      PeerProtocol.takeStdout();
      Ignite ignite;
      try {
        ignite =
            Ignition.start(
                config(
                    args[0],
                    Integer.parseInt(args[1]),
                    Integer.parseInt(args[2]),
                    Integer.parseInt(args[3])));
      } catch (RuntimeException | Error e) {
        MemberProcess.fatal(e);
        return;
      }
      MemberProcess.announceAndAwaitEof(
          Map.of("node", ignite.cluster().localNode().id().toString()));
      Runtime.getRuntime().halt(0);
    }
  }
}
