package dev.weft.internal.core;

import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A worker's standard output and error, sent on to the drivers of the jobs that printed them (issue
 * 12 item 1), as well as to the worker's log file.
 *
 * <p>Design. {@link System#out} and {@link System#err} are replaced by streams that cut what is
 * written into lines, per writing thread (two tasks printing at once never mix within a line). Each
 * complete line goes to the original stream (the worker's log file) at once, and, when the thread
 * runs for a job (a task, an actor call, or a thread one of them started: {@link #label} is
 * inherited), into a queue. Every {@link #FLUSH_MILLIS} the queue is sent to the control store, one
 * {@link Msg.WorkerLogs} per job; the control store keeps the job's latest lines and passes the
 * batch to the job's driver, which prints each line with where it ran. At most {@link
 * #MAX_PENDING_LINES} wait at once: a task that prints faster than that loses lines on the way to
 * the driver (the batch says how many), never in its log file, and never blocks on the network.
 * Lines of threads that run for no job (Weft's own) stay in the log file only.
 */
final class WorkerOutput {
  static final long FLUSH_MILLIS = 100;
  static final int MAX_PENDING_LINES = Integer.getInteger("weft.output.maxPendingLines", 10_000);

  /** A line longer than this is cut (the rest follows as further lines). */
  static final int MAX_LINE_BYTES = 16 * 1024;

  /** Who prints on the current thread: the job and, for an actor, its class. Null: nobody's. */
  record Label(int jobId, String source) {}

  private static final InheritableThreadLocal<Label> LABEL = new InheritableThreadLocal<>();

  private record Pending(Label label, boolean stderr, String text) {}

  private volatile CoreWorker cw;
  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pending = new AtomicInteger();
  private final Map<Integer, AtomicLong> dropped = new java.util.concurrent.ConcurrentHashMap<>();

  private WorkerOutput() {}

  /** Marks the current thread (and threads it starts from now on) as printing for {@code l}. */
  static void label(Label l) {
    if (l == null) {
      LABEL.remove();
    } else {
      LABEL.set(l);
    }
  }

  /**
   * Replaces System.out and System.err of this worker JVM, first thing (before logging starts, so
   * that what a task logs through the console is seen too); lines wait until {@link #start}.
   */
  static WorkerOutput install() {
    WorkerOutput o = new WorkerOutput();
    installed = o;
    System.setOut(new PrintStream(new Lines(o, System.out, false), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(new Lines(o, System.err, true), true, StandardCharsets.UTF_8));
    return o;
  }

  /** Sends the lines from now on, through {@code cw}'s link to the control store. */
  void start(CoreWorker cw) {
    this.cw = cw;
    cw.timer.scheduleWithFixedDelay(this::flush, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void offer(boolean stderr, String text) {
    Label l = LABEL.get();
    if (l == null || l.jobId() <= 0) {
      return;
    }
    if (pending.incrementAndGet() > MAX_PENDING_LINES) {
      pending.decrementAndGet();
      dropped.computeIfAbsent(l.jobId(), j -> new AtomicLong()).incrementAndGet();
      return;
    }
    queue.add(new Pending(l, stderr, text));
  }

  /** This worker's, once installed. */
  private static volatile WorkerOutput installed;

  /**
   * Before a task's reply goes: what it printed is sent first, so a driver that ends right after
   * the reply still gets its lines (it asks the control store for them at shutdown).
   */
  static void beforeReply() {
    WorkerOutput o = installed;
    if (o != null && !o.queue.isEmpty()) {
      o.flush();
    }
  }

  /** Sends what waits, one message per job (on the worker's timer thread, or before a reply). */
  synchronized void flush() {
    if (queue.isEmpty() && dropped.isEmpty()) {
      return;
    }
    CoreWorker cw = this.cw;
    if (cw == null || cw.nodeId == null) {
      return; // not registered yet (nothing ran for a job)
    }
    Map<Integer, List<Msg.LogLine>> byJob = new LinkedHashMap<>();
    Pending p;
    while ((p = queue.poll()) != null) {
      pending.decrementAndGet();
      byJob
          .computeIfAbsent(p.label().jobId(), j -> new ArrayList<>())
          .add(new Msg.LogLine(p.label().source(), p.stderr(), p.text()));
    }
    for (Integer job : List.copyOf(dropped.keySet())) {
      byJob.computeIfAbsent(job, j -> new ArrayList<>());
    }
    ControlLink link = cw.controlLink;
    Connection c = link == null ? null : link.ifOpen();
    long pid = ProcessHandle.current().pid();
    for (Map.Entry<Integer, List<Msg.LogLine>> e : byJob.entrySet()) {
      AtomicLong d = dropped.remove(e.getKey());
      long lost = d == null ? 0 : d.get();
      if (c == null) {
        continue; // the control store is away: the lines are in the log file only
      }
      // at most ~1 MiB per message: a frame stays far below the cap
      List<Msg.LogLine> lines = e.getValue();
      int from = 0;
      do {
        int to = from;
        long bytes = 0;
        while (to < lines.size() && (to == from || bytes < (1 << 20))) {
          bytes += lines.get(to).text().length() + 16L;
          to++;
        }
        c.send(
            new Msg.WorkerLogs(
                e.getKey(),
                cw.nodeId,
                pid,
                List.copyOf(lines.subList(from, to)),
                to == lines.size() ? lost : 0));
        from = to;
      } while (from < lines.size());
    }
  }

  /** One of the two streams: bytes cut into lines per writing thread. */
  private static final class Lines extends OutputStream {
    private final WorkerOutput out;
    private final PrintStream original;
    private final boolean stderr;
    private final ThreadLocal<ByteArrayOutputStream> partial =
        ThreadLocal.withInitial(() -> new ByteArrayOutputStream(128));

    Lines(WorkerOutput out, PrintStream original, boolean stderr) {
      this.out = out;
      this.original = original;
      this.stderr = stderr;
    }

    @Override
    public void write(int b) {
      ByteArrayOutputStream buf = partial.get();
      if (b == '\n') {
        line(buf);
      } else {
        buf.write(b);
        if (buf.size() >= MAX_LINE_BYTES) {
          line(buf);
        }
      }
    }

    @Override
    public void write(byte[] b, int off, int len) {
      ByteArrayOutputStream buf = partial.get();
      int start = off;
      int end = off + len;
      for (int i = off; i < end; i++) {
        if (b[i] == '\n') {
          buf.write(b, start, i - start);
          line(buf);
          start = i + 1;
        } else if (buf.size() + (i - start) >= MAX_LINE_BYTES) {
          buf.write(b, start, i - start);
          line(buf);
          start = i;
        }
      }
      buf.write(b, start, end - start);
    }

    private void line(ByteArrayOutputStream buf) {
      byte[] a = buf.toByteArray();
      int n = a.length;
      if (n > 0 && a[n - 1] == '\r') {
        n--;
      }
      String text = new String(a, 0, n, StandardCharsets.UTF_8);
      buf.reset();
      synchronized (original) {
        original.println(text);
      }
      out.offer(stderr, text);
    }

    @Override
    public void flush() {
      original.flush();
    }
  }
}
