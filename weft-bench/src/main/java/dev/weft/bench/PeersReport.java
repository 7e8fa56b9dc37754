package dev.weft.bench;

import dev.weft.bench.PeersRun.Cell;
import dev.weft.bench.peers.PeerJson;
import dev.weft.bench.peers.Workloads;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The table, JSON and Markdown section of {@code weft bench --peers}. Pure formatting. */
final class PeersReport {
  static final String BEGIN = "<!-- weft-bench-peers:begin";
  static final String END = "<!-- weft-bench-peers:end -->";

  /** The machine: what a reader needs to judge the figures. */
  record Machine(
      int cores, String cpu, long memoryBytes, String os, String jvm, double loadAverage) {
    static Machine current() {
      String cpu = "?";
      long mem = -1;
      try {
        for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
          if (l.startsWith("model name")) {
            cpu = l.substring(l.indexOf(':') + 1).trim().replaceAll("\\s+", " ");
            break;
          }
        }
        for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
          if (l.startsWith("MemTotal:")) {
            mem = Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
            break;
          }
        }
      } catch (IOException | RuntimeException e) {
        // not Linux: leave them unknown
      }
      return new Machine(
          Runtime.getRuntime().availableProcessors(),
          cpu,
          mem,
          System.getProperty("os.name")
              + " "
              + System.getProperty("os.version")
              + " "
              + System.getProperty("os.arch"),
          System.getProperty("java.vm.vendor") + " " + Runtime.version(),
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  /** One comparison: a workload, Weft's median and a peer's. */
  record Row(
      String workload,
      String unit,
      String peer,
      String peerSystem,
      Cell weft,
      Cell other,
      Double target) {
    Double ratio() {
      return weft.ok() && other.ok() ? weft.median() / other.median() : null;
    }

    /**
     * Weft's slowest round over the peer's fastest round (medians of rounds): the cautious ratio.
     */
    Double worstRatio() {
      if (!weft.ok() || !other.ok()) {
        return null;
      }
      double w =
          weft.roundMedians().stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
      double p =
          other.roundMedians().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
      return w / p;
    }

    /** "met", "MISSED", or "-" when there is no target or no ratio. */
    String verdict() {
      Double r = ratio();
      if (target == null || r == null) {
        return "-";
      }
      return r >= target ? "met" : "MISSED";
    }
  }

  private final Instant when;
  private final Machine machine;
  private final double loadAtEnd;
  private final PeersRun.Options options;
  private final Map<String, String> systems;
  private final Map<String, Map<String, Object>> systemInfo;
  private final Map<String, Map<String, Cell>> cells;

  PeersReport(
      Instant when,
      Machine machine,
      double loadAtEnd,
      PeersRun.Options options,
      Map<String, String> systems,
      Map<String, Map<String, Object>> systemInfo,
      Map<String, Map<String, Cell>> cells) {
    this.when = when;
    this.machine = machine;
    this.loadAtEnd = loadAtEnd;
    this.options = options;
    this.systems = systems;
    this.systemInfo = systemInfo;
    this.cells = cells;
  }

  /**
   * The targets: Weft/peer ratio wanted, or null (issue 4; issue 8 added the 64-byte ping-pong
   * floor under the sync rows, aim 0.5x, and raised large_object_view to 1x TCP).
   */
  static Double target(String workload, String peer) {
    return switch (workload) {
      case Workloads.TASKS_SYNC ->
          peer.equals("hazelcast") || peer.equals("ignite") ? 2.0 : peer.equals("tcp") ? 0.5 : null;
      case Workloads.TASKS_ASYNC, Workloads.DAG ->
          peer.equals("hazelcast") || peer.equals("ignite") ? 2.0 : null;
      case Workloads.ACTOR_SYNC -> peer.equals("pekko") ? 1.0 : peer.equals("tcp") ? 0.5 : null;
      case Workloads.ACTOR_ASYNC -> peer.equals("pekko") ? 1.0 : null;
      case Workloads.LARGE -> peer.equals("tcp") ? 0.8 : null;
      case Workloads.LARGE_VIEW -> peer.equals("tcp") ? 1.0 : null;
      default -> null;
    };
  }

  List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, Map<String, Cell>> w : cells.entrySet()) {
      Cell weft = w.getValue().getOrDefault(PeersRun.WEFT, new Cell());
      for (Map.Entry<String, Cell> c : w.getValue().entrySet()) {
        if (c.getKey().equals(PeersRun.WEFT)) {
          continue;
        }
        rows.add(
            new Row(
                w.getKey(),
                Workloads.unit(w.getKey()),
                c.getKey(),
                systems.getOrDefault(c.getKey(), c.getKey()),
                weft,
                c.getValue(),
                target(w.getKey(), c.getKey())));
      }
      if (w.getValue().size() == 1) { // Weft alone (no peer selected for it)
        rows.add(new Row(w.getKey(), Workloads.unit(w.getKey()), "-", "-", weft, new Cell(), null));
      }
    }
    return rows;
  }

  /** The Markdown table (also what the console shows). */
  String table() {
    List<String[]> lines = new ArrayList<>();
    lines.add(
        new String[] {
          "workload",
          "Weft (median)",
          "peer",
          "peer (median)",
          "Weft / peer",
          "worst round / best round",
          "target",
          ""
        });
    for (Row r : rows()) {
      Double ratio = r.ratio();
      Double worst = r.worstRatio();
      lines.add(
          new String[] {
            r.workload() + paramsNote(r.workload()),
            cellText(r.weft(), r.unit()),
            r.peerSystem(),
            r.peer().equals("-") ? "-" : cellText(r.other(), r.unit()),
            ratio == null ? "-" : String.format(Locale.ROOT, "%.2f×", ratio),
            worst == null ? "-" : String.format(Locale.ROOT, "%.2f×", worst),
            r.target() == null ? "-" : String.format(Locale.ROOT, "≥ %s×", trim(r.target())),
            r.verdict()
          });
    }
    int cols = lines.get(0).length;
    int[] w = new int[cols];
    for (String[] l : lines) {
      for (int i = 0; i < cols; i++) {
        w[i] = Math.max(w[i], l[i].length());
      }
    }
    StringBuilder b = new StringBuilder();
    for (int k = 0; k < lines.size(); k++) {
      b.append('|');
      for (int i = 0; i < cols; i++) {
        b.append(' ').append(pad(lines.get(k)[i], w[i])).append(" |");
      }
      b.append('\n');
      if (k == 0) {
        b.append('|');
        for (int i = 0; i < cols; i++) {
          b.append('-').append("-".repeat(w[i])).append("-|");
        }
        b.append('\n');
      }
    }
    return b.toString();
  }

  /**
   * One line per system and workload whose warm-up round warmed until steady: the first window's
   * rate (cold), the last one's, and how many one-second windows it took; empty when none did.
   */
  String warmupNotes() {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, Map<String, Cell>> w : cells.entrySet()) {
      String unit = Workloads.unit(w.getKey());
      for (Map.Entry<String, Cell> c : w.getValue().entrySet()) {
        double[] win = c.getValue().warmup;
        if (win.length == 0) {
          continue;
        }
        b.append(
            String.format(
                Locale.ROOT,
                "- %s on %s: %s in the first second, %s after %d s of warm-up (best second %s)%n",
                w.getKey(),
                systems.getOrDefault(c.getKey(), c.getKey()),
                formatValue(win[0], unit),
                formatValue(win[win.length - 1], unit),
                win.length,
                formatValue(java.util.Arrays.stream(win).max().orElse(0), unit)));
      }
    }
    return b.isEmpty()
        ? ""
        : "Until-steady warm-up (warm-up round, not counted: at least "
            + trim(options.base().steadySeconds())
            + " s, then until the mean rate of the last "
            + dev.weft.bench.peers.Timing.STEADY_WINDOWS
            + " one-second windows was within "
            + Math.round((dev.weft.bench.peers.Timing.STEADY_GAIN - 1) * 100)
            + "% of the mean of the "
            + dev.weft.bench.peers.Timing.STEADY_WINDOWS
            + " before them, at most "
            + trim(options.base().steadySeconds() * dev.weft.bench.peers.Timing.STEADY_MAX_FACTOR)
            + " s):\n\n"
            + b;
  }

  private String paramsNote(String workload) {
    var s = options.base().withWorkload(workload);
    return switch (workload) {
      case Workloads.TASKS_ASYNC, Workloads.ACTOR_ASYNC -> " (batch " + s.batch() + ")";
      case Workloads.DAG -> " (" + s.leaves() + " leaves)";
      case Workloads.LARGE, Workloads.LARGE_VIEW -> " (" + formatBytes(s.bytes()) + ")";
      default -> "";
    };
  }

  private static String cellText(Cell c, String unit) {
    if (c.error != null) {
      return "FAILED";
    }
    if (c.rounds.isEmpty()) {
      return "-";
    }
    return formatValue(c.median(), unit);
  }

  /** The section between the markers in docs/BENCHMARKS.md. */
  String markdown() {
    StringBuilder b = new StringBuilder();
    b.append(BEGIN)
        .append(" (written by weft bench --peers --markdown; edits here are replaced) -->\n");
    b.append("Command: `")
        .append(options.commandLine())
        .append("`, ")
        .append(DateTimeFormatter.ISO_LOCAL_DATE.format(when.atZone(ZoneOffset.UTC)))
        .append(".\n\n");
    b.append("Machine: ")
        .append(machine.cores())
        .append(" cores (")
        .append(machine.cpu())
        .append("), ")
        .append(
            machine.memoryBytes() > 0
                ? String.format(
                    Locale.ROOT, "%.1f GiB", machine.memoryBytes() / (double) (1L << 30))
                : "?")
        .append(" memory, ")
        .append(machine.os())
        .append(", ")
        .append(machine.jvm())
        .append("; load average ")
        .append(String.format(Locale.ROOT, "%.2f", machine.loadAverage()))
        .append(" at the start, ")
        .append(String.format(Locale.ROOT, "%.2f", loadAtEnd))
        .append(" at the end.\n\n");
    var s = options.base();
    b.append("Each system, each round: ")
        .append(trim(s.warmupSeconds()))
        .append(" s warm-up")
        .append(
            options.base().steadySeconds() > 0 && options.warmupRounds() > 0
                ? " (in the warm-up rounds: at least "
                    + trim(options.base().steadySeconds())
                    + " s more, and until steady)"
                : "")
        .append(", then ")
        .append(s.trials())
        .append(" trials of ")
        .append(trim(s.trialSeconds()))
        .append(" s; ")
        .append(options.warmupRounds())
        .append(" warm-up round(s) not counted, then ")
        .append(options.rounds())
        .append(
            " rounds, all rounds of one workload before the next (a JVM that changes workload"
                + " recompiles its hot paths), the order of the systems rotating each round. Figures are medians of all trials of the counted rounds; \"worst round /"
                + " best round\" divides Weft's slowest round by the peer's fastest (medians of rounds).\n\n");
    b.append("Systems: ");
    List<String> names = new ArrayList<>();
    for (Map.Entry<String, String> e : systems.entrySet()) {
      names.add(e.getValue());
    }
    b.append(String.join("; ", names)).append(".\n\n");
    b.append(table());
    String notes = warmupNotes();
    if (!notes.isEmpty()) {
      b.append('\n').append(notes);
    }
    b.append(END).append('\n');
    return b.toString();
  }

  /** Replaces the marked section of {@code doc} with {@code section}. */
  static String replaceSection(String doc, String section) {
    int a = doc.indexOf(BEGIN);
    int z = doc.indexOf(END);
    if (a < 0 || z < a) {
      throw new IllegalArgumentException(
          "the file has no '" + BEGIN + " ... -->' ... '" + END + "' section to replace");
    }
    return doc.substring(0, a) + section + doc.substring(z + END.length()).replaceFirst("^\n", "");
  }

  /** The JSON document. */
  String json() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("tool", "weft-bench --peers");
    doc.put("timestamp", when.toString());
    doc.put("command", options.commandLine());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", machine.cores());
    m.put("cpu", machine.cpu());
    m.put("memory_bytes", machine.memoryBytes());
    m.put("os", machine.os());
    m.put("jvm", machine.jvm());
    m.put("load_average_start", machine.loadAverage());
    m.put("load_average_end", loadAtEnd);
    doc.put("machine", m);
    Map<String, Object> st = new LinkedHashMap<>();
    var s = options.base();
    st.put("quick", options.quick());
    st.put("rounds", options.rounds());
    st.put("warmup_rounds", options.warmupRounds());
    st.put("warmup_s", s.warmupSeconds());
    st.put("warmup_until_steady_min_s", s.steadySeconds());
    st.put("trials", s.trials());
    st.put("trial_s", s.trialSeconds());
    st.put("batch", s.batch());
    st.put("dag_leaves", s.leaves());
    st.put("large_bytes", s.bytes());
    st.put("timeout_s", s.timeoutSeconds());
    doc.put("settings", st);
    Map<String, Object> sys = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : systems.entrySet()) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("system", e.getValue());
      one.putAll(systemInfo.getOrDefault(e.getKey(), Map.of()));
      sys.put(e.getKey(), one);
    }
    doc.put("systems", sys);
    List<Object> ws = new ArrayList<>();
    for (Map.Entry<String, Map<String, Cell>> w : cells.entrySet()) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("name", w.getKey());
      one.put("unit", Workloads.unit(w.getKey()));
      one.put("params", s.withWorkload(w.getKey()).params());
      Map<String, Object> results = new LinkedHashMap<>();
      for (Map.Entry<String, Cell> c : w.getValue().entrySet()) {
        Map<String, Object> r = new LinkedHashMap<>();
        Cell cell = c.getValue();
        r.put("status", cell.ok() ? "ok" : "failed");
        if (cell.ok()) {
          r.put("median", cell.median());
        }
        if (cell.error != null) {
          r.put("error", cell.error);
        }
        List<Object> rounds = new ArrayList<>();
        rounds.addAll(cell.rounds);
        r.put("rounds", rounds);
        if (cell.warmup.length > 0) {
          r.put("warmup_windows", cell.warmup);
        }
        results.put(c.getKey(), r);
      }
      one.put("results", results);
      List<Object> ratios = new ArrayList<>();
      for (Row row : rows()) {
        if (row.workload().equals(w.getKey()) && !row.peer().equals("-")) {
          Map<String, Object> r = new LinkedHashMap<>();
          r.put("peer", row.peer());
          r.put("weft_over_peer", row.ratio());
          r.put("weft_worst_round_over_peer_best_round", row.worstRatio());
          r.put("target", row.target());
          r.put("verdict", row.verdict());
          ratios.add(r);
        }
      }
      one.put("ratios", ratios);
      ws.add(one);
    }
    doc.put("workloads", ws);
    return PeerJson.writeIndented(doc);
  }

  static double median(double[] v) {
    List<Double> l = new ArrayList<>();
    for (double d : v) {
      l.add(d);
    }
    return median(l);
  }

  static double median(List<Double> v) {
    if (v.isEmpty()) {
      return Double.NaN;
    }
    List<Double> s = new ArrayList<>(v);
    Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  /** A rate in its unit: {@code 12.3k tasks/s}, {@code 2.10 GB/s}. */
  static String formatValue(double v, String unit) {
    if (unit.equals("B/s")) {
      if (v >= 1e9) {
        return String.format(Locale.ROOT, "%.2f GB/s", v / 1e9);
      }
      if (v >= 1e6) {
        return String.format(Locale.ROOT, "%.1f MB/s", v / 1e6);
      }
      return String.format(Locale.ROOT, "%.1f kB/s", v / 1e3);
    }
    return Report.formatRate(v) + " " + unit;
  }

  static String formatBytes(long b) {
    if (b >= 1L << 30 && b % (1L << 30) == 0) {
      return (b >> 30) + " GiB";
    }
    if (b >= 1L << 20) {
      return String.format(Locale.ROOT, "%.0f MiB", b / (double) (1L << 20));
    }
    if (b >= 1L << 10) {
      return String.format(Locale.ROOT, "%.0f KiB", b / 1024.0);
    }
    return b + " B";
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }

  private static String pad(String s, int w) {
    return s.length() >= w ? s : s + " ".repeat(w - s.length());
  }
}
