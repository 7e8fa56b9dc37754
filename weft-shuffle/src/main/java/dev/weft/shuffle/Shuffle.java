package dev.weft.shuffle;

import dev.weft.ObjectRef;
import dev.weft.SchedulingStrategy;
import dev.weft.Weft;
import dev.weft.function.Fn3;
import dev.weft.function.Fn4;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A shuffle written as an application on Weft's distributed futures, in the spirit of Exoshuffle
 * (Luan et al., "Exoshuffle: An Extensible Shuffle Architecture", SIGCOMM 2023): map tasks split
 * each input into one block per partition ({@code remoteEach}), blocks live in the nodes' shared
 * object stores (spilled to disk when memory runs short), optional merge tasks combine blocks on
 * the node that holds them, and one reduce task per partition reads its blocks in place.
 *
 * <pre>{@code
 * ShuffleResult<Long> r =
 *     Shuffle.of(splits, 64, new MyMapper(), new MyReducer())
 *         .strategy(Strategy.PUSH)
 *         .merge(new MyMerger())
 *         .run();
 * }</pre>
 *
 * <p>Run it from a driver ({@code Weft.init()} first). Map, merge and reduce functions run in
 * workers: they must be serializable and their classes on the job's class path.
 *
 * <p>Implementation notes: the message flow, all on the driver's thread.
 *
 * <pre>
 *   SIMPLE  submit map i (remoteEach R+1) for every input → wait on the maps' node-id refs
 *           → submit reduce p over [block(i, p) for every map i] → wait, get results
 *   MERGE   for each round of maps: submit, wait for all, then per node holding outputs and per
 *           group of partitions: submit merge (nodeAffinity soft to that node) over the node's
 *           blocks of the group → its merged blocks replace the map blocks
 *           after the last round: wait for merges, submit reduces over merged blocks
 *   PUSH    keep up to maxMapsInFlight maps running; Weft.wait(numReady = 1) on their node-id
 *           refs; a map that finished joins its node's pending list; a node with mergeFactor
 *           pending maps gets its merges at once, while other maps run → at the end, merge what
 *           is pending, wait for merges, submit reduces
 * </pre>
 *
 * The driver drops its refs to blocks once merged, so Weft frees them. Merges and reduces run in
 * windows (at most {@code maxMergesInFlight} / {@code maxReducesInFlight}, default the cluster's
 * CPUs): each pins its input blocks in the store while it reads them, and a task blocked on a block
 * being restored from disk releases its CPU, so unbounded they could fill the store with partial
 * pin sets and leave no room to restore the rest.
 */
public final class Shuffle<I, O> {
  private static final Duration POLL = Duration.ofMillis(200);

  private final List<I> inputs;
  private final int numPartitions;
  private final MapFunction<I> map;
  private final ReduceFunction<O> reduce;
  private MergeFunction merge = MergeFunction.concatenate();
  private Strategy strategy = Strategy.SIMPLE;
  private int mergeFactor = 4;
  private int maxMapsInFlight = -1;
  private int mergeGroups = -1;
  private int maxReducesInFlight = -1;
  private int maxMergesInFlight = -1;
  private double taskCpus = 1.0;
  private long copyBlocksMax = 256L << 20;
  private ShuffleListener listener = new ShuffleListener() {};

  private Shuffle(List<I> inputs, int numPartitions, MapFunction<I> map, ReduceFunction<O> reduce) {
    this.inputs = List.copyOf(inputs);
    this.numPartitions = numPartitions;
    this.map = Objects.requireNonNull(map, "map function");
    this.reduce = Objects.requireNonNull(reduce, "reduce function");
    if (numPartitions < 1) {
      throw new IllegalArgumentException(
          "a shuffle needs at least 1 partition (got " + numPartitions + ")");
    }
  }

  /** A shuffle of {@code inputs} into {@code numPartitions} partitions. */
  public static <I, O> Shuffle<I, O> of(
      List<I> inputs, int numPartitions, MapFunction<I> map, ReduceFunction<O> reduce) {
    return new Shuffle<>(Objects.requireNonNull(inputs, "inputs"), numPartitions, map, reduce);
  }

  /** How blocks reach reducers (default {@link Strategy#SIMPLE}). */
  public Shuffle<I, O> strategy(Strategy s) {
    this.strategy = Objects.requireNonNull(s, "strategy");
    return this;
  }

  /** How blocks of one partition are combined by merge tasks (default: concatenation). */
  public Shuffle<I, O> merge(MergeFunction m) {
    this.merge = Objects.requireNonNull(m, "merge function");
    return this;
  }

