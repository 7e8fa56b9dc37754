package dev.weft.bench;

import dev.weft.ActorHandle;
import dev.weft.ObjectRef;
import dev.weft.WaitResult;
import dev.weft.Weft;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The benchmark definitions: Ray's core microbenchmarks ({@code ray microbenchmark}, {@code
 * ray/_private/ray_perf.py}) under the names of Ray's release metrics, run against the Weft API.
 * Each operation checks what it got back and throws {@link BenchmarkFailedException} when it is
 * wrong, so the smoke run ({@code --quick}) keeps the benchmarks honest. Checks build their message
 * only once they have failed, so they cost next to nothing in the timed loop.
 *
 * <p>Differences from Ray, all deliberate: {@code 1_n_actor_calls_async} and {@code
 * n_n_actor_calls_async} use {@code actors} = the cluster's CPUs (Ray: half the machine's CPUs);
 * the 1:n caller is the driver (Ray: a client actor); n:n uses one caller actor per target actor
 * (as Ray's "n:n actor calls with arg async" does, without the argument); {@code
 * single_client_wait_1k_refs} puts 1,000 objects and waits for all of them in one call per round
 * (Ray submits 1,000 tasks and drains them with 1,000 {@code ray.wait} calls); the targets' method
 * returns a call count instead of {@code b"ok"}, so that lost, repeated or reordered calls show.
 */
final class Benchmarks {
  static final String INIT_TO_FIRST_RESULT = "init_to_first_result_ms";

  static final String RECURSIVE_FIB = "recursive_fib_16";

  /** Sizes of one run. */
  record Sizes(int batch, int actors, int waitRefs, Duration timeout) {
    Sizes {
      if (batch < 1 || actors < 1 || waitRefs < 1) {
        throw new IllegalArgumentException(
            "batch, actors and waitRefs must be >= 1 (got "
                + batch
                + ", "
                + actors
                + ", "
                + waitRefs
                + ")");
      }
    }
  }

  /** A prepared benchmark: its operation, and the cleanup of what the setup created. */
  interface Fixture extends AutoCloseable {
    /** One timed operation; returns how many logical operations it performed. */
    long run() throws Exception;

    @Override
    default void close() {}
  }

  /**
   * One benchmark: {@code setup} runs against a live cluster (creates actors, puts objects) and
   * returns the fixture that is then timed. {@code rayReference} is Ray 2.48's published figure in
   * {@code unit}, or null.
   */
  record Benchmark(
      String name,
      String unit,
      Double rayReference,
      Map<String, Object> params,
      Callable<Fixture> setup) {}

  private Benchmarks() {}

  /** All benchmarks, in the order they run. */
  static List<Benchmark> all(Sizes s) {
    return List.of(
        new Benchmark("single_client_tasks_sync", "tasks/s", 980.0, Map.of(), () -> tasksSync(s)),
        new Benchmark(
            "single_client_tasks_async",
            "tasks/s",
            8_000.0,
            params("batch", s.batch()),
            () -> tasksAsync(s)),
        new Benchmark("1_1_actor_calls_sync", "calls/s", 2_000.0, Map.of(), () -> actorSync(s)),
        new Benchmark(
            "1_1_actor_calls_async",
            "calls/s",
            8_700.0,
            params("batch", s.batch()),
            () -> callsSpread(Targets.create(1, s.timeout()), s.batch(), s.timeout())),
        new Benchmark(
            "1_n_actor_calls_async",
            "calls/s",
            null,
            params("actors", s.actors(), "calls_per_actor_per_batch", s.batch()),
            () -> callsSpread(Targets.create(s.actors(), s.timeout()), s.batch(), s.timeout())),
        new Benchmark(
            "n_n_actor_calls_async",
            "calls/s",
            null,
            params(
                "callers",
                s.actors(),
                "actors",
                s.actors(),
                "calls_per_caller_per_batch",
                s.batch()),
            () -> nToN(s)),
        new Benchmark("single_client_put_calls", "puts/s", null, Map.of(), () -> puts(s)),
        new Benchmark("single_client_get_calls", "gets/s", null, Map.of(), () -> gets(s)),
        new Benchmark(
            "single_client_wait_1k_refs",
            "waits/s",
            null,
            params("refs", s.waitRefs()),
            () -> waitRefs(s)));
  }

  /** Submits the trivial task and checks its result: the first-result probe right after init. */
  static void firstTask(Duration timeout) {
    Integer got = Weft.get(Weft.task(BenchTasks::smallValue).remote(), timeout);
    if (!isSmallValue(got)) {
      throw fail("the first task returned " + got + ", expected " + BenchTasks.SMALL_VALUE);
    }
  }

