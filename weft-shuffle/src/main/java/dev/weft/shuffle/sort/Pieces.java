package dev.weft.shuffle.sort;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs pieces of file work (generate, scan) on up to one thread per CPU, each thread with a buffer
 * of its own; the first failure stops the rest and is rethrown.
 */
final class Pieces {
  private Pieces() {}

  /** One piece's work with its thread's buffer. */
  interface Work<B> {
    void run(int piece, B buffer) throws IOException;
  }

  /**
   * Runs {@code work} for every piece {@code 0..count-1}.
   *
   * @param what for errors and thread names, e.g. "generating"
   * @param describe what failed for a piece, e.g. "cannot read FILE"
   */
  static <B> void run(
      int count,
      String what,
      Supplier<B> buffer,
      Work<B> work,
      java.util.function.IntFunction<String> describe) {
    if (count == 0) {
      return;
    }
    int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), count));
    AtomicInteger next = new AtomicInteger();
    AtomicBoolean failed = new AtomicBoolean();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "weft-sort-" + what);
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(
            pool.submit(
                () -> {
                  B buf = buffer.get();
                  int i;
                  while (!failed.get() && (i = next.getAndIncrement()) < count) {
                    try {
                      work.run(i, buf);
                    } catch (IOException e) {
                      failed.set(true);
                      throw new UncheckedIOException(describe.apply(i) + ": " + e, e);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> w : workers) {
        try {
          w.get();
        } catch (ExecutionException e) {
          failed.set(true);
          if (e.getCause() instanceof RuntimeException re) {
            throw re;
          }
          throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          failed.set(true);
          throw new IllegalStateException("interrupted while " + what, e);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
