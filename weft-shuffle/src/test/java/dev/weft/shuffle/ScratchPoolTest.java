package dev.weft.shuffle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link ScratchPool}: a thread gets its own value back; a value is never handed to a second live
 * thread; a thread that ended leaves its value to the next thread (a worker's tasks on virtual
 * threads, one thread per task, reuse one value instead of allocating one each).
 */
class ScratchPoolTest {
  static final class Holder {
    final int serial;

    Holder(int serial) {
      this.serial = serial;
    }
  }

  @Test
  void values_areNeverSharedByLiveThreads_andPassFromEndedThreadsToNewOnes() throws Exception {
    AtomicInteger made = new AtomicInteger();
    ScratchPool<Holder> pool = new ScratchPool<>(() -> new Holder(made.incrementAndGet()));

    Holder mine = pool.mine();
    assertThat(pool.mine()).isSameAs(mine); // the same thread: its own value again

    // a live thread (this one) keeps its value: another thread gets a new one
    AtomicReference<Holder> first = new AtomicReference<>();
    CountDownLatch took = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread t1 =
        Thread.ofVirtual()
            .start(
                () -> {
                  first.set(pool.mine());
                  took.countDown();
                  try {
                    release.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    assertThat(took.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(first.get()).isNotSameAs(mine);

    // while t1 lives, its value is not handed out either
    AtomicReference<Holder> second = new AtomicReference<>();
    Thread t2 = Thread.ofVirtual().start(() -> second.set(pool.mine()));
    t2.join(10_000);
    assertThat(t2.isAlive()).isFalse();
    assertThat(second.get()).isNotSameAs(mine).isNotSameAs(first.get());
    assertThat(made.get()).isEqualTo(3);

    // t2 has ended: a new thread takes its value over, and nothing new is made
    AtomicReference<Holder> third = new AtomicReference<>();
    Thread t3 = Thread.ofVirtual().start(() -> third.set(pool.mine()));
    t3.join(10_000);
    assertThat(third.get()).isSameAs(second.get());
    assertThat(made.get()).isEqualTo(3);

    release.countDown();
    t1.join(10_000);
    assertThat(t1.isAlive()).isFalse();
    // a thousand tasks one after another, each on a thread of its own: no new values
    for (int i = 0; i < 1000; i++) {
      Thread t = Thread.ofVirtual().start(pool::mine);
      t.join(10_000);
    }
    assertThat(made.get()).isEqualTo(3);
    assertThat(pool.size()).isEqualTo(3);
    assertThat(pool.mine()).isSameAs(mine);
  }

  /** Whether some mapping of this process in /proc/self/maps contains {@code address}. */
  static boolean mapped(long address) throws java.io.IOException {
    for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/maps"))) {
      String[] range = line.substring(0, line.indexOf(' ')).split("-");
      if (Long.parseUnsignedLong(range[0], 16) <= address
          && address < Long.parseUnsignedLong(range[1], 16)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void offHeapMemory_isZeroedWritableAlignedForHugePages_andUnmappedOnceUnreachable()
      throws Exception {
    long bytes = (5L << 20) + 123;
    java.lang.foreign.MemorySegment m = ScratchPool.allocateOffHeap(bytes);
    assertThat(m.byteSize()).isEqualTo(bytes);
    for (long i = 0; i < bytes; i += 4096) {
      assertThat(m.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i)).isZero();
    }
    m.fill((byte) 7);
    assertThat(m.get(java.lang.foreign.ValueLayout.JAVA_BYTE, bytes - 1)).isEqualTo((byte) 7);
    assertThat(ScratchPool.allocateOffHeap(1000).byteSize()).as("small: plain").isEqualTo(1000);

    boolean linux = System.getProperty("os.name").startsWith("Linux");
    if (!linux || !ScratchPool.class.getModule().isNativeAccessEnabled()) {
      return; // ordinary Arena memory: nothing more to check
    }
    long address = m.address();
    assertThat(address % ScratchPool.HUGE_PAGE).as("aligned to a huge page").isZero();
    assertThat(mapped(address)).isTrue();
    m = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (mapped(address) && System.nanoTime() < deadline) {
      System.gc(); // the cleaner unmaps it once the segment is unreachable
      new CountDownLatch(1).await(20, TimeUnit.MILLISECONDS);
    }
    assertThat(mapped(address)).as("unmapped after the collector found it unreachable").isFalse();
  }

  @Test
  void offHeapMemory_droppedByItsHolders_isUnmappedOnceNewMappingsPassTheLimit() {
    if (!System.getProperty("os.name").startsWith("Linux")
        || !ScratchPool.class.getModule().isNativeAccessEnabled()) {
      return; // Arena memory: the JDK's direct-memory limit applies instead
    }
    long limit = 16L << 20;
    long before = ScratchPool.mappedBytes();
    long most = 0;
    java.lang.foreign.MemorySegment held = null;
    for (int i = 0; i < 40; i++) {
      held = ScratchPool.allocateOffHeap(4L << 20, before + limit); // the last one is dropped
      held.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) i);
      most = Math.max(most, ScratchPool.mappedBytes() - before);
    }
    // each mapping is 6 MiB (4 MiB and 2 MiB to align); 40 of them would be 240 MiB
    assertThat(most).as("mapped at most").isLessThanOrEqualTo(limit + (6L << 20));
    assertThat(held.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) 39);
  }
}