  /**
   * {@code fib(n)} as a tree of blocking tasks, once (n = 16; 10 in --quick, the smoke run):
   * seconds, and (on an embedded cluster) how many worker JVMs ran and their peak resident memory.
   * A run that needed a JVM per blocked task would start hundreds (and stall at the node's worker
   * cap).
   */
  static BenchResult recursiveFib(int n, Duration timeout) {
    long t0 = System.nanoTime();
    Long got = Weft.get(Weft.task(BenchTasks::fib, n).remote(), timeout);
    double seconds = (System.nanoTime() - t0) / 1e9;
    long expected = fibOf(n);
    if (got == null || got != expected) {
      throw fail("fib(" + n + ") returned " + got + ", expected " + expected);
    }
    List<ProcessHandle> workers =
        ProcessHandle.current().descendants().filter(Benchmarks::isWorker).toList();
    long peakKib = 0;
    for (ProcessHandle w : workers) {
      peakKib += peakRssKib(w.pid());
    }
    return BenchResult.ok(
        RECURSIVE_FIB,
        "s",
        new double[] {seconds},
        null,
        params(
            "n",
            n,
            "tasks",
            2 * fibOf(n + 1) - 1,
            "worker_jvms",
            workers.size(),
            "worker_peak_rss_mib",
            peakKib / 1024));
  }

  private static long fibOf(int n) {
    long a = 0;
    long b = 1;
    for (int i = 0; i < n; i++) {
      long t = a + b;
      a = b;
      b = t;
    }
    return a;
  }

  private static boolean isWorker(ProcessHandle p) {
    try {
      return java.nio.file.Files.readString(
              java.nio.file.Path.of("/proc", Long.toString(p.pid()), "cmdline"))
          .contains("dev.weft.internal.core.WorkerMain");
    } catch (java.io.IOException | RuntimeException e) {
      return false; // gone, or not Linux: not counted
    }
  }

  private static long peakRssKib(long pid) {
    try {
      for (String line :
          java.nio.file.Files.readAllLines(
              java.nio.file.Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      // gone: not counted
    }
    return 0;
  }

  // ---- tasks ----

  private static Fixture tasksSync(Sizes s) {
    return () -> {
      Integer got = Weft.get(Weft.task(BenchTasks::smallValue).remote(), s.timeout());
      if (!isSmallValue(got)) {
        throw fail("the task returned " + got + ", expected " + BenchTasks.SMALL_VALUE);
      }
      return 1;
    };
  }

  private static Fixture tasksAsync(Sizes s) {
    int batch = s.batch();
    return () -> {
      List<ObjectRef<Integer>> refs = new ArrayList<>(batch);
      for (int i = 0; i < batch; i++) {
        refs.add(Weft.task(BenchTasks::smallValue).remote());
      }
      List<Integer> values = Weft.get(refs, s.timeout());
      if (values.size() != batch) {
        throw fail("got " + values.size() + " results for a batch of " + batch + " tasks");
      }
      long sum = 0;
      for (int i = 0; i < batch; i++) {
        Integer got = values.get(i);
        if (!isSmallValue(got)) {
          throw fail(
              "task "
                  + i
                  + " of the batch returned "
                  + got
                  + ", expected "
                  + BenchTasks.SMALL_VALUE);
        }
        sum += got;
      }
      if (sum != (long) batch * BenchTasks.SMALL_VALUE) {
        throw fail(
            "the batch's results sum to "
                + sum
                + ", expected "
                + (long) batch * BenchTasks.SMALL_VALUE);
      }
      return batch;
    };
  }

  // ---- actors ----

  private static Fixture actorSync(Sizes s) {
    Targets targets = Targets.create(1, s.timeout());
    ActorHandle<BenchActor> actor = targets.handle(0);
    return new Fixture() {
      @Override
      public long run() {
        targets.expect(0, Weft.get(actor.task(BenchActor::next).remote(), s.timeout()));
        return 1;
      }

      @Override
      public void close() {
        targets.close();
      }
    };
  }

  /**
   * The driver submits {@code perActor} calls to each target, round robin, then gets them all:
   * {@code 1_1_actor_calls_async} with one target, {@code 1_n_actor_calls_async} with n.
   */
  private static Fixture callsSpread(Targets targets, int perActor, Duration timeout) {
    int n = targets.size();
    int total = perActor * n;
    return new Fixture() {
      @Override
      public long run() {
        List<ObjectRef<Long>> refs = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
          refs.add(targets.handle(i % n).task(BenchActor::next).remote());
        }
        List<Long> values = Weft.get(refs, timeout);
        if (values.size() != total) {
          throw fail("got " + values.size() + " results for a batch of " + total + " calls");
        }
        for (int i = 0; i < total; i++) {
          targets.expect(i % n, values.get(i));
        }
        return total;
      }

      @Override
      public void close() {
        targets.close();
      }
    };
  }

  /** n caller actors, each with its own target actor, each calling it in batches. */
  private static Fixture nToN(Sizes s) {
    int n = s.actors();
    Targets targets = Targets.create(n, s.timeout());
    List<ActorHandle<BenchClient>> callers = new ArrayList<>(n);
    try {
      for (int i = 0; i < n; i++) {
        // Targets.create already made one call on each target: the callers' counts start there
        callers.add(Weft.actor(BenchClient::new, targets.handle(i), targets.lastSeen(i)).remote());
      }
    } catch (RuntimeException | Error e) {
      killAll(callers);
      targets.close();
      throw e;
    }
    long[] lastSeen = new long[n];
    for (int i = 0; i < n; i++) {
      lastSeen[i] = targets.lastSeen(i);
    }
    int batch = s.batch();
    long timeoutMillis = s.timeout().toMillis();
    return new Fixture() {
      @Override
      public long run() {
        List<ObjectRef<Long>> refs = new ArrayList<>(n);
        for (ActorHandle<BenchClient> c : callers) {
          refs.add(c.task(BenchClient::callBatch, batch, timeoutMillis).remote());
        }
        // each caller waits up to the timeout for its own batch: give the whole round more
        List<Long> values = Weft.get(refs, s.timeout().multipliedBy(2));
        if (values.size() != n) {
          throw fail("got " + values.size() + " results from " + n + " callers");
        }
        for (int i = 0; i < n; i++) {
          long expected = lastSeen[i] + batch;
          Long got = values.get(i);
          if (got == null || got != expected) {
            throw fail(
                "caller " + i + " reported its actor's count as " + got + ", expected " + expected);
          }
          lastSeen[i] = expected;
        }
        return (long) n * batch;
      }

      @Override
      public void close() {
        killAll(callers);
        targets.close();
      }
    };
  }

  // ---- objects ----

  private static Fixture puts(Sizes s) {
    return new Fixture() {
      private int next;

      @Override
      public long run() {
        int value = next++;
        ObjectRef<Integer> ref = Weft.put(value);
        if (ref == null) {
          throw fail("put returned a null ref");
        }
        if ((value & 1023) == 0) { // read one in 1,024 back, so a broken put cannot go unnoticed
          Integer back = Weft.get(ref, s.timeout());
          if (back == null || back != value) {
            throw fail("put " + value + " but read back " + back);
          }
        }
        return 1;
      }
    };
  }

  private static Fixture gets(Sizes s) {
    int value = 42;
    ObjectRef<Integer> ref = Weft.put(value);
    return () -> {
      Integer got = Weft.get(ref, s.timeout());
      if (got == null || got != value) {
        throw fail("get of an object holding " + value + " returned " + got);
      }
      return 1;
    };
  }

  private static Fixture waitRefs(Sizes s) {
    int count = s.waitRefs();
    return () -> {
      List<ObjectRef<Integer>> refs = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        refs.add(Weft.put(i));
      }
      WaitResult<Integer> r = Weft.wait(refs, count, s.timeout());
      if (r.ready().size() != count || !r.unready().isEmpty()) {
        throw fail(
            "wait for "
                + count
                + " put objects returned "
                + r.ready().size()
                + " ready and "
                + r.unready().size()
                + " unready");
      }
      for (int i = 0; i < count; i++) {
        if (!r.ready().get(i).id().equals(refs.get(i).id())) {
          throw fail("wait's ready list is not in input order at index " + i);
        }
      }
      return 1;
    };
  }

