package dev.weft.bench;

import dev.weft.ActorHandle;
import dev.weft.ObjectRef;
import dev.weft.SchedulingStrategy;
import dev.weft.Weft;
import dev.weft.WeftConfig;
import dev.weft.testing.LocalCluster;
import dev.weft.testing.NodeOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Multi-node benchmarks (issue 9), each against the same workload on one node in the same run, so
 * the ratio tells what spreading over nodes costs or gives on this machine:
 *
 * <ul>
 *   <li>{@code tasks_async_3_nodes} (and {@code tasks_spread_3_nodes}): batches of trivial tasks on
 *       3 nodes of 1 CPU each, DEFAULT (spillback) and SPREAD, against one node of 3 CPUs. All
 *       nodes share this machine's cores, so a ratio near 1 is the best to expect here: three nodes
 *       add node managers and worker JVMs, not cores.
 *   <li>{@code many_actors} (Ray's scalability-envelope name): N lightweight actors created with
 *       SPREAD over 3 nodes, until each has answered one call; seconds and resident memory per
 *       actor (all of the cluster's processes, after less before), against N on one node.
 * </ul>
 *
 * Run by {@code weft bench --multi-node} (or this class's main): {@code --quick} for a smoke run,
 * {@code --actors N} (default 10,000; quick 200), {@code --json FILE}.
 */
public final class MultiNodeBench {
  private MultiNodeBench() {}

  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** A worker's trivial task. */
  public static int one() {
    return 1;
  }

  public static int run(String... args) {
    List<String> a = Arrays.asList(args);
    boolean quick = a.contains("--quick");
    String json = option(args, "--json", "weft-multinode-bench.json");
    int actors = Integer.parseInt(option(args, "--actors", quick ? "200" : "10000"));
    double seconds = quick ? 0.5 : 3;
    int batch = quick ? 50 : 500;
    int rounds = quick ? 1 : 2;
    Map<String, Object> out = new LinkedHashMap<>();
    try {
      if (Weft.isInitialized()) {
        Weft.shutdown();
      }
      System.out.printf("%-26s %16s %16s %8s%n", "benchmark", "3 nodes", "1 node", "ratio");
      // rounds alternate the two clusters, so a drift of the machine's speed hits both
      double[][] tasks = new double[2][rounds];
      double[][] spread = new double[2][rounds];
      double[][] actorSecs = new double[2][rounds];
      double[][] actorMem = new double[2][rounds];
      for (int r = 0; r < rounds; r++) {
        for (int c = 0; c < 2; c++) {
          boolean three = c == 0;
          try (LocalCluster cluster = cluster(three)) {
            cluster.connect(WeftConfig.builder().jobName("multinode-bench").build());
            tasks[c][r] = tasksPerSecond(SchedulingStrategy.DEFAULT, batch, seconds);
            spread[c][r] = tasksPerSecond(SchedulingStrategy.SPREAD, batch, seconds);
            double[] m = manyActors(actors);
            actorSecs[c][r] = m[0];
            actorMem[c][r] = m[1];
          }
        }
      }
      row(out, "tasks_async_3_nodes", "tasks/s", median(tasks[0]), median(tasks[1]), false);
      row(out, "tasks_spread_3_nodes", "tasks/s", median(spread[0]), median(spread[1]), false);
      row(out, "many_actors", "s", median(actorSecs[0]), median(actorSecs[1]), true);
      row(out, "many_actors_rss_per_actor", "KiB", median(actorMem[0]), median(actorMem[1]), true);
      ((Map<String, Object>) out.get("many_actors")).put("actors", actors);
      StoreBench.writeJson(Path.of(json), out);
      System.out.println(
          "results written to "
              + json
              + " ("
              + Runtime.getRuntime().availableProcessors()
              + " cores: every node shares them)");
      return 0;
    } catch (RuntimeException | IOException e) {
      System.err.println("multi-node benchmark failed: " + e);
      e.printStackTrace();
      return 1;
    } finally {
      if (Weft.isInitialized()) {
        Weft.shutdown();
      }
    }
  }

  private static LocalCluster cluster(boolean three) {
    if (!three) {
      return LocalCluster.start(NodeOptions.builder().cpus(3).build());
    }
    LocalCluster c = LocalCluster.start(NodeOptions.builder().cpus(1).build());
    c.addNode(NodeOptions.builder().cpus(1).build());
    c.addNode(NodeOptions.builder().cpus(1).build());
    return c;
  }

  /** Batches of trivial tasks for {@code seconds} (after a warm-up batch): tasks per second. */
  private static double tasksPerSecond(SchedulingStrategy s, int batch, double seconds) {
    runBatch(s, batch);
    long n = 0;
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    while (System.nanoTime() < end) {
      runBatch(s, batch);
      n += batch;
    }
    return n / ((System.nanoTime() - start) / 1e9);
  }

  private static void runBatch(SchedulingStrategy s, int batch) {
    List<ObjectRef<Integer>> refs = new ArrayList<>(batch);
    for (int i = 0; i < batch; i++) {
      refs.add(Weft.task(MultiNodeBench::one).scheduling(s).remote());
    }
    for (int v : Weft.get(refs, TIMEOUT)) {
      if (v != 1) {
        throw new BenchmarkFailedException("a task returned " + v + " instead of 1");
      }
    }
  }

  /**
   * Creates {@code n} actors (SPREAD), calls each once, and returns {seconds until every call
   * answered, KiB of resident memory per actor over every process of the cluster}.
   */
  private static double[] manyActors(int n) throws IOException {
    long rssBefore = clusterRssKib();
    long start = System.nanoTime();
    List<ActorHandle<BenchActor>> handles = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      handles.add(Weft.actor(BenchActor::new).scheduling(SchedulingStrategy.SPREAD).remote());
    }
    List<ObjectRef<Long>> first = new ArrayList<>(n);
    for (ActorHandle<BenchActor> h : handles) {
      first.add(h.task(BenchActor::next).remote());
    }
    for (long v : Weft.get(first, TIMEOUT)) {
      if (v != 1) {
        throw new BenchmarkFailedException("an actor's first call returned " + v + ", not 1");
      }
    }
    double secs = (System.nanoTime() - start) / 1e9;
    double perActor = (clusterRssKib() - rssBefore) / (double) n;
    for (ActorHandle<BenchActor> h : handles) {
      h.kill();
    }
    return new double[] {secs, perActor};
  }

  /** Resident KiB of every process this JVM started (the cluster and its workers). */
  private static long clusterRssKib() throws IOException {
    long sum = 0;
    for (ProcessHandle p : ProcessHandle.current().descendants().toList()) {
      Path status = Path.of("/proc", Long.toString(p.pid()), "status");
      try {
        for (String line : Files.readAllLines(status)) {
          if (line.startsWith("VmRSS:")) {
            sum += Long.parseLong(line.replaceAll("[^0-9]", ""));
          }
        }
      } catch (IOException gone) {
        // the process exited meanwhile: it holds no memory
      }
    }
    return sum;
  }

  @SuppressWarnings("unchecked")
  private static void row(
      Map<String, Object> out,
      String name,
      String unit,
      double three,
      double one,
      boolean lowerIsBetter) {
    double ratio = three / one;
    System.out.printf(
        "%-26s %12.1f %-3s %12.1f %-3s %7.2fx%s%n",
        name, three, unit, one, unit, ratio, lowerIsBetter ? " (lower is better)" : "");
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("unit", unit);
    m.put("three_nodes", three);
    m.put("one_node", one);
    m.put("ratio", ratio);
    out.put(name, m);
  }

  private static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static String option(String[] args, String name, String dflt) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return dflt;
  }
}
