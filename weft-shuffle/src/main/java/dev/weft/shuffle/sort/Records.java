package dev.weft.shuffle.sort;

/**
 * The gensort record format: fixed 100-byte records whose first 10 bytes are the key, ordered as
 * unsigned bytes; the other 90 bytes are the payload (opaque to the sort).
 */
public final class Records {
  private Records() {}

  /** Bytes per record. */
  public static final int RECORD = 100;

  /** Bytes of the key at the start of each record. */
  public static final int KEY = 10;
}