  // ---- helpers ----

  /**
   * Target actors and, per actor, the last count it returned to this driver. Creation makes one
   * call on each and waits for it, so the actors are up before the clock starts.
   */
  private static final class Targets implements AutoCloseable {
    private final List<ActorHandle<BenchActor>> handles = new ArrayList<>();
    private long[] lastSeen = new long[0];

    static Targets create(int n, Duration timeout) {
      Targets t = new Targets();
      try {
        for (int i = 0; i < n; i++) {
          t.handles.add(Weft.actor(BenchActor::new).remote());
        }
        t.lastSeen = new long[n];
        List<ObjectRef<Long>> first = new ArrayList<>(n);
        for (ActorHandle<BenchActor> h : t.handles) {
          first.add(h.task(BenchActor::next).remote());
        }
        List<Long> values = Weft.get(first, timeout);
        for (int i = 0; i < n; i++) {
          t.expect(i, values.get(i));
        }
        return t;
      } catch (RuntimeException | Error e) {
        t.close();
        throw e;
      }
    }

    int size() {
      return handles.size();
    }

    ActorHandle<BenchActor> handle(int i) {
      return handles.get(i);
    }

    long lastSeen(int i) {
      return lastSeen[i];
    }

    /** Checks that actor {@code i} returned the next count: no call lost, repeated or reordered. */
    void expect(int i, Long got) {
      long expected = lastSeen[i] + 1;
      if (got == null || got != expected) {
        throw fail(
            "actor "
                + i
                + " returned count "
                + got
                + ", expected "
                + expected
                + " (a call was lost, repeated or run out of order)");
      }
      lastSeen[i] = expected;
    }

    @Override
    public void close() {
      killAll(handles);
    }
  }

  /** Kills the actors; a failure to kill one is reported, and the others are still killed. */
  private static void killAll(List<? extends ActorHandle<?>> handles) {
    for (ActorHandle<?> h : handles) {
      try {
        h.kill();
      } catch (RuntimeException e) {
        System.err.println("weft-bench: could not kill actor " + h.actorId() + ": " + e);
      }
    }
  }

  private static boolean isSmallValue(Integer got) {
    return got != null && got == BenchTasks.SMALL_VALUE;
  }

  private static BenchmarkFailedException fail(String message) {
    return new BenchmarkFailedException(message);
  }

  private static Map<String, Object> params(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }
}
