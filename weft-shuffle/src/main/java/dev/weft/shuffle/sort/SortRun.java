package dev.weft.shuffle.sort;

import dev.weft.NodeInfo;
import dev.weft.Weft;
import dev.weft.WeftConfig;
import dev.weft.bench.peers.PeerJson;
import dev.weft.shuffle.Shuffle;
import dev.weft.shuffle.ShuffleListener;
import dev.weft.shuffle.ShuffleResult;
import dev.weft.shuffle.Strategy;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code weft sort run}: sorts every gensort-format file of a folder into {@code part-NNNNN} files
 * whose concatenation in name order is sorted, with {@link Shuffle} on a Weft cluster.
 *
 * <p>This file, {@link SortFunctions}, {@link KeySort}, {@link Boundaries} and the commands are the
 * whole sort application; the shuffle itself is the generic library {@code dev.weft.shuffle}.
 */
public final class SortRun {
  private SortRun() {}

  /** Most partitions: output names ({@code part-NNNNN}) must sort in partition order. */
  static final int MAX_REDUCERS = 99_999;

  /**
   * What to sort and how.
   *
   * @param reducers output partitions; 0 picks from the data and store size
   * @param objectStoreBytes each node's store size for an embedded cluster; -1 for the default
   * @param splitBytes bytes of input per map task; 0 picks from the data and store size
   * @param mergeFactor maps merged together on a node (merge and push strategies)
   * @param compression whether the map outputs are compressed
   */
  public record Options(
      Path input,
      Path output,
      int reducers,
      Strategy strategy,
      long objectStoreBytes,
      boolean overwrite,
      long splitBytes,
      int mergeFactor,
      Compression compression) {
    public Options(Path input, Path output, int reducers, Strategy strategy) {
      this(input, output, reducers, strategy, -1, false, 0, 4, Compression.AUTO);
    }
  }

  /**
   * Whether the blocks that maps send to reduces (and merges) are compressed ({@link BlockCodec},
   * LZ4).
   */
  public enum Compression {
    /**
     * LZ4 where the data would not fit in the cluster's object stores with room to spare (more than
     * half their total): blocks are then spilled to disk, and a sort that spills is bound by the
     * disk's writes, which compression cuts to about a third for gensort data. Where the data fits,
     * the sort is bound by the CPUs, and compression would cost more than it saves.
     */
    AUTO,
    /** Always LZ4. */
    LZ4,
    /** Never. */
    NONE;

    /**
     * Whether to compress {@code inputBytes} of data on a cluster whose stores hold {@code
     * storeBytes}.
     */
    public boolean compress(long inputBytes, long storeBytes) {
      return switch (this) {
        case LZ4 -> true;
        case NONE -> false;
        case AUTO -> inputBytes > storeBytes / 2;
      };
    }

    /** The {@code --compress} value {@code name}, or null where there is none such. */
    public static Compression parse(String name) {
      for (Compression c : values()) {
        if (c.name().equalsIgnoreCase(name)) {
          return c;
        }
      }
      return null;
    }
  }

  /** What a sort did; {@code *Seconds} per phase (merge overlaps map under merge and push). */
  public record Summary(
      long records,
      long bytes,
      int inputFiles,
      int maps,
      int reducers,
      String strategy,
      int nodes,
      double seconds,
      double mapSeconds,
      double mergeSeconds,
      double reduceSeconds,
      int mergeTasks,
      String compression) {
    public double mbPerSecond() {
      return seconds <= 0 ? 0 : bytes / 1e6 / seconds;
    }

    public String toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("records", records);
      m.put("bytes", bytes);
      m.put("inputFiles", inputFiles);
      m.put("maps", maps);
      m.put("reducers", reducers);
      m.put("strategy", strategy);
      m.put("compression", compression);
      m.put("nodes", nodes);
      m.put("seconds", millis(seconds));
      m.put("mbPerSecond", tenths(mbPerSecond()));
      m.put(
          "phases",
          object(
              "map", phase(mapSeconds, bytes),
              "merge", object("seconds", millis(mergeSeconds), "tasks", mergeTasks),
              "reduce", phase(reduceSeconds, bytes)));
      return PeerJson.write(m);
    }

