package dev.weft.shuffle.sort;

import dev.weft.shuffle.MapFunction;
import dev.weft.shuffle.MergeFunction;
import dev.weft.shuffle.ReduceFunction;
import dev.weft.shuffle.ScratchPool;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The sort's map, merge and reduce functions for {@link dev.weft.shuffle.Shuffle}: maps range-
 * partition a split of an input file and sort each partition's block; merges and reduces merge
 * sorted blocks; a reduce writes its partition's output file.
 */
final class SortFunctions {
  private SortFunctions() {}

  /** Records {@code [offset, offset + length)} of one input file (bytes; whole records). */
  record FileSplit(String path, long offset, long length) implements Serializable {
    @Override
    public String toString() {
      return path + "@" + offset + "+" + length;
    }
  }

  /** What a reduce wrote: its output file, records and bytes. */
  record Written(String file, long records, long bytes) implements Serializable {}

  /**
   * Map: reads a split into off-heap scratch memory (see {@link #read}), sends each record to the
   * partition whose key range holds it, and returns each partition's records sorted by key.
   *
   * @param boundHi bytes 0-7 of the {@code R - 1} partition boundaries (ascending)
   * @param boundLo bytes 8-9 of the boundaries
   * @param compress whether blocks go out in {@link BlockCodec}'s compressed format
   */
  record Mapper(long[] boundHi, int[] boundLo, boolean compress) implements MapFunction<FileSplit> {
    /** Uncompressed blocks. */
    Mapper(long[] boundHi, int[] boundLo) {
      this(boundHi, boundLo, false);
    }

    /** The same partitioning, blocks compressed or not. */
    Mapper compressed(boolean c) {
      return new Mapper(boundHi, boundLo, c);
    }

    @Override
    public List<ByteBuffer> map(FileSplit split, int numPartitions) throws IOException {
      if (boundHi.length != numPartitions - 1) {
        throw new IllegalStateException(
            boundHi.length + 1 + " key ranges for " + numPartitions + " partitions");
      }
      int n = Math.toIntExact(split.length() / Records.RECORD);
      long bytes = (long) n * Records.RECORD;
      ThreadScratch m =
          ThreadScratch.mine(
              n,
              compress
                  ? BlockCodec.maxEncoded(bytes)
                      + (long) numPartitions * BlockCodec.HEADER
                      + BlockCodec.WORK_ROOM
                  : bytes);
      try (Arena arena = Arena.ofConfined()) {
        // src (no scope checks) does not leave this block, in which m and arena stay alive
        MemorySegment src = n == 0 ? MemorySegment.NULL : read(split, m, arena);
        int[] part = m.part;
        int[] count = new int[numPartitions];
        int[] first = prefixTable();
        for (int i = 0; i < n; i++) {
          long off = (long) i * Records.RECORD;
          int p = partition(first, KeySort.hi(src, off), KeySort.lo(src, off));
          part[i] = p;
          count[p]++;
        }
        int[] start = new int[numPartitions + 1];
        for (int p = 0; p < numPartitions; p++) {
          start[p + 1] = start[p] + count[p];
        }
        // the records, partition by partition (in input order within each) into m.out: reads
        // src once in order, and each partition then sorts from a region of its own (~8 MB at 16
        // partitions), which the CPU's caches hold, instead of from all of src at random
        MemorySegment grouped = KeySort.unchecked(m.out);
        int[] fill = start.clone();
        for (int i = 0; i < n; i++) {
          MemorySegment.copy(
              src,
              (long) i * Records.RECORD,
              grouped,
              (long) fill[part[i]]++ * Records.RECORD,
              Records.RECORD);
        }
        // each partition sorted into m.in (src, which may be m.in, is no longer needed)
        MemorySegment sorted = KeySort.unchecked(m.in);
        List<ByteBuffer> out = new ArrayList<>(numPartitions);
        for (int p = 0; p < numPartitions; p++) {
          int c = count[p];
          long at = (long) start[p] * Records.RECORD;
          if (c > 0) {
            KeySort.sortAndCopy(grouped, at, c, sorted, at, m.sort);
          }
          out.add(m.in.asSlice(at, (long) c * Records.RECORD).asByteBuffer());
        }
        if (compress) {
          // the sorted blocks encoded one after another into m.out (grouped is no longer needed)
          long to = 0;
          for (int p = 0; p < numPartitions; p++) {
            long at = (long) start[p] * Records.RECORD;
            long len = BlockCodec.encode(sorted, at, (long) count[p] * Records.RECORD, grouped, to);
            out.set(p, m.out.asSlice(to, len).asByteBuffer());
            to += len;
          }
        }
        return out;
      } finally {
        Reference.reachabilityFence(m); // its memory backs src (read into m.in) and the views
      }
    }

