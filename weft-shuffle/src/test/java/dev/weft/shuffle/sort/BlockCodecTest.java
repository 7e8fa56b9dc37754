package dev.weft.shuffle.sort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockCodecTest {
  @TempDir Path tmp;

  /** {@code n} gensort-format records (compressible payloads), from our generator. */
  private byte[] gensort(int n, long seed, GenSort.Keys keys) throws IOException {
    Path dir = tmp.resolve("gen-" + n + "-" + seed + "-" + keys);
    GenSort.generate(dir, n, 1, seed, keys, false);
    try (var files = Files.list(dir)) {
      return Files.readAllBytes(files.findFirst().orElseThrow());
    }
  }

  private static byte[] random(int bytes, long seed) {
    byte[] b = new byte[bytes];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < bytes; i++) {
      b[i] = (byte) r.nextInt(256);
    }
    return b;
  }

  /** {@code raw} encoded into native memory, then decoded whole and frame by frame. */
  private static byte[] roundTrip(byte[] raw, boolean nativeMemory, int[] encodedLength) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment src =
          nativeMemory
              ? a.allocate(Math.max(1, raw.length)).copyFrom(MemorySegment.ofArray(raw))
              : MemorySegment.ofArray(raw);
      long room = BlockCodec.maxEncoded(raw.length) + BlockCodec.WORK_ROOM + 3;
      MemorySegment dst =
          nativeMemory ? a.allocate(room) : MemorySegment.ofArray(new byte[(int) room]);
      long len = BlockCodec.encode(src, 0, raw.length, dst, 3); // any offset
      encodedLength[0] = (int) len;
      assertThat(len).isLessThanOrEqualTo(BlockCodec.maxEncoded(raw.length));
      MemorySegment block = dst.asSlice(3, len);
      assertThat(BlockCodec.rawSize(block, "test block")).isEqualTo(raw.length);
      byte[] whole = new byte[raw.length + 5];
      assertThat(BlockCodec.decode(block, MemorySegment.ofArray(whole), 5, "test block"))
          .isEqualTo(raw.length);
      assertThat(Arrays.copyOfRange(whole, 5, whole.length)).isEqualTo(raw);
      // streamed: the frames, each at most FRAME, give the same bytes in order
      BlockCodec.Frames f = new BlockCodec.Frames(block, a.allocate(BlockCodec.FRAME), "test");
      ByteBuffer streamed = ByteBuffer.allocate(raw.length);
      for (MemorySegment w = f.next(); w != null; w = f.next()) {
        assertThat(w.byteSize()).isBetween(1L, (long) BlockCodec.FRAME);
        streamed.put(w.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
      }
      assertThat(streamed.array()).isEqualTo(raw);
      return Arrays.copyOfRange(whole, 5, whole.length);
    }
  }

  @Test
  void gensortRecords_shrinkToWellUnderHalf_andComeBackTheSame_atEverySize() throws IOException {
    byte[] data = gensort(35_000, 3, GenSort.Keys.UNIFORM); // 3.5 frames
    int[] len = new int[1];
    for (int records : new int[] {0, 1, 9_999, 10_000, 10_001, 35_000}) {
      byte[] raw = Arrays.copyOf(data, records * Records.RECORD);
      for (boolean nativeMemory : new boolean[] {true, false}) {
        roundTrip(raw, nativeMemory, len);
        if (records == 0) {
          assertThat(len[0]).as("an empty block has no frame").isZero();
        }
      }
    }
    roundTrip(data, true, len);
    assertThat((double) len[0] / data.length).as("compressed share").isLessThan(0.5);
  }

  @Test
  void incompressibleBytes_areStoredAsTheyAre_withAnEightByteHeaderAFrame() {
    byte[] raw = random(2 * BlockCodec.FRAME + 700, 9);
    int[] len = new int[1];
    roundTrip(raw, true, len);
    assertThat(len[0]).isEqualTo(raw.length + 3 * BlockCodec.HEADER);
  }

  @Test
  void aDamagedBlock_isRefusedClearly_neverDecodedIntoWrongRecords() throws IOException {
    byte[] raw = gensort(12_000, 5, GenSort.Keys.UNIFORM);
    byte[] enc = new byte[(int) (BlockCodec.maxEncoded(raw.length) + BlockCodec.WORK_ROOM)];
    int len =
        (int)
            BlockCodec.encode(
                MemorySegment.ofArray(raw), 0, raw.length, MemorySegment.ofArray(enc), 0);
    byte[] out = new byte[raw.length];
    // cut short inside the second frame's header, then inside its data
    for (int cut : new int[] {len - 1, len - 200}) {
      MemorySegment b = MemorySegment.ofArray(Arrays.copyOf(enc, cut));
      assertThatThrownBy(() -> BlockCodec.rawSize(b, "a block of partition 7"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("a block of partition 7")
          .hasMessageContaining("not a whole compressed sort block");
    }
    // a header claiming more than a frame
    byte[] badHeader = enc.clone();
    MemorySegment.ofArray(badHeader)
        .set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, 0, BlockCodec.FRAME + 1);
    assertThatThrownBy(
            () ->
                BlockCodec.decode(
                    MemorySegment.ofArray(badHeader), MemorySegment.ofArray(out), 0, "x"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("claims " + (BlockCodec.FRAME + 1) + " raw bytes");
    // garbage where the first frame's LZ4 data was (its header intact)
    byte[] garbage = enc.clone();
    byte[] noise = random(400, 11);
    System.arraycopy(noise, 0, garbage, BlockCodec.HEADER, noise.length);
    assertThatThrownBy(
            () ->
                BlockCodec.decode(
                    MemorySegment.ofArray(garbage), MemorySegment.ofArray(out), 0, "x"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("LZ4 data");
    // ordinary records handed to a reduce that expects compressed blocks
    assertThatThrownBy(() -> BlockCodec.rawSize(MemorySegment.ofArray(raw), "y"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not a whole compressed sort block");
  }

  @Test
  void mergingRunsThroughWindows_givesWhatMergingWholeBlocksGives_tiesInRunOrder()
      throws IOException {
    SplittableRandom r = new SplittableRandom(4);
    List<MemorySegment> blocks = new ArrayList<>();
    List<KeySort.Run> runs = new ArrayList<>();
    for (int b = 0; b < 6; b++) {
      byte[] data = gensort(b == 3 ? 0 : 500 + r.nextInt(3000), 20 + b, GenSort.Keys.DUPLICATES);
      MemorySegment block = MemorySegment.ofArray(sorted(data));
      blocks.add(block);
      // windows of 1 to 97 records, some empty
      List<MemorySegment> windows = new ArrayList<>();
      long at = 0;
      while (at < block.byteSize()) {
        long n = Math.min(block.byteSize() - at, (long) r.nextInt(98) * Records.RECORD);
        windows.add(block.asSlice(at, n));
        at += n;
      }
      var it = windows.iterator();
      runs.add(() -> it.hasNext() ? it.next() : null);
    }
    assertThat(collect(s -> KeySort.mergeRuns(runs, s)))
        .isEqualTo(collect(s -> KeySort.merge(blocks, s)));
  }

  private interface Merge {
    void into(KeySort.Sink s) throws IOException;
  }

  private static byte[] collect(Merge m) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    m.into(
        (from, offset, bytes) ->
            out.writeBytes(
                from.asSlice(offset, bytes).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)));
    return out.toByteArray();
  }

  /** The records of {@code data} in key order (stable). */
  private static byte[] sorted(byte[] data) {
    List<byte[]> recs = new ArrayList<>();
    for (int o = 0; o < data.length; o += Records.RECORD) {
      recs.add(Arrays.copyOfRange(data, o, o + Records.RECORD));
    }
    recs.sort((x, y) -> Arrays.compareUnsigned(x, 0, Records.KEY, y, 0, Records.KEY));
    ByteBuffer b = ByteBuffer.allocate(data.length);
    recs.forEach(b::put);
    return b.array();
  }

  @Test
  void aCompressedSort_mapsMergesAndReducesToTheSameFiles_asAnUncompressedOne() throws Exception {
    Path in = tmp.resolve("in");
    GenSort.generate(in, 40_000, 2, 8, GenSort.Keys.SKEWED, false);
    List<SortFunctions.FileSplit> splits = new ArrayList<>();
    try (var files = Files.list(in)) {
      for (Path f : files.sorted().toList()) {
        long size = Files.size(f);
        for (long off = 0; off < size; off += 700_000) {
          splits.add(new SortFunctions.FileSplit(f.toString(), off, Math.min(700_000, size - off)));
        }
      }
    }
    int parts = 3;
    SortFunctions.Mapper plain = Boundaries.take(InputFiles.list(in), 2_000).boundaries(parts);
    SortFunctions.Mapper packed = plain.compressed(true);
    assertThat(packed.compress()).isTrue();
    // each partition's blocks, copied out of the maps' scratch
    List<List<ByteBuffer>> rawBlocks = new ArrayList<>();
    List<List<ByteBuffer>> encBlocks = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      rawBlocks.add(new ArrayList<>());
      encBlocks.add(new ArrayList<>());
    }
    long rawBytes = 0;
    long encBytes = 0;
    for (SortFunctions.FileSplit s : splits) {
      List<ByteBuffer> a = plain.map(s, parts);
      for (int p = 0; p < parts; p++) {
        rawBlocks.get(p).add(copy(a.get(p)));
        rawBytes += a.get(p).remaining();
      }
      List<ByteBuffer> b = packed.map(s, parts);
      for (int p = 0; p < parts; p++) {
        encBlocks.get(p).add(copy(b.get(p)));
        encBytes += b.get(p).remaining();
        byte[] decoded = new byte[rawBlocks.get(p).getLast().remaining()];
        BlockCodec.decode(
            MemorySegment.ofBuffer(encBlocks.get(p).getLast()),
            MemorySegment.ofArray(decoded),
            0,
            "map block");
        assertThat(decoded).isEqualTo(toArray(rawBlocks.get(p).getLast()));
      }
    }
    assertThat(encBytes).isLessThan(rawBytes / 2);
    // merged pairwise (as the merge strategy does), compressed and not
    for (int p = 0; p < parts; p++) {
      ByteBuffer m1 = new SortFunctions.Merger().merge(p, rawBlocks.get(p).subList(0, 2));
      ByteBuffer m2 = new SortFunctions.Merger(true).merge(p, encBlocks.get(p).subList(0, 2));
      byte[] decoded = new byte[m1.remaining()];
      assertThat(BlockCodec.rawSize(MemorySegment.ofBuffer(m2), "merged"))
          .isEqualTo(decoded.length);
      BlockCodec.decode(MemorySegment.ofBuffer(m2), MemorySegment.ofArray(decoded), 0, "merged");
      assertThat(decoded).isEqualTo(toArray(m1));
      rawBlocks.get(p).subList(0, 2).clear();
      rawBlocks.get(p).add(0, m1);
      encBlocks.get(p).subList(0, 2).clear();
      encBlocks.get(p).add(0, m2);
    }
    // reduced: sorted whole, and streamed frame by frame (a limit of 0 bytes in memory)
    for (int p = 0; p < parts; p++) {
      Path plainOut = Files.createDirectories(tmp.resolve("plain"));
      Path sortedOut = Files.createDirectories(tmp.resolve("lz4-sorted"));
      Path mergedOut = Files.createDirectories(tmp.resolve("lz4-merged"));
      SortFunctions.Written w =
          new SortFunctions.Reducer(plainOut.toString()).reduce(p, rawBlocks.get(p));
      // the same blocks side by side in one native buffer (sorted in place, not copied first)
      Path adjacentOut = Files.createDirectories(tmp.resolve("adjacent"));
      int sum = rawBlocks.get(p).stream().mapToInt(ByteBuffer::remaining).sum();
      ByteBuffer one = ByteBuffer.allocateDirect(sum);
      List<ByteBuffer> sideBySide = new ArrayList<>();
      for (ByteBuffer b : rawBlocks.get(p)) {
        sideBySide.add(one.slice(one.position(), b.remaining()));
        one.put(b.duplicate());
      }
      SortFunctions.Written w3 =
          new SortFunctions.Reducer(adjacentOut.toString()).reduce(p, sideBySide);
      SortFunctions.Written w1 =
          new SortFunctions.Reducer(sortedOut.toString(), true).reduce(p, encBlocks.get(p));
      SortFunctions.Written w2 =
          new SortFunctions.Reducer(mergedOut.toString(), true, 0).reduce(p, encBlocks.get(p));
      assertThat(w1.bytes()).isEqualTo(w.bytes());
      assertThat(w2.bytes()).isEqualTo(w.bytes());
      byte[] expected = Files.readAllBytes(Path.of(w.file()));
      assertThat(Files.readAllBytes(Path.of(w1.file()))).isEqualTo(expected);
      assertThat(Files.readAllBytes(Path.of(w2.file()))).isEqualTo(expected);
      assertThat(Files.readAllBytes(Path.of(w3.file()))).isEqualTo(expected);
    }
    assertThat(SortCheck.check(in, tmp.resolve("plain")).valid()).isTrue();
  }

  private static ByteBuffer copy(ByteBuffer b) {
    return ByteBuffer.wrap(toArray(b));
  }

  private static byte[] toArray(ByteBuffer b) {
    byte[] a = new byte[b.remaining()];
    b.duplicate().get(a);
    return a;
  }

  @Test
  void autoCompresses_onlyWhereTheDataExceedsHalfTheStores() {
    long gib = 1L << 30;
    assertThat(SortRun.Compression.AUTO.compress(10 * gib, gib)).isTrue();
    assertThat(SortRun.Compression.AUTO.compress(2 * gib, 7 * gib)).isFalse();
    assertThat(SortRun.Compression.AUTO.compress(gib / 2 + 1, gib)).isTrue();
    assertThat(SortRun.Compression.LZ4.compress(1, gib)).isTrue();
    assertThat(SortRun.Compression.NONE.compress(10 * gib, gib)).isFalse();
    assertThat(SortRun.Compression.parse("Lz4")).isEqualTo(SortRun.Compression.LZ4);
    assertThat(SortRun.Compression.parse("zstd")).isNull();
  }
}
