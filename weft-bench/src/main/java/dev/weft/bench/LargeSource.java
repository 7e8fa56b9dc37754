package dev.weft.bench;

import dev.weft.bench.peers.LargeData;

/**
 * The producer of {@code weft bench --peers}' large object: an actor (so, a worker process other
 * than the driver) that makes the bytes once, before the clock starts, and hands them over on every
 * {@link #data()} call.
 *
 * <p>Public with a public constructor: it is built by reflection in a worker JVM.
 */
public class LargeSource {
  private byte[] data = new byte[0];

  public LargeSource() {}

  /** Makes {@code n} bytes ({@link LargeData#make}) and returns their CRC32C. */
  public long make(int n, long seed) {
    data = new byte[0]; // let the old array go before making the new one
    data = LargeData.make(n, seed);
    return LargeData.crc(data);
  }

  /** The bytes. */
  public byte[] data() {
    return data;
  }
}
