package dev.weft.internal.control;

import dev.weft.KeyValueStore;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The cluster's key-value table ({@code Weft.kv()}): sorted, so that keys under a prefix are one
 * range. Every write is stored (table {@value #TABLE}) before its reply. Runs on the control
 * store's loop.
 *
 * <pre>
 *  CW → CS  KvPut(key, value, overwrite) → KvReply(written) | Failure (bad key or value)
 *  CW → CS  KvGet(key) → KvReply(found, value);  KvDelete(key) → KvReply(was there)
 *  CW → CS  KvKeys(prefix) → KvReply(keys, sorted) | Failure (more than MAX_KEYS_LISTED)
 * </pre>
 */
final class KvTable {
  static final String TABLE = "kv";

  /** The most keys one KvKeys answers. */
  static final int MAX_KEYS_LISTED = 100_000;

  /** The most bytes of keys one KvKeys answers (well under the RPC frame limit). */
  static final long MAX_LISTED_BYTES = 16L << 20;

  /** The most bytes of keys and values the table holds: it lives in the control store's heap. */
  volatile long maxTotalBytes = Long.getLong("weft.kv.maxBytes", 256L << 20);

  private long totalBytes;

  private final TreeMap<String, byte[]> values = new TreeMap<>();
  private StoredTables stored;

  void useStorage(StoredTables stored) {
    this.stored = stored;
  }

  void recover(Msg.StoredKv kv) {
    byte[] old = values.put(kv.key(), kv.value());
    totalBytes += sizeOf(kv.key(), kv.value()) - (old == null ? 0 : sizeOf(kv.key(), old));
  }

  private static long sizeOf(String key, byte[] value) {
    return key.getBytes(StandardCharsets.UTF_8).length + (long) value.length;
  }

  int size() {
    return values.size();
  }

  void put(Connection c, long reqId, Msg.KvPut p) {
    String bad = check(p.key(), p.value());
    if (bad != null) {
      c.replyFailure(reqId, bad);
      return;
    }
    if (!p.overwrite() && values.containsKey(p.key())) {
      c.reply(reqId, new Msg.KvReply(false, null, null));
      return;
    }
    byte[] old = values.get(p.key());
    long after = totalBytes + sizeOf(p.key(), p.value()) - (old == null ? 0 : sizeOf(p.key(), old));
    if (after > maxTotalBytes) {
      c.replyFailure(
          reqId,
          "the key-value table holds "
              + totalBytes
              + " bytes, and writing key "
              + p.key()
              + " would pass its limit of "
              + maxTotalBytes
              + " (-Dweft.kv.maxBytes on the head); delete keys no longer needed, or keep large"
              + " values in objects (Weft.putDetached)");
      return;
    }
    if (stored != null) {
      stored.put(TABLE, p.key(), new Msg.StoredKv(p.key(), p.value()));
    }
    values.put(p.key(), p.value());
    totalBytes = after;
    c.reply(reqId, new Msg.KvReply(true, null, null));
  }

  void get(Connection c, long reqId, Msg.KvGet g) {
    byte[] v = g.key() == null ? null : values.get(g.key());
    c.reply(reqId, new Msg.KvReply(v != null, v, null));
  }

  void delete(Connection c, long reqId, Msg.KvDelete d) {
    boolean was = d.key() != null && values.containsKey(d.key());
    if (was) {
      if (stored != null) {
        stored.delete(TABLE, d.key());
      }
      totalBytes -= sizeOf(d.key(), values.remove(d.key()));
    }
    c.reply(reqId, new Msg.KvReply(was, null, null));
  }

  void keys(Connection c, long reqId, Msg.KvKeys k) {
    String prefix = k.prefix() == null ? "" : k.prefix();
    List<String> out = new ArrayList<>();
    long bytes = 0;
    for (String key : values.tailMap(prefix, true).keySet()) {
      if (!key.startsWith(prefix)) {
        break; // sorted: the keys with the prefix are one run from it
      }
      bytes += 4 + key.getBytes(StandardCharsets.UTF_8).length;
      if (out.size() == MAX_KEYS_LISTED || bytes > MAX_LISTED_BYTES) {
        c.replyFailure(
            reqId,
            "more than "
                + (out.size() == MAX_KEYS_LISTED
                    ? MAX_KEYS_LISTED + " keys"
                    : MAX_LISTED_BYTES + " bytes of keys")
                + " start with \""
                + prefix
                + "\": list a longer prefix at a time");
        return;
      }
      out.add(key);
    }
    c.reply(reqId, new Msg.KvReply(false, null, out));
  }

  private static String check(String key, byte[] value) {
    if (key == null || key.isEmpty()) {
      return "a key-value write needs a non-empty key";
    }
    if (!StandardCharsets.UTF_8.newEncoder().canEncode(key)) {
      return "a key is not valid Unicode (an unpaired surrogate)";
    }
    if (key.getBytes(StandardCharsets.UTF_8).length > KeyValueStore.MAX_KEY_BYTES) {
      return "a key is longer than " + KeyValueStore.MAX_KEY_BYTES + " UTF-8 bytes";
    }
    if (value == null) {
      return "the value for key " + key + " is null";
    }
    if (value.length > KeyValueStore.MAX_VALUE_BYTES) {
      return "the value for key "
          + key
          + " is larger than "
          + KeyValueStore.MAX_VALUE_BYTES
          + " bytes";
    }
    return null;
  }
}
