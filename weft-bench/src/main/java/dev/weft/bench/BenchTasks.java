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

  /**
   * Fibonacci where every call is a task that submits its two children and blocks in get on them
   * ({@code recursive_fib_16}: 3,193 tasks, hundreds blocked at once).
   */
  public static long fib(int n) {
    if (n < 2) {
      return n;
    }
    dev.weft.ObjectRef<Long> a = dev.weft.Weft.task(BenchTasks::fib, n - 1).remote();
    dev.weft.ObjectRef<Long> b = dev.weft.Weft.task(BenchTasks::fib, n - 2).remote();
    return dev.weft.Weft.get(a) + dev.weft.Weft.get(b);
  }
}
