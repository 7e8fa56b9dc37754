package dev.weft;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * A read-only view of a binary object's bytes, from {@link Weft#getBuffer(ObjectRef)}: for a {@code
 * byte[]}, a {@code ByteBuffer} or a primitive array (its elements in native byte order). A large
 * object is read in place in the node's shared-memory store, without a copy, and stays pinned there
 * until {@link #close()}; use try-with-resources and do not keep the buffer or segment after it. An
 * object that its node has spilled to disk is not read back into the store for a view: {@link
 * #copyTo} reads it from the spill file, and {@link #buffer()} maps that file read-only ({@link
 * #zeroCopy()} is false then); the copy on disk stays until {@code close()}. After {@code close()},
 * {@link #buffer()} and {@link #segment()} throw {@link IllegalStateException}, and so does every
 * read of a buffer or segment taken from the view before (its memory may since hold another
 * object). The view may be read from any thread while it is open.
 */
public interface ObjectBuffer extends AutoCloseable {
  /** The bytes, read-only. */
  ByteBuffer buffer();

  /** The bytes as a read-only memory segment. */
  MemorySegment segment();

  long sizeBytes();

  /** True when the view maps the shared store (no copy was made). */
  boolean zeroCopy();

  /**
   * Copies {@code dst.byteSize()} bytes of the object, from its byte {@code offset}, into {@code
   * dst}. For an object in the node's store this reads the store file rather than touching this
   * process's mapping of it, which is faster where a process's first touch of a mapped page is
   * costly (virtual machines with shadow page tables) and {@code dst} is memory the caller reuses.
   *
   * @throws IndexOutOfBoundsException when {@code [offset, offset + dst.byteSize())} is not within
   *     the object
   * @throws IllegalStateException after {@link #close()}
   */
  default void copyTo(long offset, MemorySegment dst) {
    MemorySegment.copy(segment(), offset, dst, 0, dst.byteSize());
  }

  /**
   * Ends the view (its buffers and segments fail from now on) and unpins the object. Idempotent.
   *
   * @throws IllegalStateException when another thread is still in an I/O call on one of its
   *     buffers; the view stays open and may be closed again once that call returned
   */
  @Override
  void close();
}
