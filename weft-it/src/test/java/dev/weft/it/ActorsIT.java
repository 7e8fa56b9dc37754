package dev.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.ActorDiedException;
import dev.weft.ActorHandle;
import dev.weft.ObjectRef;
import dev.weft.TaskFailedException;
import dev.weft.Weft;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Actors on a real embedded cluster. */
@ExtendWith(ClusterSupport.Logs.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ActorsIT {
  @BeforeAll
  static void start() {
    ClusterSupport.start(ActorsIT.class, 2);
  }

  @AfterAll
  static void stop() {
    Weft.shutdown();
  }

  public static class Counter {
    private long n;
    private final List<Long> seen = new ArrayList<>();

    public Counter(long start) {
      n = start;
    }

    public long add(long d) {
      n += d;
      seen.add(d);
      return n;
    }

    public void reset() {
      n = 0;
      seen.clear();
    }

    public List<Long> seen() {
      return seen;
    }

    public long pid() {
      return ProcessHandle.current().pid();
    }

    public long fail() {
      throw new IllegalStateException("counter refused at " + n);
    }

    /** Exits the process the first time (marker file absent), returns n the second time. */
    public long exitOnce(String marker) throws java.io.IOException {
      java.nio.file.Path f = java.nio.file.Path.of(marker);
      if (!java.nio.file.Files.exists(f)) {
        java.nio.file.Files.writeString(f, "x");
        System.exit(9);
      }
      return n;
    }

    public long exit() {
      System.exit(7);
      return 0;
    }
  }

  public static class Pair {
    private final CyclicBarrier barrier = new CyclicBarrier(2);

    public Pair() {}

    /** Returns only when two calls are inside at once. */
    public String meet(int who)
        throws InterruptedException, BrokenBarrierException, TimeoutException {
      barrier.await(20, TimeUnit.SECONDS);
      return "met-" + who;
    }
  }

  /** Records the most calls inside at once; each call waits a while for a second one. */
  public static class Overlap {
    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger most = new AtomicInteger();
    private final Object entered = new Object();

    public Overlap() {}

    /**
     * Stays inside until another call is inside too, or {@code waitMillis} have passed; returns the
     * calls inside when it came in.
     */
    public int enter(int waitMillis) throws InterruptedException {
      int now = inside.incrementAndGet();
      most.accumulateAndGet(now, Math::max);
      try {
        synchronized (entered) {
          entered.notifyAll();
          long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
          long left;
          while (inside.get() < 2 && (left = deadline - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.timedWait(entered, left);
          }
        }
        return now;
      } finally {
        inside.decrementAndGet();
      }
    }

    public int maxInside() {
      return most.get();
    }
  }

  public static class Broken {
    public Broken(String why) {
      throw new IllegalArgumentException("cannot build: " + why);
    }

    public int get() {
      return 1;
    }
  }

  public static class Forwarder {
    private final ActorHandle<Counter> target;

    public Forwarder(ActorHandle<Counter> target) {
      this.target = target;
    }

    public long forward(long d) {
      return Weft.get(target.task(Counter::add, d).remote());
    }
  }

  public static long slowFive(int millis) throws InterruptedException {
    new java.util.concurrent.CountDownLatch(1).await(millis, TimeUnit.MILLISECONDS);
    return 5L;
  }

  public static long addVia(ActorHandle<Counter> c, long d) {
    return Weft.get(c.task(Counter::add, d).remote());
  }

  @Test
  void shouldKeepStateAndRunCallsInSubmissionOrder() {
    ActorHandle<Counter> c = Weft.actor(Counter::new, 100L).remote();
    List<ObjectRef<Long>> refs = new ArrayList<>();
    for (long i = 1; i <= 1000; i++) {
      refs.add(c.task(Counter::add, i).remote());
    }
    List<Long> values = Weft.get(refs);
    long expect = 100;
    for (int i = 0; i < 1000; i++) {
      expect += i + 1;
      assertThat(values.get(i)).isEqualTo(expect);
    }
    List<Long> seen = Weft.get(c.task(Counter::seen).remote());
    assertThat(seen).hasSize(1000).isSorted();
    assertThat(Weft.get(c.task(Counter::reset).remote())).isNull();
    assertThat(Weft.get(c.task(Counter::add, 1L).remote())).isEqualTo(1L);
  }

  @Test
  void shouldOrderCallsWhoseArgumentsAreStillPending() {
    ActorHandle<Counter> c = Weft.actor(Counter::new, 0L).remote();
    ObjectRef<Long> slowArg =
        Weft.task(ActorsIT::slowFive, 1000).remote(); // still pending when the calls go out
    ObjectRef<Long> first = c.task(Counter::add, slowArg).remote();
    ObjectRef<Long> second = c.task(Counter::add, 1L).remote();
    assertThat(Weft.get(first)).isEqualTo(5L);
    assertThat(Weft.get(second)).isEqualTo(6L);
  }

  @Test
  void shouldRunCallsConcurrentlyUpToMaxConcurrency() {
    ActorHandle<Pair> p = Weft.actor(Pair::new).maxConcurrency(2).remote();
    ObjectRef<String> a = p.task(Pair::meet, 1).remote();
    ObjectRef<String> b = p.task(Pair::meet, 2).remote();
    assertThat(Weft.get(List.of(a, b))).containsExactly("met-1", "met-2");
  }

  /**
   * Submits {@code calls} calls to {@code a} at once from this task (another caller than the
   * driver) and returns the most calls each saw inside.
   */
  public static List<Integer> enterFromTask(ActorHandle<Overlap> a, int waitMillis, int calls) {
    List<ObjectRef<Integer>> refs = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      refs.add(a.task(Overlap::enter, waitMillis).remote());
    }
    return Weft.get(refs);
  }

  /**
   * Calls from the driver and from two tasks, all sent at once; returns the most calls that were
   * ever inside the actor at the same time.
   */
  static int mostCallsInsideAtOnce(ActorHandle<Overlap> a, int waitMillis) {
    List<ObjectRef<List<Integer>>> fromTasks = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      fromTasks.add(Weft.task(ActorsIT::enterFromTask, a, waitMillis, 2).remote());
    }
    List<ObjectRef<Integer>> fromDriver = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      fromDriver.add(a.task(Overlap::enter, waitMillis).remote());
    }
    assertThat(Weft.get(fromDriver, Duration.ofSeconds(60))).hasSize(4);
    assertThat(Weft.get(fromTasks, Duration.ofSeconds(60))).hasSize(2);
    return Weft.get(a.task(Overlap::maxInside).remote(), Duration.ofSeconds(30));
  }

  @Test
  void shouldRunOneCallAtATimeByDefault() {
    // the control: calls that overlap are seen to (each waits up to 5 s for a second one inside)
    ActorHandle<Overlap> concurrent = Weft.actor(Overlap::new).maxConcurrency(4).remote();
    assertThat(mostCallsInsideAtOnce(concurrent, 5_000))
        .as("calls inside an actor with maxConcurrency(4) at once")
        .isBetween(2, 4);
    // by default each call waits 300 ms for a second call inside, which never comes
    ActorHandle<Overlap> serial = Weft.actor(Overlap::new).remote();
    assertThat(mostCallsInsideAtOnce(serial, 300))
        .as("calls inside a default actor at once, from three callers sending at the same time")
        .isEqualTo(1);
    concurrent.kill();
    serial.kill();
  }

  @Test
  void shouldFindNamedActorsAndRefuseDuplicateNames() {
    ActorHandle<Counter> c = Weft.actor(Counter::new, 10L).name("the-counter").remote();
    Weft.get(c.task(Counter::add, 1L).remote());
    Optional<ActorHandle<Counter>> found = Weft.getActor("the-counter");
    assertThat(found).isPresent();
    assertThat(Weft.get(found.get().task(Counter::add, 1L).remote())).isEqualTo(12L);
    assertThat(Weft.<Counter>getActor("no-such-actor")).isEmpty();
    // creation never blocks the caller: a taken name fails the new actor's calls, saying why
    ActorHandle<Counter> twin = Weft.actor(Counter::new, 0L).name("the-counter").remote();
    assertThatThrownBy(() -> Weft.get(twin.task(Counter::add, 1L).remote()))
        .isInstanceOf(ActorDiedException.class)
        .hasMessageContaining("already exists");
    assertThat(Weft.get(found.get().task(Counter::add, 1L).remote()))
        .as("the first one is untouched")
        .isEqualTo(13L);
  }

  @Test
  void aCallStillWaitingForItsArgument_failsWhenTheActorDiesMeanwhile() {
    ActorHandle<Counter> first = Weft.actor(Counter::new, 0L).name("taken-by-first").remote();
    assertThat(Weft.get(first.task(Counter::add, 1L).remote())).isEqualTo(1L);
    ObjectRef<Long> slow = Weft.task(ActorsIT::slowFive, 3000).remote();
    ActorHandle<Counter> twin = Weft.actor(Counter::new, 0L).name("taken-by-first").remote();
    // the twin's creation is refused while this call still waits for its argument
    ObjectRef<Long> r = twin.task(Counter::add, slow).remote();
    assertThatThrownBy(() -> Weft.get(r, Duration.ofSeconds(60)))
        .as("failed once its argument is ready, not dropped")
        .isInstanceOf(ActorDiedException.class)
        .hasMessageContaining("already exists");
  }

  @Test
  void shouldPassHandlesToTasksAndOtherActors() {
    ActorHandle<Counter> c = Weft.actor(Counter::new, 0L).remote();
    assertThat(Weft.get(Weft.task(ActorsIT::addVia, c, 5L).remote())).isEqualTo(5L);
    ActorHandle<Forwarder> f = Weft.actor(Forwarder::new, c).remote();
    assertThat(Weft.get(f.task(Forwarder::forward, 2L).remote())).isEqualTo(7L);
  }

  @Test
  void shouldFailCallsAfterKill() {
    ActorHandle<Counter> c = Weft.actor(Counter::new, 0L).name("doomed").remote();
    assertThat(Weft.get(c.task(Counter::add, 1L).remote())).isEqualTo(1L);
    c.kill();
    assertThatThrownBy(() -> Weft.get(c.task(Counter::add, 1L).remote(), Duration.ofSeconds(30)))
        .isInstanceOf(ActorDiedException.class)
        .hasMessageContaining("killed");
    assertThat(Weft.<Counter>getActor("doomed")).isEmpty();
  }

  @Test
  void shouldReportConstructorFailuresAtTheFirstCall() {
    ActorHandle<Broken> b = Weft.actor(Broken::new, "no reason").remote();
    assertThatThrownBy(() -> Weft.get(b.task(Broken::get).remote(), Duration.ofSeconds(60)))
        .isInstanceOf(ActorDiedException.class)
        .hasMessageContaining("cannot build: no reason");
  }

  @Test
  void shouldReportUserExceptionsFromActorMethods() {
    ActorHandle<Counter> c = Weft.actor(Counter::new, 3L).remote();
    assertThatThrownBy(() -> Weft.get(c.task(Counter::fail).remote()))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("counter refused at 3")
        .cause()
        .isInstanceOf(IllegalStateException.class);
    assertThat(Weft.get(c.task(Counter::add, 1L).remote())).isEqualTo(4L); // still alive
  }

  @Test
  void shouldShareOneJvmAmongLightweightActorsAndGiveDedicatedOnesTheirOwn() {
    List<ActorHandle<Counter>> many = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      many.add(Weft.actor(Counter::new, (long) i).remote());
    }
    List<ObjectRef<Long>> pids = new ArrayList<>();
    List<ObjectRef<Long>> sums = new ArrayList<>();
    for (ActorHandle<Counter> a : many) {
      pids.add(a.task(Counter::pid).remote());
      sums.add(a.task(Counter::add, 1L).remote());
    }
    assertThat(Weft.get(pids).stream().distinct().count()).isEqualTo(1);
    List<Long> s = Weft.get(sums);
    for (int i = 0; i < 1000; i++) {
      assertThat(s.get(i)).isEqualTo(i + 1L);
    }
    ActorHandle<Counter> own = Weft.actor(Counter::new, 0L).dedicatedProcess().remote();
    assertThat(Weft.get(own.task(Counter::pid).remote())).isNotEqualTo(Weft.get(pids.get(0)));
    for (ActorHandle<Counter> a : many) {
      a.kill();
    }
  }

  @Test
  void shouldResendACallLostWithItsProcessWhenTaskRetriesAreLeft() throws java.io.IOException {
    java.nio.file.Path marker =
        java.nio.file.Files.createTempDirectory("weft-retry").resolve("marker");
    ActorHandle<Counter> c =
        Weft.actor(Counter::new, 77L).dedicatedProcess().maxRestarts(1).maxTaskRetries(1).remote();
    assertThat(
            Weft.get(c.task(Counter::exitOnce, marker.toString()).remote(), Duration.ofSeconds(60)))
        .isEqualTo(77L);
  }

  @Test
  void shouldRestartActorsWhoseProcessDiedWhenRestartsAreLeft() {
    ActorHandle<Counter> c =
        Weft.actor(Counter::new, 50L).dedicatedProcess().maxRestarts(1).remote();
    long pid1 = Weft.get(c.task(Counter::pid).remote());
    ObjectRef<Long> dying = c.task(Counter::exit).remote();
    assertThatThrownBy(() -> Weft.get(dying, Duration.ofSeconds(60)))
        .isInstanceOf(ActorDiedException.class);
    // restarted: a fresh instance from the constructor, in a new process
    assertThat(Weft.get(c.task(Counter::add, 1L).remote(), Duration.ofSeconds(60))).isEqualTo(51L);
    assertThat(Weft.get(c.task(Counter::pid).remote())).isNotEqualTo(pid1);
    // no restarts left: the next death is final
    ObjectRef<Long> dyingAgain = c.task(Counter::exit).remote();
    assertThatThrownBy(() -> Weft.get(dyingAgain, Duration.ofSeconds(60)))
        .isInstanceOf(ActorDiedException.class);
    assertThatThrownBy(() -> Weft.get(c.task(Counter::add, 1L).remote(), Duration.ofSeconds(60)))
        .isInstanceOf(ActorDiedException.class)
        .hasMessageContaining("no restarts left");
  }
}