    /**
     * The bytes of {@code split}: read into {@code m.in} with {@code O_DIRECT} where the file
     * system allows it, else mapped (until {@code arena} closes); either way a view without scope
     * checks.
     *
     * <p>Why not always mapped: the input is read once, so the page cache buys nothing, and on this
     * project's VMs (shadow page tables) faulting the mapping's pages in, 4 KiB at a time, cost
     * more than the disk's DMA into memory that the thread touched before, in huge pages.
     */
    private static MemorySegment read(FileSplit split, ThreadScratch m, Arena arena)
        throws IOException {
      Path file = Path.of(split.path());
      MemorySegment got = DirectIo.read(file, split.offset(), split.length(), m.in);
      if (got != null) {
        return KeySort.unchecked(got);
      }
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
        return KeySort.unchecked(
            ch.map(FileChannel.MapMode.READ_ONLY, split.offset(), split.length(), arena));
      }
    }

    /**
     * For each 2-byte key prefix {@code t}: how many boundaries have a smaller prefix ({@code
     * [t]}), and how many a prefix no greater ({@code [t + 1]}).
     */
    int[] prefixTable() {
      int[] first = new int[(1 << 16) + 1];
      int b = 0;
      for (int t = 0; t <= 1 << 16; t++) {
        while (b < boundHi.length && (boundHi[b] >>> 48) < t) {
          b++;
        }
        first[t] = b;
      }
      return first;
    }

