package dev.weft.shuffle;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The reduce side of a shuffle: turns every block of one partition into that partition's result
 * (e.g. writes a sorted output file and returns its record count). Runs as a Weft task.
 *
 * @param <O> the partition's result; serializable, and small (it travels back to the driver)
 */
@FunctionalInterface
public interface ReduceFunction<O> extends Serializable {
  /**
   * Returns the result of partition {@code partition} from its {@code blocks}: read-only buffers of
   * the blocks (views in the node's shared memory, or copies in the task's memory, see {@link
   * Shuffle#copyBlocksMax}), valid during this call only.
   */
  O reduce(int partition, List<ByteBuffer> blocks) throws Exception;
}
