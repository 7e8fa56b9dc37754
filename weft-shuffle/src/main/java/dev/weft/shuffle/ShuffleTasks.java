package dev.weft.shuffle;

import dev.weft.ObjectBuffer;
import dev.weft.ObjectRef;
import dev.weft.Weft;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The bodies of a shuffle's tasks. They run in Weft workers; blocks come in as refs nested in a
 * list (borrowed, not resolved before the call) and are opened with {@link
 * Weft#getBuffer(ObjectRef)}: copied into memory the task's thread reuses (by reads of the store
 * file), or read in place for sets larger than {@link Shuffle#copyBlocksMax}. No block is
 * deserialized onto a worker's heap.
 */
final class ShuffleTasks {
  private ShuffleTasks() {}

  /**
   * Map: the user's buffers, one per partition, then this task's node id as a last element (the
   * driver merges map outputs on the node that holds them).
   */
  static <I> List<Object> map(MapFunction<I> fn, I input, Integer numPartitions) throws Exception {
    List<ByteBuffer> out = fn.map(input, numPartitions);
    if (out == null || out.size() != numPartitions) {
      throw new IllegalStateException(
          "the map function "
              + fn.getClass().getName()
              + " returned "
              + (out == null ? "null" : out.size() + " buffers")
              + " for input "
              + input
              + ", but the shuffle has "
              + numPartitions
              + " partitions: return exactly one buffer per partition (empty ones included)");
    }
    List<Object> result = new ArrayList<>(numPartitions + 1);
    for (int p = 0; p < numPartitions; p++) {
      ByteBuffer b = out.get(p);
      result.add(b == null ? ByteBuffer.allocate(0) : b);
    }
    result.add(Weft.context().nodeId());
    return result;
  }

  /** Merge: for each partition of a group, its blocks combined into one. */
  static List<ByteBuffer> merge(
      MergeFunction fn,
      int[] partitions,
      List<List<ObjectRef<ByteBuffer>>> blocks,
      Long copyBlocksMax)
      throws Exception {
    List<ByteBuffer> out = new ArrayList<>(partitions.length);
    for (int i = 0; i < partitions.length; i++) {
      int p = partitions[i];
      out.add(detached(withViews(blocks.get(i), copyBlocksMax, views -> fn.merge(p, views), p)));
    }
    return out;
  }

  /** Reduce: the user's result over every block of the partition. */
  static <O> O reduce(
      ReduceFunction<O> fn,
      Integer partition,
      List<ObjectRef<ByteBuffer>> blocks,
      Long copyBlocksMax)
      throws Exception {
    return withViews(blocks, copyBlocksMax, views -> fn.reduce(partition, views), partition);
  }

  private interface ViewsBody<T> {
    T apply(List<ByteBuffer> views) throws Exception;
  }

  /**
   * {@code b}, or a copy of it where it lies in this thread's copy memory (a merge function that
   * returned one of its inputs): the task's next partition is copied there before the results are
   * stored.
   */
  private static ByteBuffer detached(ByteBuffer b) {
    MemorySegment mem = COPIES.mine().mem;
    if (b == null || !b.isDirect() || mem.byteSize() == 0) {
      return b;
    }
    if (MemorySegment.ofBuffer(b).asOverlappingSlice(mem).isEmpty()) {
      return b;
    }
    ByteBuffer copy = ByteBuffer.allocate(b.remaining());
    copy.put(b.duplicate()).flip();
    return copy;
  }

  /**
   * The copy memory of task threads, reused from one task to the next (by whichever thread runs it,
   * see {@link ScratchPool}): grown with room to spare (partitions differ in size, and memory
   * allocated afresh is slow to fill), freed with its segment.
   */
  private static final ScratchPool<Copies> COPIES = new ScratchPool<>(Copies::new);

  private static final class Copies {
    MemorySegment mem = MemorySegment.NULL;
  }

  private static MemorySegment copyMemory(long bytes) {
    Copies c = COPIES.mine();
    if (c.mem.byteSize() < bytes) {
      c.mem = MemorySegment.NULL; // the old one may go before the new one is allocated
      c.mem = ScratchPool.allocateOffHeap(bytes + bytes / 4);
    }
    return c.mem;
  }

  /**
   * Runs {@code body} over read-only buffers of {@code refs}' bytes: copies when they total at most
   * {@code copyMax} bytes (see {@link Shuffle#copyBlocksMax}), views in place otherwise; the views
   * are closed after (a copy's, once copied: its blocks may leave the store while the body runs).
   */
  private static <T> T withViews(
      List<ObjectRef<ByteBuffer>> refs, long copyMax, ViewsBody<T> body, int partition)
      throws Exception {
    List<ObjectBuffer> open = new ArrayList<>(refs.size());
    try {
      long total = 0;
      for (ObjectRef<ByteBuffer> r : refs) {
        ObjectBuffer b = Weft.getBuffer(r);
        open.add(b);
        total += b.sizeBytes();
      }
      List<ByteBuffer> views = new ArrayList<>(refs.size());
      if (total > 0 && total <= copyMax) {
        MemorySegment mem = copyMemory(total);
        long at = 0;
        for (ObjectBuffer b : open) {
          MemorySegment to = mem.asSlice(at, b.sizeBytes());
          b.copyTo(0, to);
          views.add(to.asByteBuffer().asReadOnlyBuffer());
          at += b.sizeBytes();
        }
        closeAll(open, partition); // copied: the blocks may leave the store now
      } else {
        for (ObjectBuffer b : open) {
          views.add(b.buffer());
        }
      }
      return body.apply(views);
    } finally {
      closeAll(open, partition);
    }
  }

  /** Closes every view of {@code open} (and forgets them), then reports the first failure. */
  private static void closeAll(List<ObjectBuffer> open, int partition) {
    RuntimeException first = null;
    for (ObjectBuffer b : open) {
      try {
        b.close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    open.clear();
    if (first != null) {
      throw new IllegalStateException(
          "partition " + partition + ": a block's view could not be closed: " + first, first);
    }
  }
}
