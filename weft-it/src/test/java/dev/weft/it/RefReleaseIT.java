package dev.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weft.ActorHandle;
import dev.weft.ObjectId;
import dev.weft.ObjectRef;
import dev.weft.Weft;
import dev.weft.WeftConfig;
import dev.weft.internal.core.CoreWorker;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link ObjectRef#release()} across processes: a worker that borrowed refs gives them back at
 * once, with its periodic GC turned off ({@code -Dweft.borrowerGcIntervalMillis=0}) and no {@code
 * System.gc()} anywhere in the test. Every released instance stays strongly reachable, so only
 * release() can be what freed the object.
 */
@ExtendWith(ClusterSupport.Logs.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RefReleaseIT {
  @BeforeAll
  static void start() {
    ClusterSupport.start(
        RefReleaseIT.class,
        WeftConfig.builder()
            .numCpus(2)
            .workerJvmOptions(List.of("-Dweft.borrowerGcIntervalMillis=0")));
  }

  @AfterAll
  static void stop() {
    Weft.shutdown();
  }

  /** Keeps the refs it is given (in a field: reachable for the actor's whole life). */
  public static class Keeper {
    private final List<ObjectRef<byte[]>> held = new ArrayList<>();

    public Keeper() {}

    public int hold(List<ObjectRef<byte[]>> refs) {
      held.addAll(refs);
      return held.size();
    }

    public int read(int i) {
      return Weft.get(held.get(i)).length;
    }

    /** Releases every held instance but keeps them in the list. */
    public int releaseAll() {
      held.forEach(ObjectRef::release);
      return held.size();
    }

    public String readReleased(int i) {
      try {
        Weft.get(held.get(i));
        return "no exception";
      } catch (IllegalStateException e) {
        return e.getMessage();
      }
    }
  }

  @Test
  void shouldFreeAnObjectOnceTheBorrowingWorkerReleasesItWithoutAGcTimer() {
    ActorHandle<Keeper> k = Weft.actor(Keeper::new).remote();
    ObjectRef<byte[]> big = Weft.put(new byte[1 << 20]); // in the node's store
    ObjectRef<byte[]> small = Weft.put(new byte[16]); // inline, in the owner's memory
    ObjectId bigId = big.id();
    ObjectId smallId = small.id();
    assertThat(Weft.get(k.task(Keeper::hold, List.of(big, small)).remote())).isEqualTo(2);

    big.release();
    small.release();
    assertThat(CoreWorker.ownsLive(bigId)).as("the actor's worker still borrows it").isTrue();
    assertThat(CoreWorker.ownsLive(smallId)).isTrue();
    assertThat(Weft.get(k.task(Keeper::read, 0).remote())).isEqualTo(1 << 20);

    assertThat(Weft.get(k.task(Keeper::releaseAll).remote())).isEqualTo(2);
    await("the owner frees both objects once the borrower released its refs, with no GC")
        .atMost(Duration.ofSeconds(20))
        .until(() -> !CoreWorker.ownsLive(bigId) && !CoreWorker.ownsLive(smallId));
    assertThat(Weft.get(k.task(Keeper::readReleased, 0).remote()))
        .contains("released by ObjectRef.release()");
    Reference.reachabilityFence(big);
    Reference.reachabilityFence(small);
    k.kill();
  }

  @Test
  void shouldKeepATaskArgumentAliveWhenTheCallerReleasesItRightAfterSubmitting() {
    ObjectRef<byte[]> big = Weft.put(new byte[1 << 20]);
    ObjectId id = big.id();
    // the task cannot run before the gate opens: its other argument is still pending
    ActorHandle<CoreHardeningIT.Gate> gate =
        Weft.actor(CoreHardeningIT.Gate::new).maxConcurrency(4).remote();
    ObjectRef<Integer> opened = gate.task(CoreHardeningIT.Gate::await, 0).remote();
    ObjectRef<Integer> n = Weft.task(RefReleaseIT::lengthOf, big, opened).remote();
    big.release(); // the runtime holds its own copy until the task's reply
    System.gc();
    assertThat(CoreWorker.ownsLive(id)).as("alive while the task that reads it waits").isTrue();
    Weft.get(gate.task(CoreHardeningIT.Gate::open).remote());
    assertThat(Weft.get(n, Duration.ofSeconds(60))).isEqualTo(1 << 20);
    await("the runtime releases its copy of the argument when the task is done")
        .atMost(Duration.ofSeconds(20))
        .until(() -> !CoreWorker.ownsLive(id));
    assertThatThrownBy(() -> Weft.task(RefReleaseIT::lengthOf, big, 0).remote())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("released");
    Reference.reachabilityFence(big);
  }

  public static int lengthOf(byte[] b, int gate) {
    return b.length;
  }
}
