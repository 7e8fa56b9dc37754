package dev.weft.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreFileTest {
  @TempDir Path dir;

  @Test
  void create_thenOpenElsewhere_seesTheSameBytes() throws Exception {
    Path p = dir.resolve("store");
    try (StoreFile a = StoreFile.create(p, 1 << 20);
        StoreFile b = StoreFile.open(p)) {
      MemorySegment w = a.slice(4096, ObjectLayout.HEADER + 24);
      double[] v = {1.5, 2.5, 3.5};
      ObjectLayout.writeHeader(
          w, ObjectLayout.RAW, ObjectLayout.rawElement(v), ObjectLayout.rawSize(v));
      ObjectLayout.writeRaw(w, v);
      MemorySegment r = b.slice(4096, ObjectLayout.HEADER + 24);
      assertThat(ObjectLayout.kind(r)).isEqualTo(ObjectLayout.RAW);
      assertThat((double[]) ObjectLayout.readRaw(r)).containsExactly(1.5, 2.5, 3.5);
    }
    assertThat(Files.exists(p)).as("the creator removes the file when it closes").isFalse();
  }

  @Test
  void write_valuesOfEveryRawKind_readBackThroughAnotherProcesssMapping() throws Exception {
    Path p = dir.resolve("store");
    long[] longs = new long[300_000]; // 2.4 MB: more than one staging buffer
    for (int i = 0; i < longs.length; i++) {
      longs[i] = i * 31L - 7;
    }
    ByteBuffer direct = ByteBuffer.allocateDirect(5000);
    for (int i = 0; i < 5000; i++) {
      direct.put((byte) (i * 7));
    }
    direct.flip().position(100); // only the remaining bytes are the value
    try (StoreFile a = StoreFile.create(p, 8 << 20);
        StoreFile b = StoreFile.open(p)) {
      a.write(4096, ObjectLayout.header(ObjectLayout.RAW, ObjectLayout.LONG, 8L * longs.length));
      a.write(4096 + ObjectLayout.HEADER, ObjectLayout.rawSegment(longs));
      long at = 4096 + ObjectLayout.HEADER + 8L * longs.length;
      a.write(at, ObjectLayout.header(ObjectLayout.RAW, ObjectLayout.BYTE_BUFFER, 4900));
      a.write(at + ObjectLayout.HEADER, ObjectLayout.rawSegment(direct)); // off-heap: no staging

      assertThat(
              (long[]) ObjectLayout.readRaw(b.slice(4096, ObjectLayout.HEADER + 8L * longs.length)))
          .isEqualTo(longs);
      MemorySegment payload = ObjectLayout.payload(b.slice(at, ObjectLayout.HEADER + 4900));
      assertThat(payload.byteSize()).isEqualTo(4900);
      for (int i = 0; i < 4900; i++) {
        assertThat(payload.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i))
            .isEqualTo((byte) ((i + 100) * 7));
      }
    }
  }

  @Test
  void read_copiesAnObjectsBytesFromTheFile_intoHeapOrOffHeapMemory() throws Exception {
    Path p = dir.resolve("store");
    byte[] data = new byte[3 << 20]; // more than one staging buffer for a heap destination
    new java.util.Random(5).nextBytes(data);
    try (StoreFile a = StoreFile.create(p, 8 << 20);
        StoreFile b = StoreFile.open(p)) {
      a.write(8192, MemorySegment.ofArray(data));
      MemorySegment object = b.slice(8192, data.length);
      byte[] heap = new byte[data.length - 1000];
      b.read(object, 1000, MemorySegment.ofArray(heap));
      assertThat(heap).isEqualTo(java.util.Arrays.copyOfRange(data, 1000, data.length));
      try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
        MemorySegment off = arena.allocate(5000);
        b.read(object, 77, off);
        assertThat(off.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE))
            .isEqualTo(java.util.Arrays.copyOfRange(data, 77, 5077));
      }
      assertThatThrownBy(
              () -> b.read(object, data.length - 10, MemorySegment.ofArray(new byte[11])))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("outside the object");
      assertThatThrownBy(
              () ->
                  b.read(
                      MemorySegment.ofArray(new byte[10]), 0, MemorySegment.ofArray(new byte[1])))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void largeCopies_sharedBetweenThreads_keepEveryByteInPlace_heapOffHeapAndConfined()
      throws Exception {
    Path p = dir.resolve("store");
    // above the size from which helpers share a copy, and no multiple of its pieces or the staging
    int size = (int) StoreFile.PARALLEL_MIN + (9 << 20) + 12345;
    byte[] data = new byte[size];
    new java.util.Random(11).nextBytes(data);
    try (StoreFile a = StoreFile.create(p, 3L * size + (1 << 20));
        StoreFile b = StoreFile.open(p);
        java.lang.foreign.Arena shared = java.lang.foreign.Arena.ofShared();
        java.lang.foreign.Arena confined = java.lang.foreign.Arena.ofConfined()) {
      a.write(4096, MemorySegment.ofArray(data));
      MemorySegment offHeap = shared.allocate(size);
      MemorySegment.copy(MemorySegment.ofArray(data), 0, offHeap, 0, size);
      a.write(4096L + size, offHeap);
      MemorySegment mine = confined.allocate(size);
      MemorySegment.copy(MemorySegment.ofArray(data), 0, mine, 0, size);
      a.write(4096L + 2L * size, mine); // confined: this thread alone may touch it
      for (int k = 0; k < 3; k++) {
        MemorySegment object = b.slice(4096L + (long) k * size, size);
        byte[] heap = new byte[size - 7];
        b.read(object, 7, MemorySegment.ofArray(heap));
        assertThat(heap).isEqualTo(java.util.Arrays.copyOfRange(data, 7, size));
        MemorySegment intoShared = shared.allocate(size);
        b.read(object, 0, intoShared);
        assertThat(intoShared.mismatch(MemorySegment.ofArray(data))).isEqualTo(-1);
        MemorySegment intoConfined = confined.allocate(size - 100);
        b.read(object, 100, intoConfined);
        assertThat(intoConfined.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE))
            .isEqualTo(java.util.Arrays.copyOfRange(data, 100, size));
      }
    }
  }

  @Test
  void aChunkVisitedAgain_isCopiedThroughTheMapping_andOtherProcessesSeeTheBytes()
      throws Exception {
    // first visit of a 2 MiB chunk: pwrite/pread; from the second on: the process's own mapping.
    // Another mapping of the file (another process's, which reads with pread on its first visit
    // and through its mapping later) sees every write, whichever way it went
    Path p = dir.resolve("store");
    int n = (5 << 20) + 4321; // spans four chunks, partly
    try (StoreFile a = StoreFile.create(p, 16L << 20);
        StoreFile b = StoreFile.open(p)) {
      java.util.Random random = new java.util.Random(11);
      for (int round = 0; round < 4; round++) {
        byte[] src = new byte[n];
        random.nextBytes(src);
        long offset = (1 << 20) + 64L * round;
        a.write(offset, MemorySegment.ofArray(src));
        byte[] back = new byte[n];
        b.read(b.slice(offset, n), 0, MemorySegment.ofArray(back));
        assertThat(back).as("round %d, read by another mapping", round).isEqualTo(src);
        java.util.Arrays.fill(back, (byte) 0);
        a.read(a.slice(offset, n), 0, MemorySegment.ofArray(back));
        assertThat(back).as("round %d, read by the writer", round).isEqualTo(src);
        MemorySegment tail = b.slice(offset + n - 100, 100); // in place, as views read
        assertThat(tail.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE))
            .isEqualTo(java.util.Arrays.copyOfRange(src, n - 100, n));
      }
      assertThat(a.mappedChunks())
          .as("the writer maps the chunks it came back to (Linux 5.14+: MADV_POPULATE_WRITE)")
          .isGreaterThanOrEqualTo(3);
      assertThat(b.mappedChunks()).isGreaterThanOrEqualTo(3);
    }
  }

  @Test
  void copiesAtEveryPlaceInACacheLine_keepEveryByte_heapAndOffHeap() throws Exception {
    // staged copies start at the file offset's place in a cache line, and an off-heap buffer at a
    // slow distance from its file offset goes through the stage (StoreFile#slowCopy): every
    // offset modulo 64, both directions, a length that crosses two staging buffers
    assertThat(StoreFile.slowCopy(16, 0)).isTrue();
    assertThat(StoreFile.slowCopy(4096 + 31, 0)).isTrue();
    assertThat(StoreFile.slowCopy(0, 4096 - 16)).isTrue();
    assertThat(StoreFile.slowCopy(0, 0)).isFalse();
    assertThat(StoreFile.slowCopy(32, 0)).isFalse();
    assertThat(StoreFile.slowCopy(0, 16)).isFalse();
    int n = (2 << 20) + 333;
    byte[] src = new byte[n];
    new java.util.Random(7).nextBytes(src);
    try (StoreFile f = StoreFile.create(dir.resolve("store"), 8L << 20);
        java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
      MemorySegment offHeap = arena.allocate(n + 4096L, 4096);
      for (int at = 0; at < 64; at += 3) {
        long offset = 4096 + at;
        src[0] = (byte) at;
        f.write(offset, MemorySegment.ofArray(src));
        byte[] back = new byte[n];
        f.read(f.slice(offset, n), 0, MemorySegment.ofArray(back));
        assertThat(back).as("heap, file offset %d", offset).isEqualTo(src);
        for (int skew : new int[] {0, 16, at}) {
          MemorySegment buf = offHeap.asSlice(skew, n);
          buf.fill((byte) 0);
          f.read(f.slice(offset, n), 0, buf);
          assertThat(buf.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE))
              .as("read into off-heap memory %d bytes into a page, file offset %d", skew, offset)
              .isEqualTo(src);
          long other = offset + (4 << 20) + 1; // an off-heap source, written elsewhere
          f.write(other, buf);
          f.read(f.slice(other, n), 0, MemorySegment.ofArray(back));
          assertThat(back).as("written from off-heap memory at %d", skew).isEqualTo(src);
        }
      }
    }
  }

  @Test
  void largeWrite_intoAClosedStore_failsAndNoHelperHangs() throws Exception {
    Path p = dir.resolve("store");
    int size = (int) StoreFile.PARALLEL_MIN + (1 << 20);
    StoreFile a = StoreFile.create(p, 2L * size);
    StoreFile b = StoreFile.open(p);
    b.close();
    assertThatThrownBy(() -> b.write(0, MemorySegment.ofArray(new byte[size])))
        .isInstanceOf(java.io.IOException.class);
    a.write(0, MemorySegment.ofArray(new byte[size])); // the helpers are free for the next copy
    a.close();
  }

  @Test
  void write_aWriterInterrupted_failsAloneAndLaterWritesStillWork() throws Exception {
    try (StoreFile a = StoreFile.create(dir.resolve("store"), 8 << 20)) {
      byte[] chunk = new byte[1 << 20];
      java.util.concurrent.CompletableFuture<Throwable> ended =
          new java.util.concurrent.CompletableFuture<>();
      java.util.concurrent.CountDownLatch writing = new java.util.concurrent.CountDownLatch(1);
      Thread w =
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      while (true) { // until the interrupt lands, in a write or between two
                        a.write(0, MemorySegment.ofArray(chunk));
                        writing.countDown();
                      }
                    } catch (Throwable t) {
                      ended.complete(t);
                    }
                  });
      writing.await();
      w.interrupt();
      assertThat(ended.get(10, java.util.concurrent.TimeUnit.SECONDS))
          .isInstanceOf(
              java.io.InterruptedIOException.class
                  .getSuperclass()) // IOException: ClosedByInterruptException or
          // InterruptedIOException
          .isInstanceOfAny(
              java.nio.channels.ClosedByInterruptException.class,
              java.io.InterruptedIOException.class);
      // the shared channel an interrupt closes is replaced: other writers carry on
      byte[] v = {1, 2, 3, 4, 5};
      a.write(1 << 20, MemorySegment.ofArray(v));
      assertThat(a.slice(1 << 20, 5).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)).isEqualTo(v);
    }
  }

  @Test
  void write_outsideTheStore_isRefusedWithoutWriting() throws Exception {
    try (StoreFile a = StoreFile.create(dir.resolve("store"), 1 << 20)) {
      assertThatThrownBy(() -> a.write((1 << 20) - 8, MemorySegment.ofArray(new byte[16])))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("outside the store");
      assertThat(Files.size(dir.resolve("store"))).isEqualTo(1 << 20);
    }
  }

  @Test
  void create_sizeTheMachineCannotHold_failsAndLeavesNoFile() throws Exception {
    Path p = dir.resolve("store");

    assertThatThrownBy(() -> StoreFile.create(p, 1L << 50)).isInstanceOf(IOException.class);

    assertThat(Files.exists(p)).as("the file of a store that failed to map").isFalse();
  }

  @Test
  void create_fileThatExists_failsAndLeavesIt() throws Exception {
    Path p = Files.writeString(dir.resolve("store"), "someone else's");

    assertThatThrownBy(() -> StoreFile.create(p, 1 << 20)).isInstanceOf(IOException.class);

    assertThat(Files.readString(p)).isEqualTo("someone else's");
  }

  @Test
  void create_fileIsReadableAndWritableByItsOwnerOnly() throws Exception {
    Path p = dir.resolve("store");
    try (StoreFile a = StoreFile.create(p, 1 << 20)) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
          .as("objects in the store are this user's: no other user may map the file")
          .isEqualTo("rw-------");
    }
  }

  @Test
  void spill_folderAndFilesAreTheOwnersOnly() throws Exception {
    Path spillDir = dir.resolve("session").resolve("spill");
    try (SpillFiles spill = new SpillFiles(spillDir)) {
      spill.spill(MemorySegment.ofArray(new byte[] {1, 2, 3}));
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(spillDir)))
          .isEqualTo("rwx------");
      List<Path> files;
      try (Stream<Path> s = Files.list(spillDir)) {
        files = s.toList();
      }
      assertThat(files).hasSize(1);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.get(0))))
          .as("spilled objects are this user's, as in the store")
          .isEqualTo("rw-------");
    }
  }

  @Test
  void rawLayout_roundTripsEveryElementType() throws Exception {
    try (StoreFile f = StoreFile.create(dir.resolve("s"), 1 << 16)) {
      Object[] values = {
        new byte[] {1, 2},
        new short[] {3},
        new char[] {'x'},
        new int[] {4, 5},
        new long[] {6},
        new float[] {7f},
        new double[] {8d},
        ByteBuffer.wrap(new byte[] {9, 10})
      };
      long off = 0;
      for (Object v : values) {
        MemorySegment block = f.slice(off, ObjectLayout.HEADER + ObjectLayout.rawSize(v));
        ObjectLayout.writeHeader(
            block, ObjectLayout.RAW, ObjectLayout.rawElement(v), ObjectLayout.rawSize(v));
        ObjectLayout.writeRaw(block, v);
        Object back = ObjectLayout.readRaw(block);
        if (v instanceof ByteBuffer bb) {
          assertThat(((ByteBuffer) back).array()).containsExactly(bb.array());
        } else {
          assertThat(back).isEqualTo(v);
        }
        off += 1024;
      }
    }
  }
}
