package dev.weft.bench;

import dev.weft.Weft;
import dev.weft.WeftRuntime;
import dev.weft.bench.peers.RunResult;
import dev.weft.bench.peers.RunSpec;
import dev.weft.bench.peers.Workloads;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code weft bench --peers}: the workloads of {@link Workloads} on Weft and on each peer, measured
 * side by side in one run. Weft runs in this process (the driver of an embedded cluster, or of
 * {@code --address}); each peer runs in JVMs of its own, started here with its own class path
 * ({@link PeerProcess}). Every round measures every workload on every system that has it, one
 * system after the other (the order rotates each round), so slow phases of a shared machine land on
 * all of them alike; the report gives medians over all rounds' trials and Weft/peer ratios.
 */
final class PeersRun {
  /** What to run. */
  record Options(
      boolean quick,
      int rounds,
      int warmupRounds,
      Path peersDir,
      List<String> peerNames,
      Pattern only,
      RunSpec base,
      String address,
      Path json,
      Path markdown,
      String commandLine) {}

  /** The result of one workload on one system over the rounds. */
  static final class Cell {
    final List<double[]> rounds = new ArrayList<>();

    /** The until-steady warm-up windows' rates of the last warm-up round (empty: none ran). */
    double[] warmup = new double[0];

    String error;

    boolean ok() {
      return error == null && !rounds.isEmpty();
    }

    /** The median of each counted round. */
    List<Double> roundMedians() {
      List<Double> m = new ArrayList<>();
      for (double[] r : rounds) {
        m.add(PeersReport.median(r));
      }
      return m;
    }

    double median() {
      List<Double> all = new ArrayList<>();
      for (double[] r : rounds) {
        for (double v : r) {
          all.add(v);
        }
      }
      return PeersReport.median(all);
    }
  }

  static final String WEFT = "weft";

  private final Options o;
  private final PrintWriter out;
  private final PrintWriter err;

  PeersRun(Options o, PrintWriter out, PrintWriter err) {
    this.o = o;
    this.out = out;
    this.err = err;
  }

