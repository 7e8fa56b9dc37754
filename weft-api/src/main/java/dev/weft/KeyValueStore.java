package dev.weft;

import java.util.List;
import java.util.Optional;

/**
 * The cluster's key-value table ({@link Weft#kv()}): small values under string keys, kept by the
 * control store, so they outlive every driver and worker and survive a restart of the control store
 * (they are in its storage, like its other tables). For coordination and metadata that programs and
 * jobs share (a dataset's location, a job's checkpoint marker), not for bulk data: use objects for
 * that.
 *
 * <p>Every call is a round trip to the control store; while it restarts, calls wait for it (up to
 * {@code -Dweft.controlReconnectMillis}, default 5 minutes), then go on. A call whose answer was
 * lost with a control store that died is sent again to the new one, so it may take effect twice:
 * {@link #putIfAbsent} may then answer {@code false} although the value stored is this caller's, a
 * {@link #delete} may answer {@code false} although it deleted the key, and a repeated write or
 * delete may undo another caller's write made in between. Coordinate with keys that only one caller
 * writes, or check with {@link #get} after a restart. The table holds at most {@code
 * -Dweft.kv.maxBytes} of keys and values (default 256 MiB, set on the head).
 */
public interface KeyValueStore {
  /** The longest key, in UTF-8 bytes. */
  int MAX_KEY_BYTES = 1024;

  /** The largest value, in bytes. */
  int MAX_VALUE_BYTES = 1 << 20;

  /** Sets {@code key} to {@code value}, replacing any value it had. */
  void put(String key, byte[] value);

  /** Sets {@code key} to {@code value} only if it has none; true if this call set it. */
  boolean putIfAbsent(String key, byte[] value);

  /** The value of {@code key}, or empty if it has none. */
  Optional<byte[]> get(String key);

  /** Removes {@code key}; true if it had a value. */
  boolean delete(String key);

  /** The keys that start with {@code prefix} ("" for all), sorted. */
  List<String> keys(String prefix);
}