    private static Map<String, Object> phase(double seconds, long bytes) {
      return object("seconds", millis(seconds), "mbPerSecond", tenths(rate(bytes, seconds)));
    }
  }

  /** A JSON object of the given keys and values, in that order (for {@code PeerJson.write}). */
  public static Map<String, Object> object(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  /** {@code seconds} rounded to milliseconds, for reports. */
  public static double millis(double seconds) {
    return Math.round(seconds * 1000) / 1000.0;
  }

  /** Rounded to one decimal, for reports. */
  public static double tenths(double v) {
    return Math.round(v * 10) / 10.0;
  }

  /**
   * Sorts {@code o.input()} into {@code o.output()}. Uses the running Weft cluster if this process
   * has one, else connects to {@code $WEFT_ADDRESS}, else starts an embedded one (shut down after).
   *
   * @param progress where progress goes (bars when {@code terminal})
   * @throws IllegalArgumentException for bad input or output folders, with what to do
   */
  public static Summary run(Options o, PrintStream progress, boolean terminal) {
    return run(o, progress, terminal, new ShuffleListener() {});
  }

  /** As {@link #run(Options, PrintStream, boolean)}, telling {@code observer} of progress too. */
  public static Summary run(
      Options o, PrintStream progress, boolean terminal, ShuffleListener observer) {
    long t0 = System.nanoTime();
    List<InputFiles.InputFile> files = InputFiles.list(o.input());
    prepareOutput(o.input(), o.output(), o.overwrite());
    // the keys' sample reads the disk while the cluster starts: its size is a guess at the
    // partitions, checked once the cluster tells its resources (see sort)
    int guess = guessPartitions(o, files);
    java.util.concurrent.CompletableFuture<Boundaries.Sample> early =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> Boundaries.take(files, Boundaries.samplesFor(files, guess)),
            r -> Thread.ofVirtual().name("weft-sort-sample").start(r));
    boolean started = false;
    if (!Weft.isInitialized()) {
      WeftConfig.Builder cfg = WeftConfig.builder().jobName("weft-sort");
      String address = System.getenv("WEFT_ADDRESS");
      if (address != null && !address.isBlank()) {
        cfg.address(address.trim()); // as Weft.init() does
      }
      if (o.objectStoreBytes() > 0) {
        if (address != null && !address.isBlank()) {
          progress.println(
              "note: --object-store-memory applies to an embedded cluster only; WEFT_ADDRESS is"
                  + " set, so the cluster's own store sizes are used");
        } else {
          cfg.objectStoreBytes(o.objectStoreBytes());
        }
      }
      if (address == null || address.isBlank()) {
        // one worker JVM runs a task per CPU, as Spark's executor does: the maps' and reduces'
        // code is loaded and compiled once, not once per CPU (a 2 GB sort on 2 CPUs: 11% less
        // time, alternated runs; see BENCHMARKS.md)
        cfg.tasksPerWorker(Runtime.getRuntime().availableProcessors());
      }
      Weft.init(cfg.build());
      started = true;
    }
    try {
      return sort(o, files, early, progress, terminal, observer, t0);
    } finally {
      if (started) {
        Weft.shutdown();
      }
    }
  }

  /**
   * The partitions {@link #sort} will likely choose, before the cluster says its CPUs and store
   * size: {@code --reducers}, or as {@link #partitions} with this machine's CPUs and the store of
   * {@code --object-store-memory} (one of the usual size where not given, whose tasks take 128 MB).
   */
  static int guessPartitions(Options o, List<InputFiles.InputFile> files) {
    return o.reducers() > 0
        ? o.reducers()
        : partitions(
            totalBytes(files),
            Runtime.getRuntime().availableProcessors(),
            perTask(o.objectStoreBytes() > 0 ? o.objectStoreBytes() : 1L << 30));
  }

  /**
   * The bytes a task takes at most with a store of {@code storeBytes}: a block set that one task
   * pins at once stays well inside one node's store.
   */
  static long perTask(long storeBytes) {
    return Math.max(1L << 20, Math.min(128L << 20, storeBytes / 8));
  }

  /** The default partition count: one per {@code perTask} bytes, at least one per CPU. */
  static int partitions(long totalBytes, int cpus, long perTask) {
    return (int) Math.min(MAX_REDUCERS, Math.max(cpus, ceilDiv(totalBytes, perTask)));
  }

  private static long totalBytes(List<InputFiles.InputFile> files) {
    long total = 0;
    for (InputFiles.InputFile f : files) {
      total += f.bytes();
    }
    return total;
  }

  private static Summary sort(
      Options o,
      List<InputFiles.InputFile> files,
      java.util.concurrent.CompletableFuture<Boundaries.Sample> early,
      PrintStream progress,
      boolean terminal,
      ShuffleListener observer,
      long t0) {
    long total = totalBytes(files);
    List<NodeInfo> nodes = Weft.nodes().stream().filter(NodeInfo::alive).toList();
    int cpus = (int) Math.max(1, Math.floor(Weft.clusterResources().getOrDefault("CPU", 1.0)));
    long perTask = perTask(smallestStore(nodes));
    long split =
        o.splitBytes() > 0 ? o.splitBytes() : clamp(ceilDiv(total, 4L * cpus), 1L << 20, perTask);
    split = Math.max(Records.RECORD, split / Records.RECORD * Records.RECORD);
    List<SortFunctions.FileSplit> splits = new ArrayList<>();
    List<Long> splitSizes = new ArrayList<>();
    for (InputFiles.InputFile f : files) {
      for (long off = 0; off < f.bytes(); off += split) {
        long len = Math.min(split, f.bytes() - off);
        splits.add(new SortFunctions.FileSplit(f.path().toAbsolutePath().toString(), off, len));
        splitSizes.add(len);
      }
    }
    int reducers = o.reducers() > 0 ? o.reducers() : partitions(total, cpus, perTask);
    if (reducers > MAX_REDUCERS) {
      throw new IllegalArgumentException(
          "--reducers " + reducers + " is too many: at most " + MAX_REDUCERS);
    }
    Boundaries.Sample sample;
    try {
      sample = early.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re; // an input file that cannot be read, say
      }
      throw e;
    }
    if (sample.size() < Boundaries.samplesFor(files, reducers)) {
      sample = Boundaries.take(files, Boundaries.samplesFor(files, reducers)); // guessed too few
    }
    boolean compress = o.compression().compress(total, totalStore(nodes));
    SortFunctions.Mapper mapper = sample.boundaries(reducers).compressed(compress);
    long[] mapBytes = splitSizes.stream().mapToLong(Long::longValue).toArray();
    Progress bars = new Progress(progress, terminal, mapBytes);
    ShuffleResult<SortFunctions.Written> r =
        Shuffle.of(
                splits,
                reducers,
                mapper,
                new SortFunctions.Reducer(o.output().toAbsolutePath().toString(), compress))
            .strategy(o.strategy())
            .merge(new SortFunctions.Merger(compress))
            .mergeFactor(o.mergeFactor())
            .listener(both(bars, observer))
            .run();
    long records = 0;
    long bytes = 0;
    for (SortFunctions.Written w : r.results()) {
      records += w.records();
      bytes += w.bytes();
    }
    if (bytes != total) {
      throw new IllegalStateException(
          "the sort wrote " + bytes + " bytes but read " + total + ": the output is incomplete");
    }
    return new Summary(
        records,
        bytes,
        files.size(),
        splits.size(),
        reducers,
        o.strategy().name().toLowerCase(Locale.ROOT),
        nodes.size(),
        (System.nanoTime() - t0) / 1e9,
        r.mapSeconds(),
        r.mergeSeconds(),
        r.reduceSeconds(),
        r.mergeTasks(),
        compress ? "lz4" : "none");
  }

  /** Creates the output folder, or empties it with {@code overwrite}; refuses the input folder. */
  static void prepareOutput(Path input, Path output, boolean overwrite) {
    try {
      Files.createDirectories(output);
      if (Files.isSameFile(input, output)) {
        throw new IllegalArgumentException(
            "the output folder " + output + " is the input folder: choose another --output");
      }
      List<Path> there;
      try (Stream<Path> s = Files.list(output)) {
        there = s.sorted().toList();
      }
      if (there.isEmpty()) {
        return;
      }
      if (!overwrite) {
        throw new IllegalArgumentException(
            "the output folder "
                + output
                + " already holds "
                + there.size()
                + " entries (e.g. "
                + there.get(0).getFileName()
                + "): pass --overwrite to replace them, or choose an empty or new folder");
      }
      for (Path p : there) {
        if (Files.isDirectory(p)) {
          throw new IllegalArgumentException(
              "the output folder "
                  + output
                  + " holds a folder ("
                  + p.getFileName()
                  + "); --overwrite replaces files only: remove it or choose another --output");
        }
      }
      for (Path p : there) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the output folder " + output + ": " + e, e);
    }
  }

  private static ShuffleListener both(ShuffleListener a, ShuffleListener b) {
    return new ShuffleListener() {
      @Override
      public void mapDone(int index, int total) {
        a.mapDone(index, total);
        b.mapDone(index, total);
      }

      @Override
      public void mergeDone(int mapCount, int partitions, int totalPartitions) {
        a.mergeDone(mapCount, partitions, totalPartitions);
        b.mergeDone(mapCount, partitions, totalPartitions);
      }

      @Override
      public void reduceDone(int partition, int done, int total) {
        a.reduceDone(partition, done, total);
        b.reduceDone(partition, done, total);
      }

      @Override
      public void phaseStarted(String phase) {
        a.phaseStarted(phase);
        b.phaseStarted(phase);
      }

      @Override
      public void phaseEnded(String phase) {
        a.phaseEnded(phase);
        b.phaseEnded(phase);
      }
    };
  }

  /** The smallest store of {@code nodes}. */
  private static long smallestStore(List<NodeInfo> nodes) {
    return nodes.stream().mapToLong(SortRun::storeOf).min().orElse(DEFAULT_STORE);
  }

  /** The object stores' bytes over all of {@code nodes}. */
  private static long totalStore(List<NodeInfo> nodes) {
    return nodes.stream().mapToLong(SortRun::storeOf).sum();
  }

  /** Assumed for a node that does not say its store's size. */
  private static final long DEFAULT_STORE = 1L << 30;

  private static long storeOf(NodeInfo n) {
    Double s = n.total().get("object_store_memory");
    return s != null ? s.longValue() : DEFAULT_STORE;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  private static long clamp(long v, long lo, long hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  private static double rate(long bytes, double seconds) {
    return seconds <= 0 ? 0 : bytes / 1e6 / seconds;
  }
}