    /**
     * The partition of a key: how many boundaries are at or below it ({@code first} from {@link
     * #prefixTable()}).
     */
    int partition(int[] first, long hi, int lo) {
      int t = (int) (hi >>> 48);
      int p = first[t];
      // only the boundaries that share the key's first 2 bytes need a comparison
      while (p < first[t + 1] && KeySort.compare(boundHi[p], boundLo[p], hi, lo) <= 0) {
        p++;
      }
      return p;
    }
  }

  /**
   * The working memory of a thread's maps and reduces, kept from one task to the next: a map's
   * input and blocks (each as large as the largest split, off the heap, so that the store copies
   * them in with no staging), its partition numbers, and the sort's arrays (which a reduce uses
   * too). Allocated afresh for each task (100 MB and more), they cost a collection now and then
   * and, while the heap grows, a first touch of new memory per 4 KiB page, which on a virtual
   * machine with shadow page tables (measured here: 12-20 µs a page) cost more than the sort. Held
   * softly: the collector takes it back when the heap runs short (not when off-heap memory does:
   * the blocks' memory counts against the JVM's direct-memory limit, by default as large as the
   * heap). Pooled by {@link ScratchPool}: a worker runs some tasks on its task thread and others
   * each on a virtual thread of its own, and a task on a fresh virtual thread takes over the
   * scratch of one that ended (with a thread-local, each such task had allocated and first-touched
   * its own: ~15% of the CPU of a 10 GB sort's map phase went to those page faults).
   *
   * <p>The blocks a map returns are views of {@link #in}, which the next map to take this scratch
   * overwrites. That is safe because a task's results are copied into the object store (or
   * serialized inline) by its worker, on the task's thread, before that thread ends or runs another
   * task.
   */
  static final class ThreadScratch {
    private static final ScratchPool<ThreadScratch> POOL = new ScratchPool<>(ThreadScratch::new);

    /** A map's records grouped by partition. */
    MemorySegment out = MemorySegment.NULL;

    /**
     * A map's input, read with {@code O_DIRECT} (a split and room to align its ends), then its
     * sorted blocks.
     */
    MemorySegment in = MemorySegment.NULL;

    int[] part = new int[0];
    final KeySort.Scratch sort = new KeySort.Scratch();

    /** Room around a split in {@link #in} for reads aligned to the file system's blocks. */
    static final long IN_SLACK = 1L << 20;

    /** This thread's scratch. */
    static ThreadScratch mine() {
      return POOL.mine();
    }

    /**
     * This thread's scratch, with room for a map of {@code records} records, whose blocks take
     * {@code outBytes} in {@link #out} at most.
     */
    static ThreadScratch mine(int records, long outBytes) {
      ThreadScratch m = mine();
      if (m.part.length < records) {
        m.part = new int[records];
      }
      long bytes = (long) records * Records.RECORD;
      long outSize = Math.max(bytes, outBytes);
      if (m.out.byteSize() < outSize) {
        m.out = MemorySegment.NULL; // let the old one go before the new one is allocated
        m.out = ScratchPool.allocateOffHeap(outSize);
      }
      m.ensureIn(bytes + IN_SLACK);
      return m;
    }

    /** {@link #in}, at least {@code bytes} long. */
    MemorySegment ensureIn(long bytes) {
      if (in.byteSize() < bytes) {
        in = MemorySegment.NULL;
        in = ScratchPool.allocateOffHeap(bytes);
      }
      return in;
    }

    /**
     * The records of {@code blocks} side by side in one region (a view without scope checks, valid
     * while this scratch is held and reachable, and the blocks too): decoded one after another into
     * {@link #in} where {@code compressed}; else the blocks themselves where they already lie side
     * by side in memory, or copied into {@link #in}.
     */
    MemorySegment gather(
        List<MemorySegment> blocks, long rawTotal, boolean compressed, String what) {
      if (compressed) {
        MemorySegment raw = KeySort.unchecked(ensureIn(rawTotal));
        long at = 0;
        for (MemorySegment b : blocks) {
          at += BlockCodec.decode(b, raw, at, what);
        }
        return raw.asSlice(0, at);
      }
      if (adjacent(blocks)) {
        return blocks.isEmpty()
            ? MemorySegment.NULL
            : KeySort.unchecked(MemorySegment.ofAddress(blocks.get(0).address()))
                .reinterpret(rawTotal);
      }
      MemorySegment all = KeySort.unchecked(ensureIn(rawTotal));
      long at = 0;
      for (MemorySegment b : blocks) {
        MemorySegment.copy(b, 0, all, at, b.byteSize());
        at += b.byteSize();
      }
      return all.asSlice(0, rawTotal);
    }

    /** Whether {@code blocks} are native memory, each starting where the one before ends. */
    private static boolean adjacent(List<MemorySegment> blocks) {
      for (int i = 0; i < blocks.size(); i++) {
        MemorySegment b = blocks.get(i);
        if (!b.isNative()
            || (i > 0
                && blocks.get(i - 1).address() + blocks.get(i - 1).byteSize() != b.address())) {
          return false;
        }
      }
      return true;
    }

    /**
     * Compressed blocks decoded one after another into {@link #in} (as a view without scope checks,
     * valid while this scratch is held and reachable), each as a slice of its own.
     */
    List<MemorySegment> decodeAll(List<MemorySegment> blocks, long rawTotal, String what) {
      MemorySegment raw = KeySort.unchecked(ensureIn(rawTotal));
      List<MemorySegment> segs = new ArrayList<>(blocks.size());
      long at = 0;
      for (MemorySegment b : blocks) {
        long n = BlockCodec.decode(b, raw, at, what);
        segs.add(raw.asSlice(at, n));
        at += n;
      }
      return segs;
    }
  }

  /**
   * Merge: a k-way merge of sorted blocks of one partition into one sorted block; with {@code
   * compress}, blocks in and out are in {@link BlockCodec}'s format.
   */
  record Merger(boolean compress) implements MergeFunction {
    Merger() {
      this(false);
    }

    @Override
    public ByteBuffer merge(int partition, List<ByteBuffer> blocks) throws IOException {
      long total = 0;
      List<MemorySegment> segs = new ArrayList<>(blocks.size());
      for (ByteBuffer b : blocks) {
        MemorySegment seg = KeySort.unchecked(MemorySegment.ofBuffer(b)); // reachable below
        total += compress ? BlockCodec.rawSize(seg, what(partition)) : seg.byteSize();
        segs.add(seg);
      }
      ThreadScratch m = null;
      if (compress) {
        m = ThreadScratch.mine();
        segs = m.decodeAll(segs, total, what(partition));
      }
      byte[] out = new byte[Math.toIntExact(total)];
      MemorySegment dst = MemorySegment.ofArray(out);
      long[] at = {0};
      try {
        KeySort.merge(
            segs,
            (from, offset, bytes) -> {
              MemorySegment.copy(from, offset, dst, at[0], bytes);
              at[0] += bytes;
            });
      } finally {
        Reference.reachabilityFence(blocks); // their memory backs segs
        Reference.reachabilityFence(m); // so does its memory, where decoded
      }
      if (!compress) {
        return ByteBuffer.wrap(out);
      }
      byte[] enc = new byte[Math.toIntExact(BlockCodec.maxEncoded(total) + BlockCodec.WORK_ROOM)];
      long len = BlockCodec.encode(dst, 0, total, MemorySegment.ofArray(enc), 0);
      return ByteBuffer.wrap(enc, 0, (int) len).slice();
    }
  }

  /** Names a partition's blocks in errors. */
  private static String what(int partition) {
    return "a block of partition " + partition;
  }

  /**
   * Reduce: sorts (or, for a large partition, merges) the partition's blocks straight into its
   * output file {@code part-NNNNN}, written under a temporary name and renamed when complete, so a
   * retried reduce (its worker died) never leaves a partial file behind.
   */
  record Reducer(String outputDir, boolean compress, long sortInMemoryMax)
      implements ReduceFunction<Written> {
    /** Uncompressed blocks. */
    Reducer(String outputDir) {
      this(outputDir, false);
    }

    /** Blocks compressed or not; partitions sorted whole up to {@link #SORT_IN_MEMORY_MAX}. */
    Reducer(String outputDir, boolean compress) {
      this(outputDir, compress, SORT_IN_MEMORY_MAX);
    }

    static final int WRITE_BUFFER = 8 << 20;

    /**
     * A partition of at most this many bytes is sorted whole in memory (its keys: 16 bytes a
     * record, plus the sort's 28), which on this project's machines took a third of the time of a
     * k-way merge of its sorted blocks (the JDK sorts the packed keys with vector instructions); a
     * larger one is merged, streaming, in bounded memory.
     */
    static final long SORT_IN_MEMORY_MAX = 256L << 20;

    @Override
    public Written reduce(int partition, List<ByteBuffer> blocks) throws IOException {
      Path dir = Path.of(outputDir);
      Path file = dir.resolve(partName(partition));
      Path tmp = dir.resolve("." + partName(partition) + ".tmp");
      List<MemorySegment> segs = new ArrayList<>(blocks.size());
      long total = 0;
      for (ByteBuffer b : blocks) {
        MemorySegment seg = KeySort.unchecked(MemorySegment.ofBuffer(b)); // reachable below
        segs.add(seg);
        total += compress ? BlockCodec.rawSize(seg, what(partition)) : seg.byteSize();
      }
      ThreadScratch m = ThreadScratch.mine();
      try (DirectIo.Writer out = DirectIo.create(tmp, WRITE_BUFFER);
          Arena windows = Arena.ofConfined()) {
        if (total <= sortInMemoryMax) {
          MemorySegment all = m.gather(segs, total, compress, what(partition));
          KeySort.sortInto(all, Math.toIntExact(total / Records.RECORD), out, m.sort);
        } else if (!compress) {
          KeySort.merge(segs, out::append);
        } else {
          // too large to decode whole: each block streams through a window of one frame
          List<KeySort.Run> runs = new ArrayList<>(segs.size());
          for (MemorySegment seg : segs) {
            MemorySegment w = KeySort.unchecked(windows.allocate(BlockCodec.FRAME));
            runs.add(new BlockCodec.Frames(seg, w, what(partition))::next);
          }
          KeySort.mergeRuns(runs, out::append);
        }
        out.finish();
      } catch (IOException e) {
        throw new UncheckedIOException(
            "reduce of partition " + partition + " cannot write " + tmp + ": " + e, e);
      } finally {
        Reference.reachabilityFence(blocks); // their memory backs segs
        Reference.reachabilityFence(m); // so does its memory, where decoded
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return new Written(file.toString(), total / Records.RECORD, total);
    }
  }

  /** The output file of partition {@code p}: names sort in partition order. */
  static String partName(int p) {
    return String.format("part-%05d", p);
  }
}
