package dev.weft.internal.core;

import dev.weft.internal.proto.Msg;
import dev.weft.internal.proto.OutputLines;
import java.io.PrintStream;
import java.util.concurrent.ExecutorService;

/**
 * Prints, in a driver, what its job's tasks and actors printed (see WorkerOutput), each line with
 * where it ran. On a thread of its own: a slow console never holds up the event loop that brought
 * the lines. System.out and System.err are looked up per batch, so a driver that redirects them (a
 * test, an application with its own console) gets the lines where it wants them.
 */
final class DriverOutput {
  private volatile ExecutorService printer;

  /** Batches waiting to be printed at most; beyond, they are dropped and counted. */
  static final int QUEUED_BATCHES = 1000;

  private final java.util.concurrent.atomic.AtomicLong droppedBatches =
      new java.util.concurrent.atomic.AtomicLong();

  void print(Msg.WorkerLogs batch) {
    ExecutorService p = printer;
    if (p == null) {
      synchronized (this) {
        if (printer == null) {
          // a bounded queue: a console slower than the workers drops batches (counted, told)
          printer =
              new java.util.concurrent.ThreadPoolExecutor(
                  1,
                  1,
                  0,
                  java.util.concurrent.TimeUnit.MILLISECONDS,
                  new java.util.concurrent.ArrayBlockingQueue<>(QUEUED_BATCHES),
                  Thread.ofPlatform().name("weft-worker-output").daemon().factory(),
                  (r, ex) -> droppedBatches.incrementAndGet());
        }
        p = printer;
      }
    }
    p.execute(() -> printNow(batch));
  }

  private void printNow(Msg.WorkerLogs batch) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    long lost = droppedBatches.getAndSet(0);
    if (lost > 0) {
      err.println(
          "[weft: this console fell behind; "
              + lost
              + " batches of worker output were not printed (weft logs --job shows the latest"
              + " lines)]");
    }
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
