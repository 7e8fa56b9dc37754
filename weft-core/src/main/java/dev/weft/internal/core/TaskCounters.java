package dev.weft.internal.core;

import dev.weft.internal.proto.Msg;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * This process's task counts by function (issue 12 item 2): what it submitted as an owner, and what
 * it ran as a worker (running now, finished, failed). Totals since the process started; its node
 * manager is sent them about once a second when they changed ({@link Msg.TaskCounts}) and exposes
 * the node's sums as Prometheus metrics. Actor calls count under {@code Class.method}. At most
 * {@link #MAX_FUNCTIONS} names are kept apart; the rest count under "(other)", so a program that
 * names every task differently cannot grow this without bound.
 */
final class TaskCounters {
  static final int MAX_FUNCTIONS = 1000;
  static final String OTHER = "(other)";

  static final class Counts {
    final LongAdder submitted = new LongAdder();
    final LongAdder finished = new LongAdder();
    final LongAdder failed = new LongAdder();
    final AtomicLong running = new AtomicLong();
  }

  private final Map<String, Counts> byFunction = new ConcurrentHashMap<>();
  private final LongAdder changes = new LongAdder();
  private long sentAt = -1;

  Counts of(String function) {
    Counts c = byFunction.get(function);
    if (c != null) {
      return c;
    }
    if (byFunction.size() >= MAX_FUNCTIONS) {
      return byFunction.computeIfAbsent(OTHER, k -> new Counts());
    }
    return byFunction.computeIfAbsent(function, k -> new Counts());
  }

  void submitted(String function) {
    of(function).submitted.increment();
    changes.increment();
  }

  Counts started(String function) {
    Counts c = of(function);
    c.running.incrementAndGet();
    changes.increment();
    return c;
  }

  void ended(Counts c, boolean ok) {
    c.running.decrementAndGet();
    (ok ? c.finished : c.failed).increment();
    changes.increment();
  }

  /** The totals, or null when nothing changed since the last call (one caller: the timer). */
  Msg.TaskCounts snapshotIfChanged() {
    long now = changes.sum();
    if (now == sentAt) {
      return null;
    }
    sentAt = now;
    List<Msg.FunctionCounts> out = new ArrayList<>(byFunction.size());
    byFunction.forEach(
        (name, c) ->
            out.add(
                new Msg.FunctionCounts(
                    name, c.submitted.sum(), c.running.get(), c.finished.sum(), c.failed.sum())));
    return new Msg.TaskCounts(out);
  }
}
