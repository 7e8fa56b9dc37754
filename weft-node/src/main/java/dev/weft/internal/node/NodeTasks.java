package dev.weft.internal.node;

import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the node knows of the tasks its processes submitted and ran (issue 12 items 2 to 4), on the
 * node loop:
 *
 * <ul>
 *   <li>counts by function: the latest totals of each live driver and worker ({@link
 *       Msg.TaskCounts}), plus the last totals of those that exited (running dropped), so counters
 *       never go back; for metrics and {@code weft summary tasks};
 *   <li>events: the latest {@link #MAX_EVENTS} tasks that ended here, and those running now, as
 *       their workers report them ({@link Msg.TaskEvents}); for {@code weft list tasks} and {@code
 *       weft timeline}. Older ones are dropped (counted), so the history is bounded.
 * </ul>
 */
final class NodeTasks {
  static final int MAX_EVENTS = Integer.getInteger("weft.node.taskEvents", 20_000);

  private final String nodeId;
  private final Map<Connection, List<Msg.FunctionCounts>> live = new HashMap<>();
  private final Map<String, long[]> retired = new HashMap<>();
  private final ArrayDeque<Msg.TaskEvent> ended = new ArrayDeque<>();
  private final Map<Connection, List<Msg.TaskEvent>> running = new HashMap<>();
  private long dropped;

  NodeTasks(String nodeId) {
    this.nodeId = nodeId;
  }

  void counts(Connection c, Msg.TaskCounts t) {
    live.put(c, t.functions());
  }

  void events(Connection c, Msg.TaskEvents e) {
    dropped += e.dropped();
    for (Msg.TaskEvent ev : e.finished()) {
      ended.addLast(ev);
      if (ended.size() > MAX_EVENTS) {
        ended.removeFirst();
        dropped++;
      }
    }
    if (e.running().isEmpty()) {
      running.remove(c);
    } else {
      running.put(c, e.running());
    }
  }

  /** A driver's or worker's connection closed: its totals are kept, its running tasks are not. */
  void closed(Connection c) {
    running.remove(c);
    List<Msg.FunctionCounts> last = live.remove(c);
    if (last != null) {
      for (Msg.FunctionCounts f : last) {
        // as in each process (TaskCounters): at most 1,000 names, the rest as "(other)"
        String name =
            retired.containsKey(f.function()) || retired.size() < 1000 ? f.function() : "(other)";
        long[] v = retired.computeIfAbsent(name, k -> new long[4]);
        v[0] += f.submitted();
        v[2] += f.finished();
        v[3] += f.failed();
      }
    }
  }

  /** By function: submitted, running, finished, failed. */
  Map<String, long[]> totals() {
    Map<String, long[]> tasks = new TreeMap<>();
    retired.forEach((f, v) -> tasks.put(f, v.clone()));
    for (List<Msg.FunctionCounts> counts : live.values()) {
      for (Msg.FunctionCounts f : counts) {
        long[] v = tasks.computeIfAbsent(f.function(), k -> new long[4]);
        v[0] += f.submitted();
        v[1] += f.running();
        v[2] += f.finished();
        v[3] += f.failed();
      }
    }
    return tasks;
  }

  Msg.TaskCounts countsReply() {
    List<Msg.FunctionCounts> out = new ArrayList<>();
    totals().forEach((f, v) -> out.add(new Msg.FunctionCounts(f, v[0], v[1], v[2], v[3])));
    return new Msg.TaskCounts(out);
  }

  /** ListTasks: running ones first, then the latest ended, newest first. */
  Msg.TaskList list(Msg.ListTasks q) {
    int limit = q.limit() <= 0 ? MAX_EVENTS : q.limit();
    List<Msg.TaskEvent> out = new ArrayList<>();
    List<Msg.TaskEvent> now = new ArrayList<>();
    running.values().forEach(now::addAll);
    now.sort(Comparator.comparingLong(Msg.TaskEvent::startMicros).reversed());
    for (Msg.TaskEvent e : now) {
      if (out.size() < limit && (q.jobId() == 0 || e.jobId() == q.jobId())) {
        out.add(e);
      }
    }
    for (Iterator<Msg.TaskEvent> it = ended.descendingIterator();
        it.hasNext() && out.size() < limit; ) {
      Msg.TaskEvent e = it.next();
      if (q.jobId() == 0 || e.jobId() == q.jobId()) {
        out.add(e);
      }
    }
    return new Msg.TaskList(nodeId, out, dropped);
  }
}
