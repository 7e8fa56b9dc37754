package dev.weft.shuffle.sort;

import dev.weft.WeftException;
import dev.weft.shuffle.Strategy;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code weft sort run}. */
@Command(
    name = "run",
    sortOptions = false,
    mixinStandardHelpOptions = true,
    description = {
      "Sorts every regular file of --input (gensort format: 100-byte records, 10-byte keys) into"
          + " --output/part-NNNNN files whose concatenation in name order is sorted by the"
          + " unsigned key.",
      "Starts an embedded cluster unless WEFT_ADDRESS is set. Exits 0 only on success."
    })
final class RunCommand implements Callable<Integer> {
  @Option(names = "--input", required = true, description = "folder of gensort-format files")
  Path input;

  @Option(names = "--output", required = true, description = "folder for the sorted part files")
  Path output;

  @Option(
      names = "--reducers",
      description = "output partitions (default: from the data and store size)")
  int reducers;

  @Option(
      names = "--strategy",
      defaultValue = "simple",
      description = "simple, merge (two-stage, Riffle-style) or push (pipelined, Magnet-style)")
  String strategy;

  @Option(
      names = "--object-store-memory",
      description = "bytes of each node's object store, for an embedded cluster")
  long objectStoreBytes = -1;

  @Option(names = "--overwrite", description = "replace the files already in --output")
  boolean overwrite;

  @Option(names = "--json", description = "print a JSON summary instead of the table")
  boolean json;

  @Option(names = "--split-bytes", description = "bytes of input per map task (default: auto)")
  long splitBytes;

  @Option(
      names = "--merge-factor",
      defaultValue = "4",
      description = "maps merged together on a node (merge and push; default 4)")
  int mergeFactor;

  @Option(
      names = "--compress",
      defaultValue = "auto",
      description =
          "compress the map outputs with LZ4: auto (where the data exceeds half of the cluster's"
              + " object stores), lz4 or none")
  String compress;

  /** The compression named {@code name}, or null after telling the user the choices. */
  static SortRun.Compression compression(String command, String name) {
    SortRun.Compression c = SortRun.Compression.parse(name);
    if (c == null) {
      System.err.println(
          "weft sort " + command + ": unknown --compress '" + name + "': use auto, lz4 or none");
    }
    return c;
  }

  /** The strategy named {@code name}, or null after telling the user the choices. */
  static Strategy strategy(String command, String name) {
    try {
      return Strategy.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      System.err.println(
          "weft sort "
              + command
              + ": unknown --strategy '"
              + name
              + "': use simple, merge or push");
      return null;
    }
  }

  @Override
  public Integer call() {
    Strategy s = RunCommand.strategy("run", strategy);
    SortRun.Compression c = compression("run", compress);
    if (s == null || c == null) {
      return 2;
    }
    if (reducers < 0 || reducers > SortRun.MAX_REDUCERS) {
      System.err.println("weft sort run: --reducers must be between 1 and " + SortRun.MAX_REDUCERS);
      return 2;
    }
    if (mergeFactor < 1) {
      System.err.println("weft sort run: --merge-factor must be at least 1");
      return 2;
    }
    SortRun.Options o =
        new SortRun.Options(
            input, output, reducers, s, objectStoreBytes, overwrite, splitBytes, mergeFactor, c);
    SortRun.Summary sum;
    try {
      sum =
          SortRun.run(
              o, System.err, !json && System.console() != null && System.console().isTerminal());
    } catch (IllegalArgumentException | UncheckedIOException | WeftException e) {
      System.err.println("weft sort run: " + e.getMessage());
      return 1;
    }
    if (json) {
      System.out.println(sum.toJson());
    } else {
      System.out.printf(
          Locale.ROOT,
          "sorted %d records (%s) from %d files into %d part files in %s, strategy %s,"
              + " compression %s, %d node(s)%n",
          sum.records(),
          Progress.mb(sum.bytes()),
          sum.inputFiles(),
          sum.reducers(),
          output,
          sum.strategy(),
          sum.compression(),
          sum.nodes());
      System.out.printf(
          Locale.ROOT,
          "total %.1f s, %.1f MB/s; map %.1f s, merge %.1f s (%d tasks), reduce %.1f s%n",
          sum.seconds(),
          sum.mbPerSecond(),
          sum.mapSeconds(),
          sum.mergeSeconds(),
          sum.mergeTasks(),
          sum.reduceSeconds());
    }
    return 0;
  }
}
