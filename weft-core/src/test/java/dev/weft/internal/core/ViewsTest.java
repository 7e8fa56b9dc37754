package dev.weft.internal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ViewsTest {
  /** Stands in for the node's store: memory that outlives every view. */
  final Arena storeArena = Arena.ofShared();

  final MemorySegment store = storeArena.allocate(1 << 16);

  /** Counts unpins, as StoreReader.Pinned would send them. */
  final AtomicInteger unpins = new AtomicInteger();

  final Views.OpenViews open = new Views.OpenViews();

  @AfterEach
  void unmap() {
    storeArena.close();
  }

  Views.View storeView() {
    MemorySegment block = store.asSlice(4096, 1024);
    for (int i = 0; i < 1024; i++) {
      block.set(ValueLayout.JAVA_BYTE, i, (byte) i);
    }
    return Views.ofStore("object 1-2", block.asReadOnly(), null, unpins::incrementAndGet, open);
  }

  @Test
  void storeView_afterClose_segmentAndBuffersKeptFromBeforeThrow() {
    Views.View v = storeView();
    MemorySegment seg = v.segment();
    ByteBuffer buf = v.buffer();
    ByteBuffer fromSegment = seg.asByteBuffer();
    assertThat(v.zeroCopy()).isTrue();
    assertThat(buf.get(100)).isEqualTo((byte) 100);
    assertThat(seg.get(ValueLayout.JAVA_BYTE, 200)).isEqualTo((byte) 200);
    assertThat(seg.address()).as("in place, not a copy").isEqualTo(store.address() + 4096);

    v.close();

    assertThat(unpins).hasValue(1);
    assertThatThrownBy(() -> buf.get(100)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> fromSegment.get(100)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> buf.duplicate().get(new byte[10]))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> seg.get(ValueLayout.JAVA_BYTE, 200))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> MemorySegment.copy(seg, 0, store, 0, 10))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(v::buffer)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the view of object 1-2 is closed");
    assertThatThrownBy(v::segment)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the view of object 1-2 is closed");
    assertThat(store.get(ValueLayout.JAVA_BYTE, 4096 + 100))
        .as("the store itself is untouched")
        .isEqualTo((byte) 100);
  }

  @Test
  void storeView_copyTo_readsTheStoreFile_andCloseWaitsForACopyUnderWay(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    try (dev.weft.internal.store.StoreFile file =
        dev.weft.internal.store.StoreFile.create(dir.resolve("store"), 1 << 20)) {
      byte[] data = new byte[5000];
      new java.util.Random(3).nextBytes(data);
      file.write(8192, MemorySegment.ofArray(data));
      Views.View v =
          Views.ofStore(
              "object 3-4",
              file.slice(8192, data.length).asReadOnly(),
              file,
              unpins::incrementAndGet,
              open);
      byte[] got = new byte[100];
      v.copyTo(10, MemorySegment.ofArray(got));
      assertThat(got).isEqualTo(java.util.Arrays.copyOfRange(data, 10, 110));
      assertThatThrownBy(() -> v.copyTo(4950, MemorySegment.ofArray(new byte[100])))
          .isInstanceOf(IndexOutOfBoundsException.class);

      v.copying.incrementAndGet(); // as another thread does while its copyTo reads the block
      assertThatThrownBy(v::close)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("still copying");
      assertThat(unpins).as("the block stays pinned for the copy").hasValue(0);
      v.copying.decrementAndGet();

      v.close();
      assertThat(unpins).hasValue(1);
      assertThatThrownBy(() -> v.copyTo(0, MemorySegment.ofArray(new byte[1])))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("is closed");
    }
  }

  @Test
  void storeView_close_isIdempotentAndUnpinsOnce() {
    Views.View v = storeView();
    v.close();
    v.close();
    assertThat(unpins).hasValue(1);
  }

  @Test
  void storeView_readFromAnotherThread_works() throws Exception {
    try (Views.View v = storeView()) {
      byte got = CompletableFuture.supplyAsync(() -> v.buffer().get(7)).get(10, TimeUnit.SECONDS);
      assertThat(got).isEqualTo((byte) 7);
    }
  }

  @Test
  void storeView_isReadOnly() {
    try (Views.View v = storeView()) {
      assertThat(v.buffer().isReadOnly()).isTrue();
      assertThat(v.segment().isReadOnly()).isTrue();
    }
  }

  @Test
  void openViews_closeAll_closesTheViewsStillOpen() {
    Views.View a = storeView();
    Views.View b = storeView();
    MemorySegment seg = a.segment();
    b.close();
    assertThat(open.closeAll()).isTrue();
    assertThat(unpins).hasValue(2);
    assertThatThrownBy(() -> seg.get(ValueLayout.JAVA_BYTE, 0))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void heapView_isACopy_andFailsAfterCloseLikeAStoreView() {
    double[] value = {1.5, 2.5};
    Views.View v = Views.ofHeap("object 3-4", MemorySegment.ofArray(value));
    ByteBuffer buf = v.buffer();
    assertThat(v.zeroCopy()).isFalse();
    assertThat(v.sizeBytes()).isEqualTo(16);
    assertThat(buf.order(java.nio.ByteOrder.nativeOrder()).getDouble(8)).isEqualTo(2.5);
    v.close();
    assertThatThrownBy(() -> buf.getDouble(8)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(v::segment)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("object 3-4");
    assertThat(value).containsExactly(1.5, 2.5);
  }
}
