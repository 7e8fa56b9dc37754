package dev.weft.shuffle.sort;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * Sorting and merging of gensort records by their 10-byte key, read as an unsigned 80-bit number:
 * {@code hi} (bytes 0-7, big-endian) then {@code lo} (bytes 8-9).
 *
 * <p>Implementation notes. A block is sorted without comparators or boxing: each record becomes one
 * {@code long}, a window of its key's bits above its index in the block, sorted with {@link
 * Arrays#sort(long[])}. The window starts after the bits every key of the block shares (range
 * partitioning makes the leading bits alike; skewed data shares whole bytes), so random keys are
 * told apart by the window alone. Records whose windows tie are sorted again on the key's next
 * bits, recursively, so the result is exact for any data (duplicates included: once the window has
 * covered all 80 bits, equal windows are equal keys).
 */
public final class KeySort {
  private KeySort() {}

  static final ValueLayout.OfLong BE_LONG =
      ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  static final ValueLayout.OfShort BE_SHORT =
      ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

  private static final int KEY_BITS = 80;

  /**
   * A view of {@code s} without its scope's checks, for the sort's hot loops; the caller keeps
   * {@code s}'s memory alive while it uses the view (the view does not), and bounds are still
   * checked. A heap segment is returned as it is.
   *
   * <p>Why: every access through a segment of a confined or shared arena checks that the arena is
   * open (and, if confined, that this is its thread). C2 hoists those checks out of a loop on a
   * guess from the profile; in the map's and reduce's loops the guess failed once per task, and
   * each failure sent the rest of the loop back to the interpreter and the method to be compiled
   * again. A worker gives up such a guess only after several failures: a map of 128 MB took
   * 0.36-0.40 s of CPU for its first ~24 runs and 0.20 s after, against 0.20 s from its second run
   * with views of the global scope, whose checks never fail (one JVM, page cache warm, {@code
   * -XX:+PrintCompilation} showing the traps).
   */
  static MemorySegment unchecked(MemorySegment s) {
    return s.isNative() ? MemorySegment.ofAddress(s.address()).reinterpret(s.byteSize()) : s;
  }

  /** Bytes 0-7 of the key of the record at {@code offset}. */
  public static long hi(MemorySegment s, long offset) {
    return s.get(BE_LONG, offset);
  }

  /** Bytes 8-9 of the key of the record at {@code offset}, as 0..65535. */
  public static int lo(MemorySegment s, long offset) {
    return s.get(BE_SHORT, offset + 8) & 0xFFFF;
  }

  /** Compares two keys given as (hi, lo) pairs, unsigned. */
  public static int compare(long hiA, int loA, long hiB, int loB) {
    int c = Long.compareUnsigned(hiA, hiB);
    return c != 0 ? c : Integer.compare(loA, loB);
  }

  /**
   * Sorts the records {@code idx[0..n)} (record numbers in {@code src}) by key, in place; {@code
   * hi}/{@code lo} hold the key of record {@code idx[j]} at position {@code j}.
   */
  static void sort(int[] idx, long[] hi, int[] lo, int n) {
    sort(idx, hi, lo, n, new Scratch());
  }

  private static void sort(int[] idx, long[] hi, int[] lo, int n, Scratch s) {
    if (n < 2) {
      return;
    }
    s.ensureSort(n);
    sortRange(idx, hi, lo, 0, n, commonBits(hi, lo, 0, n, 0), s.packed, s.tmpIdx, s.tmpHi, s.tmpLo);
  }

  /**
   * Working arrays of {@link #sortAndCopy}, grown as needed and kept by the caller between calls: a
   * map sorts one block per partition, and arrays allocated afresh for each block keep the
   * collector busy and, while the heap grows, touch new memory (a costly page fault per 4 KiB on a
   * virtual machine with shadow page tables). Not thread-safe: one per thread.
   */
  static final class Scratch {
    int[] idx = new int[0];
    long[] hi = new long[0];
    int[] lo = new int[0];
    long[] packed = new long[0];
    int[] tmpIdx = new int[0];
    long[] tmpHi = new long[0];
    int[] tmpLo = new int[0];

    void ensureKeys(int n) {
      if (idx.length < n) {
        int size = roomFor(n);
        idx = new int[size];
        hi = new long[size];
        lo = new int[size];
      }
    }

