package dev.weft.bench.peers.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.ExecutionCallback;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
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
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Hazelcast {@link IExecutorService}: this driver is one member of a two-member cluster on loopback
 * (TCP/IP join, no multicast, no phone-home) and sends every task to the other member, a separate
 * JVM ({@link HazelcastPeer.OtherMember}).
 */
public final class HazelcastPeer extends PeerDriver {
  static final String EXECUTOR = "weft-bench";

  private final MemberProcess other;
  private final HazelcastInstance hz;
  private final IExecutorService executor;
  private final Member target;

  private HazelcastPeer() throws Exception {
    String cluster = "weft-bench-" + UUID.randomUUID();
    int myPort = PeerProtocol.freePort();
    int otherPort = PeerProtocol.freePort();
    other =
        MemberProcess.start(
            "hazelcast-member",
            OtherMember.class.getName(),
            List.of(cluster, String.valueOf(otherPort), String.valueOf(myPort)),
            Duration.ofSeconds(90));
    try {
      hz = Hazelcast.newHazelcastInstance(config(cluster, myPort, otherPort));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (hz.getCluster().getMembers().size() < 2) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the second Hazelcast member did not join within 60 s");
        }
        Thread.sleep(20);
      }
      target =
          hz.getCluster().getMembers().stream()
              .filter(m -> !m.localMember())
              .findFirst()
              .orElseThrow();
      executor = hz.getExecutorService(EXECUTOR);
    } catch (Exception | Error e) {
      other.close();
      throw e;
    }
  }

  public static void main(String[] args) {
    serve(HazelcastPeer::new);
  }

  /** Both members' configuration: loopback only, static member list, our serializers. */
  static Config config(String cluster, int port, int otherPort) {
    Config c = new Config();
    c.setClusterName(cluster);
    c.setProperty("hazelcast.phone.home.enabled", "false");
    c.setProperty("hazelcast.socket.bind.any", "false");
    c.setProperty("hazelcast.logging.type", "jdk");
    c.getJetConfig().setEnabled(false);
    NetworkConfig net = c.getNetworkConfig();
    net.setPort(port).setPortAutoIncrement(false);
    net.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig()
        .setEnabled(true)
        .addMember("127.0.0.1:" + port)
        .addMember("127.0.0.1:" + otherPort);
    c.getSerializationConfig()
        .addDataSerializableFactory(HzTasks.FACTORY_ID, new HzTasks.Factory());
    return c;
  }

  @Override
  public String system() {
    return "Hazelcast " + com.hazelcast.instance.BuildInfoProvider.getBuildInfo().getVersion();
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
            check(
                executor
                    .submitToMember(new HzTasks.SmallValue(), target)
                    .get(timeoutMs, TimeUnit.MILLISECONDS));
            return 1;
          };
      case Workloads.TASKS_ASYNC ->
          () -> {
            int n = spec.batch();
            List<Future<Integer>> fs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
              fs.add(executor.submitToMember(new HzTasks.SmallValue(), target));
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            for (Future<Integer> f : fs) {
              check(f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            }
            return n;
          };
      case Workloads.DAG ->
          () -> {
            int leaves = spec.leaves();
            CompletableFuture<Long> root =
                Workloads.treeReduce(
                    leaves,
                    i -> submit(new HzTasks.Leaf(i)),
                    (a, b) -> a.thenCombine(b, HzTasks.Add::new).thenCompose(this::submit));
            long got = root.get(timeoutMs, TimeUnit.MILLISECONDS);
            if (got != Workloads.dagExpected(leaves)) {
              throw new WorkloadFailedException(
                  "the DAG's root is " + got + ", expected " + Workloads.dagExpected(leaves));
            }
            return Workloads.dagTasks(leaves);
          };
      default ->
          throw new IllegalArgumentException(
              "Hazelcast runs " + workloads() + ", not " + spec.workload());
    };
  }

  private <T> CompletableFuture<T> submit(java.util.concurrent.Callable<T> task) {
    CompletableFuture<T> f = new CompletableFuture<>();
    executor.submitToMember(
        task,
        target,
        new ExecutionCallback<T>() {
          @Override
          public void onResponse(T response) {
            f.complete(response);
          }

          @Override
          public void onFailure(Throwable t) {
            f.completeExceptionally(t);
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
      hz.getLifecycleService().terminate();
    } finally {
      other.close();
    }
  }

  /**
   * The other member: joins the cluster, runs the tasks sent to it, exits when its input closes.
   */
  public static final class OtherMember {
    private OtherMember() {}

    public static void main(String[] args) {
      PeerProtocol.takeStdout();
      HazelcastInstance hz;
      try {
        hz =
            Hazelcast.newHazelcastInstance(
                config(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2])));
      } catch (RuntimeException | Error e) {
        MemberProcess.fatal(e);
        return;
      }
      MemberProcess.announceAndAwaitEof(
          Map.of("member", hz.getCluster().getLocalMember().toString()));
      hz.getLifecycleService().terminate();
      Runtime.getRuntime().halt(0);
    }
  }
}
