package dev.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weft.ObjectBuffer;
import dev.weft.ObjectRef;
import dev.weft.ObjectStoreFullException;
import dev.weft.Weft;
import dev.weft.WeftConfig;
import dev.weft.internal.core.CoreWorker;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The node's shared-memory object store, with a small store (48 MiB) so it can be filled. */
@ExtendWith(ClusterSupport.Logs.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ObjectStoreIT {
  static final long STORE = 48L << 20;

  @BeforeAll
  static void start() {
    ClusterSupport.start(
        ObjectStoreIT.class, WeftConfig.builder().numCpus(2).objectStoreBytes(STORE));
  }

  @AfterAll
  static void stop() {
    Weft.shutdown();
  }

  static byte[] pattern(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + seed);
    }
    return b;
  }

  public static long checksum(byte[] b) {
    long s = 0;
    for (byte x : b) {
      s = s * 31 + x;
    }
    return s;
  }

  /** Reads a large argument through a zero-copy view, inside a worker. */
  public static long checksumViaView(List<ObjectRef<byte[]>> refs) {
    try (ObjectBuffer v = Weft.getBuffer(refs.get(0))) {
      if (!v.zeroCopy()) {
        throw new IllegalStateException("the worker's view was a copy");
      }
      ByteBuffer b = v.buffer();
      long s = 0;
      while (b.hasRemaining()) {
        s = s * 31 + b.get();
      }
      return s;
    }
  }

  public static int[] bigInts(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i * 7;
    }
    return a;
  }

  public static List<String> bigList(int n) {
    List<String> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      l.add("item-" + i);
    }
    return l;
  }

  static long used() {
    return CoreWorker.storeStats().get("usedBytes");
  }

  static void awaitStoreEmpty() {
    await("the store is empty again once the refs are dropped")
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              System.gc();
              return used() == 0;
            });
  }

  @Test
  void shouldKeepLargeObjectsInTheStoreAndFreeThemWhenDropped() {
    awaitStoreEmpty();
    ObjectRef<byte[]> r = Weft.put(pattern(8 << 20, 1));
    assertThat(used()).isGreaterThanOrEqualTo(8L << 20);
    assertThat(Weft.get(r)).isEqualTo(pattern(8 << 20, 1));
    ObjectRef<byte[]> small = Weft.put(new byte[100]);
    assertThat(CoreWorker.storeStats().get("objects"))
        .as("small objects stay inline")
        .isEqualTo(1L);
    assertThat(Weft.get(Weft.task(ObjectStoreIT::checksum, r).remote()))
        .isEqualTo(checksum(pattern(8 << 20, 1)));
    r = null;
    small = null;
    awaitStoreEmpty();
  }

  @Test
  void shouldStoreLargeTaskResultsAndSerializedValues() {
    awaitStoreEmpty();
    ObjectRef<int[]> ints = Weft.task(ObjectStoreIT::bigInts, 2_000_000).remote();
    int[] back = Weft.get(ints);
    assertThat(back).hasSize(2_000_000);
    assertThat(back[1_999_999]).isEqualTo(1_999_999 * 7);
    ObjectRef<List<String>> list = Weft.task(ObjectStoreIT::bigList, 100_000).remote();
    assertThat(Weft.get(list)).hasSize(100_000).endsWith("item-99999");
    assertThat(CoreWorker.storeStats().get("objects")).isEqualTo(2L);
    ints = null;
    list = null;
    awaitStoreEmpty();
  }

  @Test
  void shouldGiveZeroCopyViewsThatPinTheObject() {
    awaitStoreEmpty();
    ObjectRef<byte[]> r = Weft.put(pattern(4 << 20, 7));
    assertThat(Weft.get(Weft.task(ObjectStoreIT::checksumViaView, List.of(r)).remote()))
        .isEqualTo(checksum(pattern(4 << 20, 7)));
    ObjectBuffer view = Weft.getBuffer(r);
    assertThat(view.zeroCopy()).isTrue();
    assertThat(view.sizeBytes()).isEqualTo(4 << 20);
    assertThat(view.buffer().get(123)).isEqualTo(pattern(4 << 20, 7)[123]);
    assertThat(view.buffer().isReadOnly()).isTrue();
    // copyTo reads the store file into memory of the caller's: heap or off-heap, any range
    byte[] copied = new byte[3000];
    view.copyTo((4 << 20) - 3000, java.lang.foreign.MemorySegment.ofArray(copied));
    assertThat(copied)
        .isEqualTo(java.util.Arrays.copyOfRange(pattern(4 << 20, 7), (4 << 20) - 3000, 4 << 20));
    try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
      java.lang.foreign.MemorySegment off = arena.allocate(4 << 20);
      view.copyTo(0, off);
      assertThat(off.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE))
          .isEqualTo(pattern(4 << 20, 7));
    }
    ObjectBuffer open = view;
    assertThatThrownBy(
            () -> open.copyTo(1, java.lang.foreign.MemorySegment.ofArray(new byte[4 << 20])))
        .isInstanceOf(IndexOutOfBoundsException.class);
    r = null;
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    assertThat(used())
        .as("a pinned object stays while its view is open")
        .isGreaterThanOrEqualTo(4L << 20);
    view.close();
    assertThatThrownBy(() -> open.copyTo(0, java.lang.foreign.MemorySegment.ofArray(new byte[8])))
        .as("a closed view copies nothing: its bytes may hold another object by now")
        .isInstanceOf(IllegalStateException.class);
    awaitStoreEmpty();
    double[] d = {1.5, 2.5};
    try (ObjectBuffer small = Weft.getBuffer(Weft.put(d))) {
      assertThat(small.zeroCopy()).isFalse();
      assertThat(small.buffer().order(ByteOrder.nativeOrder()).getDouble(8)).isEqualTo(2.5);
      byte[] second = new byte[8];
      small.copyTo(8, java.lang.foreign.MemorySegment.ofArray(second));
      assertThat(ByteBuffer.wrap(second).order(ByteOrder.nativeOrder()).getDouble()).isEqualTo(2.5);
    }
    assertThatThrownBy(() -> Weft.getBuffer(Weft.put("text")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not binary");
  }

  /** In a worker: a view read after its close; returns what the read threw. */
  public static String readAfterClose(List<ObjectRef<byte[]>> refs) {
    ObjectBuffer v = Weft.getBuffer(refs.get(0));
    ByteBuffer kept = v.buffer();
    v.close();
    try {
      return "read " + kept.get(123) + " after close";
    } catch (IllegalStateException e) {
      return "IllegalStateException";
    }
  }

  @Test
  void shouldFailReadsOfAClosedViewInsteadOfReadingTheStoreMemoryItGaveBack() throws Exception {
    awaitStoreEmpty();
    byte[] bytes = pattern(4 << 20, 9);
    ObjectRef<byte[]> r = Weft.put(bytes);
    ObjectBuffer view = Weft.getBuffer(r);
    assertThat(view.zeroCopy()).isTrue();
    ByteBuffer kept = view.buffer();
    java.lang.foreign.MemorySegment segment = view.segment();
    assertThat(
            java.util.concurrent.CompletableFuture.supplyAsync(() -> kept.get(123))
                .get(30, TimeUnit.SECONDS))
        .as("another thread reads an open view")
        .isEqualTo(bytes[123]);

    view.close();

    assertThatThrownBy(() -> kept.get(123))
        .as("a buffer kept past close()")
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> segment.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 123))
        .as("a segment kept past close()")
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(view::buffer)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is closed");
    assertThatThrownBy(view::segment).isInstanceOf(IllegalStateException.class);
    view.close(); // idempotent
    assertThat(Weft.get(Weft.task(ObjectStoreIT::readAfterClose, List.of(r)).remote()))
        .as("the same in a worker")
        .isEqualTo("IllegalStateException");
    try (ObjectBuffer small = Weft.getBuffer(Weft.put(new byte[] {1, 2, 3}))) {
      ByteBuffer smallKept = small.buffer();
      small.close();
      assertThatThrownBy(() -> smallKept.get(0))
          .as("a small (heap) view fails after close as a large one does")
          .isInstanceOf(IllegalStateException.class);
    }
    r = null;
    awaitStoreEmpty();
  }

  @Test
  void shouldFailPutWithObjectStoreFullExceptionWhenNothingCanBeSpilled() {
    awaitStoreEmpty();
    List<ObjectRef<byte[]>> held = new ArrayList<>();
    List<ObjectBuffer> views = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      held.add(Weft.put(pattern(10 << 20, i)));
      views.add(Weft.getBuffer(held.get(i))); // pinned by a reader: cannot be spilled
    }
    assertThatThrownBy(() -> Weft.put(pattern(10 << 20, 9)))
        .isInstanceOf(ObjectStoreFullException.class)
        .hasMessageContaining("is full")
        .hasMessageContaining("larger objectStoreBytes");
    assertThatThrownBy(() -> Weft.put(new byte[64 << 20]))
        .isInstanceOf(ObjectStoreFullException.class)
        .hasMessageContaining("larger than the whole object store");
    views.forEach(ObjectBuffer::close);
    assertThat(Weft.get(Weft.put(pattern(10 << 20, 8))))
        .as("unpinned objects spill to make room")
        .isEqualTo(pattern(10 << 20, 8));
    held.clear();
    awaitStoreEmpty();
    assertThat(Weft.get(Weft.put(pattern(10 << 20, 5))))
        .isEqualTo(pattern(10 << 20, 5)); // works again
  }

  @Test
  void shouldWaitForSpaceWhenItIsFreedInTime() throws Exception {
    awaitStoreEmpty();
    List<ObjectRef<byte[]>> held = new ArrayList<>();
    List<ObjectBuffer> views = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      held.add(Weft.put(pattern(10 << 20, i)));
      views.add(Weft.getBuffer(held.get(i)));
    }
    var pending =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> Weft.put(pattern(10 << 20, 42)));
    views.forEach(
        ObjectBuffer
            ::close); // unpins while the put waits (the node waits up to 5 s before giving up)
    held.clear();
    System.gc();
    ObjectRef<byte[]> r = pending.get(60, TimeUnit.SECONDS);
    assertThat(Weft.get(r)[0]).isEqualTo(pattern(10 << 20, 42)[0]);
  }

  @Test
  void shouldFreeDroppedObjectsUnderStorePressureWithoutTheOwnerCollecting() {
    awaitStoreEmpty();
    byte[] src =
        pattern(10 << 20, 3); // one array for every put: the driver allocates almost nothing
    for (int i = 0; i < 30; i++) {
      ObjectRef<byte[]> r = Weft.put(src);
      try (ObjectBuffer v = Weft.getBuffer(r, Duration.ofSeconds(60))) {
        assertThat(v.buffer().get(4096)).isEqualTo(src[4096]);
      }
    }
    // no System.gc() here: the node asks the driver to collect when its store runs short
    await("the store gives dropped objects back under pressure")
        .atMost(Duration.ofSeconds(30))
        .until(() -> used() <= 0.75 * STORE);
  }

  @Test
  void aPutLoopOverDroppedRefs_freesThemInsteadOfSpilling() {
    // Each put needs the memory of the one before it (two do not fit), whose ref the loop dropped:
    // the held create makes the driver collect, and it must do so for every put, however soon
    // after the last collection it comes. Once, a request within 20 ms of the last collection was
    // dropped: the create then waited the node's grace period and spilled.
    awaitStoreEmpty();
    byte[] src = pattern((int) (STORE / 2), 5);
    Weft.put(new byte[1 << 20]).release(); // a delete that frees: the node's hints pay off again
    long spilledBefore = CoreWorker.storeStats().get("spilledTotalBytes");
    ObjectRef<byte[]> latest = null;
    for (int i = 0; i < 8; i++) {
      latest = null; // dropped, not released: only a collection can tell Weft
      latest = Weft.put(src);
    }
    try (ObjectBuffer v = Weft.getBuffer(latest, Duration.ofSeconds(60))) {
      assertThat(v.buffer().get(STORE_HALF_PROBE)).isEqualTo(src[STORE_HALF_PROBE]);
    }
    assertThat(CoreWorker.storeStats().get("spilledTotalBytes") - spilledBefore)
        .as("bytes spilled by the loop")
        .isZero();
    latest.release();
  }

  private static final int STORE_HALF_PROBE = (int) (STORE / 2) - 4096;

  /** An actor that returns large arrays. */
  public static class Maker {
    public Maker() {}

    public byte[] make(int n) {
      return pattern(n, 1);
    }
  }

  @Test
  void shouldFailOnlyTheCallWhoseResultCannotBeStored() {
    awaitStoreEmpty();
    dev.weft.ActorHandle<Maker> m = Weft.actor(Maker::new).remote();
    List<ObjectRef<byte[]>> held = new ArrayList<>();
    List<ObjectBuffer> views = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      held.add(Weft.put(pattern(10 << 20, i)));
      views.add(Weft.getBuffer(held.get(i)));
    }
    ObjectRef<byte[]> tooBig = m.task(Maker::make, 10 << 20).remote();
    assertThatThrownBy(() -> Weft.get(tooBig, Duration.ofSeconds(60)))
        .isInstanceOf(dev.weft.TaskFailedException.class)
        .hasMessageContaining("is full");
    views.forEach(ObjectBuffer::close);
    held.clear();
    assertThat(Weft.get(m.task(Maker::make, 1 << 20).remote(), Duration.ofSeconds(60)))
        .hasSize(1 << 20);
    m.kill();
  }
}
