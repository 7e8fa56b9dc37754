package dev.weft.examples;

import dev.weft.ActorHandle;
import dev.weft.ObjectRef;
import dev.weft.WaitResult;
import dev.weft.Weft;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

/**
 * A short tour of Weft, run by {@code weft demo}: tasks, futures passed as arguments, an actor, and
 * a large object in the shared object store.
 *
 * <p>Remote functions are plain {@code public static} methods; actors are plain public classes.
 * Each step checks its answer and the program exits with status 1 if any check fails.
 */
public final class Demo {

  // ---- remote functions: ordinary public static methods --------------------------------------

  /**
   * Throws {@code points} random darts at the unit square; returns how many land in the quarter
   * circle.
   */
  public static long samplePi(long seed, int points) {
    SplittableRandom rnd = new SplittableRandom(seed);
    long hits = 0;
    for (int i = 0; i < points; i++) {
      double x = rnd.nextDouble();
      double y = rnd.nextDouble();
      if (x * x + y * y <= 1.0) {
        hits++;
      }
    }
    return hits;
  }

  public static long square(long x) {
    return x * x;
  }

  public static long add(long a, long b) {
    return a + b;
  }

  /** CRC-32C of the whole array. */
  public static long checksum(byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data);
    return crc.getValue();
  }

  // ---- an actor: a plain public class with a public constructor --------------------------------

  public static class Counter {
    private long value;

    public Counter(long start) {
      value = start;
    }

    public long add(long delta) {
      value += delta;
      return value;
    }

    public long get() {
      return value;
    }
  }

  // ---- the tour --------------------------------------------------------------------------------

  public static void main(String[] args) {
    System.exit(run());
  }

  /** Runs the tour; returns the process exit status (0 when every check passed). */
  public static int run() {
    try {
      String address = System.getenv("WEFT_ADDRESS");
      long t0 = System.nanoTime();
      Weft.init(); // an embedded local cluster, or the cluster at $WEFT_ADDRESS
      System.out.printf(
          "Weft started in %s (%s)%n%n",
          since(t0),
          address == null || address.isBlank()
              ? "embedded local cluster"
              : "connected to " + address.trim());

      monteCarloPi();
      dataflow();
      actor();
      bigObject();

      System.out.println("All steps passed.");
      return 0;
    } catch (CheckFailed e) {
      System.err.println("\nDEMO FAILED: " + e.getMessage());
      return 1;
    } catch (RuntimeException | Error e) {
      System.err.println("\nDEMO FAILED with " + e);
      e.printStackTrace();
      return 1;
    } finally {
      Weft.shutdown();
    }
  }

  /** (a) 1,000 independent tasks, then a sum of their results. */
  static void monteCarloPi() {
    final int tasks = 1_000;
    final int pointsPerTask = 100_000;
    System.out.printf("[1/4] Monte Carlo pi: %,d tasks of %,d points each%n", tasks, pointsPerTask);
    long t0 = System.nanoTime();

    List<ObjectRef<Long>> hits = new ArrayList<>();
    for (int i = 0; i < tasks; i++) {
      hits.add(Weft.task(Demo::samplePi, (long) i, pointsPerTask).remote()); // returns at once
    }
    long totalHits = 0;
    for (long h : Weft.get(hits)) { // waits for all of them
      totalHits += h;
    }

    double pi = 4.0 * totalHits / ((double) tasks * pointsPerTask);
    double error = Math.abs(pi - Math.PI);
    System.out.printf("      pi ~ %.6f (error %.6f) in %s%n%n", pi, error, since(t0));
    check(error < 0.01, "pi estimate " + pi + " is too far from " + Math.PI);
  }

  /** (b) Futures as arguments: the squares of 1..10 summed by a tree of add tasks. */
  static void dataflow() {
    System.out.println("[2/4] Dataflow: square 1..10 in parallel, then add the results pairwise");
    long t0 = System.nanoTime();

    List<ObjectRef<Long>> squares = new ArrayList<>();
    for (long i = 1; i <= 10; i++) {
      squares.add(Weft.task(Demo::square, i).remote());
    }

    // Each add task takes two refs: Weft runs it once both inputs exist, without us waiting here.
    List<ObjectRef<Long>> level = squares;
    while (level.size() > 1) {
      List<ObjectRef<Long>> next = new ArrayList<>();
      for (int i = 0; i + 1 < level.size(); i += 2) {
        next.add(Weft.task(Demo::add, level.get(i), level.get(i + 1)).remote());
      }
      if (level.size() % 2 == 1) {
        next.add(level.getLast()); // the odd one out moves up a level
      }
      level = next;
    }
    ObjectRef<Long> total = level.getFirst();

    // Weft.wait returns the refs that are ready (and those that are not) without fetching values.
    WaitResult<Long> done = Weft.wait(squares, squares.size(), Duration.ofSeconds(60));
    check(
        done.ready().size() == squares.size(),
        "only " + done.ready().size() + " of 10 squares finished in 60 s");

    long result = Weft.get(total);
    long expected = 0;
    for (long i = 1; i <= 10; i++) {
      expected += i * i;
    }
    System.out.printf(
        "      1² + 2² + ... + 10² = %d (expected %d), 19 tasks in %s%n%n",
        result, expected, since(t0));
    check(result == expected, "dataflow sum is " + result + ", expected " + expected);
  }

  /** (c) A stateful actor: ordered calls, and a named actor found again by its name. */
  static void actor() {
    final int calls = 1_000;
    System.out.printf("[3/4] Actor: a Counter starting at 100, %,d calls of add(1)%n", calls);
    long t0 = System.nanoTime();

    ActorHandle<Counter> counter = Weft.actor(Counter::new, 100L).name("demo-counter").remote();
    ObjectRef<Long> last = null;
    for (int i = 0; i < calls; i++) {
      last = counter.task(Counter::add, 1L).remote(); // calls from one caller run in order
    }
    long value = Weft.get(last);
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "      last add returned %d (expected %d) in %s (%,.0f calls/s)%n",
        value, 100 + calls, since(t0), calls / seconds);
    check(value == 100 + calls, "counter is " + value + ", expected " + (100 + calls));

    Optional<ActorHandle<Counter>> found = Weft.getActor("demo-counter");
    check(found.isPresent(), "Weft.getActor(\"demo-counter\") found nothing");
    long again = Weft.get(found.get().task(Counter::get).remote());
    System.out.printf("      Weft.getActor(\"demo-counter\") -> same actor, get() = %d%n%n", again);
    check(again == value, "the actor found by name returned " + again + ", expected " + value);
    counter.kill();
  }

  /** (d) A 100 MiB object: put it in the object store, read it in a task, get it back. */
  static void bigObject() {
    final int size = 100 << 20;
    final double mib = size / (double) (1 << 20);
    System.out.printf("[4/4] Object store: a %,.0f MiB byte[] through put, a task, and get%n", mib);
    byte[] data = new byte[size];
    for (int i = 0; i < size; i++) {
      data[i] = (byte) (i * 31 + (i >>> 13));
    }
    long expected = checksum(data);

    long t0 = System.nanoTime();
    ObjectRef<byte[]> ref = Weft.put(data);
    double putSeconds = (System.nanoTime() - t0) / 1e9;

    long t1 = System.nanoTime();
    long remote =
        Weft.get(Weft.task(Demo::checksum, ref).remote()); // the task gets the array, not the ref
    double taskSeconds = (System.nanoTime() - t1) / 1e9;

    long t2 = System.nanoTime();
    byte[] back = Weft.get(ref);
    double getSeconds = (System.nanoTime() - t2) / 1e9;

    System.out.printf("      put  %s  (%,.0f MB/s)%n", secs(putSeconds), size / 1e6 / putSeconds);
    System.out.printf(
        "      task %s  (%,.0f MB/s, checksum read and computed remotely)%n",
        secs(taskSeconds), size / 1e6 / taskSeconds);
    System.out.printf("      get  %s  (%,.0f MB/s)%n", secs(getSeconds), size / 1e6 / getSeconds);
    check(
        remote == expected,
        "the task's checksum "
            + Long.toHexString(remote)
            + " differs from "
            + Long.toHexString(expected));
    check(Arrays.equals(back, data), "the array read back with Weft.get differs from the one put");
    System.out.println("      checksums match, the array came back intact\n");
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private static final class CheckFailed extends RuntimeException {
    CheckFailed(String message) {
      super(message);
    }
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new CheckFailed(message);
    }
  }

  private static String since(long startNanos) {
    return secs((System.nanoTime() - startNanos) / 1e9);
  }

  private static String secs(double seconds) {
    if (seconds < 0.1) {
      return String.format("%.1f ms", seconds * 1000);
    }
    return seconds < 1
        ? String.format("%.0f ms", seconds * 1000)
        : String.format("%.2f s", seconds);
  }

  private Demo() {}
}
