package dev.weft.cli;

import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import dev.weft.internal.rpc.Rpc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weft logs}: the cluster's log files from any machine that reaches the head (issue 12 item
 * 1). The head's control store names the nodes; each node manager lists and serves its own files
 * (ListLogs, ReadLog), so nothing needs a shared file system. A job's output comes from the lines
 * the control store keeps of it (GetJobLogs), already prefixed with where each line ran.
 */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    description = {
      "Shows the cluster's logs.",
      "  weft logs                      lists every node's log files",
      "  weft logs --node N             lists node N's log files",
      "  weft logs --worker W           a worker's log (W: its pid, worker id or address)",
      "  weft logs --actor NAME         the log of the worker that hosts a named actor",
      "  weft logs --job J              what job J's tasks and actors printed",
      "  weft logs --node N --file F    one file of node N (e.g. node.log)",
      "--follow keeps printing what is added, until the worker or job ends (or Ctrl-C)."
    })
final class LogsCommand implements Callable<Integer> {
  @picocli.CommandLine.Mixin HeadAddress where = new HeadAddress();

  @Option(names = "--node", description = "A node's id (or a prefix of it), or its address.")
  String node;

  @Option(names = "--worker", description = "A worker's pid, worker id or host:port.")
  String worker;

  @Option(names = "--actor", description = "The name of a live actor.")
  String actor;

  @Option(names = "--job", description = "A job's id, as `weft status` lists it.")
  Integer job;

  @Option(names = "--file", description = "A log file's name, as the listing shows it.")
  String file;

  @Option(
      names = "--tail",
      defaultValue = "1000",
      description = "Lines to show from the end before following (default ${DEFAULT-VALUE}).")
  int tail;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing new lines.")
  boolean follow;

  static final long POLL_MILLIS = 300;

  @Override
  public Integer call() throws Exception {
    int selectors = (worker != null ? 1 : 0) + (actor != null ? 1 : 0) + (job != null ? 1 : 0);
    if (selectors > 1 || (file != null && (selectors > 0 || node == null))) {
      System.err.println(
          "weft logs: give at most one of --worker, --actor and --job; --file goes with --node");
      return 2;
    }
    WeftCli.Head head = WeftCli.Head.connect(where.address);
    if (head == null) {
      return 1;
    }
    try {
      if (job != null) {
        return jobLogs(head.control());
      }
      Msg.StatusReply status = call(head.control(), new Msg.ClusterStatus(), Msg.StatusReply.class);
      List<Msg.NodeInfo> nodes = new ArrayList<>();
      String onNode = node;
      String selector = worker;
      if (actor != null) {
        Msg.ActorInfo a = findActor(head.control(), status, actor);
        if (a == null) {
          return 1;
        }
        onNode = a.nodeId();
        selector = a.address();
      }
      for (Msg.NodeInfo n : status.nodes()) {
        if (n.alive()
            && (onNode == null
                || n.nodeId().equals(onNode)
                || n.nodeId().startsWith(onNode)
                || n.address().equals(onNode))) {
          nodes.add(n);
        }
      }
      if (nodes.isEmpty()) {
        System.err.println(
            onNode == null
                ? "the cluster has no live node"
                : "no live node '" + onNode + "'; `weft status` lists the nodes");
        return 1;
      }
      if (selector == null && file == null) {
        return list(head, nodes);
      }
      for (Msg.NodeInfo n : nodes) {
        try (NodeLink link = NodeLink.open(n, head.token())) {
          Msg.LogFiles files = call(link.c, new Msg.ListLogs(), Msg.LogFiles.class);
          for (Msg.LogFile f : files.files()) {
            if (file != null ? f.name().equals(file) : isWorker(f, selector)) {
              return print(link, n, f);
            }
          }
        }
      }
      System.err.println(
          (file != null ? "no log file '" + file + "'" : "no worker '" + selector + "'")
              + " on "
              + (onNode == null ? "any live node" : "node " + onNode)
              + "; `weft logs"
              + (onNode == null ? "" : " --node " + onNode)
              + "` lists the files and their workers");
      return 1;
    } finally {
      head.control().close();
    }
  }

  private static boolean isWorker(Msg.LogFile f, String w) {
    if (f.workerId() == 0) {
      return false;
    }
    return w.equals(Long.toString(f.pid()))
        || w.equals(Long.toString(f.workerId()))
        || w.equals(f.workerAddress());
  }

  private static Msg.ActorInfo findActor(Connection control, Msg.StatusReply status, String name)
      throws Exception {
    for (Msg.ActorInfo a : status.actors()) {
      if (name.equals(a.name()) && a.state() != Msg.ActorState.DEAD && a.address() != null) {
        return a;
      }
      String id = String.format("%016x%016x", a.actorHi(), a.actorLo());
      if (id.equals(name) && a.address() != null) {
        return a;
      }
    }
    System.err.println(
        "no live actor named '"
            + name
            + "' with a running worker; `weft status` lists the actors (their names and ids)");
    return null;
  }

