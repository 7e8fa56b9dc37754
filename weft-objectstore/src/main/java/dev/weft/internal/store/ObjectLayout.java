package dev.weft.internal.store;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * How a value sits in the store: a 64-byte header, then the payload.
 *
 * <pre>
 *  0      1        2          8                 16         64
 *  | kind | element | reserved | payload length  | reserved | payload ...
 * </pre>
 *
 * The header fills a whole cache line so that a payload starts on one, as its block does ({@link
 * Allocator#ALIGN}). The store's writers and readers copy payloads with {@code pwrite}/{@code
 * pread} from and to page-aligned staging buffers, and the kernel's copy ran 3x slower on this
 * project's AMD EPYC VMs when its destination sat 1 to 31 bytes past its source, modulo 4096
 * ({@link StoreFile#slowCopy}; a 256 MiB array at offset 16: 115-140 ms against 38-46 ms at 64,
 * 2026-12-06), which a 16-byte header caused for every object.
 *
 * <p>kind {@link #SERIALIZED}: the payload is the value serialized by Fory. kind {@link #RAW}: the
 * value was a {@code byte[]}, a primitive array or a {@code ByteBuffer}, and the payload is its
 * elements in native byte order, copied from the array without serializing ({@link StoreFile#write}
 * stages heap arrays through a 1 MiB buffer); {@code element} says which primitive type. Raw
 * payloads can be read without copying through a view.
 */
public final class ObjectLayout {
  public static final int HEADER = 64;
  public static final byte SERIALIZED = 0;
  public static final byte RAW = 1;

  public static final byte BYTE = 1;
  public static final byte SHORT = 2;
  public static final byte CHAR = 3;
  public static final byte INT = 4;
  public static final byte LONG = 5;
  public static final byte FLOAT = 6;
  public static final byte DOUBLE = 7;
  public static final byte BYTE_BUFFER = 8;

  private ObjectLayout() {}

  /** The element code of a value stored raw, or 0 when it is serialized instead. */
  public static byte rawElement(Object v) {
    return switch (v) {
      case byte[] a -> BYTE;
      case short[] a -> SHORT;
      case char[] a -> CHAR;
      case int[] a -> INT;
      case long[] a -> LONG;
      case float[] a -> FLOAT;
      case double[] a -> DOUBLE;
      case ByteBuffer b -> BYTE_BUFFER;
      case null, default -> 0;
    };
  }

  /** Payload size in bytes of a raw value. */
  public static long rawSize(Object v) {
    return switch (v) {
      case byte[] a -> a.length;
      case short[] a -> 2L * a.length;
      case char[] a -> 2L * a.length;
      case int[] a -> 4L * a.length;
      case long[] a -> 8L * a.length;
      case float[] a -> 4L * a.length;
      case double[] a -> 8L * a.length;
      case ByteBuffer b -> b.remaining();
      default -> throw new IllegalArgumentException("not a raw value: " + v.getClass());
    };
  }

  public static void writeHeader(MemorySegment block, byte kind, byte element, long payloadLength) {
    block.set(ValueLayout.JAVA_BYTE, 0, kind);
    block.set(ValueLayout.JAVA_BYTE, 1, element);
    block.set(ValueLayout.JAVA_LONG_UNALIGNED, 8, payloadLength);
  }

  /** A raw value's elements as they go into the payload (native byte order), without a copy. */
  public static MemorySegment rawSegment(Object v) {
    return switch (v) {
      case byte[] a -> MemorySegment.ofArray(a);
      case short[] a -> MemorySegment.ofArray(a);
      case char[] a -> MemorySegment.ofArray(a);
      case int[] a -> MemorySegment.ofArray(a);
      case long[] a -> MemorySegment.ofArray(a);
      case float[] a -> MemorySegment.ofArray(a);
      case double[] a -> MemorySegment.ofArray(a);
      case ByteBuffer b -> MemorySegment.ofBuffer(b);
      default -> throw new IllegalArgumentException("not a raw value: " + v.getClass());
    };
  }

  /** A header on its own, to be written in front of a payload. */
  public static MemorySegment header(byte kind, byte element, long payloadLength) {
    MemorySegment h = MemorySegment.ofArray(new byte[HEADER]);
    writeHeader(h, kind, element, payloadLength);
    return h;
  }

  /**
   * Copies a raw value's elements into the payload of a block seen through a mapping (the store's
   * writers use {@link #rawSegment} with {@link StoreFile#write} instead).
   */
  public static void writeRaw(MemorySegment block, Object v) {
    MemorySegment payload = block.asSlice(HEADER);
    switch (v) {
      case byte[] a -> MemorySegment.copy(a, 0, payload, ValueLayout.JAVA_BYTE, 0, a.length);
      case short[] a ->
          MemorySegment.copy(a, 0, payload, ValueLayout.JAVA_SHORT_UNALIGNED, 0, a.length);
      case char[] a ->
          MemorySegment.copy(a, 0, payload, ValueLayout.JAVA_CHAR_UNALIGNED, 0, a.length);
      case int[] a ->
          MemorySegment.copy(a, 0, payload, ValueLayout.JAVA_INT_UNALIGNED, 0, a.length);
      case long[] a ->
          MemorySegment.copy(a, 0, payload, ValueLayout.JAVA_LONG_UNALIGNED, 0, a.length);
      case float[] a ->
          MemorySegment.copy(a, 0, payload, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, a.length);
      case double[] a ->
          MemorySegment.copy(a, 0, payload, ValueLayout.JAVA_DOUBLE_UNALIGNED, 0, a.length);
      case ByteBuffer b -> payload.asSlice(0, b.remaining()).copyFrom(MemorySegment.ofBuffer(b));
      default -> throw new IllegalArgumentException("not a raw value: " + v.getClass());
    }
  }

  public static byte kind(MemorySegment block) {
    return block.get(ValueLayout.JAVA_BYTE, 0);
  }

  public static byte element(MemorySegment block) {
    return block.get(ValueLayout.JAVA_BYTE, 1);
  }

  public static long payloadLength(MemorySegment block) {
    return block.get(ValueLayout.JAVA_LONG_UNALIGNED, 8);
  }

  public static MemorySegment payload(MemorySegment block) {
    return block.asSlice(HEADER, payloadLength(block));
  }

  /** Rebuilds a raw value on the heap (one copy). */
  public static Object readRaw(MemorySegment block) {
    MemorySegment p = payload(block);
    long n = p.byteSize();
    return switch (element(block)) {
      case BYTE -> p.toArray(ValueLayout.JAVA_BYTE);
      case SHORT -> p.toArray(ValueLayout.JAVA_SHORT_UNALIGNED);
      case CHAR -> p.toArray(ValueLayout.JAVA_CHAR_UNALIGNED);
      case INT -> p.toArray(ValueLayout.JAVA_INT_UNALIGNED);
      case LONG -> p.toArray(ValueLayout.JAVA_LONG_UNALIGNED);
      case FLOAT -> p.toArray(ValueLayout.JAVA_FLOAT_UNALIGNED);
      case DOUBLE -> p.toArray(ValueLayout.JAVA_DOUBLE_UNALIGNED);
      case BYTE_BUFFER -> {
        ByteBuffer b = ByteBuffer.allocate((int) n).order(ByteOrder.BIG_ENDIAN);
        MemorySegment.ofBuffer(b).copyFrom(p);
        yield b;
      }
      default -> throw new IllegalStateException("unknown raw element type " + element(block));
    };
  }
}