    void ensureSort(int n) {
      if (packed.length < n) {
        int size = roomFor(n);
        packed = new long[size];
        tmpIdx = new int[size];
        tmpHi = new long[size];
        tmpLo = new int[size];
      }
    }

    /**
     * The length to grow an array to for {@code n} records: 1/8 more, as a sort's blocks differ a
     * little in size (grown to the exact size, a 10 GB sort's reduces, ~1.33 M records each,
     * reallocated their ~60 MB of arrays several times each, and kept G1's concurrent marking
     * busy).
     */
    private static int roomFor(int n) {
      return (int) Math.min(Integer.MAX_VALUE - 8, n + (long) n / 8);
    }
  }

  /** How many leading key bits the records of [from, to) all share, at least {@code known}. */
  private static int commonBits(long[] hi, int[] lo, int from, int to, int known) {
    long dh = 0;
    int dl = 0;
    for (int j = from + 1; j < to; j++) {
      dh |= hi[j] ^ hi[from];
      dl |= lo[j] ^ lo[from];
    }
    int c =
        dh != 0
            ? Long.numberOfLeadingZeros(dh)
            : 64 + (dl == 0 ? 16 : Integer.numberOfLeadingZeros(dl) - 16);
    return Math.max(c, known);
  }

  /** Fewer records than this are sorted by {@link Arrays#sort(long[])}, more by radix. */
  static final int RADIX_MIN = 4096;

  private static final int DIGIT_BITS = 12;

  /**
   * Sorts {@code a[0..n)}, whose values are a window of {@code width} bits above {@code low} bits
   * that number them in ascending order, with a least-significant-digit radix sort of the window in
   * {@link #DIGIT_BITS}-bit digits ({@code tmp} as large as {@code n} holds the other copy). A
   * stable sort of the windows leaves ties in their numbers' order, so the result is the same as
   * sorting the whole values. Digits that every value shares are skipped.
   *
   * <p>Why: with 4 passes of 4096 counters (which stay in the CPU's first cache) it took 1-1.7 ms
   * for the ~80 k records of a map's block, against 4.7-5 ms for {@code Arrays.sort} (no vector
   * sort for {@code long} on AVX2 machines), and 31-32 ms against 34-35 ms for 1.33 M records in 20
   * sorted runs (a reduce's), which {@code Arrays.sort} merges.
   */
  static void radixSort(long[] a, long[] tmp, int n, int low, int width) {
    int[] count = new int[1 << DIGIT_BITS];
    int mask = (1 << DIGIT_BITS) - 1;
    long[] from = a;
    long[] to = tmp;
    for (int shift = low; shift < low + width; shift += DIGIT_BITS) {
      Arrays.fill(count, 0);
      for (int i = 0; i < n; i++) {
        count[(int) (from[i] >>> shift) & mask]++;
      }
      int sum = 0;
      boolean shared = false;
      for (int d = 0; d <= mask; d++) {
        int c = count[d];
        shared |= c == n;
        count[d] = sum;
        sum += c;
      }
      if (shared) {
        continue; // one digit for all: this pass would leave them as they are
      }
      for (int i = 0; i < n; i++) {
        long v = from[i];
        to[count[(int) (v >>> shift) & mask]++] = v;
      }
      long[] t = from;
      from = to;
      to = t;
    }
    if (from != a) {
      System.arraycopy(from, 0, a, 0, n);
    }
  }

