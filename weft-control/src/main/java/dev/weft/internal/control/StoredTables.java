package dev.weft.internal.control;

import dev.weft.internal.proto.Codec;
import dev.weft.internal.proto.Msg;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control store's tables as its {@link ControlStorage} keeps them: one row per job, node, actor
 * and placement group, each a {@code Msg.Stored*} record encoded with {@link Codec}. Written from
 * the control store's loop before the reply that reveals a change goes out, so that what any
 * process was told survives a crash of the control store.
 *
 * <p>A write that fails (the disk is full, Redis is gone) stops this process: a control store that
 * cannot keep its tables must not go on answering as if it had. Its supervisor (the head's node
 * manager) starts it again, and the new one recovers from what the storage holds once it can read
 * it.
 */
final class StoredTables {
  private static final Logger log = LoggerFactory.getLogger(StoredTables.class);

  static final String META = "meta";
  static final String JOBS = "jobs";
  static final String NODES = "nodes";
  static final String ACTORS = "actors";
  static final String GROUPS = "groups";

  private final ControlStorage storage;

  StoredTables(ControlStorage storage) {
    this.storage = storage;
  }

  String describe() {
    return storage.describe();
  }

  void put(String table, String key, Msg record) {
    try {
      storage.put(table, key, Codec.encode(record));
    } catch (RuntimeException e) {
      fail("write " + table + "/" + key, e);
    }
  }

  void delete(String table, String key) {
    try {
      storage.delete(table, key);
    } catch (RuntimeException e) {
      fail("delete " + table + "/" + key, e);
    }
  }

  private static boolean interruptedIo(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.nio.channels.ClosedByInterruptException
          || t instanceof InterruptedException) {
        return true;
      }
    }
    return false;
  }

  /** Everything the storage holds, decoded: table → records of its rows. */
  Map<String, List<Msg>> load() {
    Map<String, Map<String, byte[]>> raw = storage.load();
    Map<String, List<Msg>> out = new java.util.HashMap<>();
    raw.forEach(
        (table, rows) -> {
          List<Msg> records = new ArrayList<>();
          rows.forEach(
              (key, bytes) -> {
                try {
                  records.add(Codec.decode(bytes));
                } catch (RuntimeException e) {
                  throw new IllegalStateException(
                      "the control store's storage "
                          + storage.describe()
                          + " holds a row it cannot read ("
                          + table
                          + "/"
                          + key
                          + ": "
                          + e.getMessage()
                          + "); was it written by another Weft version? Start the head on"
                          + " empty storage, or with the version that wrote it",
                      e);
                }
              });
          out.put(table, records);
        });
    return out;
  }

  private void fail(String what, RuntimeException e) {
    if (Thread.currentThread().isInterrupted() || interruptedIo(e)) {
      // the control store is being stopped (its loop interrupted, as at exit or a test's crash):
      // a stopped process writes nothing more, and an interrupted file channel closes itself, so
      // this is the stop itself, not a storage that failed
      log.warn("the control store stops while it writes ({}): not written", what);
      return;
    }
    log.error(
        "the control store cannot {} in its storage {}: stopping, so that it is started again"
            + " and recovers what the storage holds",
        what,
        storage.describe(),
        e);
    System.err.println("the control store cannot " + what + " in " + storage.describe() + ": " + e);
    Runtime.getRuntime().halt(4);
  }
}
