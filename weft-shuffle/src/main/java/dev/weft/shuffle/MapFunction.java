package dev.weft.shuffle;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The map side of a shuffle: reads one input and splits what it makes into one buffer per
 * partition. Runs as a Weft task on some node; an implementation must be serializable (a record or
 * class with serializable fields, or a serializable lambda) and its classes on the job's class
 * path.
 *
 * @param <I> the description of one input (e.g. a file split); serializable
 */
@FunctionalInterface
public interface MapFunction<I> extends Serializable {
  /**
   * Returns exactly {@code numPartitions} buffers, buffer {@code p} holding this input's data for
   * partition {@code p} from its position to its limit (an empty buffer when there is none). Heap
   * buffers are stored with one copy, straight from their array.
   */
  List<ByteBuffer> map(I input, int numPartitions) throws Exception;
}
