package dev.weft.internal.core;

import dev.weft.KeyValueStore;
import dev.weft.WeftException;
import dev.weft.internal.proto.Msg;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code Weft.kv()}: the control store's key-value table, over this process's control link (which
 * waits while the control store restarts and sends a request again if its answer was lost).
 */
final class ClusterKv implements KeyValueStore {
  private final CoreWorker cw;

  ClusterKv(CoreWorker cw) {
    this.cw = cw;
  }

  @Override
  public void put(String key, byte[] value) {
    call(new Msg.KvPut(checkKey(key), checkValue(key, value), true), "writing key " + key);
  }

  @Override
  public boolean putIfAbsent(String key, byte[] value) {
    return call(new Msg.KvPut(checkKey(key), checkValue(key, value), false), "writing key " + key)
        .found();
  }

  @Override
  public Optional<byte[]> get(String key) {
    Msg.KvReply r = call(new Msg.KvGet(checkKey(key)), "reading key " + key);
    return r.found() ? Optional.of(r.value()) : Optional.empty();
  }

  @Override
  public boolean delete(String key) {
    return call(new Msg.KvDelete(checkKey(key)), "deleting key " + key).found();
  }

  @Override
  public List<String> keys(String prefix) {
    if (prefix == null) {
      throw new IllegalArgumentException("Weft.kv().keys: the prefix is null (use \"\" for all)");
    }
    return List.copyOf(call(new Msg.KvKeys(prefix), "listing keys under " + prefix).keys());
  }

  private Msg.KvReply call(Msg m, String what) {
    Msg reply =
        cw.await(
            cw.controlCall(m),
            Duration.ofMillis(ControlLink.RECONNECT_WINDOW_MILLIS + 60_000),
            what + " in the cluster's key-value table");
    if (reply instanceof Msg.KvReply r) {
      return r;
    }
    if (reply instanceof Msg.Failure f) {
      throw new WeftException(what + " in the cluster's key-value table failed: " + f.text());
    }
    throw new WeftException("unexpected reply from the control store to " + what + ": " + reply);
  }

  static String checkKey(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException(
          "Weft.kv(): the key is " + (key == null ? "null" : "empty") + "; give a non-empty key");
    }
    if (!StandardCharsets.UTF_8.newEncoder().canEncode(key)) {
      throw new IllegalArgumentException(
          "Weft.kv(): a key starting \""
              + key.substring(0, Math.min(key.length(), 40))
              + "\" is not valid Unicode (an unpaired surrogate): it could not be stored as it"
              + " is; give a key made of whole characters");
    }
    int n = key.getBytes(StandardCharsets.UTF_8).length;
    if (n > MAX_KEY_BYTES) {
      throw new IllegalArgumentException(
          "Weft.kv(): the key starting \""
              + key.substring(0, key.offsetByCodePoints(0, 40))
              + "\" has "
              + n
              + " UTF-8 bytes, more than the "
              + MAX_KEY_BYTES
              + " allowed; use a shorter key (a hash of it, say)");
    }
    return key;
  }

  static byte[] checkValue(String key, byte[] value) {
    if (value == null) {
      throw new IllegalArgumentException(
          "Weft.kv(): the value for key " + key + " is null; use delete to remove a key");
    }
    if (value.length > MAX_VALUE_BYTES) {
      throw new IllegalArgumentException(
          "Weft.kv(): the value for key "
              + key
              + " has "
              + value.length
              + " bytes, more than the "
              + MAX_VALUE_BYTES
              + " allowed; keep large data in an object (Weft.putDetached) and its ref or id here");
    }
    return value;
  }
}
