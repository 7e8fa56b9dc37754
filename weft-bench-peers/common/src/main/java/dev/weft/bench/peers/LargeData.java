package dev.weft.bench.peers;

import java.util.zip.CRC32C;

/** The large object's bytes and their checksum, the same for Weft and the TCP reference. */
public final class LargeData {
  private LargeData() {}

  /** A new array of {@code n} bytes, not all alike (a 64-bit LCG seeded by {@code seed}). */
  public static byte[] make(int n, long seed) {
    byte[] b = new byte[n];
    long x = seed * 0x9E3779B97F4A7C15L + 1;
    int i = 0;
    for (; i + 8 <= n; i += 8) {
      x = x * 6364136223846793005L + 1442695040888963407L;
      b[i] = (byte) x;
      b[i + 1] = (byte) (x >>> 8);
      b[i + 2] = (byte) (x >>> 16);
      b[i + 3] = (byte) (x >>> 24);
      b[i + 4] = (byte) (x >>> 32);
      b[i + 5] = (byte) (x >>> 40);
      b[i + 6] = (byte) (x >>> 48);
      b[i + 7] = (byte) (x >>> 56);
    }
    for (; i < n; i++) {
      b[i] = (byte) i;
    }
    return b;
  }

  /** CRC32C of the whole array. */
  public static long crc(byte[] b) {
    CRC32C c = new CRC32C();
    c.update(b, 0, b.length);
    return c.getValue();
  }

  /** Converts a size asked for in bytes to an array length, or says why it can't be one. */
  public static int arrayLength(long bytes) {
    if (bytes < 1 || bytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "a large object of " + bytes + " bytes does not fit one Java array (1 .. 2 GiB - 9)");
    }
    return (int) bytes;
  }
}
