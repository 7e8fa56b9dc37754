package dev.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.ObjectRef;
import dev.weft.Weft;
import dev.weft.WeftConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code WeftConfig.tasksPerWorker(2)} on an embedded node with 2 CPUs: the node grants both leases
 * on one worker JVM, which runs their tasks at once, and no more than its leases allow.
 */
@ExtendWith(ClusterSupport.Logs.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TasksPerWorkerIT {
  @BeforeAll
  static void start() {
    ClusterSupport.start(TasksPerWorkerIT.class, WeftConfig.builder().numCpus(2).tasksPerWorker(2));
  }

  @AfterAll
  static void stop() {
    Weft.shutdown();
  }

  /** Two tasks meet here: only possible when both run at once in the same JVM. */
  private static final CyclicBarrier MEET = new CyclicBarrier(2);

  public static long meetAndTellPid() throws Exception {
    MEET.await(60, TimeUnit.SECONDS);
    return ProcessHandle.current().pid();
  }

  private static final AtomicInteger RUNNING = new AtomicInteger();
  private static final AtomicInteger MOST = new AtomicInteger();

  /** Spins ~1 ms; returns {pid, the most tasks this JVM ran at once so far}. */
  public static long[] shortTask() {
    MOST.accumulateAndGet(RUNNING.incrementAndGet(), Math::max);
    try {
      long end = System.nanoTime() + 1_000_000;
      while (System.nanoTime() < end) {
        Thread.onSpinWait();
      }
    } finally {
      RUNNING.decrementAndGet();
    }
    return new long[] {ProcessHandle.current().pid(), MOST.get()};
  }

  @Test
  void twoTasksShouldRunAtOnceInOneWorkerJvm() {
    ObjectRef<Long> a = Weft.task(TasksPerWorkerIT::meetAndTellPid).remote();
    ObjectRef<Long> b = Weft.task(TasksPerWorkerIT::meetAndTellPid).remote();
    assertThat(Weft.get(a)).isEqualTo(Weft.get(b));
  }

  @Test
  void aSharedWorkerShouldRunNoMoreTasksAtOnceThanItsLeases() {
    // short tasks are pipelined several to a lease: the lease on the worker's main port must run
    // them one at a time, as its task port does
    List<ObjectRef<long[]>> refs = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      refs.add(Weft.task(TasksPerWorkerIT::shortTask).remote());
    }
    Set<Long> pids = new HashSet<>();
    int most = 0;
    for (long[] r : Weft.get(refs)) {
      pids.add(r[0]);
      most = Math.max(most, (int) r[1]);
    }
    assertThat(pids).hasSize(1);
    assertThat(most).isBetween(1, 2);
  }

  @Test
  void zeroTasksPerWorkerShouldBeRefusedWithTheSettingsName() {
    assertThatThrownBy(() -> WeftConfig.builder().tasksPerWorker(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("WeftConfig.tasksPerWorker must be >= 1 (got 0)");
  }
}
