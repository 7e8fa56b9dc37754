package dev.weft.internal.core;

import dev.weft.internal.proto.Msg;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tasks and actor calls this worker ran lately, for {@code weft list tasks} and {@code weft
 * timeline} (issue 12 items 3 and 4): each is recorded when it starts and when it ends, and sent to
 * the node every second ({@link Msg.TaskEvents}: those that ended since, those running now). At
 * most {@link #MAX_PENDING} ended ones wait between two sends; beyond that they are counted as
 * dropped, never queued without bound. Each run also commits a JFR event ({@link TaskJfrEvent}).
 */
final class TaskEventLog {
  static final int MAX_PENDING = Integer.getInteger("weft.taskEvents.maxPending", 10_000);

  /** A task being run: what its events say. */
  static final class Running {
    final Msg.TaskSpec spec;
    final int jobId;
    final long startMicros;
    final long startNanos = System.nanoTime();
    final TaskJfrEvent jfr = new TaskJfrEvent();

    /** Whether the JFR event began (a recording may start while the task runs). */
    boolean jfrBegan;

    Running(Msg.TaskSpec spec, int jobId) {
      this.spec = spec;
      this.jobId = jobId;
      Instant now = Instant.now();
      this.startMicros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    Msg.TaskEvent event(String state, long durationMicros, String error) {
      return new Msg.TaskEvent(
          spec.taskHi(),
          spec.taskLo(),
          spec.name(),
          jobId,
          state,
          startMicros,
          durationMicros,
          PID,
          spec.actorHi() == 0 && spec.actorLo() == 0
              ? null
              : HEX.toHexDigits(spec.actorHi()) + HEX.toHexDigits(spec.actorLo()),
          error,
          spec.attempt());
    }
  }

  private static final long PID = ProcessHandle.current().pid();
  private static final java.util.HexFormat HEX = java.util.HexFormat.of();

  private final Set<Running> running = ConcurrentHashMap.newKeySet();
  private final ConcurrentLinkedQueue<Msg.TaskEvent> ended = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean runningChanged;

  Running started(Msg.TaskSpec spec, int jobId) {
    Running r = new Running(spec, jobId);
    if (r.jfr.isEnabled()) {
      r.jfr.begin();
      r.jfrBegan = true;
    }
    running.add(r);
    runningChanged = true;
    return r;
  }

  void ended(Running r, Msg.TaskReply reply) {
    running.remove(r);
    runningChanged = true;
    boolean ok = reply != null && reply.status() == Msg.TaskStatus.OK;
    String error = ok ? null : errorOf(reply);
    if (r.jfrBegan && r.jfr.isEnabled()) {
      r.jfr.end();
      if (r.jfr.shouldCommit()) {
        r.jfr.function = r.spec.name();
        r.jfr.taskId = HEX.toHexDigits(r.spec.taskHi()) + HEX.toHexDigits(r.spec.taskLo());
        r.jfr.jobId = r.jobId;
        r.jfr.status = reply == null ? "SYSTEM_ERROR" : reply.status().name();
        r.jfr.error = error;
        r.jfr.commit();
      }
    }
    if (pending.incrementAndGet() > MAX_PENDING) {
      pending.decrementAndGet();
      dropped.incrementAndGet();
      return;
    }
    long micros = Math.max(1, (System.nanoTime() - r.startNanos) / 1_000);
    ended.add(r.event(ok ? "FINISHED" : "FAILED", micros, error));
  }

  private static String errorOf(Msg.TaskReply reply) {
    if (reply == null) {
      return "the worker failed while running it";
    }
    String e =
        reply.thrown() != null
            ? reply.thrown().className() + ": " + reply.thrown().message()
            : reply.status() + ": " + reply.reason();
    int nl = e.indexOf('\n');
    e = nl < 0 ? e : e.substring(0, nl);
    return e.length() > 500 ? e.substring(0, 500) + "…" : e;
  }

  /** What to send now, or null when nothing happened since the last call (one caller). */
  Msg.TaskEvents drain() {
    if (ended.isEmpty() && !runningChanged && running.isEmpty()) {
      return null;
    }
    runningChanged = false;
    List<Msg.TaskEvent> done = new ArrayList<>();
    Msg.TaskEvent e;
    while ((e = ended.poll()) != null) {
      pending.decrementAndGet();
      done.add(e);
    }
    List<Msg.TaskEvent> now = new ArrayList<>();
    for (Running r : running) {
      now.add(r.event("RUNNING", 0, null));
    }
    return new Msg.TaskEvents(done, now, dropped.getAndSet(0));
  }
}
