package dev.weft.internal.proto;

/**
 * How a line a task or actor printed is shown away from its worker (the driver's console, {@code
 * weft logs --job}): prefixed with where it ran, {@code (pid=4242, node=node-1a2b3c4d) text}, or
 * {@code (Counter pid=4242, node=node-1a2b3c4d) text} for an actor of class Counter.
 */
public final class OutputLines {
  private OutputLines() {}

  public static String prefix(Msg.WorkerLogs batch, Msg.LogLine line) {
    return "("
        + (line.source() == null ? "" : line.source() + " ")
        + "pid="
        + batch.pid()
        + ", node="
        + batch.nodeId()
        + ") ";
  }

  /** The notice printed where a worker dropped lines that it could not send fast enough. */
  public static String droppedNotice(Msg.WorkerLogs batch) {
    return "(pid="
        + batch.pid()
        + ", node="
        + batch.nodeId()
        + ") [weft: "
        + batch.dropped()
        + " more lines were printed faster than they could be sent; they are in the worker's"
        + " log file: weft logs --node "
        + batch.nodeId()
        + " --worker "
        + batch.pid()
        + "]";
  }
}
