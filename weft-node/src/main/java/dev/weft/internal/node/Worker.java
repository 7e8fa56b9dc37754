package dev.weft.internal.node;

import dev.weft.ActorId;
import dev.weft.internal.rpc.Connection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One worker JVM of this node, in whatever state it is. A plain record of facts: {@link
 * WorkerRegistry} starts and buries workers, {@link LeaseManager} leases them, {@link ActorHosting}
 * puts actors on them; all on the node loop thread, so the fields need no guard.
 */
final class Worker {
  enum Kind {
    TASK,
    ACTOR_HOST,
    DEDICATED_ACTOR
  }

  enum State {
    STARTING,
    IDLE,
    LEASED,
    HOSTING,
    DEAD
  }

  final long id;
  final WorkerPool pool;
  final Kind kind;
  Process process;
  ProcessHandle adopted;
  Connection conn;
  String address;
  String taskAddress;
  long pid;
  State state = State.STARTING;

  /** The leases this worker runs tasks for: one, or more while earlier ones are blocked. */
  final Map<Long, LeaseManager.Lease> leases = new LinkedHashMap<>();

  /**
   * The GPUs this worker's JVM was started for ({@code CUDA_VISIBLE_DEVICES}); a worker is leased
   * only for demands of exactly that many GPUs, when those are free.
   */
  List<Integer> gpuIds = List.of();

  final List<ActorId> actors = new ArrayList<>();
  final Set<ActorId> detached = new HashSet<>();
  final List<Runnable> onReady = new ArrayList<>();

  Worker(long id, WorkerPool pool, Kind kind) {
    this.id = id;
    this.pool = pool;
    this.kind = kind;
  }
}
