package dev.weft.shuffle.sort;

import dev.weft.WeftException;
import dev.weft.shuffle.Strategy;
import dev.weft.shuffle.sort.bench.SortBench;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code weft sort bench}. */
@Command(
    name = "bench",
    sortOptions = false,
    mixinStandardHelpOptions = true,
    description = {
      "Sorts the same gensort-format input with Weft and with Apache Spark (local[2], its own JVM),"
          + " validates both outputs, and measures the disk's sequential read and write speed in"
          + " the same run. Exits 0 only when both outputs are valid."
    })
final class BenchCommand implements Callable<Integer> {
  @Option(
      names = "--input",
      description = "folder of gensort-format files (default: generate --records into --work)")
  Path input;

  @Option(names = "--records", description = "records to generate when --input is not given")
  long records;

  @Option(
      names = "--work",
      required = true,
      description = "scratch folder for the outputs and the disk probe (emptied of them after)")
  Path work;

  @Option(names = "--reducers", description = "output partitions of both sorts (default: auto)")
  int reducers;

  @Option(names = "--strategy", defaultValue = "simple", description = "Weft's shuffle strategy")
  String strategy;

  @Option(
      names = "--compress",
      defaultValue = "auto",
      description = "Weft's map outputs: auto (LZ4 where the data exceeds the store), lz4 or none")
  String compress;

  @Option(
      names = "--object-store-memory",
      description = "bytes of Weft's object store (default: Weft's default)")
  long objectStoreBytes = -1;

  @Option(
      names = "--spark-heap-mb",
      defaultValue = "4096",
      description = "Spark's heap (its driver memory in local mode)")
  int sparkHeapMb;

  @Option(names = "--no-spark", description = "run Weft's sort only")
  boolean noSpark;

  @Option(
      names = "--disk-probe-bytes",
      defaultValue = "1073741824",
      description = "bytes written and read to measure the disk (default 1 GiB)")
  long diskProbeBytes;

  @Option(names = "--timeout-minutes", defaultValue = "60", description = "Spark's time limit")
  long timeoutMinutes;

  @Option(
      names = "--no-drop-caches",
      description = "keep the page cache between sorts (by default, as root, it is emptied first)")
  boolean keepCaches;

  @Option(names = "--json", description = "print the figures as one JSON object")
  boolean json;

  @Override
  public Integer call() {
    Strategy s = RunCommand.strategy("bench", strategy);
    SortRun.Compression c = RunCommand.compression("bench", compress);
    if (s == null || c == null) {
      return 2;
    }
    try {
      Path in = input;
      if (in == null) {
        if (records <= 0) {
          System.err.println("weft sort bench: give --input DIR, or --records N to generate data");
          return 2;
        }
        in = work.resolve("input");
        System.err.println(
            GenSort.generate(
                    in,
                    records,
                    Math.max(1, (int) (records / 2_000_000)),
                    1,
                    GenSort.Keys.UNIFORM,
                    true)
                .line());
      }
      SortBench.Report r =
          SortBench.run(
              new SortBench.Options(
                  in,
                  work,
                  reducers,
                  s,
                  objectStoreBytes,
                  sparkHeapMb,
                  !noSpark,
                  diskProbeBytes,
                  Duration.ofMinutes(timeoutMinutes),
                  !keepCaches,
                  c),
              System.err);
      System.out.print(json ? r.toJson() + System.lineSeparator() : r.table());
      return r.valid() ? 0 : 1;
    } catch (IOException | IllegalArgumentException | UncheckedIOException | WeftException e) {
      System.err.println("weft sort bench: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      System.err.println("weft sort bench: interrupted");
      return 1;
    }
  }
}
