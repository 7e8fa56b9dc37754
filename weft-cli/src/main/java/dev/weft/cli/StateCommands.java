package dev.weft.cli;

import dev.weft.WeftException;
import dev.weft.state.ActorState;
import dev.weft.state.ClusterState;
import dev.weft.state.JobState;
import dev.weft.state.NodeState;
import dev.weft.state.ObjectState;
import dev.weft.state.PlacementGroupState;
import dev.weft.state.TaskState;
import dev.weft.state.TaskSummary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code weft list}, {@code weft summary tasks} and {@code weft timeline} (issue 12 items 3 and 4):
 * views of {@link ClusterState}, as text tables or JSON.
 */
final class StateCommands {
  private StateCommands() {}

  /** Where a command's cluster is, or null after saying why not. */
  static ClusterState connect(String address) {
    String addr =
        address != null
            ? address
            : System.getenv("WEFT_ADDRESS") != null
                ? System.getenv("WEFT_ADDRESS")
                : dev.weft.internal.core.HostAddresses.loopback() + ":7380";
    WeftCli.Head.useTlsOfHead(addr);
    try {
      return ClusterState.connect(addr);
    } catch (WeftException e) {
      System.err.println(e.getMessage());
      return null;
    }
  }

  static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "Lists the cluster's nodes, actors, tasks, objects, jobs or placement groups.",
        "tasks: those running, then the latest ended, newest first (each node keeps the latest"
            + " -Dweft.node.taskEvents, default 20000).",
        "--json prints a JSON array of objects with the fields of dev.weft.state's records."
      })
  static final class ListCommand implements Callable<Integer> {
    @Parameters(
        index = "0",
        description = "nodes, actors, tasks, objects, jobs or placement-groups",
        paramLabel = "WHAT")
    String what;

    @picocli.CommandLine.Mixin HeadAddress head = new HeadAddress();

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Option(names = "--job", description = "Only this job's tasks (tasks only).")
    int job;

    @Option(
        names = "--limit",
        defaultValue = "100",
        description =
            "At most this many rows (tasks, objects per owner; default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
      List<String> kinds =
          List.of("nodes", "actors", "tasks", "objects", "jobs", "placement-groups");
      if (!kinds.contains(what)) {
        System.err.println(
            "weft list: unknown '" + what + "'; give one of " + String.join(", ", kinds));
        return 2;
      }
      try (ClusterState state = connect(head.address)) {
        if (state == null) {
          return 1;
        }
        List<?> rows =
            switch (what) {
              case "nodes" -> state.nodes();
              case "actors" -> state.actors();
              case "tasks" -> state.tasks(job, limit);
              case "objects" -> state.objects(limit);
              case "jobs" -> state.jobs();
              default -> state.placementGroups();
            };
        if (json) {
          System.out.println(dev.weft.internal.core.JsonWriter.of(rows));
          return 0;
        }
        print(rows);
        return 0;
      } catch (WeftException e) {
        System.err.println("weft list " + what + ": " + e.getMessage());
        return 1;
      }
    }

    private void print(List<?> rows) {
      Table table = new Table();
      switch (what) {
        case "nodes" -> {
          table.row("NODE", "ADDRESS", "STATE", "PID", "RESOURCES (available / total)", "METRICS");
          for (Object o : rows) {
            NodeState n = (NodeState) o;
            table.row(
                n.info().nodeId(),
                n.info().address(),
                n.info().alive() ? "ALIVE" : "DEAD",
                Long.toString(n.pid()),
                resources(n.info().available(), n.info().total()),
                String.valueOf(n.metricsUrl()));
          }
        }
        case "actors" -> {
          table.row("ACTOR", "STATE", "CLASS", "NAME", "NODE", "RESTARTS", "DEATH");
          for (Object o : rows) {
            ActorState a = (ActorState) o;
            table.row(
                a.actorId(),
                a.state(),
                a.className(),
                a.name() == null ? "-" : a.name(),
                a.nodeId() == null ? "-" : a.nodeId(),
                Integer.toString(a.incarnation()),
                a.deathReason() == null ? "" : a.deathReason());
          }
        }
        case "tasks" -> {
          table.row(
              "TASK", "FUNCTION", "JOB", "STATE", "NODE", "PID", "START", "DURATION", "ERROR");
          for (Object o : rows) {
            TaskState t = (TaskState) o;
            table.row(
                t.taskId(),
                t.function(),
                Integer.toString(t.jobId()),
                t.state(),
                t.nodeId(),
                Long.toString(t.workerPid()),
                TIME.format(Instant.ofEpochSecond(0, t.startMicros() * 1000)),
                t.state().equals("RUNNING") ? "-" : millis(t.durationMicros()),
                t.error() == null ? "" : t.error());
          }
        }
        case "objects" -> {
          table.row("OBJECT", "STATE", "SIZE", "OWNER", "NODE", "REFERENCES");
          for (Object o : rows) {
            ObjectState b = (ObjectState) o;
            table.row(
                b.objectId(),
                b.state(),
                WeftCli.Memory.bytes(b.sizeBytes()),
                b.owner(),
                b.nodeId() == null ? "(in owner)" : b.nodeId(),
                b.references());
          }
        }
        case "jobs" -> {
          table.row("JOB", "NAME", "STATE", "DRIVER");
          for (Object o : rows) {
            JobState j = (JobState) o;
            table.row(Integer.toString(j.jobId()), j.name(), j.state(), j.driverAddress());
          }
        }
        default -> {
          table.row("GROUP", "JOB", "STRATEGY", "STATE", "BUNDLES", "NODES");
          for (Object o : rows) {
            PlacementGroupState g = (PlacementGroupState) o;
            table.row(
                g.groupId(),
                Integer.toString(g.jobId()),
                g.strategy(),
                g.state(),
                String.valueOf(g.bundles()),
                g.bundleNodes() == null ? "" : String.valueOf(g.bundleNodes()));
          }
        }
      }
      table.print();
      System.out.println("(" + rows.size() + " " + what + ")");
    }
  }

  static String resources(Map<String, Double> available, Map<String, Double> total) {
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, Double> e : new java.util.TreeMap<>(total).entrySet()) {
      if (e.getKey().equals("memory") || e.getKey().equals("object_store_memory")) {
        continue;
      }
      parts.add(
          e.getKey()
              + " "
              + num(available.getOrDefault(e.getKey(), 0.0))
              + "/"
              + num(e.getValue()));
    }
    return String.join(", ", parts);
  }

  static String num(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  static String millis(long micros) {
    return micros < 10_000
        ? String.format("%.2f ms", micros / 1000.0)
        : String.format("%.0f ms", micros / 1000.0);
  }

  /** Rows printed as a table whose columns are as wide as their widest cell. */
  static final class Table {
    private final List<String[]> rows = new ArrayList<>();

    void row(String... cells) {
      rows.add(cells);
    }

    void print() {
      int cols = rows.stream().mapToInt(r -> r.length).max().orElse(0);
      int[] w = new int[cols];
      for (String[] r : rows) {
        for (int i = 0; i < r.length; i++) {
          w[i] = Math.max(w[i], r[i] == null ? 0 : r[i].length());
        }
      }
      for (String[] r : rows) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < r.length; i++) {
          String c = r[i] == null ? "" : r[i];
          b.append(c);
          if (i < r.length - 1) {
            b.append(" ".repeat(w[i] - c.length() + 2));
          }
        }
        System.out.println(b.toString().stripTrailing());
      }
    }
  }

  @Command(
      name = "summary",
      mixinStandardHelpOptions = true,
      description = {
        "weft summary tasks: every function's tasks (and actor methods' calls) since each node"
            + " started: submitted, running, finished, failed, summed over the nodes."
      })
  static final class SummaryCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "tasks", paramLabel = "WHAT")
    String what;

    @picocli.CommandLine.Mixin HeadAddress head = new HeadAddress();

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() {
      if (!what.equals("tasks")) {
        System.err.println("weft summary: only 'tasks' can be summarized (got '" + what + "')");
        return 2;
      }
      try (ClusterState state = connect(head.address)) {
        if (state == null) {
          return 1;
        }
        List<TaskSummary> s = state.taskSummary();
        if (json) {
          System.out.println(dev.weft.internal.core.JsonWriter.of(s));
          return 0;
        }
        System.out.printf(
            "%-50s %10s %8s %10s %8s%n", "FUNCTION", "SUBMITTED", "RUNNING", "FINISHED", "FAILED");
        long[] total = new long[4];
        for (TaskSummary t : s) {
          System.out.printf(
              "%-50s %10d %8d %10d %8d%n",
              t.function(), t.submitted(), t.running(), t.finished(), t.failed());
          total[0] += t.submitted();
          total[1] += t.running();
          total[2] += t.finished();
          total[3] += t.failed();
        }
        System.out.printf(
            "%-50s %10d %8d %10d %8d%n", "(all)", total[0], total[1], total[2], total[3]);
        return 0;
      } catch (WeftException e) {
        System.err.println("weft summary tasks: " + e.getMessage());
        return 1;
      }
    }
  }

  @Command(
      name = "timeline",
      mixinStandardHelpOptions = true,
      description = {
        "Writes the tasks and actor calls the nodes remember as Chrome-trace JSON, which Perfetto"
            + " (ui.perfetto.dev) and chrome://tracing open: one complete event per task, named"
            + " after its function, with its node as the process and its worker as the thread.",
        "Without --job: every job's, finished ones included, as far as each node remembers"
            + " (-Dweft.node.taskEvents, default 20000 a node)."
      })
  static final class TimelineCommand implements Callable<Integer> {
    @Option(names = "--output", required = true, description = "The JSON file to write.")
    Path output;

    @Option(names = "--job", description = "Only this job's tasks.")
    int job;

    @picocli.CommandLine.Mixin HeadAddress head = new HeadAddress();

    @Override
    public Integer call() throws Exception {
      try (ClusterState state = connect(head.address)) {
        if (state == null) {
          return 1;
        }
        List<TaskState> tasks = state.tasks(job, 0);
        Files.writeString(output, trace(tasks), StandardCharsets.UTF_8);
        System.out.println(
            "wrote "
                + tasks.size()
                + " tasks to "
                + output
                + " (open it in https://ui.perfetto.dev or chrome://tracing)");
        return 0;
      } catch (WeftException e) {
        System.err.println("weft timeline: " + e.getMessage());
        return 1;
      }
    }
  }

  /** Chrome-trace JSON ("JSON object format") of {@code tasks}. */
  static String trace(List<TaskState> tasks) {
    Map<String, Integer> nodePids = new LinkedHashMap<>();
    List<Object> events = new ArrayList<>();
    java.util.Set<String> threads = new java.util.HashSet<>();
    long now = Instant.now().toEpochMilli() * 1000;
    for (TaskState t : tasks) {
      Integer pid = nodePids.get(t.nodeId());
      if (pid == null) {
        pid = nodePids.size() + 1;
        nodePids.put(t.nodeId(), pid);
        events.add(
            Map.of(
                "name",
                "process_name",
                "ph",
                "M",
                "pid",
                pid,
                "args",
                Map.of("name", "node " + t.nodeId())));
      }
      if (threads.add(t.nodeId() + "/" + t.workerPid())) {
        events.add(
            Map.of(
                "name",
                "thread_name",
                "ph",
                "M",
                "pid",
                pid,
                "tid",
                t.workerPid(),
                "args",
                Map.of("name", "worker pid " + t.workerPid())));
      }
      Map<String, Object> args = new LinkedHashMap<>();
      args.put("taskId", t.taskId());
      args.put("jobId", t.jobId());
      args.put("state", t.state());
      args.put("attempt", t.attempt());
      if (t.actorId() != null) {
        args.put("actorId", t.actorId());
      }
      if (t.error() != null) {
        args.put("error", t.error());
      }
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("name", t.function());
      e.put("cat", t.actorId() == null ? "task" : "actor_call");
      e.put("ph", "X");
      e.put("ts", t.startMicros());
      e.put(
          "dur",
          t.state().equals("RUNNING") ? Math.max(1, now - t.startMicros()) : t.durationMicros());
      e.put("pid", pid);
      e.put("tid", t.workerPid());
      e.put("args", args);
      events.add(e);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("traceEvents", events);
    root.put("displayTimeUnit", "ms");
    return dev.weft.internal.core.JsonWriter.of(root);
  }
}