  int run() {
    List<PeerInfo> peers;
    try {
      peers = selectPeers(PeerInfo.discover(o.peersDir()), o.peerNames());
    } catch (IOException | IllegalArgumentException e) {
      err.println("weft-bench --peers: " + e.getMessage());
      err.flush();
      return 1;
    }
    List<String> workloads = new ArrayList<>();
    for (String w : Workloads.ALL) {
      if (o.only() == null || o.only().matcher(w).find()) {
        workloads.add(w);
      }
    }
    if (workloads.isEmpty()) {
      err.println("weft-bench --peers: --only matches no workload; they are: " + Workloads.ALL);
      err.flush();
      return 2;
    }
    Path logDir;
    try {
      logDir = Files.createTempDirectory("weft-bench-peers-");
    } catch (IOException e) {
      err.println("weft-bench --peers: cannot create a log folder: " + e);
      err.flush();
      return 1;
    }
    PeersReport.Machine machineAtStart = PeersReport.Machine.current();
    out.printf(
        "weft bench --peers: %d round(s); peers %s; logs in %s%n",
        o.rounds(), peers.stream().map(PeerInfo::name).toList(), logDir);
    out.flush();

    Map<String, Map<String, Cell>> cells = new LinkedHashMap<>();
    for (String w : workloads) {
      cells.put(w, new LinkedHashMap<>());
    }
    Map<String, String> systems = new LinkedHashMap<>();
    Map<String, Map<String, Object>> systemInfo = new LinkedHashMap<>();
    Map<String, PeerProcess> running = new LinkedHashMap<>();

    boolean startedWeft = !Weft.isInitialized();
    try {
      // ---- Weft ----
      try {
        long t0 = System.nanoTime();
        if (startedWeft) {
          WeftRuntime rt = o.address() != null ? Weft.init(o.address()) : Weft.init();
          systems.put(
              WEFT,
              "Weft "
                  + BenchMain.versionString()
                  + " ("
                  + (rt.config().address() == null
                      ? "embedded local cluster"
                      : rt.config().address())
                  + ")");
        } else {
          systems.put(WEFT, "Weft " + BenchMain.versionString() + " (initialized by the caller)");
        }
        Benchmarks.firstTask(o.base().timeout());
        systemInfo.put(WEFT, Map.of("startup_ms", (System.nanoTime() - t0) / 1e6));
        out.printf("  %s ready in %.1f s%n", systems.get(WEFT), (System.nanoTime() - t0) / 1e9);
      } catch (RuntimeException | Error e) {
        err.println("weft-bench --peers: Weft did not start:");
        e.printStackTrace(err);
        err.flush();
        return 1;
      }
      // ---- peers, one at a time (2 cores: starting them together only makes each slower) ----
      Duration startTimeout = Duration.ofSeconds(180);
      for (PeerInfo p : peers) {
        List<String> theirs = workloads.stream().filter(p::runs).toList();
        if (theirs.isEmpty()) {
          continue;
        }
        systems.put(p.name(), p.title());
        try {
          long t0 = System.nanoTime();
          PeerProcess pp = PeerProcess.start(p, o.base().bytes(), logDir, startTimeout);
          running.put(p.name(), pp);
          systems.put(p.name(), pp.system());
          Map<String, Object> info = new LinkedHashMap<>();
          info.put("startup_ms", pp.startupMs());
          info.put("log", pp.log().toString());
          systemInfo.put(p.name(), info);
          out.printf("  %s ready in %.1f s%n", pp.system(), (System.nanoTime() - t0) / 1e9);
        } catch (IOException | InterruptedException e) {
          if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
          }
          err.println("weft-bench --peers: " + e.getMessage());
          for (String w : theirs) {
            cell(cells, w, p.name()).error = e.getMessage();
          }
          systemInfo.put(p.name(), Map.of("error", e.getMessage()));
        }
        out.flush();
        err.flush();
      }

      // ---- rounds ----
      Duration resultTimeout =
          Duration.ofMillis(
              Math.round(
                  1000
                      * (o.base().warmupSeconds()
                          + o.base().steadySeconds() * dev.weft.bench.peers.Timing.STEADY_MAX_FACTOR
                          + o.base().trials() * o.base().trialSeconds()
                          + (o.base().trials() + 2) * o.base().timeoutSeconds()
                          + 60)));
      // warm-up rounds first: every system cold-starts its JIT on the first round, and a warm-up
      // period of seconds is too short for that; their figures are shown but not kept.
      // Workload-major: all rounds of one workload before the next. A JVM whose workload changes
      // deoptimizes and recompiles its hot paths (the driver made ~800 compilations over ~6 s when
      // a loop of sync tasks followed one that mixed them with actor calls, at a third of the
      // rate), so round-major order timed Weft, whose driver runs every workload in one JVM,
      // part-cold in every round. The systems still alternate within a workload's rounds.
      int steps = 0;
      for (String w : workloads) {
        int systemsOfW = 1;
        for (PeerInfo p : peers) {
          systemsOfW += p.runs(w) ? 1 : 0;
        }
        steps += systemsOfW * (o.rounds() + o.warmupRounds());
      }
      BenchProgress bar = new BenchProgress(System.err, BenchProgress.terminal(), steps);
      for (String w : workloads) {
        for (int round = -o.warmupRounds(); round < o.rounds(); round++) {
          boolean keep = round >= 0;
          bar.clear();
          List<String> order = new ArrayList<>();
          order.add(WEFT);
          for (PeerInfo p : peers) {
            if (p.runs(w)) {
              order.add(p.name());
            }
          }
          Collections.rotate(order, -((round + o.warmupRounds()) % order.size()));
          // the until-steady warm-up runs in the warm-up rounds only: the counted rounds then find
          // every system warm, and take the same time on each
          RunSpec spec = o.base().withWorkload(w);
          if (keep) {
            spec = spec.withSteadySeconds(0);
          }
          StringBuilder line =
              new StringBuilder(
                  String.format(
                      "%-18s %s",
                      w,
                      keep
                          ? String.format("round %d/%d", round + 1, o.rounds())
                          : String.format(
                              "warm-up round %d/%d (not counted)",
                              round + o.warmupRounds() + 1, o.warmupRounds())));
          for (String sys : order) {
            Cell c = cell(cells, w, sys);
            if (c.error != null) {
              continue; // failed before (or did not start): do not waste the others' time
            }
            RunResult r;
            bar.start(
                w
                    + " on "
                    + shortName(systems.get(sys))
                    + (round < 0 ? " (warm-up)" : " (round " + (round + 1) + ")"));
            if (sys.equals(WEFT)) {
              r = RunResult.measure(spec, WeftWorkloads::open);
            } else {
              PeerProcess pp = running.get(sys);
              r = pp == null ? new RunResult(w, null, "not started") : pp.run(spec, resultTimeout);
            }
            bar.finish();
            if (r.ok()) {
              if (keep) {
                c.rounds.add(r.samples());
              } else {
                c.warmup = r.warmup();
              }
              line.append(
                  String.format(
                      "  %s %s",
                      shortName(systems.get(sys)),
                      PeersReport.formatValue(PeersReport.median(r.samples()), Workloads.unit(w))));
            } else {
              c.error = r.error();
              line.append(String.format("  %s FAILED", shortName(systems.get(sys))));
              err.println(
                  "weft-bench --peers: " + w + " on " + systems.get(sys) + " FAILED: " + r.error());
              err.flush();
            }
          }
          bar.clear();
          out.println(line);
          out.flush();
        }
      }
      bar.close();
    } finally {
      for (PeerProcess pp : running.values()) {
        pp.close();
      }
      if (startedWeft) {
        try {
          Weft.shutdown();
        } catch (RuntimeException e) {
          err.println("weft-bench --peers: Weft.shutdown() failed: " + e);
        }
      }
    }

