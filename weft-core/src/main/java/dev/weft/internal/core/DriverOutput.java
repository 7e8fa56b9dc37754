package dev.weft.internal.core;

import dev.weft.internal.proto.Msg;
import dev.weft.internal.proto.OutputLines;
import java.io.PrintStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Prints, in a driver, what its job's tasks and actors printed (see WorkerOutput), each line with
 * where it ran. On a thread of its own: a slow console never holds up the event loop that brought
 * the lines. System.out and System.err are looked up per batch, so a driver that redirects them (a
 * test, an application with its own console) gets the lines where it wants them.
 */
final class DriverOutput {
  private volatile ExecutorService printer;

  void print(Msg.WorkerLogs batch) {
    ExecutorService p = printer;
    if (p == null) {
      synchronized (this) {
        if (printer == null) {
          printer =
              Executors.newSingleThreadExecutor(
                  Thread.ofPlatform().name("weft-worker-output").daemon().factory());
        }
        p = printer;
      }
    }
    p.execute(() -> printNow(batch));
  }

  private static void printNow(Msg.WorkerLogs batch) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    StringBuilder o = new StringBuilder();
    StringBuilder e = new StringBuilder();
    for (Msg.LogLine line : batch.lines()) {
      (line.stderr() ? e : o)
          .append(OutputLines.prefix(batch, line))
          .append(line.text())
          .append(System.lineSeparator());
    }
    if (batch.dropped() > 0) {
      e.append(OutputLines.droppedNotice(batch)).append(System.lineSeparator());
    }
    if (!o.isEmpty()) {
      out.print(o);
      out.flush();
    }
    if (!e.isEmpty()) {
      err.print(e);
      err.flush();
    }
  }

  /** Prints what arrived already (for at most a second), then stops. */
  void close() {
    ExecutorService p = printer;
    if (p != null) {
      p.shutdown();
      try {
        p.awaitTermination(1, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
