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
import java.util.concurrent.atomic.AtomicLong;

/**
 * A worker's standard output and error, sent on to the drivers of the jobs that printed them (issue
 * 12 item 1), as well as to the worker's log file.
 *
 * <p>Design. {@link System#out} and {@link System#err} are replaced by streams that write every
 * byte to the original stream (the worker's log file) at once, as before, and also cut what is
 * written into lines, per writing thread (two tasks printing at once never mix within a line). When
 * the thread runs for a job (a task, an actor call, or a thread one of them started: {@link #label}
 * is inherited, except by Weft's own threads, which do not inherit it), each complete line goes
 * into a queue. Every {@link #FLUSH_MILLIS}, and before a task's reply is sent, the queue is sent
 * to the control store, one {@link Msg.WorkerLogs} per job; the control store keeps the job's
 * latest lines and passes the batch to the job's driver, which prints each line with where it ran.
 * At most {@link #MAX_PENDING_LINES} lines and {@link #MAX_PENDING_BYTES} bytes wait at once: a
 * task that prints faster than that loses lines on the way to the driver (the batch says how many),
 * never in its log file, and never blocks on the network.
 */
final class WorkerOutput {
  static final long FLUSH_MILLIS = 100;
  static final int MAX_PENDING_LINES = Integer.getInteger("weft.output.maxPendingLines", 10_000);
  static final long MAX_PENDING_BYTES = Long.getLong("weft.output.maxPendingBytes", 4L << 20);

  /** A line longer than this is cut (the rest follows as further lines). */
  static final int MAX_LINE_BYTES = 16 * 1024;

  /** Who prints on the current thread: the job and, for an actor, its class. Null: nobody's. */
  record Label(int jobId, String source) {}

  private static final InheritableThreadLocal<Label> LABEL = new InheritableThreadLocal<>();

  private record Pending(Label label, boolean stderr, String text) {}

  /** This worker's, once installed. */
  private static volatile WorkerOutput installed;

  private volatile CoreWorker cw;
  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();

  /** Lines and bytes in the queue (changed under this object's lock only). */
  private int pendingLines;

  private long pendingBytes;

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
    // Weft's event-loop threads may start from a task's thread: they print for nobody
    dev.weft.internal.rpc.Rpc.onThreadStart = () -> label(null);
    System.setOut(new PrintStream(new Lines(o, System.out, false), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(new Lines(o, System.err, true), true, StandardCharsets.UTF_8));
    return o;
  }

  /** Sends the lines from now on, through {@code cw}'s link to the control store. */
  void start(CoreWorker cw) {
    this.cw = cw;
    cw.timer.scheduleWithFixedDelay(
        () -> {
          try {
            flush(false);
          } catch (RuntimeException e) {
            // never let one bad batch stop the flushing; the lines are in the log file
          }
        },
        FLUSH_MILLIS,
        FLUSH_MILLIS,
        TimeUnit.MILLISECONDS);
  }

  private void offer(boolean stderr, String text) {
    Label l = LABEL.get();
    if (l == null || l.jobId() <= 0) {
      return;
    }
    long bytes = text.length() + 16L;
    synchronized (this) {
      if (pendingLines >= MAX_PENDING_LINES || pendingBytes + bytes > MAX_PENDING_BYTES) {
        dropped.computeIfAbsent(l.jobId(), j -> new AtomicLong()).incrementAndGet();
        return;
      }
      pendingLines++;
      pendingBytes += bytes;
    }
    queue.add(new Pending(l, stderr, text));
  }

  /**
   * Before a task's reply goes: what it printed is at the control store first (a round trip, only
   * when something waits), so a driver that ends right after the reply still gets its lines (it
   * asks the control store for them at shutdown, after the reply).
   */
  static void beforeReply() {
    WorkerOutput o = installed;
    if (o != null && !o.queue.isEmpty()) {
      try {
        o.flush(true);
      } catch (RuntimeException e) {
        // the lines are in the log file; the reply must go
      }
    }
  }

  /** Sends what waits now (a worker that is stopped), without waiting for an answer. */
  void flushNow() {
    flush(false);
  }

  /**
   * Sends what waits, one message per job; {@code acknowledged}: as requests, waiting (at most a
   * second) until the control store has them.
   */
  private synchronized void flush(boolean acknowledged) {
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
      pendingLines--;
      pendingBytes -= p.text().length() + 16L;
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
    List<java.util.concurrent.CompletableFuture<Msg>> acks = new ArrayList<>();
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
        Msg.WorkerLogs batch =
            new Msg.WorkerLogs(
                e.getKey(),
                cw.nodeId,
                pid,
                List.copyOf(lines.subList(from, to)),
                to == lines.size() ? lost : 0);
        if (acknowledged) {
          acks.add(c.call(batch));
        } else {
          c.send(batch);
        }
        from = to;
      } while (from < lines.size());
    }
    for (var a : acks) {
      try {
        a.get(1, TimeUnit.SECONDS);
      } catch (Exception e) {
        return; // slow or gone: the reply goes anyway
      }
    }
  }

  /** One of the two streams: every byte to the original, and lines per writing thread. */
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
      original.write(b);
      if (LABEL.get() == null) {
        return; // nobody's: the log file only
      }
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
      original.write(b, off, len);
      if (LABEL.get() == null) {
        return;
      }
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
      out.offer(stderr, text);
    }

    @Override
    public void flush() {
      original.flush();
    }
  }
}
