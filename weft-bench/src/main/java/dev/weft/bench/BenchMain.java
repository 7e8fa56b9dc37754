package dev.weft.bench;

import dev.weft.Weft;
import dev.weft.WeftRuntime;
import dev.weft.bench.Benchmarks.Benchmark;
import dev.weft.bench.Benchmarks.Fixture;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code weft bench}: Ray's core microbenchmarks ({@code ray microbenchmark}) against Weft.
 *
 * <p>Starts Weft ({@link Weft#init()}: an embedded local cluster, or the cluster at {@code
 * WEFT_ADDRESS}; or {@code --address}), times init up to the first task's result, then runs each
 * benchmark: set up (actors, objects), warm up, then timed trials; the result is the mean and
 * (population) standard deviation of the per-trial rates, as Ray reports them. Every operation
 * checks its results; a wrong result fails that benchmark and the run's exit code, the others still
 * run.
 *
 * <p>With {@code --peers} it runs {@link PeersRun} instead: the workloads of {@code
 * dev.weft.bench.peers.Workloads} on Weft and on each peer, each peer in JVMs of its own.
 *
 * <p>Exit codes: 0 all benchmarks ran and were correct; 1 a benchmark failed (or Weft could not
 * start, or the JSON could not be written); 2 bad command line.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    versionProvider = BenchMain.Version.class,
    description =
        "Runs Ray's core microbenchmarks (ray microbenchmark) against Weft, prints a table and"
            + " writes the results as JSON; with --peers, runs Weft side by side with Hazelcast,"
            + " Apache Ignite, Apache Pekko and loopback TCP instead. Starts an embedded local"
            + " cluster unless WEFT_ADDRESS or --address names a running one. Exit code 0: all"
            + " correct; 1: a benchmark failed; 2: bad command line.")
public final class BenchMain implements Callable<Integer> {
  static final String DEFAULT_JSON = "weft-bench-results.json";
  static final String PEERS_JSON = "weft-bench-peers.json";

  @Spec CommandSpec spec;

  @Option(
      names = "--quick",
      description = "Smoke run: tiny batches, ~0.3 s per benchmark; results are still checked.")
  boolean quick;

  @Option(
      names = "--only",
      paramLabel = "<regex>",
      description = "Run only the benchmarks whose name contains a match of <regex>.")
  String only;

  @Option(
      names = "--json",
      paramLabel = "<file>",
      description =
          "Where to write the JSON results (default: "
              + DEFAULT_JSON
              + "; with --peers: "
              + PEERS_JSON
              + ").")
  Path json;

  @Option(
      names = "--trials",
      paramLabel = "N",
      description = "Timed trials per benchmark (default: 5; --quick: 2).")
  Integer trials;

  @Option(
      names = "--duration",
      paramLabel = "<seconds>",
      description =
          "Measured seconds per benchmark, split over the trials (default: 5; --quick: 0.2).")
  Double durationSeconds;

  @Option(
      names = "--warmup",
      paramLabel = "<seconds>",
      description = "Warm-up seconds per benchmark before the trials (default: 2; --quick: 0.1).")
  Double warmupSeconds;

  @Option(
      names = "--batch",
      paramLabel = "N",
      description = "Calls per batch in the async benchmarks (default: 1000; --quick: 10).")
  Integer batch;

  @Option(
      names = "--actors",
      paramLabel = "N",
      description =
          "Actors (and callers) in 1_n and n_n (default: the cluster's CPUs; --quick: at most 2).")
  Integer actors;

  @Option(
      names = "--timeout",
      paramLabel = "<seconds>",
      description =
          "Longest wait for any one result before the benchmark fails (default: ${DEFAULT-VALUE}).")
  double timeoutSeconds = 60;

  @Option(
      names = "--address",
      paramLabel = "<host:port>",
      description = "Connect to this cluster instead of Weft.init()'s default.")
  String address;

