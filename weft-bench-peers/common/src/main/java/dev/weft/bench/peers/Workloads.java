package dev.weft.bench.peers;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.IntFunction;

/**
 * The workloads measured side by side, by name, and the shape each system must implement, so that
 * Weft and every peer do the same work:
 *
 * <ul>
 *   <li>{@link #TASKS_SYNC}: submit a trivial remote task (no argument, returns the int 1) to
 *       another process and wait for its result, one at a time. Unit: tasks/s.
 *   <li>{@link #TASKS_ASYNC}: submit {@code batch} such tasks, then wait for all of them and check
 *       every result. Unit: tasks/s.
 *   <li>{@link #DAG}: a fan-out/fan-in graph: {@code leaves} leaf tasks ({@code leaf(i)} returns i)
 *       and a binary tree reduction ({@code add(a, b)}), each level consuming the previous level's
 *       results, as laid out by {@link #treeReduce}; the root must equal {@code
 *       leaves*(leaves-1)/2}. Unit: tasks/s, counting all {@code 2*leaves-1} tasks.
 *   <li>{@link #ACTOR_SYNC}: call a remote actor's "increment the counter and return it" method and
 *       wait, one call at a time; every result must be the next count. Unit: calls/s.
 *   <li>{@link #ACTOR_ASYNC}: {@code batch} such calls, then wait for all (in order). Unit:
 *       calls/s.
 *   <li>{@link #LARGE}: one process holds {@code bytes} bytes (made before the clock starts, with
 *       {@link LargeData#fill}); another asks for them, receives all of them into its own memory
 *       and checks their CRC32C. Unit: bytes/s.
 *   <li>{@link #LARGE_VIEW}: the same hand-over, but the reader only has to read every byte and
 *       check the CRC32C, not keep a copy: Weft reads the object in place in its shared-memory
 *       store ({@code Weft.getBuffer}); TCP streams it through a reused 1 MiB buffer. Unit:
 *       bytes/s.
 * </ul>
 */
public final class Workloads {
  public static final String TASKS_SYNC = "tasks_sync";
  public static final String TASKS_ASYNC = "tasks_async";
  public static final String DAG = "dag_tree";
  public static final String ACTOR_SYNC = "actor_calls_sync";
  public static final String ACTOR_ASYNC = "actor_calls_async";
  public static final String LARGE = "large_object";
  public static final String LARGE_VIEW = "large_object_view";

  /** Every workload, in the order a run measures them. */
  public static final List<String> ALL =
      List.of(TASKS_SYNC, TASKS_ASYNC, DAG, ACTOR_SYNC, ACTOR_ASYNC, LARGE, LARGE_VIEW);

  /** What the trivial task returns. */
  public static final int SMALL_VALUE = 1;

  private Workloads() {}

  /** The unit of a workload's rate. */
  public static String unit(String workload) {
    return switch (workload) {
      case TASKS_SYNC, TASKS_ASYNC, DAG -> "tasks/s";
      case ACTOR_SYNC, ACTOR_ASYNC -> "calls/s";
      case LARGE, LARGE_VIEW -> "B/s";
      default -> throw new IllegalArgumentException("unknown workload '" + workload + "'");
    };
  }

  /** The DAG's expected root: the sum of 0 .. leaves-1. */
  public static long dagExpected(int leaves) {
    return (long) leaves * (leaves - 1) / 2;
  }

  /** Tasks in the DAG: the leaves and the {@code leaves - 1} additions. */
  public static long dagTasks(int leaves) {
    return 2L * leaves - 1;
  }

  /**
   * Builds the DAG: makes {@code leaves} leaves, then reduces them level by level, adding
   * neighbours in pairs ({@code add(level[2k], level[2k+1])}); an odd last element goes up a level
   * as it is. {@code F} is the system's future (a Weft {@code ObjectRef}, a {@code
   * CompletableFuture}); the reduction never waits, so a system that can chain futures gets the
   * whole graph at once.
   */
  public static <F> F treeReduce(int leaves, IntFunction<F> leaf, BinaryOperator<F> add) {
    if (leaves < 1) {
      throw new IllegalArgumentException("leaves must be >= 1 (got " + leaves + ")");
    }
    List<F> level = new ArrayList<>(leaves);
    for (int i = 0; i < leaves; i++) {
      level.add(leaf.apply(i));
    }
    while (level.size() > 1) {
      List<F> next = new ArrayList<>((level.size() + 1) / 2);
      for (int i = 0; i + 1 < level.size(); i += 2) {
        next.add(add.apply(level.get(i), level.get(i + 1)));
      }
      if (level.size() % 2 == 1) {
        next.add(level.getLast());
      }
      level = next;
    }
    return level.getFirst();
  }
}
