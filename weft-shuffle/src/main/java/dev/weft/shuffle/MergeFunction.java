package dev.weft.shuffle;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Combines several blocks of one partition into one block, for the {@link Strategy#MERGE} and
 * {@link Strategy#PUSH} strategies (e.g. a k-way merge of sorted runs, or a combiner summing
 * counts). The reduce function must accept merged blocks as it accepts map outputs. Without one,
 * the shuffle concatenates the blocks.
 */
@FunctionalInterface
public interface MergeFunction extends Serializable {
  /**
   * Returns one buffer holding the combination of {@code blocks} (read-only buffers of the blocks:
   * views in the node's shared memory, or copies in the task's memory, see {@link
   * Shuffle#copyBlocksMax}; valid during this call only: copy what you keep).
   */
  ByteBuffer merge(int partition, List<ByteBuffer> blocks) throws Exception;

  /** Concatenates the blocks in the order given. */
  static MergeFunction concatenate() {
    return (partition, blocks) -> {
      long total = 0;
      for (ByteBuffer b : blocks) {
        total += b.remaining();
      }
      if (total > Integer.MAX_VALUE - 16) {
        throw new IllegalStateException(
            "partition "
                + partition
                + ": merged block would hold "
                + total
                + " bytes, more than a buffer can; use more partitions or a smaller merge factor");
      }
      ByteBuffer out = ByteBuffer.allocate((int) total);
      for (ByteBuffer b : blocks) {
        out.put(b.duplicate());
      }
      return out.flip();
    };
  }
}
