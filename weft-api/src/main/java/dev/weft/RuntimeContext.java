package dev.weft;

/**
 * Where the calling code runs, from {@link Weft#context()}: in a driver, in a task, or in an
 * actor's method. A context is a snapshot taken at the call; take a new one in each task.
 */
public interface RuntimeContext {
  /**
   * The node this code runs on: for a task or an actor, the node whose worker runs it; for a
   * driver, the node it attached to at {@link Weft#init} (a driver on a machine without a node
   * attaches to a node elsewhere). One of the ids of {@link Weft#nodes()}.
   */
  String nodeId();

  /**
   * The job the code belongs to, in decimal (job ids are numbered from 1 by the control store): for
   * a driver, the job its {@link Weft#init} registered; for a task or an actor, the job of the
   * driver whose submission (directly or through other tasks) started it. What the code creates
   * belongs to that job.
   */
  String jobId();

  /**
   * The process the code runs in, unique in the cluster: {@code worker-N@NODE} for a worker (N its
   * id on node NODE; a worker may run tasks of several jobs), {@code driver-J} for the driver of
   * job J (a driver is a job's one driver process).
   */
  String workerId();
}
