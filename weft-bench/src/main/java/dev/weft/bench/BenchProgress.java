package dev.weft.bench;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A progress bar for {@code weft bench} (issue 12 item 7): on a terminal, one line on standard
 * error redrawn in place every quarter second, {@code [#####-----] 3/12 tasks_sync 4.2 s}; cleared
 * before any result line is printed, so results stay readable. Not on a terminal (a pipe, a file,
 * CI): nothing at all. {@link #terminal()} says which.
 */
final class BenchProgress implements AutoCloseable {
  private static final int WIDTH = 20;

  private final PrintStream err;
  private final boolean on;
  private final int total;
  private final ScheduledExecutorService ticker;
  private int done;
  private String current;
  private long startNanos;
  private boolean drawn;

  BenchProgress(PrintStream err, boolean terminal, int total) {
    this.err = err;
    this.on = terminal && total > 0;
    this.total = total;
    this.ticker =
        on
            ? Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("weft-bench-progress").factory())
            : null;
    if (on) {
      ticker.scheduleAtFixedRate(this::draw, 250, 250, TimeUnit.MILLISECONDS);
    }
  }

  /** Whether standard input and output are a terminal (where a bar can be redrawn in place). */
  static boolean terminal() {
    java.io.Console c = System.console();
    return c != null && c.isTerminal();
  }

  /** Benchmark {@code name} starts. */
  synchronized void start(String name) {
    current = name;
    startNanos = System.nanoTime();
    draw();
  }

  /** The current benchmark ended. */
  synchronized void finish() {
    done++;
    current = null;
    clear();
  }

  /** Clears the bar before a result line goes out (it comes back at the next tick). */
  synchronized void clear() {
    if (on && drawn) {
      err.print("\r\033[K");
      err.flush();
      drawn = false;
    }
  }

  private synchronized void draw() {
    if (!on || current == null) {
      return;
    }
    int fill = total == 0 ? WIDTH : done * WIDTH / total;
    err.print(
        String.format(
            Locale.ROOT,
            "\r\033[K[%s%s] %d/%d %s %.1f s",
            "#".repeat(fill),
            "-".repeat(WIDTH - fill),
            done + 1,
            total,
            current,
            (System.nanoTime() - startNanos) / 1e9));
    err.flush();
    drawn = true;
  }

  @Override
  public synchronized void close() {
    if (ticker != null) {
      ticker.shutdownNow();
    }
    clear();
  }
}
