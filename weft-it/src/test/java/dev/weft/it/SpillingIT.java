package dev.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.ObjectRef;
import dev.weft.Weft;
import dev.weft.WeftConfig;
import dev.weft.internal.core.CoreWorker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A workload whose live data is 4x the store: objects spill to disk, come back on access, and their
 * files go when freed.
 */
@ExtendWith(ClusterSupport.Logs.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SpillingIT {
  static final long STORE = 32L << 20;
  static final int SIZE = 13 << 20;
  static Path logs;

  @BeforeAll
  static void start() {
    logs =
        ClusterSupport.start(
            SpillingIT.class, WeftConfig.builder().numCpus(2).objectStoreBytes(STORE));
  }

  @AfterAll
  static void stop() {
    Weft.shutdown();
  }

  public static byte[] block(int seed) {
    byte[] b = new byte[SIZE];
    for (int i = 0; i < b.length; i += 4096) {
      b[i] = (byte) (seed + i / 4096);
    }
    b[b.length - 1] = (byte) seed;
    return b;
  }

  public static long weigh(byte[] b) {
    long s = 0;
    for (int i = 0; i < b.length; i += 4096) {
      s += b[i];
    }
    return s * 1000 + b[b.length - 1];
  }

  static long spillFilesOnDisk() throws Exception {
    try (Stream<Path> s = Files.walk(logs)) {
      return s.filter(
              p -> p.getFileName().toString().startsWith("spill-") && p.toString().endsWith(".bin"))
          .count();
    }
  }

  /**
   * Waits (collecting, so dropped refs free their objects) until the store and its disk are empty.
   */
  static void awaitStoreEmpty(String what) {
    await(what)
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              System.gc();
              var s = CoreWorker.storeStats();
              return s.get("objects") == 0 && s.get("spilledBytes") == 0 && spillFilesOnDisk() == 0;
            });
  }

  /** In a worker: the bytes of a spilled object's view, copied out and read through its buffer. */
  public static long weighViews(List<ObjectRef<byte[]>> refs) {
    long sum = 0;
    for (ObjectRef<byte[]> r : refs) {
      try (dev.weft.ObjectBuffer b = Weft.getBuffer(r)) {
        byte[] copy = new byte[(int) b.sizeBytes()];
        b.copyTo(0, java.lang.foreign.MemorySegment.ofArray(copy));
        byte[] mapped = new byte[copy.length];
        b.buffer().get(mapped);
        if (!java.util.Arrays.equals(copy, mapped)) {
          throw new IllegalStateException("copyTo and buffer() disagree for " + r);
        }
        sum += weigh(copy);
      }
    }
    return sum;
  }

  @Test
  void shouldReadSpilledObjectsFromTheirFilesWithoutRestoringThem() throws Exception {
    List<ObjectRef<byte[]>> puts = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      puts.add(Weft.put(block(20 + i))); // 5 x 13 MiB through a 32 MiB store: the first spill
    }
    await("the oldest objects are on disk")
        .atMost(Duration.ofSeconds(60))
        .until(() -> CoreWorker.storeStats().get("spilledObjects") >= 3);
    long spilled = CoreWorker.storeStats().get("spilledObjects");
    int fromDisk = 0;
    for (int i = 0; i < 5; i++) {
      try (dev.weft.ObjectBuffer b = Weft.getBuffer(puts.get(i))) {
        fromDisk += b.zeroCopy() ? 0 : 1;
        byte[] copy = new byte[SIZE];
        b.copyTo(0, java.lang.foreign.MemorySegment.ofArray(copy));
        assertThat(copy).as("object %d, copied out", i).isEqualTo(block(20 + i));
        byte[] tail = new byte[100];
        b.copyTo(SIZE - 100, java.lang.foreign.MemorySegment.ofArray(tail));
        assertThat(tail).isEqualTo(java.util.Arrays.copyOfRange(block(20 + i), SIZE - 100, SIZE));
        byte[] mapped = new byte[SIZE];
        b.buffer().get(mapped);
        assertThat(mapped).as("object %d, through its buffer", i).isEqualTo(block(20 + i));
      }
    }
    assertThat(fromDisk).as("views read from the spill files").isGreaterThanOrEqualTo(3);
    assertThat(CoreWorker.storeStats().get("spilledObjects"))
        .as("reading a spilled object's view does not restore it")
        .isEqualTo(spilled);
    long expected = 0;
    for (int i = 0; i < 5; i++) {
      expected += weigh(block(20 + i));
    }
    assertThat(Weft.get(Weft.task(SpillingIT::weighViews, List.copyOf(puts)).remote()))
        .as("the same views in a worker")
        .isEqualTo(expected);

    puts.clear();
    awaitStoreEmpty("spill files are deleted once their objects are freed and their readers done");
  }

  @Test
  void shouldCompleteAWorkloadFourTimesTheStoreAndCleanUpItsSpillFiles() throws Exception {
    List<ObjectRef<byte[]>> puts = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      puts.add(Weft.put(block(i))); // 5 x 13 MiB through a 32 MiB store
    }
    List<ObjectRef<byte[]>> made = new ArrayList<>();
    for (int i = 5; i < 10; i++) {
      made.add(
          Weft.task(SpillingIT::block, i).remote()); // large task results, written by the workers
    }
    Weft.get(made.get(made.size() - 1));
    var stats = CoreWorker.storeStats();
    assertThat(stats.get("spilledObjects"))
        .as("live data beyond the store spilled to disk")
        .isGreaterThanOrEqualTo(5);
    assertThat(spillFilesOnDisk()).isPositive();

    // every object comes back intact, on the driver and in workers (each read restores it)
    for (int i = 0; i < 5; i++) {
      assertThat(Weft.get(puts.get(i))).isEqualTo(block(i));
    }
    List<ObjectRef<Long>> weights = new ArrayList<>();
    for (ObjectRef<byte[]> r : made) {
      weights.add(Weft.task(SpillingIT::weigh, r).remote());
    }
    for (int i = 0; i < 5; i++) {
      assertThat(Weft.get(weights.get(i))).isEqualTo(weigh(block(i + 5)));
    }

    puts.clear();
    made.clear();
    awaitStoreEmpty("spill files are deleted once their objects are freed");
  }
}