  private static void sortRange(
      int[] idx,
      long[] hi,
      int[] lo,
      int from,
      int to,
      int common,
      long[] packed,
      int[] tmpIdx,
      long[] tmpHi,
      int[] tmpLo) {
    int n = to - from;
    if (common >= KEY_BITS || n < 2) {
      return; // every key equal: any order is sorted
    }
    int idxBits = Math.max(1, 64 - Long.numberOfLeadingZeros(n - 1));
    int width = Math.min(63 - idxBits, KEY_BITS - common);
    // each record's window: `width` key bits from bit `common` (0 = the top bit of byte 0), above
    // its place j. Two loops, chosen here, so that neither branches on `common` per record (C2
    // guessed the branch from the profile and each deeper recursion broke the guess)
    int drop = 64 - width;
    if (common < 64) {
      int down = 63 - common; // (bottom >>> 1) >>> down is bottom >>> (64 - common), 0 for common 0
      for (int j = 0; j < n; j++) {
        long bottom = ((long) lo[from + j]) << 48;
        long t = (hi[from + j] << common) | ((bottom >>> 1) >>> down);
        packed[j] = ((t >>> drop) << idxBits) | j;
      }
    } else {
      int up = common - 64;
      for (int j = 0; j < n; j++) {
        long t = (((long) lo[from + j]) << 48) << up;
        packed[j] = ((t >>> drop) << idxBits) | j;
      }
    }
    if (n >= RADIX_MIN) {
      radixSort(packed, tmpHi, n, idxBits, width); // tmpHi is free until the loop below
    } else {
      Arrays.sort(packed, 0, n);
    }
    long mask = (1L << idxBits) - 1;
    for (int j = 0; j < n; j++) {
      int k = from + (int) (packed[j] & mask);
      tmpIdx[j] = idx[k];
      tmpHi[j] = hi[k];
      tmpLo[j] = lo[k];
    }
    System.arraycopy(tmpIdx, 0, idx, from, n);
    System.arraycopy(tmpHi, 0, hi, from, n);
    System.arraycopy(tmpLo, 0, lo, from, n);
    int next = common + width;
    if (next >= KEY_BITS) {
      return; // the window covered the rest of the key: ties are equal keys
    }
    // ties on the window (rare for random keys): sort each run on the following bits
    int j = 1;
    while (j < n) {
      if ((packed[j] ^ packed[j - 1]) >>> idxBits != 0) {
        j++;
        continue;
      }
      int runStart = j - 1;
      long runKey = packed[j] >>> idxBits;
      while (j < n && packed[j] >>> idxBits == runKey) {
        j++;
      }
      int f = from + runStart;
      int t = from + j;
      sortRange(idx, hi, lo, f, t, commonBits(hi, lo, f, t, next), packed, tmpIdx, tmpHi, tmpLo);
    }
  }

  /**
   * Sorts the {@code n} records that lie side by side in {@code src} from {@code srcOffset}, and
   * writes them in key order into {@code dst} from {@code dstOffset} (another place than theirs),
   * with the working arrays of {@code s}. Each loop is a method of its own: called ~16 times a map,
   * this method seldom reaches a normal compile, and C2 then compiles it once per hot loop, on the
   * loop's entry (OSR), inlining all the rest each time (7-8 compiles of it a worker, 0.5-0.7 s).
   */
  static void sortAndCopy(
      MemorySegment src, long srcOffset, int n, MemorySegment dst, long dstOffset, Scratch s) {
    s.ensureKeys(n);
    readKeys(src, srcOffset, n, s.idx, s.hi, s.lo);
    sort(s.idx, s.hi, s.lo, n, s);
    copyInOrder(src, srcOffset, s.idx, 0, n, dst, dstOffset);
  }

  /**
   * Sorts the {@code n} records that lie side by side from the start of {@code src} (a view without
   * scope checks) and appends them to {@code out} in key order, with the working arrays of {@code
   * s}: records are copied straight into the writer's buffer in one loop, where a sink called per
   * run of records side by side (about one record long once blocks are merged) cost ~110 ns a
   * record in a 10 GB sort's reduces.
   */
  static void sortInto(MemorySegment src, int n, DirectIo.Writer out, Scratch s)
      throws java.io.IOException {
    s.ensureKeys(n);
    readKeys(src, 0, n, s.idx, s.hi, s.lo);
    sort(s.idx, s.hi, s.lo, n, s);
    out.appendInOrder(src, s.idx, n);
  }

  /** The keys of n side-by-side records from {@code offset}, each numbered by its place. */
  private static void readKeys(
      MemorySegment src, long offset, int n, int[] idx, long[] hi, int[] lo) {
    for (int j = 0; j < n; j++) {
      long off = offset + (long) j * Records.RECORD;
      idx[j] = j;
      hi[j] = hi(src, off);
      lo[j] = lo(src, off);
    }
  }

  /**
   * Copies record {@code idx[from + j]} of those from {@code srcOffset} to place j from dstOffset,
   * for j below {@code n}.
   */
  static void copyInOrder(
      MemorySegment src,
      long srcOffset,
      int[] idx,
      int from,
      int n,
      MemorySegment dst,
      long dstOffset) {
    for (int j = 0; j < n; j++) {
      MemorySegment.copy(
          src,
          srcOffset + (long) idx[from + j] * Records.RECORD,
          dst,
          dstOffset + (long) j * Records.RECORD,
          Records.RECORD);
    }
  }

