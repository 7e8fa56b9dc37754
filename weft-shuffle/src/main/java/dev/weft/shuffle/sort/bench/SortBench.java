package dev.weft.shuffle.sort.bench;

import dev.weft.bench.peers.PeerJson;
import dev.weft.shuffle.Strategy;
import dev.weft.shuffle.sort.InputFiles;
import dev.weft.shuffle.sort.SortCheck;
import dev.weft.shuffle.sort.SortRun;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * {@code weft sort bench}: Weft's sort and Apache Spark's ({@code local[2]}, its own JVM) on the
 * same input files in one run, both outputs validated, beside this machine's sequential disk speed.
 * Ratios matter, not absolute rates: this machine is shared and noisy.
 *
 * <p>The disk limit: a sort reads its input once and writes its output once at the very least, so
 * no sort of {@code B} bytes can take less than {@code B / read + B / write} seconds; each sort's
 * throughput is reported as a fraction of that limit's throughput. (Data larger than memory is read
 * and written twice, spilled and restored, so its limit is half that.)
 */
public final class SortBench {
  private SortBench() {}

  /** What to run. */
  public record Options(
      Path input,
      Path work,
      int reducers,
      Strategy strategy,
      long objectStoreBytes,
      int sparkHeapMb,
      boolean spark,
      long diskProbeBytes,
      Duration timeout,
      boolean dropCaches,
      SortRun.Compression compression) {}

  /** One sort's figures. */
  public record Row(String system, double seconds, long bytes, boolean valid, String error) {
    public double mbPerSecond() {
      return seconds <= 0 ? 0 : bytes / 1e6 / seconds;
    }
  }

  /** The run's figures. */
  public record Report(DiskSpeed.Result disk, Row weft, Row spark, String sparkTitle) {
    /** MB/s of a sort that only reads its input once and writes its output once. */
    public double diskLimitMbPerSecond() {
      return 1 / (1 / disk.readMBs() + 1 / disk.writeMBs());
    }

    public boolean valid() {
      return weft.valid() && (spark == null || spark.valid());
    }

    /** Spark's time over Weft's: above 1, Weft is faster. */
    public double weftOverSpark() {
      return spark == null || weft.seconds() <= 0 ? 0 : spark.seconds() / weft.seconds();
    }

    public String toJson() {
      Map<String, Object> m =
          SortRun.object(
              "disk",
              SortRun.object(
                  "readMBs", SortRun.tenths(disk.readMBs()),
                  "writeMBs", SortRun.tenths(disk.writeMBs()),
                  "direct", disk.direct(),
                  "limitMBs", SortRun.tenths(diskLimitMbPerSecond())),
              "weft",
              row(weft));
      if (spark != null) {
        m.put("spark", row(spark));
        m.put("weftOverSpark", Math.round(weftOverSpark() * 100) / 100.0);
      }
      m.put("valid", valid());
      return PeerJson.write(m);
    }

    private Map<String, Object> row(Row r) {
      return SortRun.object(
          "seconds", SortRun.millis(r.seconds()),
          "bytes", r.bytes(),
          "mbPerSecond", SortRun.tenths(r.mbPerSecond()),
          "ofDiskLimit", Math.round(1000 * r.mbPerSecond() / diskLimitMbPerSecond()) / 1000.0,
          "valid", r.valid(),
          "error", r.error());
    }

    /** The table printed at the end. */
    public String table() {
      StringBuilder b = new StringBuilder();
      b.append(
          String.format(
              Locale.ROOT,
              "disk: sequential read %.0f MB/s, write %.0f MB/s%s; read-once-write-once limit %.0f MB/s%n",
              disk.readMBs(),
              disk.writeMBs(),
              disk.direct() ? " (O_DIRECT)" : " (page cache: O_DIRECT refused here)",
              diskLimitMbPerSecond()));
      b.append(
          String.format(
              Locale.ROOT,
              "%-22s %9s %9s %12s %s%n",
              "sort",
              "seconds",
              "MB/s",
              "of disk limit",
              "output"));
      for (Row r : spark == null ? new Row[] {weft} : new Row[] {weft, spark}) {
        b.append(
            String.format(
                Locale.ROOT,
                "%-22s %9.1f %9.1f %11.0f%% %s%n",
                r.system(),
                r.seconds(),
                r.mbPerSecond(),
                100 * r.mbPerSecond() / diskLimitMbPerSecond(),
                r.valid() ? "valid" : "INVALID: " + r.error()));
      }
      if (spark != null && weft.seconds() > 0) {
        b.append(String.format(Locale.ROOT, "Weft / Spark throughput: %.2fx%n", weftOverSpark()));
      }
      return b.toString();
    }
  }

  /** Runs the disk probe, Weft's sort, Spark's sort, and checks both outputs. */
  public static Report run(Options o, PrintStream log) throws IOException, InterruptedException {
    long bytes = 0;
    for (InputFiles.InputFile f : InputFiles.list(o.input())) {
      bytes += f.bytes();
    }
    Files.createDirectories(o.work());
    log.println("measuring the disk in " + o.work() + " ...");
    DiskSpeed.Result disk = DiskSpeed.measure(o.work(), o.diskProbeBytes());
    log.println(disk.describe());

    Path weftOut = o.work().resolve("weft-output");
    int reducers = o.reducers();
    if (o.dropCaches()) {
      dropCaches(log);
    }
    log.println("Weft sort (" + o.strategy().name().toLowerCase(Locale.ROOT) + ") ...");
    SortRun.Summary s =
        SortRun.run(
            new SortRun.Options(
                o.input(),
                weftOut,
                reducers,
                o.strategy(),
                o.objectStoreBytes(),
                true,
                0,
                4,
                o.compression()),
            log,
            false);
    reducers = s.reducers(); // Spark gets as many output partitions
    String label = "Weft " + s.strategy() + ("none".equals(s.compression()) ? "" : ", lz4");
    Row weft = checked(label, s.seconds(), bytes, o.input(), weftOut, log);
    deleteFiles(weftOut);

    Row spark = null;
    String title = null;
    if (o.spark()) {
      SparkBaseline sb = SparkBaseline.find().withHeapMb(o.sparkHeapMb());
      title = sb.title();
      Path sparkOut = o.work().resolve("spark-output");
      deleteFiles(sparkOut);
      if (o.dropCaches()) {
        dropCaches(log);
      }
      log.println(title + " sort (local[2]) ...");
      SparkBaseline.Result r = sb.run(o.input(), sparkOut, reducers, o.timeout());
      spark = checked(title, r.seconds(), bytes, o.input(), sparkOut, log);
      deleteFiles(sparkOut);
    }
    return new Report(disk, weft, spark, title);
  }

  private static Row checked(
      String system, double seconds, long bytes, Path input, Path output, PrintStream log) {
    SortCheck.Result c = SortCheck.check(input, output);
    log.println(system + ": " + c.summary());
    return new Row(system, seconds, bytes, c.valid(), c.error());
  }

  /** Empties the page cache where this process may (root), so each sort reads from the disk. */
  private static void dropCaches(PrintStream log) {
    Path knob = Path.of("/proc/sys/vm/drop_caches");
    if (!Files.isWritable(knob)) {
      return;
    }
    try {
      new ProcessBuilder("sync").inheritIO().start().waitFor();
      Files.writeString(knob, "1");
    } catch (IOException | InterruptedException e) {
      log.println("note: could not drop the page cache: " + e);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void deleteFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (var s = Files.list(dir)) {
      for (Path p : s.toList()) {
        if (Files.isRegularFile(p)) {
          Files.delete(p);
        }
      }
    }
    Files.deleteIfExists(dir);
  }
}
