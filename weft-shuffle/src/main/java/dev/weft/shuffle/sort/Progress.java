package dev.weft.shuffle.sort;

import dev.weft.shuffle.ShuffleListener;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sort's progress on the driver. On a terminal: a bar per running phase (map, merge, reduce:
 * bytes, rate, ETA), redrawn in place on one line, and a line per finished phase. Elsewhere (a
 * pipe, a log): only the line per finished phase.
 */
final class Progress implements ShuffleListener {
  private static final int WIDTH = 24;
  private static final long REDRAW_NANOS = 250_000_000L;

  private final PrintStream out;
  private final boolean terminal;
  private final long[] mapBytes;
  private final long totalBytes;
  private final Map<String, Phase> running = new LinkedHashMap<>();
  private final List<String> finished = new ArrayList<>();
  private long lastDraw;

  private static final class Phase {
    final String name;
    final long start = System.nanoTime();
    long done;
    long end = -1;

    Phase(String name) {
      this.name = name;
    }

    double seconds() {
      return ((end < 0 ? System.nanoTime() : end) - start) / 1e9;
    }
  }

  Progress(PrintStream out, boolean terminal, long[] mapBytes) {
    this.out = out;
    this.terminal = terminal;
    this.mapBytes = mapBytes;
    long t = 0;
    for (long b : mapBytes) {
      t += b;
    }
    this.totalBytes = t;
  }

  @Override
  public void phaseStarted(String name) {
    running.put(name, new Phase(name));
    draw(true);
  }

  @Override
  public void mapDone(int index, int total) {
    advance("map", mapBytes[index]);
  }

  @Override
  public void mergeDone(int mapCount, int partitions, int totalPartitions) {
    // a merge task combines mapCount maps' blocks of its share of the partitions
    double avgMap = mapBytes.length == 0 ? 0 : (double) totalBytes / mapBytes.length;
    advance("merge", (long) (avgMap * mapCount * partitions / Math.max(1, totalPartitions)));
  }

  @Override
  public void reduceDone(int partition, int done, int total) {
    Phase p = running.get("reduce");
    if (p != null) {
      p.done = totalBytes * done / Math.max(1, total);
      draw(false);
    }
  }

  @Override
  public void phaseEnded(String name) {
    Phase p = running.remove(name);
    if (p == null) {
      return;
    }
    p.end = System.nanoTime();
    p.done = totalBytes;
    String line =
        String.format(
            Locale.ROOT,
            "%-6s %s in %.1f s (%.0f MB/s)",
            name,
            mb(totalBytes),
            p.seconds(),
            rate(totalBytes, p.seconds()));
    finished.add(line);
    if (terminal) {
      out.print("\r\033[K");
    }
    out.println(line);
    draw(true);
  }

  private void advance(String phase, long bytes) {
    Phase p = running.get(phase);
    if (p != null) {
      p.done = Math.min(totalBytes, p.done + bytes);
      draw(false);
    }
  }

  private void draw(boolean force) {
    if (!terminal || running.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    if (!force && now - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = now;
    StringBuilder line = new StringBuilder("\r\033[K");
    for (Phase p : running.values()) {
      double frac = totalBytes == 0 ? 1 : Math.min(1.0, (double) p.done / totalBytes);
      int fill = (int) Math.round(frac * WIDTH);
      double s = p.seconds();
      double r = rate(p.done, s);
      line.append(
          String.format(
              Locale.ROOT,
              "%s [%s%s] %s/%s %.0f MB/s",
              p.name,
              "#".repeat(fill),
              "-".repeat(WIDTH - fill),
              mb(p.done),
              mb(totalBytes),
              r));
      if (frac < 1 && r > 0) {
        line.append(
            String.format(Locale.ROOT, " ETA %ds", (long) ((totalBytes - p.done) / 1e6 / r)));
      }
      line.append("   ");
    }
    out.print(line);
    out.flush();
  }

  private static double rate(long bytes, double seconds) {
    return seconds <= 0 ? 0 : bytes / 1e6 / seconds;
  }

  static String mb(long bytes) {
    return bytes >= 10_000_000_000L
        ? String.format(Locale.ROOT, "%.1f GB", bytes / 1e9)
        : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }
}
