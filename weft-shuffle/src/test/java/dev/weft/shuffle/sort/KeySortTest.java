package dev.weft.shuffle.sort;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeySortTest {
  /** n random records; {@code shared} leading key bytes fixed, {@code distinct} keys at most. */
  private static byte[] records(int n, int shared, int distinct, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    byte[][] keys = new byte[Math.max(1, distinct)][Records.KEY];
    for (byte[] k : keys) {
      for (int i = 0; i < Records.KEY; i++) {
        k[i] = i < shared ? (byte) 0xA5 : (byte) rnd.nextInt(256);
      }
    }
    byte[] out = new byte[n * Records.RECORD];
    for (int r = 0; r < n; r++) {
      byte[] k = distinct > 0 ? keys[rnd.nextInt(keys.length)] : null;
      for (int i = 0; i < Records.RECORD; i++) {
        out[r * Records.RECORD + i] =
            i < Records.KEY
                ? (k != null ? k[i] : i < shared ? (byte) 0xA5 : (byte) rnd.nextInt(256))
                : (byte) rnd.nextInt(256);
      }
    }
    return out;
  }

  private static List<byte[]> split(byte[] data) {
    List<byte[]> recs = new ArrayList<>();
    for (int o = 0; o < data.length; o += Records.RECORD) {
      recs.add(Arrays.copyOfRange(data, o, o + Records.RECORD));
    }
    return recs;
  }

  private static final Comparator<byte[]> BY_KEY =
      (a, b) -> Arrays.compareUnsigned(a, 0, Records.KEY, b, 0, Records.KEY);

  private static void assertSortedPermutation(byte[] in, byte[] out) {
    List<byte[]> a = split(in);
    List<byte[]> b = split(out);
    for (int i = 1; i < b.size(); i++) {
      assertThat(BY_KEY.compare(b.get(i - 1), b.get(i)))
          .as("record %d in order", i)
          .isLessThanOrEqualTo(0);
    }
    Comparator<byte[]> full = (x, y) -> Arrays.compareUnsigned(x, y);
    a.sort(full);
    b.sort(full);
    assertThat(b).as("same records").hasSameSizeAs(a);
    for (int i = 0; i < a.size(); i++) {
      assertThat(b.get(i)).isEqualTo(a.get(i));
    }
  }

  private static byte[] sortBlock(byte[] in) {
    byte[] out = new byte[in.length];
    KeySort.sortAndCopy(
        MemorySegment.ofArray(in),
        0,
        in.length / Records.RECORD,
        MemorySegment.ofArray(out),
        0,
        new KeySort.Scratch());
    return out;
  }

  @Test
  void shouldSortRandomSkewedAndDuplicateKeys() {
    for (int[] c :
        new int[][] {
          {20_000, 0, 0},
          {20_000, 6, 0},
          {20_000, 7, 0}, // a window across bytes 0-7 and 8-9
          {20_000, 8, 0}, // a window from bit 64 exactly
          {20_000, 9, 0},
          {20_000, 0, 16},
          {5_000, 10, 0},
          {1, 0, 0},
          {0, 0, 0}
        }) {
      byte[] in = records(c[0], c[1], c[2], 42 + c[1]);
      assertSortedPermutation(in, sortBlock(in));
    }
  }

  @Test
  void anUncheckedView_seesTheSameBytes_checksBounds_andLeavesHeapSegmentsAsTheyAre() {
    try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
      MemorySegment s = arena.allocate(300);
      s.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 299, (byte) 7);
      MemorySegment v = KeySort.unchecked(s);
      assertThat(v.address()).isEqualTo(s.address());
      assertThat(v.byteSize()).isEqualTo(300);
      assertThat(v.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 299)).isEqualTo((byte) 7);
      assertThat(v.scope()).isNotEqualTo(s.scope()); // usable from any thread: no owner to check
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> v.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 300))
          .isInstanceOf(IndexOutOfBoundsException.class);
    }
    MemorySegment heap = MemorySegment.ofArray(new byte[10]);
    assertThat(KeySort.unchecked(heap)).isSameAs(heap);
  }

  @Test
  void theRadixSort_ordersAsArraysSortDoes_forRandomSharedAndEqualWindows() {
    SplittableRandom rnd = new SplittableRandom(7);
    for (int n : new int[] {KeySort.RADIX_MIN, 50_000}) {
      int low = 64 - Long.numberOfLeadingZeros(n - 1);
      int width = 63 - low;
      for (int kind = 0; kind < 4; kind++) {
        long[] a = new long[n];
        for (int j = 0; j < n; j++) {
          long w =
              switch (kind) {
                case 0 -> rnd.nextLong() >>> (64 - width); // random windows
                case 1 -> (0x5A5L << (width - 12)) | rnd.nextInt(1 << 12); // top digits shared
                case 2 -> rnd.nextInt(3); // three windows, many ties
                default -> 42; // all equal
              };
          a[j] = (w << low) | j;
        }
        long[] expected = a.clone();
        Arrays.sort(expected);
        KeySort.radixSort(a, new long[n], n, low, width);
        assertThat(a).as("n %d, kind %d", n, kind).isEqualTo(expected);
      }
    }
  }

  @Test
  void shouldMergeSortedBlocksOfAnySize() throws Exception {
    List<MemorySegment> blocks = new ArrayList<>();
    ByteArrayBuilder all = new ByteArrayBuilder();
    for (int b = 0; b < 7; b++) {
      byte[] in = records(b * 1500, b % 2 == 0 ? 0 : 7, b == 3 ? 4 : 0, b);
      all.add(in);
      blocks.add(MemorySegment.ofArray(sortBlock(in)));
    }
    byte[] out = new byte[all.size()];
    MemorySegment dst = MemorySegment.ofArray(out);
    long[] at = {0};
    KeySort.merge(
        blocks,
        (from, off, bytes) -> {
          MemorySegment.copy(from, off, dst, at[0], bytes);
          at[0] += bytes;
        });
    assertThat(at[0]).isEqualTo(out.length);
    assertSortedPermutation(all.toArray(), out);
  }

  @TempDir Path tmp;

  @Test
  void sortIntoAWriter_ordersTheRecordsOfBlocksSortedOrNot_acrossItsBuffers_reusingOneScratch()
      throws Exception {
    KeySort.Scratch scratch = new KeySort.Scratch();
    // the second and third calls are smaller than the first: stale scratch contents must not leak
    for (int round = 0; round < 3; round++) {
      ByteArrayBuilder all = new ByteArrayBuilder();
      int k = round == 0 ? 9 : 4 - round;
      for (int b = 0; b < k; b++) {
        byte[] in =
            records((3 - round) * b * 700, b % 2 == 0 ? 0 : 8, b == 2 ? 3 : 0, 10 * round + b);
        // sorted blocks (as maps send them) and unsorted ones alike, side by side
        all.add(b % 3 == 0 ? in : sortBlock(in));
      }
      byte[] data = all.toArray();
      Path file = tmp.resolve("sorted-" + round);
      try (Arena a = Arena.ofConfined();
          // 8 KiB buffers: records straddle two buffers now and then (8192 is no multiple of 100)
          DirectIo.Writer w = DirectIo.create(file, 8192)) {
        MemorySegment src = a.allocate(Math.max(1, data.length));
        MemorySegment.copy(MemorySegment.ofArray(data), 0, src, 0, data.length);
        KeySort.sortInto(KeySort.unchecked(src), data.length / Records.RECORD, w, scratch);
        w.finish();
      }
      byte[] out = Files.readAllBytes(file);
      assertThat(out.length).as("round %d: every byte written", round).isEqualTo(data.length);
      assertSortedPermutation(data, out);
    }
  }

  @Test
  void sortAndCopyOfARange_sortsThoseRecordsOnly_intoAnotherPlace() {
    byte[] in = records(6_000, 2, 0, 77);
    KeySort.Scratch scratch = new KeySort.Scratch();
    byte[] out = new byte[3_000 * Records.RECORD];
    // input records 3000..4999, written from record 500 of out
    KeySort.sortAndCopy(
        MemorySegment.ofArray(in),
        3_000L * Records.RECORD,
        2_000,
        MemorySegment.ofArray(out),
        500L * Records.RECORD,
        scratch);
    byte[] expectedIn = Arrays.copyOfRange(in, 3_000 * Records.RECORD, 5_000 * Records.RECORD);
    assertSortedPermutation(
        expectedIn, Arrays.copyOfRange(out, 500 * Records.RECORD, 2_500 * Records.RECORD));
    assertThat(Arrays.copyOfRange(out, 0, 500 * Records.RECORD))
        .as("nothing written before")
        .containsOnly((byte) 0);
  }

  @Test
  void partitionsShouldFollowTheSampledBoundaries() {
    SortFunctions.Mapper m = new SortFunctions.Mapper(new long[] {10, 20, 20}, new int[] {5, 0, 0});
    int[] first = m.prefixTable();
    assertThat(m.partition(first, 10, 4)).isZero();
    assertThat(m.partition(first, 10, 5)).isEqualTo(1);
    assertThat(m.partition(first, 19, 65535)).isEqualTo(1);
    assertThat(m.partition(first, 20, 0)).isEqualTo(3);
    assertThat(m.partition(first, -1L, 0)).as("unsigned: 0xFF.. is the largest").isEqualTo(3);
  }

  @Test
  void thePrefixTableShouldAgreeWithTheBinarySearch() {
    SplittableRandom rnd = new SplittableRandom(3);
    for (int r : new int[] {1, 2, 7, 100, 5000}) {
      long[] bh = new long[r - 1];
      int[] bl = new int[r - 1];
      for (int b = 0; b < r - 1; b++) {
        // clustered boundaries too: many share their first 2 bytes
        bh[b] = b % 3 == 0 ? (0x1234L << 48) | rnd.nextLong(1L << 48) : rnd.nextLong();
        bl[b] = rnd.nextInt(65536);
      }
      long[] hi = bh.clone();
      int[] lo = bl.clone();
      int[] idx = new int[r - 1];
      KeySort.sort(idx, hi, lo, r - 1);
      SortFunctions.Mapper m = new SortFunctions.Mapper(hi, lo);
      int[] first = m.prefixTable();
      for (int i = 0; i < 20_000; i++) {
        long h = i % 2 == 0 ? rnd.nextLong() : (0x1234L << 48) | rnd.nextLong(1L << 48);
        int l = rnd.nextInt(65536);
        if (i % 7 == 0 && r > 1) {
          h = hi[i % (r - 1)];
          l = lo[i % (r - 1)];
        }
        assertThat(m.partition(first, h, l)).isEqualTo(binarySearch(hi, lo, h, l));
      }
    }
  }

  /** The oracle: how many boundaries are at or below the key, by binary search. */
  private static int binarySearch(long[] bh, int[] bl, long hi, int lo) {
    int a = 0;
    int b = bh.length;
    while (a < b) {
      int m = (a + b) >>> 1;
      if (KeySort.compare(bh[m], bl[m], hi, lo) <= 0) {
        a = m + 1;
      } else {
        b = m;
      }
    }
    return a;
  }

  private static final class ByteArrayBuilder {
    private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

    void add(byte[] b) {
      out.writeBytes(b);
    }

    int size() {
      return out.size();
    }

    byte[] toArray() {
      return out.toByteArray();
    }
  }
}