  @Option(names = "--list", description = "List the benchmarks' names and exit.")
  boolean list;

  @Option(
      names = "--store",
      description =
          "Run the object store's benchmarks instead: large put/get and worker reads against a memory copy,"
              + " zero-copy views, spill/restore against sequential disk I/O, all measured in the same run"
              + " (with --quick: tiny sizes). Writes weft-store-bench.json, or --json.")
  boolean store;

  @Option(
      names = "--multi-node",
      description =
          "Run the multi-node benchmarks instead: tasks on 3 nodes (DEFAULT and SPREAD) and"
              + " many_actors, each against one node in the same run (with --quick: small sizes)."
              + " Writes weft-multinode-bench.json, or --json.")
  boolean multiNode;

  @Option(
      names = "--transfer",
      description =
          "Run the object transfer benchmarks instead: transfer_1gib (node to node) and"
              + " broadcast_1gib_3_nodes, against loopback TCP between two JVMs in the same run"
              + " (with --quick: 64 MiB, one trial). Needs about 5 GiB of /dev/shm.")
  boolean transfer;

  @Option(
      names = "--many-actors",
      paramLabel = "N",
      description =
          "With --multi-node: actors created by many_actors (default: 10000; --quick: 200).")
  Integer manyActors;

  @Option(
      names = "--peers",
      description =
          "Side by side: run the same workloads on Weft and on each peer (Hazelcast, Apache Ignite,"
              + " Apache Pekko, loopback TCP; each in JVMs of its own), alternating over several"
              + " rounds, and print medians with Weft/peer ratios (see docs/BENCHMARKS.md)."
              + " With --peers, --only selects workloads, --duration is per system per round"
              + " (default: 3; --quick: 0.05), --trials default 3 (--quick: 1), --warmup default 1"
              + " (--quick: 0), and --json defaults to "
              + PEERS_JSON
              + ".")
  boolean peers;

  @Option(
      names = "--rounds",
      paramLabel = "N",
      description = "With --peers: rounds over all systems (default: 3; --quick: 1).")
  Integer rounds;

  @Option(
      names = "--warmup-rounds",
      paramLabel = "N",
      description =
          "With --peers: rounds run first and not counted, so every system's JIT is warm"
              + " (default: 1; --quick: 0).")
  Integer warmupRounds;

  @Option(
      names = "--warmup-steady",
      paramLabel = "<seconds>",
      description =
          "With --peers: in the warm-up rounds, go on warming each system up at least this long"
              + " and until its rate is steady (the mean rate of its last 3 one-second windows within"
              + " 5% of the 3 before), at most 3 times this long; 0 turns it off (default: 20;"
              + " --quick: 0). A fresh JVM on 2 CPUs takes ~20 s to compile a distributed system's"
              + " hot paths.")
  Double warmupSteadySeconds;

  @Option(
      names = "--peer",
      split = ",",
      paramLabel = "<name>",
      description = "With --peers: only these peers (hazelcast, ignite, pekko, tcp; default: all).")
  List<String> peerNames;

  @Option(
      names = "--peers-dir",
      paramLabel = "<dir>",
      description =
          "With --peers: the folder holding one folder per peer (default: $WEFT_HOME/peers, as"
              + " laid out by the distribution).")
  Path peersDir;

  @Option(
      names = "--dag-leaves",
      paramLabel = "N",
      description = "With --peers: leaf tasks of the DAG (default: 10000; --quick: 100).")
  Integer dagLeaves;

  @Option(
      names = "--large-mib",
      paramLabel = "N",
      description = "With --peers: size of the large object in MiB (default: 256; --quick: 1).")
  Integer largeMib;

  @Option(
      names = "--markdown",
      paramLabel = "<file>",
      description =
          "With --peers: also write the table and the machine into the marked section of this"
              + " Markdown file (docs/BENCHMARKS.md).")
  Path markdown;

