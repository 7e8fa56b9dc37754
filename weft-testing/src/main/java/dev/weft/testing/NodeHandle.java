package dev.weft.testing;

import java.nio.file.Path;
import java.time.Duration;

/**
 * One node of a {@link LocalCluster}: a node manager process (and the workers it starts) with its
 * own port, object store file and folder. Returned by {@link LocalCluster#addNode} once the node
 * has registered with the head; {@link #stop()} and {@link #kill()} take it out of the cluster
 * while the rest keeps running.
 */
public final class NodeHandle {
  private final LocalCluster cluster;
  private final String name;
  private final String nodeId;
  private final String address;
  private final Process process;
  private final NodeOptions options;
  private final Path dir;

  NodeHandle(
      LocalCluster cluster,
      String name,
      String nodeId,
      String address,
      Process process,
      NodeOptions options,
      Path dir) {
    this.cluster = cluster;
    this.name = name;
    this.nodeId = nodeId;
    this.address = address;
    this.process = process;
    this.options = options;
    this.dir = dir;
  }

  /**
   * The node's id in the cluster, as {@code Weft.nodes()}, {@code Weft.context().nodeId()} and
   * {@code weft status} show it.
   */
  public String nodeId() {
    return nodeId;
  }

  /** The node manager's {@code host:port}. */
  public String address() {
    return address;
  }

  /**
   * The node manager's process id: the parent of every worker the node starts, so a task or actor
   * can tell which node it runs on with {@code ProcessHandle.current().parent()}.
   */
  public long pid() {
    return process.pid();
  }

  /** The options the node was started with. */
  public NodeOptions options() {
    return options;
  }

  /** The node's folder: its {@code node.log}, its workers' logs, its spill files. */
  public Path dir() {
    return dir;
  }

  /** {@code head} for the head's node, else {@code node-1}, {@code node-2}, ... in start order. */
  public String name() {
    return name;
  }

  /** Whether this is the node started with the head (beside the control store). */
  public boolean isHead() {
    return name.equals(LocalCluster.HEAD_NAME);
  }

  /** Whether the node manager process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  Process process() {
    return process;
  }

  /**
   * Stops the node as {@code weft stop} does: the node manager stops its workers, removes its store
   * file and exits (killed, with its workers, if it has not within 10 s). Returns once the head
   * lists it as gone. The cluster keeps running; actors that lived on the node die with it.
   * Idempotent.
   */
  public void stop() {
    cluster.stopNode(this, false, Duration.ofSeconds(10));
  }

  /**
   * Kills the node manager and its workers at once (SIGKILL), as when a machine fails: nothing of
   * it runs its shutdown code. Its store file is removed afterwards all the same. Returns once the
   * head lists it as gone. Idempotent.
   */
  public void kill() {
    cluster.stopNode(this, true, Duration.ZERO);
  }

  @Override
  public String toString() {
    return name
        + " "
        + nodeId
        + " at "
        + address
        + " (pid "
        + pid()
        + (isAlive() ? "" : ", stopped")
        + ", "
        + options
        + ")";
  }
}
