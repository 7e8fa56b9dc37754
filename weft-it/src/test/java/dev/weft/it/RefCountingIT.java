package dev.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.ActorHandle;
import dev.weft.ObjectId;
import dev.weft.ObjectRef;
import dev.weft.Weft;
import dev.weft.internal.core.CoreWorker;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Distributed reference counting: an object lives while a reference to it exists in any process
 * (owner, borrowers, values that contain it) and is freed by its owner after the last one is gone.
 */
@ExtendWith(ClusterSupport.Logs.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RefCountingIT {
  @BeforeAll
  static void start() {
    ClusterSupport.start(RefCountingIT.class, 2);
  }

  @AfterAll
  static void stop() {
    Weft.shutdown();
  }

  /** Holds refs it was given, makes objects of its own, and reports on its process. */
  public static class Holder {
    private final List<ObjectRef<String>> held = new ArrayList<>();
    private ObjectRef<String> mine;

    public Holder() {}

    public int hold(List<ObjectRef<String>> refs) {
      held.addAll(refs);
      return held.size();
    }

    public String readHeld(int i) {
      return Weft.get(held.get(i));
    }

    public int dropAll() {
      held.clear();
      return gc();
    }

    public ObjectRef<String> makeOwn(String s) {
      mine = Weft.put(s);
      return mine;
    }

    public int forgetOwn() {
      mine = null;
      return gc();
    }

    public boolean owns(long hi, long lo) {
      gc();
      return CoreWorker.ownsLive(new ObjectId(hi, lo));
    }

    /** {@link CoreWorker#localRefCount} in this process, after a GC. */
    public int localRefs(long hi, long lo) {
      gc();
      return CoreWorker.localRefCount(new ObjectId(hi, lo));
    }

    public Map<String, Integer> stats() {
      gc();
      return CoreWorker.localStats();
    }

    static int gc() {
      System.gc();
      return 0;
    }
  }

  /**
   * Waits until this process counts no live ref instance of {@code id} any more: a GC found the
   * dropped ones unreachable and the Cleaner released each of them. Returns 0 when the object is
   * still held (by something other than this process's instances), -1 when it was freed.
   */
  static int awaitNoLocalRefs(ObjectId id) {
    return awaitNoLocalRefs(
        id,
        () -> {
          System.gc();
          return CoreWorker.localRefCount(id);
        });
  }

  static int awaitNoLocalRefs(ObjectId id, java.util.concurrent.Callable<Integer> count) {
    return await("the Cleaner releases every dropped ref instance of " + id)
        .atMost(Duration.ofSeconds(30))
        .until(count, n -> n <= 0);
  }

  /** Runs full GCs until one has cleared a weak reference to garbage (proof that one ran). */
  static void awaitFullGc() {
    WeakReference<Object> canary = new WeakReference<>(new Object());
    await("a GC clears a weak reference to garbage")
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              System.gc();
              return canary.get() == null;
            });
  }

  static boolean ownedHere(ObjectRef<?> ref) {
    System.gc();
    return CoreWorker.ownsLive(ref.id());
  }

  @Test
  void shouldFreeAnObjectWhenItsOnlyRefIsDropped() {
    ObjectRef<String> r = Weft.put("short-lived");
    ObjectId id = r.id();
    assertThat(CoreWorker.ownsLive(id)).isTrue();
    r = null;
    await("the owner frees an object nobody references")
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              System.gc();
              return !CoreWorker.ownsLive(id);
            });
  }

  @Test
  void shouldKeepABorrowedObjectUntilTheBorrowerDropsIt() {
    ActorHandle<Holder> h = Weft.actor(Holder::new).remote();
    ObjectRef<String> r = Weft.put("borrowed");
    ObjectId id = r.id();
    assertThat(Weft.get(h.task(Holder::hold, List.of(r)).remote()))
        .isEqualTo(1); // nested: passed by reference
    r = null;
    assertThat(awaitNoLocalRefs(id))
        .as(
            "the driver dropped its last ref instance and still holds the object: the actor borrows it")
        .isZero();
    assertThat(CoreWorker.ownsLive(id)).as("the actor still borrows it").isTrue();
    assertThat(Weft.get(h.task(Holder::readHeld, 0).remote())).isEqualTo("borrowed");
    Weft.get(h.task(Holder::dropAll).remote());
    await("the owner frees it once the borrower dropped it")
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              Weft.get(h.task(Holder::dropAll).remote()); // collect the actor's ref instances
              System.gc();
              return !CoreWorker.ownsLive(id);
            });
    h.kill();
  }

  @Test
  void shouldKeepARefReturnedFromAnotherProcessAliveWhileTheCallerHoldsIt() {
    ActorHandle<Holder> h = Weft.actor(Holder::new).remote();
    ObjectRef<ObjectRef<String>> outer = h.task(Holder::makeOwn, "made-remotely").remote();
    ObjectRef<String> inner = Weft.get(outer);
    outer = null;
    Weft.get(h.task(Holder::forgetOwn).remote()); // the actor itself no longer references it
    ObjectId id = inner.id();
    assertThat(
            awaitNoLocalRefs(
                id, () -> Weft.get(h.task(Holder::localRefs, id.hi(), id.lo()).remote())))
        .as(
            "the owner (the actor) dropped every instance of its ref and keeps the object for the driver")
        .isZero();
    assertThat(Weft.get(inner)).isEqualTo("made-remotely");
    assertThat(Weft.get(h.task(Holder::owns, id.hi(), id.lo()).remote())).isTrue();
    inner = null;
    await("the actor frees its object after the driver dropped the last ref")
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              System.gc();
              return !Weft.get(h.task(Holder::owns, id.hi(), id.lo()).remote());
            });
    h.kill();
  }

  @Test
  void shouldKeepRefsInsideAStoredValueAliveWhileTheValueLives() {
    ObjectRef<String> inner = Weft.put("inside");
    ObjectId innerId = inner.id();
    ObjectRef<List<ObjectRef<String>>> outer = Weft.put(List.of(inner));
    int before = CoreWorker.localRefCount(innerId);
    WeakReference<ObjectRef<String>> dropped = new WeakReference<>(inner);
    inner = null;
    awaitFullGc();
    if (dropped.get() == null) {
      // the driver's instance is gone: wait until the Cleaner has released it
      await("the Cleaner releases the dropped ref instance of " + innerId)
          .atMost(Duration.ofSeconds(30))
          .until(() -> CoreWorker.localRefCount(innerId) < before);
    } // else the containing value holds that very instance: it cannot have been released
    assertThat(CoreWorker.ownsLive(innerId)).as("kept by the value that contains it").isTrue();
    assertThat(Weft.get(Weft.get(outer).get(0))).isEqualTo("inside");
    outer = null;
    await("both go once the containing value is gone")
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              System.gc();
              return !CoreWorker.ownsLive(innerId);
            });
  }

  public static int length(String s) {
    return s.length();
  }

  @Test
  void shouldRunAMillionPutsAndTasksWithFlatMemory() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 1_000_000; i++) {
      ObjectRef<Integer> r = Weft.put(i);
      if (i % 100_000 == 0) {
        assertThat(Weft.get(r)).isEqualTo(i);
      }
    }
    List<ObjectRef<Integer>> batch = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      batch.add(Weft.task(RefCountingIT::length, "x" + i).remote());
      if (batch.size() == 1000) {
        Weft.get(batch);
        batch.clear();
      }
    }
    await("the driver's ownership table drains once the refs are collected")
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              System.gc();
              return CoreWorker.localStats().get("owned") < 1_000;
            });
    System.gc();
    long used = rt.totalMemory() - rt.freeMemory();
    assertThat(used).as("driver heap after a million objects came and went").isLessThan(256L << 20);
  }
}
