package dev.weft.state;

import dev.weft.internal.proto.Msg;

/**
 * A task or actor call as the worker that ran it reported it: its id (hex), function, job, {@code
 * state} (RUNNING, FINISHED, FAILED), when it started (microseconds since the epoch) and how long
 * it ran (0 while it runs), where (node, worker pid), the actor's id for a call (else null), the
 * first line of a failure's error, and its attempt (0 the first).
 */
public record TaskState(
    String taskId,
    String function,
    int jobId,
    String state,
    long startMicros,
    long durationMicros,
    String nodeId,
    long workerPid,
    String actorId,
    String error,
    int attempt) {
  static TaskState of(Msg.TaskEvent e, String nodeId) {
    return new TaskState(
        String.format("%016x%016x", e.taskHi(), e.taskLo()),
        e.function(),
        e.jobId(),
        e.state(),
        e.startMicros(),
        e.durationMicros(),
        nodeId,
        e.workerPid(),
        e.actor(),
        e.error(),
        e.attempt());
  }
}