  /** Maps per node merged together (MERGE: maps per node per round; PUSH: trigger). Default 4. */
  public Shuffle<I, O> mergeFactor(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("mergeFactor must be >= 1 (got " + k + ")");
    }
    this.mergeFactor = k;
    return this;
  }

  /** PUSH: most map tasks submitted and not finished (default: twice the cluster's CPUs). */
  public Shuffle<I, O> maxMapsInFlight(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("maxMapsInFlight must be >= 1 (got " + n + ")");
    }
    this.maxMapsInFlight = n;
    return this;
  }

  /**
   * Most reduce tasks submitted and not finished (default: the cluster's CPUs). Each pins its
   * partition's blocks in the store while it reads them: the window bounds that memory.
   */
  public Shuffle<I, O> maxReducesInFlight(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("maxReducesInFlight must be >= 1 (got " + n + ")");
    }
    this.maxReducesInFlight = n;
    return this;
  }

  /** Most merge tasks submitted and not finished (default: the cluster's CPUs). */
  public Shuffle<I, O> maxMergesInFlight(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("maxMergesInFlight must be >= 1 (got " + n + ")");
    }
    this.maxMergesInFlight = n;
    return this;
  }

  /** Merge tasks per node per merge step, each for a group of partitions (default: its CPUs). */
  public Shuffle<I, O> mergeGroups(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("mergeGroups must be >= 1 (got " + n + ")");
    }
    this.mergeGroups = n;
    return this;
  }

  /** CPUs each map, merge and reduce task asks for (default 1). */
  public Shuffle<I, O> taskCpus(double cpus) {
    this.taskCpus = cpus;
    return this;
  }

  /**
   * The largest set of blocks (in bytes) a merge or reduce task copies into memory of its own
   * before reading (default 256 MiB); a larger set is read in place in the object store, and 0
   * reads every set in place. Either way the function sees read-only buffers, valid during its
   * call.
   *
   * <p>Copying costs a copy but reads the store file ({@link dev.weft.ObjectBuffer#copyTo}) into
   * memory the task's thread reuses from one task to the next, which spares the process the first
   * touch of each mapped page of the store: on virtual machines with shadow page tables (such as
   * this project's), that costs microseconds a page, and reading a 200 MB block in place took 2-3
   * times as long as copying it. A block its node has spilled to disk is copied straight from the
   * spill file, without being restored into the store first (a 10 GB sort through a 1 GiB store:
   * reduce phase 21 s against 35-39 s when every spilled block was restored). Reading in place
   * keeps a task's memory bounded whatever the partition's size. A task thread keeps its copy
   * memory (the largest set it copied, plus a quarter) from one task to the next: off the heap, it
   * counts against the worker JVM's direct-memory limit ({@code -XX:MaxDirectMemorySize}, by
   * default the heap's size); the collector frees it when the heap runs short or the thread ends.
   */
  public Shuffle<I, O> copyBlocksMax(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("copyBlocksMax must be >= 0 (got " + bytes + ")");
    }
    this.copyBlocksMax = bytes;
    return this;
  }

  public Shuffle<I, O> listener(ShuffleListener l) {
    this.listener = Objects.requireNonNull(l, "listener");
    return this;
  }

  /** One finished or running map: its blocks, and the ref to the node it ran on. */
  private record MapOut(int index, List<ObjectRef<ByteBuffer>> blocks, ObjectRef<String> node) {}

  private final class Run {
    final long t0 = System.nanoTime();

    /** The cluster as the shuffle starts: windows and merge groups are sized from it once. */
    final int cpus = clusterCpus();

    final int nodes = nodeCount();
    final int mergeWindow = maxMergesInFlight > 0 ? maxMergesInFlight : cpus;
    final int reduceWindow = maxReducesInFlight > 0 ? maxReducesInFlight : cpus;
    final int groups =
        Math.min(numPartitions, mergeGroups > 0 ? mergeGroups : Math.max(1, cpus / nodes));
    long mapEnd;
    long mergeStart = -1;
    long mergeEnd = -1;
    int mergeTasks;
    int mapsDone;

    /** Per partition: the blocks its reducer reads (map outputs or merged blocks). */
    final List<List<ObjectRef<ByteBuffer>>> forReduce = new ArrayList<>();

    /** Merge tasks not known to be done: their first output, to wait on, and their size. */
    final Map<ObjectRef<ByteBuffer>, int[]> mergesRunning = new LinkedHashMap<>();

    Run() {
      for (int p = 0; p < numPartitions; p++) {
        forReduce.add(new ArrayList<>());
      }
    }

    MapOut submitMap(int i) {
      Fn3<MapFunction<I>, I, Integer, List<Object>> body = ShuffleTasks::map;
      List<ObjectRef<Object>> refs =
          Weft.task(body, map, inputs.get(i), numPartitions)
              .name("shuffle-map-" + i)
              .cpus(taskCpus)
              .remoteEach(numPartitions + 1);
      List<ObjectRef<ByteBuffer>> blocks = new ArrayList<>(numPartitions);
      for (int p = 0; p < numPartitions; p++) {
        blocks.add(cast(refs.get(p)));
      }
      return new MapOut(i, blocks, cast(refs.get(numPartitions)));
    }

    void mapFinished(MapOut m) {
      mapsDone++;
      listener.mapDone(m.index(), inputs.size());
    }

    /** Waits for every map of {@code maps}, reporting each as it finishes. */
    void awaitAll(List<MapOut> maps) {
      List<MapOut> left = new ArrayList<>(maps);
      while (!left.isEmpty()) {
        List<ObjectRef<String>> nodes = left.stream().map(MapOut::node).toList();
        var w = Weft.wait(nodes, Math.min(1, nodes.size()), POLL);
        pollMerges(Duration.ZERO);
        for (ObjectRef<String> r : w.ready()) {
          for (int j = 0; j < left.size(); j++) {
            if (left.get(j).node().equals(r)) {
              mapFinished(left.remove(j));
              break;
            }
          }
        }
      }
    }

    /** Merge tasks on {@code node} over the blocks of {@code maps}, one per partition group. */
    void submitMerges(String node, List<MapOut> maps) {
      if (mergeStart < 0) {
        mergeStart = System.nanoTime();
        listener.phaseStarted("merge");
      }
      for (int g = 0; g < groups; g++) {
        int from = (int) ((long) numPartitions * g / groups);
        int to = (int) ((long) numPartitions * (g + 1) / groups);
        int[] parts = new int[to - from];
        List<List<ObjectRef<ByteBuffer>>> blocks = new ArrayList<>(parts.length);
        for (int p = from; p < to; p++) {
          parts[p - from] = p;
          List<ObjectRef<ByteBuffer>> of = new ArrayList<>(maps.size());
          for (MapOut m : maps) {
            of.add(m.blocks().get(p));
          }
          blocks.add(of);
        }
        while (mergesRunning.size() >= mergeWindow) {
          pollMerges(POLL); // merges pin their inputs too: a window of them, as for reduces
        }
        List<ObjectRef<ByteBuffer>> merged =
            Weft.task(ShuffleTasks::merge, merge, parts, blocks, copyBlocksMax)
                .name("shuffle-merge-" + node + "-" + from + ".." + (to - 1))
                .cpus(taskCpus)
                .scheduling(
                    node == null
                        ? SchedulingStrategy.DEFAULT
                        : SchedulingStrategy.nodeAffinity(node, true))
                .remoteEach(parts.length);
        for (int p = from; p < to; p++) {
          forReduce.get(p).add(merged.get(p - from));
        }
        mergesRunning.put(merged.get(0), new int[] {maps.size(), parts.length});
        mergeTasks++;
      }
    }

    /** Reports the merges that finished, waiting up to {@code timeout} for the first. */
    void pollMerges(Duration timeout) {
      if (mergesRunning.isEmpty()) {
        return;
      }
      List<ObjectRef<ByteBuffer>> running = List.copyOf(mergesRunning.keySet());
      for (ObjectRef<ByteBuffer> r : Weft.wait(running, 1, timeout).ready()) {
        int[] size = mergesRunning.remove(r);
        listener.mergeDone(size[0], size[1], numPartitions);
      }
    }

    void awaitMerges() {
      if (mergeStart >= 0) {
        while (!mergesRunning.isEmpty()) {
          pollMerges(POLL);
        }
        mergeEnd = System.nanoTime();
        listener.phaseEnded("merge");
      }
    }

    void mapsEnded() {
      mapEnd = System.nanoTime();
      listener.phaseEnded("map");
    }

    /** Groups finished maps by the node that holds their blocks, in first-seen order. */
    Map<String, List<MapOut>> byNode(List<MapOut> maps) {
      Map<String, List<MapOut>> out = new LinkedHashMap<>();
      for (MapOut m : maps) {
        out.computeIfAbsent(Weft.get(m.node()), k -> new ArrayList<>()).add(m);
      }
      return out;
    }

    ShuffleResult<O> reduceAll() {
      listener.phaseStarted("reduce");
      long r0 = System.nanoTime();
      List<ObjectRef<O>> results = new ArrayList<>(numPartitions);
      Fn4<ReduceFunction<O>, Integer, List<ObjectRef<ByteBuffer>>, Long, O> body =
          ShuffleTasks::reduce;
      // a window of reduces: each pins its partition's blocks while it reads them, and a task
      // blocked on a block being restored from disk frees its CPU for the next one, so without a
      // bound dozens could pin part of their blocks each and leave no room to restore the rest
      Map<ObjectRef<O>, Integer> left = new LinkedHashMap<>(); // running reduce -> partition
      int next = 0;
      int done = 0;
      while (done < numPartitions) {
        while (next < numPartitions && left.size() < reduceWindow) {
          ObjectRef<O> r =
              Weft.task(body, reduce, next, List.copyOf(forReduce.get(next)), copyBlocksMax)
                  .name("shuffle-reduce-" + next)
                  .cpus(taskCpus)
                  .remote();
          forReduce.get(next).clear(); // the reduce task holds them now
          results.add(r);
          left.put(r, next);
          next++;
        }
        var w = Weft.wait(List.copyOf(left.keySet()), 1, POLL);
        for (ObjectRef<O> r : w.ready()) {
          done++;
          listener.reduceDone(left.remove(r), done, numPartitions);
        }
      }
      listener.phaseEnded("reduce");
      List<O> values = Weft.get(results); // rethrows a failed reduce's error
      long end = System.nanoTime();
      return new ShuffleResult<>(
          values,
          secs(mapEnd - t0),
          mergeStart < 0 ? 0 : secs(Math.max(mergeEnd, mergeStart) - mergeStart),
          secs(end - r0),
          secs(end - t0),
          mergeTasks);
    }
  }

  /** Runs the shuffle; returns each partition's result. A failed task's error is rethrown. */
  public ShuffleResult<O> run() {
    Run run = new Run();
    listener.phaseStarted("map");
    switch (strategy) {
      case SIMPLE -> simple(run);
      case MERGE -> rounds(run);
      case PUSH -> push(run);
    }
    return run.reduceAll();
  }

  private void simple(Run run) {
    List<MapOut> maps = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      maps.add(run.submitMap(i));
    }
    run.awaitAll(maps);
    run.mapsEnded();
    for (MapOut m : maps) {
      for (int p = 0; p < numPartitions; p++) {
        run.forReduce.get(p).add(m.blocks().get(p));
      }
    }
  }

  private void rounds(Run run) {
    int perRound = Math.max(1, mergeFactor * run.nodes);
    for (int start = 0; start < inputs.size(); start += perRound) {
      List<MapOut> round = new ArrayList<>();
      for (int i = start; i < Math.min(inputs.size(), start + perRound); i++) {
        round.add(run.submitMap(i));
      }
      run.awaitAll(round);
      run.pollMerges(Duration.ZERO);
      for (Map.Entry<String, List<MapOut>> e : run.byNode(round).entrySet()) {
        run.submitMerges(e.getKey(), e.getValue());
      }
    }
    run.mapsEnded();
    run.awaitMerges();
  }

  private void push(Run run) {
    int window = maxMapsInFlight > 0 ? maxMapsInFlight : Math.max(2, 2 * run.cpus);
    List<MapOut> inFlight = new ArrayList<>();
    Map<String, List<MapOut>> pending = new LinkedHashMap<>();
    int next = 0;
    while (next < inputs.size() || !inFlight.isEmpty()) {
      while (next < inputs.size() && inFlight.size() < window) {
        inFlight.add(run.submitMap(next++));
      }
      List<ObjectRef<String>> nodes = inFlight.stream().map(MapOut::node).toList();
      var w = Weft.wait(nodes, 1, POLL);
      run.pollMerges(Duration.ZERO);
      for (ObjectRef<String> r : w.ready()) {
        MapOut m = null;
        for (int j = 0; j < inFlight.size(); j++) {
          if (inFlight.get(j).node().equals(r)) {
            m = inFlight.remove(j);
            break;
          }
        }
        run.mapFinished(m);
        String node = Weft.get(r);
        List<MapOut> at = pending.computeIfAbsent(node, k -> new ArrayList<>());
        at.add(m);
        if (at.size() >= mergeFactor) {
          run.submitMerges(node, List.copyOf(at));
          at.clear();
        }
      }
    }
    run.mapsEnded();
    for (Map.Entry<String, List<MapOut>> e : pending.entrySet()) {
      if (!e.getValue().isEmpty()) {
        run.submitMerges(e.getKey(), e.getValue());
      }
    }
    run.awaitMerges();
  }

  private static int clusterCpus() {
    Double cpus = Weft.clusterResources().get("CPU");
    return cpus == null ? 1 : Math.max(1, (int) Math.floor(cpus));
  }

  private static int nodeCount() {
    return Math.max(1, (int) Weft.nodes().stream().filter(n -> n.alive()).count());
  }

  private static double secs(long nanos) {
    return nanos / 1e9;
  }

  @SuppressWarnings("unchecked")
  private static <T> ObjectRef<T> cast(ObjectRef<?> r) {
    return (ObjectRef<T>) r;
  }
}
