package dev.weft.internal.control;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ControlStorage} backend must do, run once per backend by its subclass: round
 * trips of put, replace and delete, binary and empty values, many keys, and a storage opened again
 * finding what the last one wrote. Checks that only make sense for one backend stay in its
 * subclass.
 */
abstract class ControlStorageContractTest {
  /** Bytes a text protocol or a text file could mangle: NULs, high bytes, CR LF. */
  static final byte[] BINARY = {0, (byte) 0xFF, 1, (byte) 0x80, 0, '\r', '\n'};

  static final byte[] EMPTY = {};

  /**
   * A new storage on this test's tables; the caller closes it. All calls in one test reach the same
   * tables (the file log: the same folder; Redis: the same server and database), so a storage
   * opened after the previous one was closed finds what that one wrote.
   */
  protected abstract ControlStorage open();

  /** What {@link ControlStorage#describe} says for a storage from {@link #open}. */
  protected abstract String description();

  static byte[] bytes(int... v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = (byte) v[i];
    }
    return b;
  }

  static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  /** The tables as a storage opened now finds them (close any open one first). */
  private Map<String, Map<String, byte[]>> loadFromAFreshStorage() {
    try (ControlStorage s = open()) {
      return s.load();
    }
  }

  @Test
  void writes_areFoundByTheNextStorageOnTheSameTables() {
    try (ControlStorage s = open()) {
      assertThat(s.load()).isEmpty();
      s.put("actors", "a1", bytes(0, 0xFF, 7));
      s.put("actors", "a2", new byte[0]);
      s.put("kv", "k", bytes(1));
      s.put("kv", "k", bytes(2)); // the last write wins
      s.delete("actors", "a2");
      s.delete("actors", "absent"); // no-op
      s.put("jobs", "j", bytes(3));
      s.delete("jobs", "j"); // a table left empty
    }
    try (ControlStorage s = open()) {
      Map<String, Map<String, byte[]>> t = s.load();
      assertThat(t).containsOnlyKeys("actors", "kv");
      assertThat(t.get("actors")).containsOnlyKeys("a1");
      assertThat(t.get("actors").get("a1")).containsExactly(bytes(0, 0xFF, 7));
      assertThat(t.get("kv").get("k")).containsExactly(bytes(2));
    }
  }

  @Test
  void putDeleteLoad_twoTablesWithBinaryValues_loadsTheLiveEntriesByteForByte() {
    try (ControlStorage storage = open()) {
      storage.put("nodes", "n-1", BINARY);
      storage.put("nodes", "n-2", bytes("two"));
      storage.put("actors", "a-1", EMPTY);
      storage.put("actors", "a-2", new byte[] {7});
      storage.put("jobs", "j-1", bytes("gone"));
      storage.delete("nodes", "n-2");
      storage.delete("actors", "a-2");
      storage.delete("jobs", "j-1");

      Map<String, Map<String, byte[]>> loaded = storage.load();

      assertThat(loaded).containsOnlyKeys("nodes", "actors");
      assertThat(loaded.get("nodes")).containsOnlyKeys("n-1");
      assertThat(loaded.get("nodes").get("n-1")).containsExactly(BINARY);
      assertThat(loaded.get("actors")).containsOnlyKeys("a-1");
      assertThat(loaded.get("actors").get("a-1")).isEmpty();
    }
  }

  @Test
  void load_storageOpenedAgain_readsWhatTheFirstWrote() {
    try (ControlStorage first = open()) {
      first.put("nodes", "n-1", BINARY);
      first.put("actors", "a-1", bytes("actor one"));
      first.put("actors", "a-2", EMPTY);
    }

    Map<String, Map<String, byte[]>> loaded = loadFromAFreshStorage();

    assertThat(loaded).containsOnlyKeys("nodes", "actors");
    assertThat(loaded.get("nodes").get("n-1")).containsExactly(BINARY);
    assertThat(loaded.get("actors")).containsOnlyKeys("a-1", "a-2");
    assertThat(loaded.get("actors").get("a-1")).containsExactly(bytes("actor one"));
    assertThat(loaded.get("actors").get("a-2")).isEmpty();
  }

  @Test
  void put_sameKeyTwice_keepsTheLastValue() {
    try (ControlStorage storage = open()) {
      storage.put("nodes", "n-1", bytes("first, and longer than the second"));
      storage.put("nodes", "n-1", BINARY);

      assertThat(storage.load().get("nodes").get("n-1")).containsExactly(BINARY);
    }

    assertThat(loadFromAFreshStorage().get("nodes").get("n-1")).containsExactly(BINARY);
  }

  @Test
  void delete_absentKeyOrTable_isANoOp() {
    try (ControlStorage storage = open()) {
      storage.put("nodes", "n-1", BINARY);

      storage.delete("nodes", "ghost");
      storage.delete("never-written", "ghost");

      Map<String, Map<String, byte[]>> loaded = storage.load();
      assertThat(loaded).containsOnlyKeys("nodes");
      assertThat(loaded.get("nodes")).containsOnlyKeys("n-1");
      assertThat(loaded.get("nodes").get("n-1")).containsExactly(BINARY);
    }

    // nor does it leave anything behind for the next storage
    Map<String, Map<String, byte[]>> reloaded = loadFromAFreshStorage();
    assertThat(reloaded).containsOnlyKeys("nodes");
    assertThat(reloaded.get("nodes")).containsOnlyKeys("n-1");
    assertThat(reloaded.get("nodes").get("n-1")).containsExactly(BINARY);
  }

  @Test
  void load_manyKeysInSeveralTables_returnsEveryLiveOneByteForByte() {
    Map<String, Map<String, byte[]>> expected = new HashMap<>();
    try (ControlStorage storage = open()) {
      for (String table : new String[] {"nodes", "actors", "kv"}) {
        for (int i = 0; i < 100; i++) {
          String key = table + "-" + i;
          byte[] value = bytes(i, 0, 0xFF - i, '\n', table.length());
          storage.put(table, key, value);
          expected.computeIfAbsent(table, t -> new HashMap<>()).put(key, value);
        }
        for (int i = 0; i < 100; i += 7) {
          storage.delete(table, table + "-" + i);
          expected.get(table).remove(table + "-" + i);
        }
      }
    }

    Map<String, Map<String, byte[]>> loaded = loadFromAFreshStorage();

    assertThat(loaded).containsOnlyKeys(expected.keySet());
    expected.forEach(
        (table, entries) -> {
          assertThat(loaded.get(table)).as(table).containsOnlyKeys(entries.keySet());
          entries.forEach(
              (key, value) ->
                  assertThat(loaded.get(table).get(key)).as(key).containsExactly(value));
        });
  }

  @Test
  void writes_afterReopen_addToWhatWasRecovered() {
    try (ControlStorage first = open()) {
      first.put("kv", "a", bytes(1));
      first.put("kv", "b", bytes(2));
    }
    try (ControlStorage second = open()) {
      assertThat(second.load().get("kv")).containsOnlyKeys("a", "b");
      second.delete("kv", "a");
      second.put("kv", "b", bytes(20));
      second.put("kv", "c", bytes(3));
    }

    Map<String, byte[]> kv = loadFromAFreshStorage().get("kv");

    assertThat(kv).containsOnlyKeys("b", "c");
    assertThat(kv.get("b")).containsExactly(bytes(20));
    assertThat(kv.get("c")).containsExactly(bytes(3));
  }

  @Test
  void describe_namesTheBackendAndWhere() {
    try (ControlStorage storage = open()) {
      assertThat(storage.describe()).isEqualTo(description());
    }
  }
}
