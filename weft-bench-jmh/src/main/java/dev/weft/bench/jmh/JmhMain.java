package dev.weft.bench.jmh;

import dev.weft.bench.peers.PeerJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs Weft's JMH benchmarks and prints each {@code weft_X} beside its {@code baseline_X} from the
 * same run, as a ratio (above 1: Weft's path is faster than the baseline).
 *
 * <pre>
 *   scripts/jmh                 # full: 1 fork, 3 x 1 s warm-up, 5 x 1 s measured per benchmark
 *   scripts/jmh --quick         # smoke: in this JVM, 1 x 100 ms each (results checked, not timed)
 *   scripts/jmh --only Codec    # benchmarks whose name matches a regular expression
 * </pre>
 */
public final class JmhMain {
  /** JVM flags the forked benchmark JVMs need (Fory reflects into the JDK; see DEPENDENCIES.md). */
  static final String[] JVM_FLAGS = {
    "--enable-native-access=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--sun-misc-unsafe-memory-access=allow"
  };

  /** One pair: Weft's path and its baseline, in operations per microsecond. */
  public record Pair(String name, double weft, double baseline) {
    public double ratio() {
      return weft / baseline;
    }
  }

  private JmhMain() {}

  public static void main(String[] args) throws Exception {
    boolean quick = false;
    String only = ".*";
    String json = "weft-jmh-results.json";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--only" -> only = value(args, ++i, "--only");
        case "--json" -> json = value(args, ++i, "--json");
        case "-h", "--help" -> {
          System.out.println("usage: scripts/jmh [--quick] [--only <regex>] [--json <file>]");
          return;
        }
        default -> {
          System.err.println("unknown option " + args[i] + " (try --help)");
          System.exit(2);
        }
      }
    }
    List<Pair> pairs = run(only, quick);
    print(pairs);
    write(pairs, Path.of(json));
    System.out.println("results written to " + json);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      System.err.println(option + " needs a value");
      System.exit(2);
    }
    return args[i];
  }

  /** Runs the matching benchmarks and pairs them up. */
  public static List<Pair> run(String only, boolean quick) throws RunnerException {
    ChainedOptionsBuilder o =
        new OptionsBuilder()
            .include(
                "dev\\.weft\\..*Bench\\..*("
                    + only
                    + ").*|dev\\.weft\\..*("
                    + only
                    + ").*Bench\\..*")
            .shouldFailOnError(true);
    if (quick) {
      o.forks(0)
          .warmupIterations(1)
          .warmupTime(TimeValue.milliseconds(100))
          .measurementIterations(1)
          .measurementTime(TimeValue.milliseconds(100));
    } else {
      o.forks(1)
          .jvmArgsAppend(JVM_FLAGS)
          .warmupIterations(3)
          .warmupTime(TimeValue.seconds(1))
          .measurementIterations(5)
          .measurementTime(TimeValue.seconds(1));
    }
    Collection<RunResult> results = new Runner(o.build()).run();
    Map<String, double[]> byName = new TreeMap<>();
    for (RunResult r : results) {
      String label = r.getParams().getBenchmark(); // dev.weft...CodecBench.weft_pushTask
      int dot = label.lastIndexOf('.');
      String cls = label.substring(label.lastIndexOf('.', dot - 1) + 1, dot);
      String method = label.substring(dot + 1);
      boolean weft = method.startsWith("weft_");
      if (!weft && !method.startsWith("baseline_")) {
        continue;
      }
      String key = cls + "." + method.substring(method.indexOf('_') + 1);
      double score = r.getPrimaryResult().getScore();
      byName.computeIfAbsent(key, k -> new double[] {Double.NaN, Double.NaN})[weft ? 0 : 1] = score;
    }
    List<Pair> pairs = new ArrayList<>();
    byName.forEach((k, v) -> pairs.add(new Pair(k, v[0], v[1])));
    return pairs;
  }

  static void print(List<Pair> pairs) {
    System.out.println();
    System.out.printf(
        "%-28s %14s %14s %8s%n", "benchmark", "weft ops/us", "baseline ops/us", "ratio");
    for (Pair p : pairs) {
      System.out.printf(
          "%-28s %14.3f %14.3f %7.2fx%n", p.name(), p.weft(), p.baseline(), p.ratio());
    }
  }

  static void write(List<Pair> pairs, Path file) throws IOException {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Pair p : pairs) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("name", p.name());
      row.put("weft", p.weft());
      row.put("baseline", p.baseline());
      row.put("ratio", p.ratio());
      rows.add(row);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("unit", "ops/us");
    doc.put("pairs", rows);
    Files.writeString(file, PeerJson.writeIndented(doc));
  }
}