  /** Writes sorted records somewhere, in order; {@link #merge} calls it once per record run. */
  interface Sink {
    void write(MemorySegment from, long offset, long bytes) throws java.io.IOException;
  }

  /**
   * Merges sorted blocks of records into {@code sink}, in key order (a k-way merge with a binary
   * heap of the blocks' current keys). Consecutive records from one block go out as one run.
   */
  static void merge(List<MemorySegment> blocks, Sink sink) throws java.io.IOException {
    List<Run> runs = new java.util.ArrayList<>(blocks.size());
    for (MemorySegment b : blocks) {
      runs.add(
          new Run() {
            private boolean given;

            @Override
            public MemorySegment next() {
              if (given) {
                return null;
              }
              given = true;
              return b;
            }
          });
    }
    mergeRuns(runs, sink);
  }

  /**
   * A sorted run of records read one window at a time (e.g. a compressed block, frame by frame).
   */
  interface Run {
    /**
     * The run's next records (whole records, none ordered before those of earlier windows), valid
     * until the next call; null at the run's end.
     */
    MemorySegment next();
  }

  /**
   * Merges sorted runs into {@code sink}, in key order, as {@link #merge} does blocks; a run's
   * window goes to the sink before the run is asked for its next. Records with equal keys go out in
   * the order of their runs.
   */
  static void mergeRuns(List<Run> runs, Sink sink) throws java.io.IOException {
    int k = runs.size();
    MemorySegment[] win = new MemorySegment[k];
    long[] pos = new long[k];
    long[] end = new long[k];
    long[] kh = new long[k];
    int[] kl = new int[k];
    int[] heap = new int[k];
    int size = 0;
    for (int b = 0; b < k; b++) {
      if (advance(runs.get(b), b, win, pos, end, kh, kl)) {
        heap[size++] = b;
        siftUp(heap, size - 1, kh, kl);
      }
    }
    while (size > 0) {
      int b = heap[0];
      MemorySegment seg = win[b];
      long start = pos[b];
      // the runner-up's key: this run may go on while its next key is no greater
      long rh = 0;
      int rl = 0;
      boolean runnerUp = size > 1;
      if (runnerUp) {
        int r = size > 2 && less(heap[2], heap[1], kh, kl) ? heap[2] : heap[1];
        rh = kh[r];
        rl = kl[r];
      }
      long p = start + Records.RECORD;
      while (p < end[b]) {
        long h = hi(seg, p);
        int l = lo(seg, p);
        if (runnerUp && compare(h, l, rh, rl) > 0) {
          kh[b] = h;
          kl[b] = l;
          break;
        }
        p += Records.RECORD;
      }
      sink.write(seg, start, p - start);
      pos[b] = p;
      if (p >= end[b] && !advance(runs.get(b), b, win, pos, end, kh, kl)) {
        heap[0] = heap[--size];
      }
      if (size > 0) {
        siftDown(heap, 0, size, kh, kl);
      }
    }
  }

  /** Moves run {@code b} on to its next window that holds a record; false at the run's end. */
  private static boolean advance(
      Run r, int b, MemorySegment[] win, long[] pos, long[] end, long[] kh, int[] kl) {
    for (MemorySegment w = r.next(); w != null; w = r.next()) {
      long n = w.byteSize() / Records.RECORD * Records.RECORD;
      if (n > 0) {
        win[b] = w;
        pos[b] = 0;
        end[b] = n;
        kh[b] = hi(w, 0);
        kl[b] = lo(w, 0);
        return true;
      }
    }
    return false;
  }

  private static boolean less(int a, int b, long[] kh, int[] kl) {
    int c = compare(kh[a], kl[a], kh[b], kl[b]);
    return c < 0 || (c == 0 && a < b);
  }

  private static void siftUp(int[] heap, int i, long[] kh, int[] kl) {
    int x = heap[i];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!less(x, heap[parent], kh, kl)) {
        break;
      }
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = x;
  }

  private static void siftDown(int[] heap, int i, int size, long[] kh, int[] kl) {
    int x = heap[i];
    while (true) {
      int c = 2 * i + 1;
      if (c >= size) {
        break;
      }
      if (c + 1 < size && less(heap[c + 1], heap[c], kh, kl)) {
        c++;
      }
      if (!less(heap[c], x, kh, kl)) {
        break;
      }
      heap[i] = heap[c];
      i = c;
    }
    heap[i] = x;
  }
}
