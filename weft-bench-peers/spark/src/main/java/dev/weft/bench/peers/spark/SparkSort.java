package dev.weft.bench.peers.spark;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

/**
 * The Spark baseline of {@code weft sort bench}: sorts gensort-format files (100-byte records, a
 * 10-byte key ordered as unsigned bytes, a 90-byte payload) with Apache Spark's {@code sortByKey}
 * in one local JVM, as a Spark user would write it, and writes output partition {@code i} to {@code
 * OUTPUT/part-%05d}, so the files concatenated in name order are sorted.
 *
 * <pre>
 * SparkSort --input DIR --output DIR --partitions R [--master local[2]] [--local-dir DIR]
 * </pre>
 *
 * <p>Every regular file of the input folder is read (in name order), in splits of about 32 MiB of
 * whole records (the split size Spark's {@code binaryRecords} gets on a local file system); the
 * output folder must be empty or absent. The JVM heap is the driver's memory (local mode): the
 * launcher sets it with {@code -Xmx}. Shuffle files go to {@code spark.local.dir}, a new folder
 * beside the output unless {@code --local-dir} is given, deleted at the end.
 *
 * <p>The last line on standard output is the result: {@code SPARK_SORT {"records":N,...}}; errors
 * go to standard error with exit status 1 (2 for bad arguments).
 */
public final class SparkSort {
  /** The prefix of the result line on standard output. */
  public static final String RESULT_PREFIX = "SPARK_SORT ";

  static final int RECORD = 100;
  static final int KEY = 10;
  static final long SPLIT_BYTES = (32L << 20) / RECORD * RECORD;

  private SparkSort() {}

