package dev.weft.shuffle.sort;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * An order-independent checksum over a multiset of 100-byte gensort records: two sums modulo
 * 2<sup>64</sup> over every record, one of a 64-bit hash of our own (below), one of the record's
 * CRC32C, plus the record count. A sort's output holds the same multiset as its input exactly when
 * (with overwhelming probability) their checksums match: a changed byte, a swapped payload, a
 * dropped or duplicated record each change both sums.
 *
 * <p>Partial checksums combine with {@link #add}, so files and ranges of files can be summed in
 * parallel and in any order. Not thread-safe: give each thread its own instance and add them up.
 *
 * <p>The 64-bit hash reads the record as 12 little-endian longs and one int. Two lanes each absorb
 * six longs with a multiply and xorshift step per long (a bijection of the lane for fixed other
 * input, so any single changed long changes its lane); the int and the record length go into the
 * second lane, and a final avalanche mixes both lanes.
 */
public final class RecordChecksum {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INTS =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfLong SEG_LONG =
      ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfInt SEG_INT =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private static final long M1 = 0x9E6C_63D0_676A_9A99L;
  private static final long M2 = 0xD6E8_FEB8_6659_FD93L;
  private static final long LANE_A = 0x243F_6A88_85A3_08D3L;
  private static final long LANE_B = 0x1319_8A2E_0370_7344L;

  private final CRC32C crc = new CRC32C();
  private long records;
  private long hashSum;
  private long crcSum;

  /** An empty checksum (no records). */
  public RecordChecksum() {}

  /**
   * Adds every record in {@code records} from its position to its limit; the buffer's position,
   * limit and byte order are left as they were.
   *
   * @throws IllegalArgumentException when the remaining bytes are not whole records
   */
  public RecordChecksum update(ByteBuffer records) {
    int n = (int) wholeRecords(records.remaining());
    ByteBuffer b = records.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer view = records.duplicate(); // position and limit move over one record at a time
    int base = records.position();
    long h = 0;
    long c = 0;
    for (int r = 0; r < n; r++) {
      int off = base + r * Records.RECORD;
      long a = LANE_A;
      long d = LANE_B;
      for (int i = 0; i < 48; i += 16) {
        a = step(a, b.getLong(off + i));
        d = step(d, b.getLong(off + i + 8));
        a = step(a, b.getLong(off + i + 48));
        d = step(d, b.getLong(off + i + 56));
      }
      h += finish(a, d, b.getInt(off + 96));
      view.limit(off + Records.RECORD).position(off);
      crc.reset();
      crc.update(view);
      c += crc.getValue();
    }
    return add(n, h, c);
  }

  /**
   * Adds every record in {@code records} (a heap or native segment).
   *
   * @throws IllegalArgumentException when the segment is not whole records
   */
  public RecordChecksum update(MemorySegment records) {
    long n = wholeRecords(records.byteSize());
    long h = 0;
    long c = 0;
    ByteBuffer view = null;
    long viewStart = 0;
    for (long r = 0; r < n; r++) {
      long off = r * Records.RECORD;
      long a = LANE_A;
      long d = LANE_B;
      for (int i = 0; i < 48; i += 16) {
        a = step(a, records.get(SEG_LONG, off + i));
        d = step(d, records.get(SEG_LONG, off + i + 8));
        a = step(a, records.get(SEG_LONG, off + i + 48));
        d = step(d, records.get(SEG_LONG, off + i + 56));
      }
      h += finish(a, d, records.get(SEG_INT, off + 96));
      if (view == null || off - viewStart + Records.RECORD > view.capacity()) {
        // asByteBuffer is limited to 2 GiB: view the segment a window of whole records at a time.
        viewStart = off;
        long len =
            Math.min(
                records.byteSize() - off,
                (long) (Integer.MAX_VALUE / Records.RECORD) * Records.RECORD);
        view = records.asSlice(off, len).asByteBuffer();
      }
      int local = (int) (off - viewStart);
      view.limit(local + Records.RECORD).position(local);
      crc.reset();
      crc.update(view);
      c += crc.getValue();
    }
    return add(n, h, c);
  }

  /**
   * Adds the records in {@code bytes[offset, offset + length)}.
   *
   * @throws IllegalArgumentException when {@code length} is not whole records
   */
  public RecordChecksum update(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    int n = (int) wholeRecords(length);
    long h = 0;
    long c = 0;
    for (int r = 0; r < n; r++) {
      int off = offset + r * Records.RECORD;
      long a = LANE_A;
      long d = LANE_B;
      for (int i = 0; i < 48; i += 16) {
        a = step(a, (long) LONGS.get(bytes, off + i));
        d = step(d, (long) LONGS.get(bytes, off + i + 8));
        a = step(a, (long) LONGS.get(bytes, off + i + 48));
        d = step(d, (long) LONGS.get(bytes, off + i + 56));
      }
      h += finish(a, d, (int) INTS.get(bytes, off + 96));
      crc.reset();
      crc.update(bytes, off, Records.RECORD);
      c += crc.getValue();
    }
    return add(n, h, c);
  }

  /** Adds {@code other}'s records to this checksum (as if they had been updated here). */
  public RecordChecksum add(RecordChecksum other) {
    return add(other.records, other.hashSum, other.crcSum);
  }

  /** Records summed so far. */
  public long records() {
    return records;
  }

  /** Whether {@code other} sums the same records (count and both sums equal). */
  public boolean matches(RecordChecksum other) {
    return records == other.records && hashSum == other.hashSum && crcSum == other.crcSum;
  }

  /** The two sums as 32 lowercase hex digits: the hash sum, then the CRC32C sum. */
  public String toHex() {
    return HexFormat.of().toHexDigits(hashSum) + HexFormat.of().toHexDigits(crcSum);
  }

  @Override
  public String toString() {
    return toHex() + " over " + records + " records";
  }

  private RecordChecksum add(long n, long h, long c) {
    records += n;
    hashSum += h;
    crcSum += c;
    return this;
  }

  private static long step(long lane, long v) {
    long x = (lane ^ v) * M1;
    return x ^ (x >>> 29);
  }

  private static long finish(long a, long d, int tail) {
    d = step(d, (tail & 0xFFFF_FFFFL) | ((long) Records.RECORD << 32));
    long x = a ^ Long.rotateLeft(d * M2, 31);
    x ^= x >>> 33;
    x *= M2;
    x ^= x >>> 29;
    x *= M1;
    return x ^ (x >>> 32);
  }

  private static long wholeRecords(long bytes) {
    if (bytes % Records.RECORD != 0) {
      throw new IllegalArgumentException(
          bytes
              + " bytes are not whole "
              + Records.RECORD
              + "-byte records ("
              + bytes % Records.RECORD
              + " bytes left over)");
    }
    return bytes / Records.RECORD;
  }
}
