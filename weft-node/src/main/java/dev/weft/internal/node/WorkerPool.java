package dev.weft.internal.node;

import java.util.ArrayDeque;
import java.util.List;

/**
 * Workers for one class path and JVM options (a job's runtime environment). Its counters are kept
 * by {@link WorkerRegistry} on the node loop thread.
 */
final class WorkerPool {
  final String classpath;
  final List<String> jvmOptions;

  /**
   * Idle task workers, the next to lease first: workers back from a lease go to the front (warm),
   * new ones to the back.
   */
  final ArrayDeque<Worker> idle = new ArrayDeque<>();

  int starting;
  Worker actorHost;
  int jobs;
  int adoptionsPending;
  int warmTarget;

  WorkerPool(String classpath, List<String> jvmOptions) {
    this.classpath = classpath;
    this.jvmOptions = jvmOptions;
  }
}