  /** Orders keys as unsigned bytes, as gensort's checker does. */
  static final class UnsignedKeyOrder implements Comparator<byte[]>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(byte[] a, byte[] b) {
      return Arrays.compareUnsigned(a, 0, KEY, b, 0, KEY);
    }
  }

  /** Options of one run. */
  record Options(Path input, Path output, int partitions, String master, Path localDir) {}

  public static void main(String[] args) {
    Options o;
    try {
      o = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("SparkSort: " + e.getMessage());
      System.err.println(
          "usage: SparkSort --input DIR --output DIR --partitions R [--master local[2]]"
              + " [--local-dir DIR]");
      System.exit(2);
      return;
    }
    try {
      String result = run(o);
      System.out.println(RESULT_PREFIX + result);
      System.out.flush();
      System.exit(0);
    } catch (Exception | Error e) {
      System.err.println("SparkSort failed: " + e);
      e.printStackTrace(System.err);
      System.err.flush();
      System.exit(1);
    }
  }

  static Options parse(String[] args) {
    Path input = null;
    Path output = null;
    Path localDir = null;
    int partitions = -1;
    String master = "local[2]";
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value after " + a);
      }
      String v = args[++i];
      switch (a) {
        case "--input" -> input = Path.of(v);
        case "--output" -> output = Path.of(v);
        case "--local-dir" -> localDir = Path.of(v);
        case "--master" -> master = v;
        case "--partitions" -> {
          try {
            partitions = Integer.parseInt(v);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--partitions is not a number: " + v);
          }
          if (partitions < 1) {
            throw new IllegalArgumentException("--partitions must be at least 1, not " + v);
          }
        }
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    if (input == null || output == null || partitions < 0) {
      throw new IllegalArgumentException("--input, --output and --partitions are required");
    }
    return new Options(input, output, partitions, master, localDir);
  }

  /** Sorts; returns the result's JSON object. */
  static String run(Options o) throws IOException {
    List<Split> splits = splits(o.input());
    long bytes = splits.stream().mapToLong(Split::length).sum();
    prepareOutput(o.output());
    Path parent = o.output().toAbsolutePath().getParent();
    Path localDir =
        o.localDir() != null
            ? Files.createDirectories(o.localDir())
            : Files.createTempDirectory(parent, ".spark-local-");
    SparkConf conf =
        new SparkConf()
            .setMaster(o.master())
            .setAppName("weft-sort-baseline")
            .set("spark.local.dir", localDir.toAbsolutePath().toString())
            .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
            .set("spark.ui.enabled", "false");
    long c0 = System.nanoTime();
    JavaSparkContext sc = new JavaSparkContext(conf);
    try {
      double contextSeconds = (System.nanoTime() - c0) / 1e9;
      LongAccumulator written = sc.sc().longAccumulator("records written");
      String out = o.output().toAbsolutePath().toString();
      long t0 = System.nanoTime();
      JavaPairRDD<byte[], byte[]> records =
          sc.parallelize(splits, Math.max(1, splits.size()))
              .flatMapToPair(s -> new SplitReader(s.path(), s.offset(), s.length()));
      records
          .sortByKey(new UnsignedKeyOrder(), true, o.partitions())
          .foreachPartition(it -> written.add(writePartition(out, it)));
      double seconds = (System.nanoTime() - t0) / 1e9;
      long n = written.value();
      if (n * RECORD != bytes) {
        throw new IllegalStateException(
            "wrote " + n + " records but read " + bytes / RECORD + " (" + bytes + " bytes)");
      }
      return String.format(
          Locale.ROOT,
          "{\"records\":%d,\"bytes\":%d,\"seconds\":%.3f,\"context_seconds\":%.3f,"
              + "\"input_splits\":%d,\"partitions\":%d,\"master\":\"%s\","
              + "\"spark_version\":\"%s\",\"heap_mb\":%d}",
          n,
          bytes,
          seconds,
          contextSeconds,
          splits.size(),
          o.partitions(),
          o.master(),
          sc.version(),
          Runtime.getRuntime().maxMemory() >> 20);
    } finally {
      sc.stop();
      if (o.localDir() == null) {
        deleteTree(localDir);
      }
    }
  }

  /** Writes one sorted partition to {@code out/part-%05d}; returns its record count. */
  static long writePartition(String out, Iterator<Tuple2<byte[], byte[]>> it) throws IOException {
    int p = TaskContext.getPartitionId();
    Path f = Path.of(out, String.format(Locale.ROOT, "part-%05d", p));
    long n = 0;
    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(f), 1 << 20)) {
      while (it.hasNext()) {
        Tuple2<byte[], byte[]> r = it.next();
        os.write(r._1());
        os.write(r._2());
        n++;
      }
    }
    return n;
  }

  /**
   * One piece of one input file: whole records from {@code offset}. A plain class, not a record:
   * Spark's Kryo cannot serialize records.
   */
  static final class Split implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String path;
    private final long offset;
    private final long length;

    Split(String path, long offset, long length) {
      this.path = path;
      this.offset = offset;
      this.length = length;
    }

    String path() {
      return path;
    }

    long offset() {
      return offset;
    }

    long length() {
      return length;
    }
  }

  /** Every regular file of {@code dir} in name order, cut into splits of whole records. */
  static List<Split> splits(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("the input folder " + dir + " does not exist or is not a folder");
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    if (files.isEmpty()) {
      throw new IOException("the input folder " + dir + " holds no regular file");
    }
    List<Split> splits = new ArrayList<>();
    for (Path f : files) {
      long size = Files.size(f);
      if (size % RECORD != 0) {
        throw new IOException(
            "input file "
                + f
                + " is "
                + size
                + " bytes, not a whole number of "
                + RECORD
                + "-byte records (is it a gensort file?)");
      }
      for (long off = 0; off < size; off += SPLIT_BYTES) {
        splits.add(
            new Split(f.toAbsolutePath().toString(), off, Math.min(SPLIT_BYTES, size - off)));
      }
    }
    return splits;
  }

  private static void prepareOutput(Path out) throws IOException {
    Files.createDirectories(out);
    try (Stream<Path> s = Files.list(out)) {
      if (s.findAny().isPresent()) {
        throw new IOException(
            "the output folder " + out + " is not empty: give an empty or new folder");
      }
    }
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete Spark's local folder " + root, e);
    }
  }
}
