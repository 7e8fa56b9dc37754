package dev.weft.internal.control;

import dev.weft.internal.proto.Msg;
import dev.weft.internal.proto.OutputLines;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The latest lines each job's tasks and actors printed (issue 12 item 1), for {@code weft logs
 * --job J}: at most {@link #LINES_PER_JOB} lines and {@link #BYTES_PER_JOB} characters a job, for
 * the {@link #JOBS} jobs that printed last (32 MiB at most with the defaults: the control store's
 * heap is small). In memory only: a restarted control store starts empty (the lines stay in the
 * workers' log files). On the control store's loop thread.
 */
final class JobOutput {
  static final int LINES_PER_JOB = Integer.getInteger("weft.control.jobLogLines", 10_000);
  static final long BYTES_PER_JOB = Long.getLong("weft.control.jobLogBytes", 1L << 20);
  static final int JOBS = Integer.getInteger("weft.control.jobLogJobs", 32);

  private static final class Lines {
    final ArrayDeque<String> lines = new ArrayDeque<>();
    long firstSeq;
    long chars;

    long nextSeq() {
      return firstSeq + lines.size();
    }

    void add(String line) {
      lines.addLast(line);
      chars += line.length();
      while (lines.size() > LINES_PER_JOB || (chars > BYTES_PER_JOB && lines.size() > 1)) {
        chars -= lines.removeFirst().length();
        firstSeq++;
      }
    }
  }

  /** By job, the one printed to last at the end. */
  private final LinkedHashMap<Integer, Lines> jobs = new LinkedHashMap<>(16, 0.75f, true);

  void add(Msg.WorkerLogs batch) {
    Lines l = jobs.computeIfAbsent(batch.jobId(), j -> new Lines());
    for (Msg.LogLine line : batch.lines()) {
      l.add(OutputLines.prefix(batch, line) + line.text());
    }
    if (batch.dropped() > 0) {
      l.add(OutputLines.droppedNotice(batch));
    }
    if (jobs.size() > JOBS) {
      Iterator<Map.Entry<Integer, Lines>> it = jobs.entrySet().iterator();
      it.next();
      it.remove();
    }
  }

  /** Lines of {@code jobId} from {@code fromSeq} on (at most 10,000 at once). */
  Msg.JobLogLines read(int jobId, long fromSeq, boolean alive) {
    Lines l = jobs.get(jobId);
    if (l == null) {
      return new Msg.JobLogLines(0, 0, List.of(), alive);
    }
    long from = Math.max(fromSeq, l.firstSeq);
    List<String> out = new ArrayList<>();
    long seq = l.firstSeq;
    for (String s : l.lines) {
      if (seq >= from && out.size() < 10_000) {
        out.add(s);
      }
      seq++;
    }
    return new Msg.JobLogLines(from, from + out.size(), out, alive);
  }
}
