package dev.weft.shuffle.sort;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * The sort's compressed block format, used where the data exceeds the cluster's object stores (see
 * {@link SortRun.Compression}): spilled blocks then cost the disk a third of their bytes, as
 * gensort-format payloads compress to ~30% with LZ4 (sorted, so that neighbouring records no longer
 * share their record numbers; ~21% in input order) at ~850 MB/s a core compressing and ~1.3 GB/s
 * decompressing on this project's VMs.
 *
 * <p>A block is a sequence of frames, each {@link #FRAME} raw bytes at most (whole records, the
 * last one shorter), so that a reader can stream a large block through a small window ({@link
 * Frames}). A frame is an 8-byte header, its raw length and its stored length (ints, native byte
 * order: blocks never leave the cluster's machines, which share it), then the stored bytes: LZ4
 * (the block format, no checksum: the object store's copies are not a channel that corrupts) where
 * that is shorter, else the raw bytes themselves (stored length equal to the raw length), so
 * incompressible records grow by 8 bytes a frame only. An empty block has no frame.
 */
final class BlockCodec {
  private BlockCodec() {}

  /** Raw bytes of a frame at most: 10 000 records. */
  static final int FRAME = 10_000 * Records.RECORD;

  /** A frame's header: raw length, stored length. */
  static final int HEADER = 8;

  private static final LZ4Factory LZ4 = LZ4Factory.fastestInstance();
  private static final LZ4Compressor COMPRESSOR = LZ4.fastCompressor();
  private static final LZ4SafeDecompressor DECOMPRESSOR = LZ4.safeDecompressor();

  /** The most bytes {@link #encode} writes for {@code raw} raw bytes. */
  static long maxEncoded(long raw) {
    return raw + (raw + FRAME - 1) / FRAME * HEADER;
  }

  /**
   * The most bytes past {@link #maxEncoded} that {@link #encode} may use as room while it works:
   * LZ4 writes a frame only into room for its worst case (slightly more than the frame).
   */
  static final int WORK_ROOM = 64 << 10;

  /**
   * Encodes bytes {@code [srcOffset, srcOffset + length)} of {@code src} into {@code dst} from
   * {@code dstOffset}, which must have {@code maxEncoded(length) + WORK_ROOM} bytes of room (the
   * bytes past the returned length are scratch); returns the encoded length.
   */
  static long encode(
      MemorySegment src, long srcOffset, long length, MemorySegment dst, long dstOffset) {
    long room = maxEncoded(length) + WORK_ROOM;
    if (room > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "a sort block of " + length + " bytes is too large to encode: at most 2 GB");
    }
    ByteBuffer in = src.asSlice(srcOffset, length).asByteBuffer();
    ByteBuffer out = dst.asSlice(dstOffset, room).asByteBuffer().order(ByteOrder.nativeOrder());
    long at = 0;
    for (long done = 0; done < length; ) {
      int raw = (int) Math.min(FRAME, length - done);
      int stored;
      try {
        stored =
            COMPRESSOR.compress(
                in, (int) done, raw, out, (int) at + HEADER, (int) (room - at - HEADER));
      } catch (LZ4Exception e) {
        stored = raw; // no room for LZ4's worst case: stored as it is
      }
      if (stored >= raw) {
        stored = raw;
        MemorySegment.copy(src, srcOffset + done, dst, dstOffset + at + HEADER, raw);
      }
      out.putInt((int) at, raw);
      out.putInt((int) at + 4, stored);
      at += HEADER + stored;
      done += raw;
    }
    return at;
  }

  /**
   * The raw length of the encoded block {@code b}, after checking its frames' headers.
   *
   * @throws IllegalStateException where the block is not in this format, naming {@code what}
   */
  static long rawSize(MemorySegment b, String what) {
    long raw = 0;
    long at = 0;
    long n = b.byteSize();
    while (at < n) {
      int[] h = header(b, at, what);
      raw += h[0];
      at += HEADER + h[1];
    }
    return raw;
  }

  /** A frame's raw and stored lengths, checked against the block's size. */
  private static int[] header(MemorySegment b, long at, String what) {
    long n = b.byteSize();
    if (n - at < HEADER) {
      throw corrupt(what, at, "the block ends inside a frame header");
    }
    int raw = b.get(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, at);
    int stored = b.get(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, at + 4);
    if (raw <= 0 || raw > FRAME || stored <= 0 || stored > raw || stored > n - at - HEADER) {
      throw corrupt(
          what, at, "a frame header claims " + raw + " raw bytes stored in " + stored + " bytes");
    }
    return new int[] {raw, stored};
  }

  private static IllegalStateException corrupt(String what, long at, String why) {
    return new IllegalStateException(
        what
            + " is not a whole compressed sort block: at byte "
            + at
            + ", "
            + why
            + " (a bug in the sort, or a block of another program)");
  }

  /**
   * Decodes the whole block {@code b} into {@code dst} from {@code dstOffset} ({@link #rawSize}
   * bytes of room); returns the raw length.
   */
  static long decode(MemorySegment b, MemorySegment dst, long dstOffset, String what) {
    long at = 0;
    long out = dstOffset;
    long n = b.byteSize();
    while (at < n) {
      int[] h = header(b, at, what);
      decodeFrame(b, at, h[0], h[1], dst, out, what);
      at += HEADER + h[1];
      out += h[0];
    }
    return out - dstOffset;
  }

  private static void decodeFrame(
      MemorySegment b,
      long at,
      int raw,
      int stored,
      MemorySegment dst,
      long dstOffset,
      String what) {
    if (stored == raw) {
      MemorySegment.copy(b, at + HEADER, dst, dstOffset, raw);
      return;
    }
    int got;
    try {
      got =
          DECOMPRESSOR.decompress(
              b.asSlice(at + HEADER, stored).asByteBuffer(),
              0,
              stored,
              dst.asSlice(dstOffset, raw).asByteBuffer(),
              0,
              raw);
    } catch (LZ4Exception e) {
      throw corrupt(what, at, "its LZ4 data does not decode: " + e.getMessage());
    }
    if (got != raw) {
      throw corrupt(what, at, "its LZ4 data decodes to " + got + " bytes, not " + raw);
    }
  }

  /**
   * An encoded block read one frame at a time into a window of its own ({@link #FRAME} bytes), for
   * a merge that streams blocks too large to decode whole.
   */
  static final class Frames {
    private final MemorySegment block;
    private final MemorySegment window;
    private final String what;
    private long at;

    /** Reads {@code block} through {@code window} ({@link #FRAME} bytes at least). */
    Frames(MemorySegment block, MemorySegment window, String what) {
      this.block = block;
      this.window = window;
      this.what = what;
    }

    /** The next frame's records (a view of the window, valid until the next call), or null. */
    MemorySegment next() {
      if (at >= block.byteSize()) {
        return null;
      }
      int[] h = header(block, at, what);
      decodeFrame(block, at, h[0], h[1], window, 0, what);
      at += HEADER + h[1];
      return window.asSlice(0, h[0]);
    }
  }
}