    PeersReport report =
        new PeersReport(
            Instant.now(),
            machineAtStart,
            PeersReport.Machine.current().loadAverage(),
            o,
            systems,
            systemInfo,
            cells);
    out.println();
    out.print(report.table());
    String notes = report.warmupNotes();
    if (!notes.isEmpty()) {
      out.println();
      out.print(notes);
    }
    if (o.quick()) {
      out.println(
          "(--quick: a smoke run, tiny sizes on cold JVMs: only the correctness of every"
              + " workload counts here, not the figures or the verdicts)");
    }
    out.flush();
    boolean ok = true;
    try {
      Path parent = o.json().toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(o.json(), report.json(), StandardCharsets.UTF_8);
      out.println("results written to " + o.json().toAbsolutePath());
    } catch (IOException e) {
      err.println("weft-bench --peers: could not write " + o.json().toAbsolutePath() + ": " + e);
      ok = false;
    }
    if (o.markdown() != null) {
      try {
        String doc = Files.readString(o.markdown(), StandardCharsets.UTF_8);
        Files.writeString(
            o.markdown(),
            PeersReport.replaceSection(doc, report.markdown()),
            StandardCharsets.UTF_8);
        out.println("table written into " + o.markdown().toAbsolutePath());
      } catch (IOException | IllegalArgumentException e) {
        err.println("weft-bench --peers: could not update " + o.markdown() + ": " + e.getMessage());
        ok = false;
      }
    }
    boolean allOk = cells.values().stream().flatMap(m -> m.values().stream()).allMatch(Cell::ok);
    if (!allOk) {
      err.println("weft-bench --peers: some workloads FAILED (see above; logs in " + logDir + ")");
    }
    out.flush();
    err.flush();
    return allOk && ok ? 0 : 1;
  }

  private static Cell cell(Map<String, Map<String, Cell>> cells, String w, String sys) {
    return cells.get(w).computeIfAbsent(sys, k -> new Cell());
  }

  private static String shortName(String system) {
    int sp = system.indexOf(' ', system.startsWith("Apache ") ? 7 : 0);
    return sp < 0 ? system : system.substring(0, sp);
  }

  static List<PeerInfo> selectPeers(List<PeerInfo> all, List<String> names) {
    if (names == null || names.isEmpty()) {
      return all;
    }
    List<PeerInfo> chosen = new ArrayList<>();
    for (String n : names) {
      PeerInfo p =
          all.stream()
              .filter(x -> x.name().equals(n))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "no peer '"
                              + n
                              + "'; there are: "
                              + all.stream().map(PeerInfo::name).toList()));
      chosen.add(p);
    }
    return chosen;
  }
}