  private int list(WeftCli.Head head, List<Msg.NodeInfo> nodes) throws Exception {
    for (Msg.NodeInfo n : nodes) {
      try (NodeLink link = NodeLink.open(n, head.token())) {
        Msg.LogFiles files = call(link.c, new Msg.ListLogs(), Msg.LogFiles.class);
        System.out.println("node " + n.nodeId() + " (" + n.address() + "):");
        for (Msg.LogFile f : files.files()) {
          System.out.printf(
              "  %-28s %10d bytes%s%n",
              f.name(),
              f.size(),
              f.workerId() == 0
                  ? ""
                  : "  worker "
                      + f.workerId()
                      + " pid "
                      + f.pid()
                      + (f.alive() ? " alive" : " exited")
                      + (f.actors().isEmpty() ? "" : " actors " + f.actors()));
        }
      } catch (IOException e) {
        System.err.println("node " + n.nodeId() + " at " + n.address() + ": " + e.getMessage());
      }
    }
    return 0;
  }

  /** Prints the tail of {@code f}, then what is added while following. */
  private int print(NodeLink link, Msg.NodeInfo n, Msg.LogFile f) throws Exception {
    Msg.LogChunk last =
        call(link.c, new Msg.ReadLog(f.name(), -(1L << 20), 1 << 20), Msg.LogChunk.class);
    String text = new String(last.data(), StandardCharsets.UTF_8);
    if (last.offset() > 0) {
      int nl = text.indexOf('\n');
      text = nl < 0 ? "" : text.substring(nl + 1); // a cut first line is not shown
    }
    System.out.print(lastLines(text, tail));
    System.out.flush();
    long offset = last.offset() + last.data().length;
    long lastAliveCheck = System.nanoTime();
    boolean alive = f.alive();
    while (follow) {
      Msg.LogChunk next =
          call(link.c, new Msg.ReadLog(f.name(), offset, 1 << 20), Msg.LogChunk.class);
      if (next.size() < offset) {
        System.err.println("[weft: " + f.name() + " was truncated; reading it from the start]");
        offset = 0;
        continue;
      }
      if (next.data().length > 0) {
        System.out.write(next.data());
        System.out.flush();
        offset += next.data().length;
        continue;
      }
      if (f.workerId() != 0 && System.nanoTime() - lastAliveCheck > 2_000_000_000L) {
        lastAliveCheck = System.nanoTime();
        alive = false;
        for (Msg.LogFile g : call(link.c, new Msg.ListLogs(), Msg.LogFiles.class).files()) {
          if (g.name().equals(f.name())) {
            alive = g.alive();
          }
        }
      }
      if (f.workerId() != 0 && !alive) {
        System.err.println("[weft: worker pid " + f.pid() + " on " + n.nodeId() + " exited]");
        return 0;
      }
      Thread.sleep(POLL_MILLIS); // polling a file for what is added (as tail -f does)
    }
    return 0;
  }

  private int jobLogs(Connection control) throws Exception {
    Msg.JobLogLines first = call(control, new Msg.GetJobLogs(job, 0), Msg.JobLogLines.class);
    List<String> lines = first.lines();
    for (String l : lines.subList(Math.max(0, lines.size() - tail), lines.size())) {
      System.out.println(l);
    }
    long next = first.nextSeq();
    boolean alive = first.alive();
    while (follow && alive) {
      Thread.sleep(POLL_MILLIS); // the control store keeps the lines; ask for the new ones
      Msg.JobLogLines more = call(control, new Msg.GetJobLogs(job, next), Msg.JobLogLines.class);
      if (more.firstSeq() > next) {
        System.out.println(
            "[weft: " + (more.firstSeq() - next) + " lines went by faster than they were read]");
      }
      more.lines().forEach(System.out::println);
      System.out.flush();
      next = more.nextSeq();
      alive = more.alive() || !more.lines().isEmpty();
    }
    return 0;
  }

  /** The last {@code n} lines of {@code text} (all of them when n < 0), each ending in \n. */
  static String lastLines(String text, int n) {
    String[] ls = text.split("\n", -1);
    int count = ls.length - (text.endsWith("\n") || text.isEmpty() ? 1 : 0);
    StringBuilder b = new StringBuilder();
    for (int i = n < 0 ? 0 : Math.max(0, count - n); i < count; i++) {
      b.append(ls[i]).append('\n');
    }
    return b.toString();
  }

  static <T extends Msg> T call(Connection c, Msg m, Class<T> type) throws Exception {
    Msg reply;
    try {
      reply = c.call(m).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IOException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("no answer in 30 s to " + m.getClass().getSimpleName());
    }
    if (type.isInstance(reply)) {
      return type.cast(reply);
    }
    throw new IOException(reply instanceof Msg.Failure f ? f.text() : "unexpected reply " + reply);
  }

  /** A connection to one node manager. */
  record NodeLink(Connection c) implements AutoCloseable {
    static NodeLink open(Msg.NodeInfo n, String token) throws IOException {
      return new NodeLink(Rpc.connect(n.address(), token, (c, id, m) -> {}, Duration.ofSeconds(5)));
    }

    @Override
    public void close() {
      c.close();
    }
  }
}
