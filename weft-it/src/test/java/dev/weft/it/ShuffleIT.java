package dev.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.ActorHandle;
import dev.weft.SchedulingStrategy;
import dev.weft.Weft;
import dev.weft.WeftConfig;
import dev.weft.shuffle.MapFunction;
import dev.weft.shuffle.MergeFunction;
import dev.weft.shuffle.ReduceFunction;
import dev.weft.shuffle.Shuffle;
import dev.weft.shuffle.ShuffleListener;
import dev.weft.shuffle.ShuffleResult;
import dev.weft.shuffle.Strategy;
import dev.weft.shuffle.sort.GenSort;
import dev.weft.shuffle.sort.SortCheck;
import dev.weft.shuffle.sort.SortMain;
import dev.weft.shuffle.sort.SortRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * weft-shuffle on a real embedded cluster: the generic shuffle API with a non-sort workload, and
 * {@code weft sort} (gen, run, check) with every strategy, odd inputs and a worker killed mid-sort.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShuffleIT {
  /** Tagged tests share one embedded cluster (they only run shuffles and sorts of their own). */
  @RegisterExtension
  static final SharedCluster CLUSTER =
      new SharedCluster(() -> Weft.init(WeftConfig.builder().numCpus(2).build()));

  @TempDir Path tmp;

  /** Map: the numbers [from, to) as 8-byte longs, each to partition value % R. */
  record Numbers() implements MapFunction<long[]> {
    @Override
    public List<ByteBuffer> map(long[] range, int numPartitions) {
      List<ByteBuffer> out = new ArrayList<>();
      for (int p = 0; p < numPartitions; p++) {
        out.add(ByteBuffer.allocate((int) (range[1] - range[0]) * 8));
      }
      for (long v = range[0]; v < range[1]; v++) {
        out.get((int) (v % numPartitions)).putLong(v);
      }
      out.replaceAll(ByteBuffer::flip);
      return out;
    }
  }

  /** Reduce: {count, sum, values not in this partition}. */
  record SumAndCheck() implements ReduceFunction<long[]> {
    @Override
    public long[] reduce(int partition, List<ByteBuffer> blocks) {
      long count = 0;
      long sum = 0;
      long strays = 0;
      for (ByteBuffer b : blocks) {
        for (int i = b.position(); i < b.limit(); i += 8) {
          long v = b.getLong(i);
          count++;
          sum += v;
          strays += v % 5 == partition ? 0 : 1;
        }
      }
      return new long[] {count, sum, strays};
    }
  }

  /** A merge of one block that returns the block itself (a buffer it was lent for the call). */
  record ReturnsItsOnlyBlock() implements MergeFunction {
    @Override
    public ByteBuffer merge(int partition, List<ByteBuffer> blocks) throws Exception {
      return blocks.size() == 1
          ? blocks.get(0)
          : MergeFunction.concatenate().merge(partition, blocks);
    }
  }

  @ParameterizedTest
  @EnumSource(Strategy.class)
  @Tag(SharedCluster.TAG)
  @Order(1)
  void genericShuffleShouldDeliverEveryValueToItsPartition(Strategy strategy) {
    List<long[]> inputs = new ArrayList<>();
    for (long from = 0; from < 100_000; from += 10_000) {
      inputs.add(new long[] {from, from + 10_000});
    }
    AtomicInteger merges = new AtomicInteger();
    Shuffle<long[], long[]> shuffle =
        Shuffle.of(inputs, 5, new Numbers(), new SumAndCheck()).strategy(strategy).mergeFactor(3);
    if (strategy == Strategy.PUSH) {
      shuffle.copyBlocksMax(0); // blocks read in place in the store, not copied first
    }
    if (strategy == Strategy.MERGE) {
      // each merge task combines one map's blocks for a group of partitions, and hands back its
      // input as the merged block: copies of a task's blocks share the thread's memory, so the
      // library must detach what the function returns before the next partition is copied in
      shuffle.mergeFactor(1).merge(new ReturnsItsOnlyBlock());
    }
    ShuffleResult<long[]> r =
        shuffle
            .listener(
                new ShuffleListener() {
                  @Override
                  public void mergeDone(int mapCount, int partitions, int total) {
                    merges.incrementAndGet();
                  }
                })
            .run();
    long count = 0;
    long sum = 0;
    for (int p = 0; p < 5; p++) {
      long[] v = r.results().get(p);
      assertThat(v[2]).as("values of other partitions in partition %d", p).isZero();
      assertThat(v[0]).as("values in partition %d", p).isEqualTo(20_000);
      count += v[0];
      sum += v[1];
    }
    assertThat(count).isEqualTo(100_000);
    assertThat(sum).isEqualTo(99_999L * 100_000 / 2);
    if (strategy == Strategy.SIMPLE) {
      assertThat(r.mergeTasks()).isZero();
    } else {
      assertThat(r.mergeTasks()).as("merge tasks ran").isPositive();
      assertThat(merges.get()).as("merges reported").isEqualTo(r.mergeTasks());
    }
  }

  private int cli(ByteArrayOutputStream err, String... args) {
    PrintStream oldErr = System.err;
    try (PrintStream p = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      System.setErr(p);
      return SortMain.run(args);
    } finally {
      System.setErr(oldErr);
    }
  }

  private void assertValid(Path in, Path out) {
    SortCheck.Result c = SortCheck.check(in, out);
    assertThat(c.error()).as("weft sort check").isNull();
    assertThat(c.valid()).isTrue();
  }

  @ParameterizedTest
  @CsvSource({"SIMPLE,none", "MERGE,none", "PUSH,none", "SIMPLE,lz4", "MERGE,lz4", "PUSH,lz4"})
  @Tag(SharedCluster.TAG)
  @Order(2)
  void sortShouldBeValidWithEveryStrategy_compressedOrNot(Strategy strategy, String compress) {
    Path in = tmp.resolve("in");
    Path out = tmp.resolve("out");
    GenSort.generate(in, 60_000, 3, 7, GenSort.Keys.UNIFORM, false);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    System.setOut(new PrintStream(json, true, StandardCharsets.UTF_8));
    int rc;
    try {
      rc =
          cli(
              err,
              "run",
              "--input",
              in.toString(),
              "--output",
              out.toString(),
              "--strategy",
              strategy.name().toLowerCase(),
              "--reducers",
              "4",
              "--split-bytes",
              "1000000",
              "--merge-factor",
              "2",
              "--compress",
              compress,
              "--json");
    } finally {
      System.setOut(oldOut);
    }
    assertThat(rc).as("weft sort run exit code; stderr: %s", err).isZero();
    assertThat(json.toString(StandardCharsets.UTF_8))
        .as("the JSON summary names the blocks' compression")
        .containsPattern("\"compression\"\\s*:\\s*\"" + compress + "\"");
    assertValid(in, out);
    assertThat(SortMain.run("check", "--input", in.toString(), "--output", out.toString()))
        .as("weft sort check exit code")
        .isZero();
  }

  @Test
  @Tag(SharedCluster.TAG)
  @Order(3)
  void sortShouldHandleEmptyOneFileDuplicateAndSkewedInputs() {
    Path empty = tmp.resolve("empty");
    GenSort.generate(empty, 0, 1, 1, GenSort.Keys.UNIFORM, false);
    Path one = tmp.resolve("one");
    GenSort.generate(one, 12_345, 1, 2, GenSort.Keys.UNIFORM, false);
    Path dups = tmp.resolve("dups");
    GenSort.generate(dups, 30_000, 2, 3, GenSort.Keys.DUPLICATES, false);
    Path skew = tmp.resolve("skew");
    GenSort.generate(skew, 30_000, 2, 4, GenSort.Keys.SKEWED, false);
    int i = 0;
    for (Path in : List.of(empty, one, dups, skew)) {
      Path out = tmp.resolve("out" + i++);
      SortRun.Summary s =
          SortRun.run(
              new SortRun.Options(
                  in,
                  out,
                  3,
                  i % 2 == 0 ? Strategy.PUSH : Strategy.SIMPLE,
                  -1,
                  false,
                  0,
                  4,
                  // the duplicate and skewed keys go through compressed blocks too
                  i >= 3 ? SortRun.Compression.LZ4 : SortRun.Compression.AUTO),
              System.err,
              false);
      assertThat(s.bytes()).isEqualTo(dirBytes(in));
      assertValid(in, out);
    }
  }

  @Test
  @Tag(SharedCluster.TAG)
  @Order(4)
  void sortShouldRefuseABadFileAndAFullOutputFolderClearly() throws Exception {
    Path in = tmp.resolve("in");
    GenSort.generate(in, 1_000, 2, 5, GenSort.Keys.UNIFORM, false);
    Path bad = in.resolve("part-00001");
    Files.write(bad, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Path out = tmp.resolve("out");
    int rc = cli(err, "run", "--input", in.toString(), "--output", out.toString());
    assertThat(rc).isEqualTo(1);
    assertThat(err.toString()).contains(bad.toString()).contains("not a whole number of 100-byte");

    Files.delete(bad);
    Files.createDirectories(out);
    Files.writeString(out.resolve("old-result"), "keep me");
    err.reset();
    rc = cli(err, "run", "--input", in.toString(), "--output", out.toString());
    assertThat(rc).isEqualTo(1);
    assertThat(err.toString()).contains("already holds").contains("--overwrite");
    assertThat(out.resolve("old-result")).as("nothing deleted without --overwrite").exists();

    err.reset();
    rc = cli(err, "run", "--input", in.toString(), "--output", out.toString(), "--overwrite");
    assertThat(rc).as("with --overwrite; stderr: %s", err).isZero();
    assertThat(out.resolve("old-result")).doesNotExist();
    assertValid(in, out);
  }

  @Test
  @Order(10)
  void sortShouldStayValidWhenEveryWorkerIsKilledMidSort() {
    Path in = tmp.resolve("in");
    Path out = tmp.resolve("out");
    GenSort.generate(in, 200_000, 4, 9, GenSort.Keys.UNIFORM, false);
    Weft.init(WeftConfig.builder().numCpus(2).build());
    AtomicInteger killed = new AtomicInteger();
    ShuffleListener killer =
        new ShuffleListener() {
          @Override
          public void mapDone(int index, int total) {
            if (killed.get() == 0) {
              killed.set(killWorkers());
            }
          }
        };
    SortRun.Summary s =
        SortRun.run(
            new SortRun.Options(
                in,
                out,
                4,
                Strategy.SIMPLE,
                -1,
                false,
                500_000,
                4,
                // retried maps and reduces of compressed blocks
                SortRun.Compression.LZ4),
            System.err,
            false,
            killer);
    assertThat(killed.get()).as("worker processes killed after the first map").isPositive();
    assertThat(s.records()).isEqualTo(200_000);
    assertValid(in, out);
  }

  @Test
  @Order(10)
  void benchShouldSortWithWeftAndSparkAndCheckBothOutputs() throws Exception {
    Path work = tmp.resolve("work");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    int rc;
    try (PrintStream p = new PrintStream(out, true, StandardCharsets.UTF_8)) {
      System.setOut(p);
      rc =
          SortMain.run(
              "bench",
              "--records",
              "50000",
              "--work",
              work.toString(),
              "--reducers",
              "3",
              "--disk-probe-bytes",
              "33554432",
              "--spark-heap-mb",
              "1024",
              "--no-drop-caches",
              "--json");
    } finally {
      System.setOut(oldOut);
    }
    String json = out.toString(StandardCharsets.UTF_8);
    assertThat(rc).as("weft sort bench exit code; stdout: %s", json).isZero();
    var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
    assertThat(tree.get("valid").asBoolean()).isTrue();
    assertThat(tree.at("/weft/valid").asBoolean()).isTrue();
    assertThat(tree.at("/spark/valid").asBoolean()).isTrue();
    assertThat(tree.at("/weft/bytes").asLong()).isEqualTo(5_000_000);
    assertThat(tree.at("/disk/readMBs").asDouble()).isPositive();
    assertThat(tree.get("weftOverSpark").asDouble()).isPositive();
    assertThat(work.resolve("weft-output")).as("outputs removed after the check").doesNotExist();
    assertThat(work.resolve("spark-output")).doesNotExist();
  }

  @Test
  @Order(10)
  void sortShouldRunAcrossTheNodesOfACluster() {
    Path in = tmp.resolve("in");
    Path out = tmp.resolve("out");
    GenSort.generate(in, 80_000, 4, 11, GenSort.Keys.UNIFORM, false);
    try (dev.weft.testing.LocalCluster cluster = sortCluster(1)) {
      SortRun.Summary s =
          SortRun.run(
              new SortRun.Options(
                  in, out, 4, Strategy.MERGE, -1, false, 1_000_000, 2, SortRun.Compression.AUTO),
              System.err,
              false);
      assertThat(s.nodes()).isEqualTo(2);
      assertThat(s.mergeTasks()).isPositive();
      assertValid(in, out);
    } finally {
      Weft.shutdown();
    }
  }

  @Test
  @Order(10)
  void sortShouldStayValidWhenANodeIsKilledAfterTheMaps() {
    // the maps' outputs on the killed node are lost with it: the driver owns them and makes
    // them again from their lineage when the merges and reducers read them (issue 11, item 3)
    Path in = tmp.resolve("in");
    Path out = tmp.resolve("out");
    GenSort.generate(in, 80_000, 6, 13, GenSort.Keys.UNIFORM, false);
    try (dev.weft.testing.LocalCluster cluster = sortCluster(2)) {
      // the head's one CPU is taken by an actor until the maps are done: they run on the two
      // other nodes; the merges, the reduces and the maps run again can then use it too
      ActorHandle<Holder> holder =
          Weft.actor(Holder::new)
              .cpus(1)
              .scheduling(SchedulingStrategy.nodeAffinity(cluster.head().nodeId(), false))
              .remote();
      assertThat(Weft.get(holder.task(Holder::ping).remote(), Duration.ofSeconds(60))).isTrue();
      await("the head's CPU is taken")
          .atMost(Duration.ofSeconds(60))
          .until(() -> NodeFailures.available(cluster.head().nodeId(), "CPU") == 0.0);
      AtomicInteger killed = new AtomicInteger();
      AtomicInteger mapsDone = new AtomicInteger();
      java.util.concurrent.atomic.AtomicReference<dev.weft.testing.NodeHandle> victim =
          new java.util.concurrent.atomic.AtomicReference<>();
      java.util.concurrent.atomic.AtomicInteger lostBlocks = new AtomicInteger();
      ShuffleListener killer =
          new ShuffleListener() {
            @Override
            public void mapDone(int index, int total) {
              if (mapsDone.incrementAndGet() == total && killed.getAndIncrement() == 0) {
                // the non-head node holding the most map outputs
                dev.weft.testing.NodeHandle most = null;
                int mostBlocks = 0;
                for (dev.weft.testing.NodeHandle n : cluster.nodes()) {
                  int blocks = n.isHead() ? 0 : TransferSupport.objectsOn(n).size();
                  if (blocks > mostBlocks) {
                    most = n;
                    mostBlocks = blocks;
                  }
                }
                assertThat(most).as("a non-head node holds map outputs").isNotNull();
                lostBlocks.set(mostBlocks);
                victim.set(most);
                most.kill();
                holder.kill();
              }
            }
          };
      SortRun.Summary s =
          SortRun.run(
              new SortRun.Options(
                  in, out, 4, Strategy.MERGE, -1, false, 1_000_000, 2, SortRun.Compression.AUTO),
              System.err,
              false,
              killer);
      assertThat(killed.get()).as("the node was killed after the last map").isPositive();
      assertThat(victim.get().isAlive()).isFalse();
      System.err.println("map outputs lost with the killed node: " + lostBlocks.get());
      assertThat(s.records()).isEqualTo(80_000);
      assertValid(in, out);
    } finally {
      Weft.shutdown();
    }
  }

  /** A head and {@code extraNodes} more nodes of 1 CPU and a 96 MiB store; this JVM its driver. */
  private static dev.weft.testing.LocalCluster sortCluster(int extraNodes) {
    dev.weft.testing.NodeOptions one =
        dev.weft.testing.NodeOptions.builder().cpus(1).objectStoreBytes(96L << 20).build();
    dev.weft.testing.LocalCluster cluster = dev.weft.testing.LocalCluster.start(one);
    for (int i = 0; i < extraNodes; i++) {
      cluster.addNode(one);
    }
    cluster.connect();
    return cluster;
  }

  /** An actor that holds a CPU while it lives. */
  public static class Holder {
    public boolean ping() {
      return true;
    }
  }

  /** SIGKILLs every worker JVM of this driver's embedded cluster; returns how many. */
  private static int killWorkers() {
    List<ProcessHandle> workers =
        ProcessHandle.current()
            .descendants()
            .filter(h -> h.info().commandLine().orElse("").contains("WorkerMain"))
            .toList();
    workers.forEach(ProcessHandle::destroyForcibly);
    return workers.size();
  }

  private static long dirBytes(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              })
          .sum();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
