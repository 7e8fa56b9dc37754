package dev.weft.shuffle;

import dev.weft.ObjectBuffer;
import dev.weft.ObjectRef;
import dev.weft.Weft;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The bodies of a shuffle's tasks. They run in Weft workers; blocks come in as refs nested in a
 * list (borrowed, not resolved before the call) and are read in place with {@link
 * Weft#getBuffer(ObjectRef)}, so no block is copied onto a worker's heap to be read.
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
      MergeFunction fn, int[] partitions, List<List<ObjectRef<ByteBuffer>>> blocks)
      throws Exception {
    List<ByteBuffer> out = new ArrayList<>(partitions.length);
    for (int i = 0; i < partitions.length; i++) {
      int p = partitions[i];
      out.add(withViews(blocks.get(i), views -> fn.merge(p, views), p));
    }
    return out;
  }

  /** Reduce: the user's result over every block of the partition. */
  static <O> O reduce(ReduceFunction<O> fn, Integer partition, List<ObjectRef<ByteBuffer>> blocks)
      throws Exception {
    return withViews(blocks, views -> fn.reduce(partition, views), partition);
  }

  private interface ViewsBody<T> {
    T apply(List<ByteBuffer> views) throws Exception;
  }

  /** Runs {@code body} over read-only views of {@code refs}, closing every view after. */
  private static <T> T withViews(List<ObjectRef<ByteBuffer>> refs, ViewsBody<T> body, int partition)
      throws Exception {
    List<ObjectBuffer> open = new ArrayList<>(refs.size());
    try {
      List<ByteBuffer> views = new ArrayList<>(refs.size());
      for (ObjectRef<ByteBuffer> r : refs) {
        ObjectBuffer b = Weft.getBuffer(r);
        open.add(b);
        views.add(b.buffer());
      }
      return body.apply(views);
    } finally {
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
      if (first != null) {
        throw new IllegalStateException(
            "partition " + partition + ": a block's view could not be closed: " + first, first);
      }
    }
  }
}