  /** The jar's Implementation-Version when it has one. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = BenchMain.class.getPackage().getImplementationVersion();
      return new String[] {"weft bench " + (v == null ? "(development build)" : v)};
    }
  }

  /** Runs the command; returns its exit code (for {@code weft bench}). */
  public static int run(String... args) {
    return new CommandLine(new BenchMain()).execute(args);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** The version of the jars, or "(development build)". */
  static String versionString() {
    String v = BenchMain.class.getPackage().getImplementationVersion();
    return v == null ? "(development build)" : v;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (peers) {
      return new PeersRun(peersOptions(), out, err).run();
    }
    if (multiNode) {
      java.util.List<String> a = new java.util.ArrayList<>();
      if (quick) {
        a.add("--quick");
      }
      if (json != null) {
        a.addAll(java.util.List.of("--json", json.toString()));
      }
      if (manyActors != null) {
        a.addAll(java.util.List.of("--actors", manyActors.toString()));
      }
      return MultiNodeBench.run(a.toArray(String[]::new));
    }
    if (transfer) {
      return TransferBench.run(
          quick ? new String[] {"--size", "64", "--trials", "1"} : new String[0]);
    }
    if (store) {
      java.util.List<String> a = new java.util.ArrayList<>();
      if (quick) {
        a.add("--quick");
      }
      if (json != null) {
        a.add("--json");
        a.add(json.toString());
      }
      return StoreBench.run(a.toArray(String[]::new));
    }
    for (Object[] o :
        new Object[][] {
          {"--rounds", rounds},
          {"--warmup-rounds", warmupRounds},
          {"--warmup-steady", warmupSteadySeconds},
          {"--peer", peerNames},
          {"--peers-dir", peersDir},
          {"--dag-leaves", dagLeaves},
          {"--large-mib", largeMib},
          {"--markdown", markdown}
        }) {
      if (o[1] != null) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), o[0] + " only applies with --peers");
      }
    }
    if (json == null) {
      json = Path.of(DEFAULT_JSON);
    }
    Settings settings;
    Pattern filter;
    try {
      settings = settings(quick, trials, durationSeconds, warmupSeconds, batch, timeoutSeconds);
      filter = only == null ? null : Pattern.compile(only);
    } catch (IllegalArgumentException e) { // PatternSyntaxException is one
      String what = e instanceof PatternSyntaxException ? "--only is not a valid regex: " : "";
      throw new CommandLine.ParameterException(spec.commandLine(), what + e.getMessage(), e);
    }
    if (actors != null && actors < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--actors must be >= 1 (got " + actors + ")");
    }

    List<String> names = new ArrayList<>();
    names.add(Benchmarks.INIT_TO_FIRST_RESULT);
    names.add(Benchmarks.RECURSIVE_FIB);
    names.add(ManyPgs.NAME);
    for (Benchmark b : Benchmarks.all(sizes(settings, 1))) {
      names.add(b.name());
    }
    if (list) {
      names.forEach(out::println);
      out.flush();
      return 0;
    }
    if (filter != null && names.stream().noneMatch(n -> filter.matcher(n).find())) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--only '" + only + "' matches no benchmark; they are: " + String.join(", ", names));
    }

    List<BenchResult> results = new ArrayList<>();
    boolean startedHere = !Weft.isInitialized();
    String cluster;
    int clusterCpus;
    try {
      if (startedHere) {
        long t0 = System.nanoTime();
        WeftRuntime rt = address != null ? Weft.init(address) : Weft.init();
        long t1 = System.nanoTime();
        Benchmarks.firstTask(settings.timeout());
        long t2 = System.nanoTime();
        cluster = rt.config().address() == null ? "embedded" : rt.config().address();
        clusterCpus =
            rt.config().address() == null
                ? rt.config().numCpus()
                : Runtime.getRuntime().availableProcessors();
        double ms = (t2 - t0) / 1e6;
        results.add(
            BenchResult.ok(
                Benchmarks.INIT_TO_FIRST_RESULT,
                "ms",
                new double[] {ms},
                null,
                params("init_ms", (t1 - t0) / 1e6, "first_task_ms", (t2 - t1) / 1e6)));
        out.printf(
            "%s %.1f ms (init %.1f ms + first task %.1f ms)%n",
            Benchmarks.INIT_TO_FIRST_RESULT, ms, (t1 - t0) / 1e6, (t2 - t1) / 1e6);
      } else {
        cluster = "already initialized by the caller";
        clusterCpus = Runtime.getRuntime().availableProcessors();
        out.println(
            "Weft was already initialized in this process: "
                + Benchmarks.INIT_TO_FIRST_RESULT
                + " not measured");
      }
      out.flush();
    } catch (RuntimeException | Error e) {
      err.println("weft-bench: Weft did not start or did not run its first task:");
      e.printStackTrace(err);
      err.flush();
      results.add(
          BenchResult.failed(Benchmarks.INIT_TO_FIRST_RESULT, "ms", null, Map.of(), stackTrace(e)));
      if (startedHere) {
        shutdownQuietly(err);
      }
      writeJson(results, "not started", settings, 0, out, err);
      return 1;
    }

    if (filter == null || filter.matcher(Benchmarks.RECURSIVE_FIB).find()) {
      BenchResult fib;
      try {
        fib = Benchmarks.recursiveFib(quick ? 10 : 16, settings.timeout().multipliedBy(5));
        out.printf("%s %.2f s (%s)%n", Benchmarks.RECURSIVE_FIB, fib.stats().mean(), fib.params());
      } catch (RuntimeException | Error e) {
        err.println("weft-bench: " + Benchmarks.RECURSIVE_FIB + " FAILED:");
        e.printStackTrace(err);
        fib = BenchResult.failed(Benchmarks.RECURSIVE_FIB, "s", null, Map.of(), stackTrace(e));
        out.printf("%s FAILED: %s%n", Benchmarks.RECURSIVE_FIB, e);
      }
      results.add(fib);
      out.flush();
    }

    if (filter == null || filter.matcher(ManyPgs.NAME).find()) {
      BenchResult pgs;
      try {
        pgs = ManyPgs.run(quick ? 50 : 1_000, settings.timeout());
        out.printf("%s %.3f ms per group (%s)%n", ManyPgs.NAME, pgs.stats().mean(), pgs.params());
      } catch (RuntimeException | Error e) {
        err.println("weft-bench: " + ManyPgs.NAME + " FAILED:");
        e.printStackTrace(err);
        pgs = BenchResult.failed(ManyPgs.NAME, "ms/group", null, Map.of(), stackTrace(e));
        out.printf("%s FAILED: %s%n", ManyPgs.NAME, e);
      }
      results.add(pgs);
      out.flush();
    }

    int n = actors != null ? actors : quick ? Math.min(2, clusterCpus) : clusterCpus;
    Benchmarks.Sizes sizes = sizes(settings, Math.max(1, n));
    List<Benchmark> chosen = new ArrayList<>();
    for (Benchmark b : Benchmarks.all(sizes)) {
      if (filter == null || filter.matcher(b.name()).find()) {
        chosen.add(b);
      }
    }
    try (BenchProgress bar =
        new BenchProgress(System.err, BenchProgress.terminal(), chosen.size())) {
      Harness harness = Harness.systemClock();
      for (Benchmark b : chosen) {
        bar.start(b.name());
        BenchResult r = runOne(harness, b, settings.plan(), err);
        bar.finish();
        results.add(r);
        if (r.succeeded()) {
          out.printf(
              "%s per second %s%n",
              b.name(), Report.formatMeanStd(r.stats().mean(), r.stats().stddev()));
        } else {
          out.printf("%s FAILED: %s%n", b.name(), r.error().lines().findFirst().orElse(""));
        }
        out.flush();
      }
    } finally {
      if (startedHere) {
        shutdownQuietly(err);
      }
    }

    out.println();
    out.print(Report.table(results));
    boolean written = writeJson(results, cluster, settings, sizes.actors(), out, err);
    boolean allOk = results.stream().allMatch(BenchResult::succeeded);
    if (!allOk) {
      err.println("weft-bench: some benchmarks FAILED (see above)");
    }
    out.flush();
    err.flush();
    return allOk && written ? 0 : 1;
  }

  /** --peers' options, with its defaults (full or --quick); usage errors as ParameterException. */
  PeersRun.Options peersOptions() {
    if (list) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--list does not apply with --peers");
    }
    if (actors != null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--actors does not apply with --peers");
    }
    int t = trials != null ? trials : quick ? 1 : 3;
    double d = durationSeconds != null ? durationSeconds : quick ? 0.05 : 3;
    double w = warmupSeconds != null ? warmupSeconds : quick ? 0 : 1;
    int b = batch != null ? batch : quick ? 10 : 1000;
    int leaves = dagLeaves != null ? dagLeaves : quick ? 100 : 10_000;
    long bytes = (largeMib != null ? largeMib : quick ? 1 : 256) * (1L << 20);
    int r = rounds != null ? rounds : quick ? 1 : 3;
    int wr = warmupRounds != null ? warmupRounds : quick ? 0 : 1;
    double steady = warmupSteadySeconds != null ? warmupSteadySeconds : quick ? 0 : 20;
    Pattern filter;
    dev.weft.bench.peers.RunSpec base;
    try {
      if (r < 1) {
        throw new IllegalArgumentException("--rounds must be >= 1 (got " + r + ")");
      }
      if (wr < 0) {
        throw new IllegalArgumentException("--warmup-rounds must be >= 0 (got " + wr + ")");
      }
      if (!(steady >= 0)) {
        throw new IllegalArgumentException("--warmup-steady must be >= 0 s (got " + steady + ")");
      }
      if (largeMib != null && (largeMib < 1 || largeMib > 2047)) {
        throw new IllegalArgumentException("--large-mib must be 1 .. 2047 (got " + largeMib + ")");
      }
      filter = only == null ? null : Pattern.compile(only);
      base =
          new dev.weft.bench.peers.RunSpec(
              dev.weft.bench.peers.Workloads.TASKS_SYNC,
              b,
              leaves,
              bytes,
              w,
              t,
              d / t,
              timeoutSeconds,
              steady);
    } catch (IllegalArgumentException e) {
      String what = e instanceof PatternSyntaxException ? "--only is not a valid regex: " : "";
      throw new CommandLine.ParameterException(spec.commandLine(), what + e.getMessage(), e);
    }
    Path dir = peersDir;
    if (dir == null) {
      String home = System.getenv("WEFT_HOME");
      String prop = System.getProperty("weft.peers.dir");
      if (prop != null) {
        dir = Path.of(prop);
      } else if (home != null) {
        dir = Path.of(home, "peers");
      } else {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--peers needs the peers' folder: run the distribution's bin/weft (it sets WEFT_HOME),"
                + " or pass --peers-dir <weft-dist/target/weft/peers>");
      }
    }
    List<String> original =
        spec.commandLine().getParseResult() == null
            ? List.of()
            : spec.commandLine().getParseResult().originalArgs();
    return new PeersRun.Options(
        quick,
        r,
        wr,
        dir,
        peerNames,
        filter,
        base,
        address,
        json != null ? json : Path.of(PEERS_JSON),
        markdown,
        "weft bench " + String.join(" ", original));
  }

  private static BenchResult runOne(
      Harness harness, Benchmark b, Harness.Plan plan, PrintWriter err) {
    try (Fixture f = b.setup().call()) {
      double[] rates = harness.measure(f::run, plan);
      return BenchResult.ok(b.name(), b.unit(), rates, b.rayReference(), b.params());
    } catch (Exception | Error e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      err.println("weft-bench: " + b.name() + " FAILED:");
      e.printStackTrace(err);
      err.flush();
      return BenchResult.failed(b.name(), b.unit(), b.rayReference(), b.params(), stackTrace(e));
    }
  }

  private boolean writeJson(
      List<BenchResult> results,
      String cluster,
      Settings s,
      int actorCount,
      PrintWriter out,
      PrintWriter err) {
    Map<String, Object> settingsMap = new LinkedHashMap<>();
    settingsMap.put("quick", quick);
    settingsMap.put("warmup_s", s.warmupSeconds());
    settingsMap.put("trials", s.trials());
    settingsMap.put("trial_s", s.plan().trialNanos() / 1e9);
    settingsMap.put("batch", s.batch());
    settingsMap.put("actors", actorCount);
    settingsMap.put("wait_refs", s.waitRefs());
    settingsMap.put("timeout_s", s.timeout().toMillis() / 1e3);
    if (only != null) {
      settingsMap.put("only", only);
    }
    String doc = Report.json(Report.RunInfo.current(cluster, settingsMap), results);
    try {
      Path parent = json.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(json, doc, StandardCharsets.UTF_8);
      out.println("results written to " + json.toAbsolutePath());
      return true;
    } catch (IOException e) {
      err.println("weft-bench: could not write the results to " + json.toAbsolutePath() + ": " + e);
      return false;
    }
  }

  /** The resolved run settings: --quick defaults, overridden by explicit options. */
  record Settings(
      boolean quick,
      int trials,
      double measureSeconds,
      double warmupSeconds,
      int batch,
      int waitRefs,
      Duration timeout) {
    Harness.Plan plan() {
      return Harness.Plan.ofSeconds(warmupSeconds, trials, measureSeconds);
    }
  }

  static Settings settings(
      boolean quick,
      Integer trials,
      Double measureSeconds,
      Double warmupSeconds,
      Integer batch,
      double timeoutSeconds) {
    int t = trials != null ? trials : quick ? 2 : 5;
    double m = measureSeconds != null ? measureSeconds : quick ? 0.2 : 5;
    double w = warmupSeconds != null ? warmupSeconds : quick ? 0.1 : 2;
    int b = batch != null ? batch : quick ? 10 : 1000;
    if (t < 1) {
      throw new IllegalArgumentException("--trials must be >= 1 (got " + t + ")");
    }
    if (!(m > 0)) {
      throw new IllegalArgumentException("--duration must be > 0 seconds (got " + m + ")");
    }
    if (!(w >= 0)) {
      throw new IllegalArgumentException("--warmup must be >= 0 seconds (got " + w + ")");
    }
    if (b < 1) {
      throw new IllegalArgumentException("--batch must be >= 1 (got " + b + ")");
    }
    if (!(timeoutSeconds > 0)) {
      throw new IllegalArgumentException(
          "--timeout must be > 0 seconds (got " + timeoutSeconds + ")");
    }
    int waitRefs = quick ? 100 : 1000;
    return new Settings(
        quick,
        t,
        m,
        w,
        b,
        waitRefs,
        Duration.ofMillis(Math.max(1, Math.round(timeoutSeconds * 1000))));
  }

  private static Benchmarks.Sizes sizes(Settings s, int actorCount) {
    return new Benchmarks.Sizes(s.batch(), actorCount, s.waitRefs(), s.timeout());
  }

  private static void shutdownQuietly(PrintWriter err) {
    try {
      Weft.shutdown();
    } catch (RuntimeException e) {
      err.println("weft-bench: Weft.shutdown() failed: " + e);
      err.flush();
    }
  }

  private static String stackTrace(Throwable e) {
    StringWriter w = new StringWriter();
    e.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  private static Map<String, Object> params(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }
}
