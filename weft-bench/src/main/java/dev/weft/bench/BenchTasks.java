package dev.weft.bench;

/**
 * Remote functions of the benchmarks. They run in worker JVMs, found there by reflection, so they
 * are public static methods of a public class.
 */
public final class BenchTasks {
  /** What {@link #smallValue()} returns; the benchmarks check it. */
  public static final int SMALL_VALUE = 1;

  private BenchTasks() {}

  /** The trivial task (Ray's {@code small_value}): no arguments, a small result. */
  public static int smallValue() {
    return SMALL_VALUE;
  }

  /** A leaf of the DAG of {@code weft bench --peers}: returns its index. */
  public static long leaf(int i) {
    return i;
  }

  /** A reduction of the DAG of {@code weft bench --peers}: returns {@code a + b}. */
  public static long add(long a, long b) {
    return a + b;
  }
}
