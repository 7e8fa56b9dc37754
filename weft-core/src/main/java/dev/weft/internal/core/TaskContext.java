package dev.weft.internal.core;

/**
 * What a running task's thread needs to know: the job it belongs to (what it creates belongs to
 * that job) and the lease it runs under (named when it tells the node it blocks; 0 for actor calls,
 * which hold no lease).
 *
 * <p>Thread confinement: a context is installed on the thread that runs the task ({@link #enter})
 * and read and written only by that thread ({@link #blockedDepth} counts its nested blocking waits,
 * see {@link CoreWorker#await}).
 */
final class TaskContext {
  /** The task (or actor call) the current thread runs, if any. */
  private static final ThreadLocal<TaskContext> CURRENT = new ThreadLocal<>();

  final int jobId;
  final long leaseId;
  int blockedDepth;

  /** {@link BorrowTable#acquired()} when the call started. */
  long borrowsAtStart;

  /** Who prints on the thread (see WorkerOutput): the job, and the actor's class for an actor. */
  final WorkerOutput.Label output;

  TaskContext(int jobId, long leaseId) {
    this(jobId, leaseId, null);
  }

  /** {@code actorClass}: the simple name of the actor's class, for an actor's calls. */
  TaskContext(int jobId, long leaseId, String actorClass) {
    this.jobId = jobId;
    this.leaseId = leaseId;
    this.output = new WorkerOutput.Label(jobId, actorClass);
  }

  /** The context of the task the current thread runs, or null. */
  static TaskContext current() {
    return CURRENT.get();
  }

  /** Marks this thread as running a task (null: no longer). */
  static void enter(TaskContext ctx) {
    CoreWorker w = CoreWorker.currentOrNull();
    if (ctx != null) {
      ctx.borrowsAtStart = w == null ? 0 : w.borrows.acquired();
      CURRENT.set(ctx);
      WorkerOutput.label(ctx.output);
    } else {
      WorkerOutput.label(null);
      TaskContext done = CURRENT.get();
      CURRENT.remove();
      if (w != null && done != null && w.borrows.acquired() != done.borrowsAtStart) {
        w.refs.collectSoon(); // the call made borrowed refs: those it dropped can go
      }
    }
  }
}
