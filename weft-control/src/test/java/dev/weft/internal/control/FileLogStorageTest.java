package dev.weft.internal.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FileLogStorage}: the shared contract on a folder, and what a control store started again
 * on that folder finds after compaction, a crash or damage.
 */
class FileLogStorageTest extends ControlStorageContractTest {
  @TempDir Path dir;

  @Override
  protected ControlStorage open() {
    return new FileLogStorage(dir);
  }

  @Override
  protected String description() {
    return "file:" + dir.toAbsolutePath();
  }

  @Test
  void aLongLog_isCompactedIntoASnapshot_andNothingIsLost() throws Exception {
    try (FileLogStorage s = new FileLogStorage(dir, 2000)) {
      for (int i = 0; i < 500; i++) {
        s.put("nodes", "n" + (i % 20), bytes(i % 256, 1, 2, 3));
      }
      s.delete("nodes", "n3");
      assertThat(s.logBytes()).as("the log after compactions").isLessThan(4000);
    }
    assertThat(dir.resolve("snapshot")).exists();
    try (FileLogStorage s = new FileLogStorage(dir, 2000)) {
      Map<String, byte[]> nodes = s.load().get("nodes");
      assertThat(nodes).hasSize(19).doesNotContainKey("n3");
      assertThat(nodes.get("n19")).containsExactly(bytes(499 % 256, 1, 2, 3));
    }
  }

  private static long flusherThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("weft-control-sync") && t.isAlive())
        .count();
  }

  /**
   * {@code --storage-sync never} (a cluster that ends with its driver): no flusher, nothing forced,
   * and what was written, through a compaction too, is there for a control store started again on
   * the folder (the OS has it), as after a crash of the control store's process.
   */
  @Test
  void aStorageThatNeverForces_runsNoFlusher_andKeepsItsWritesForARestart() throws Exception {
    long before = flusherThreads();
    try (FileLogStorage s = new FileLogStorage(dir, 2000, -1)) {
      assertThat(flusherThreads()).as("no flusher thread").isEqualTo(before);
      for (int i = 0; i < 300; i++) {
        s.put("actors", "a" + (i % 30), bytes(i % 256, 7));
      }
      s.sync(); // a no-op here
    }
    assertThat(dir.resolve("snapshot")).as("compacted on the way").exists();
    try (FileLogStorage s = new FileLogStorage(dir)) {
      Map<String, byte[]> actors = s.load().get("actors");
      assertThat(actors).hasSize(30);
      assertThat(actors.get("a29")).containsExactly(bytes(299 % 256, 7));
    }
  }

  @Test
  void storageSync_acceptsNeverOrMilliseconds_andSaysWhatElseItWants() {
    assertThat(ControlMain.storageSync("never")).isNegative();
    assertThat(ControlMain.storageSync("0")).isZero();
    assertThat(ControlMain.storageSync("20")).isEqualTo(20);
    for (String bad : new String[] {"-5", "soon", ""}) {
      assertThatThrownBy(() -> ControlMain.storageSync(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("--storage-sync " + bad)
          .hasMessageContaining("never");
    }
  }

  @Test
  void aCrashBetweenSnapshotAndFreshLog_replaysTheOldLogToTheSameTables() throws Exception {
    byte[] oldLog;
    try (FileLogStorage s = new FileLogStorage(dir)) {
      s.put("kv", "a", bytes(1));
      s.put("kv", "b", bytes(2));
      s.delete("kv", "a");
      s.put("kv", "c", bytes(39));
      oldLog = Files.readAllBytes(dir.resolve("log"));
      s.compact();
    }
    Files.write(dir.resolve("log"), oldLog); // as if the fresh log never replaced the old one
    try (FileLogStorage s = new FileLogStorage(dir)) {
      Map<String, byte[]> kv = s.load().get("kv");
      assertThat(kv).containsOnlyKeys("b", "c");
      assertThat(kv.get("c")).containsExactly(bytes(39));
    }
  }

  @Test
  void aWriteTornByACrash_isCutOffWithTheRecordsBeforeItKept() throws Exception {
    try (FileLogStorage s = new FileLogStorage(dir)) {
      s.put("kv", "a", bytes(1));
      s.put("kv", "b", bytes(2));
    }
    long good = Files.size(dir.resolve("log"));
    // half a record: a header announcing 100 bytes, and 10 of them
    ByteBuffer torn = ByteBuffer.allocate(18).putInt(100).putInt(12345);
    Files.write(dir.resolve("log"), torn.array(), StandardOpenOption.APPEND);
    try (FileLogStorage s = new FileLogStorage(dir)) {
      assertThat(s.load().get("kv")).containsOnlyKeys("a", "b");
      assertThat(Files.size(dir.resolve("log"))).as("cut back").isEqualTo(good);
      s.put("kv", "c", bytes(3));
    }
    try (FileLogStorage s = new FileLogStorage(dir)) {
      assertThat(s.load().get("kv")).containsOnlyKeys("a", "b", "c");
    }
  }

  @Test
  void aDamagedRecordWithMoreAfterIt_isRefusedWithAClearError() throws Exception {
    try (FileLogStorage s = new FileLogStorage(dir)) {
      s.put("kv", "a", bytes(1));
      s.put("kv", "b", bytes(2));
    }
    byte[] log = Files.readAllBytes(dir.resolve("log"));
    log[FileLogStorage.LOG_MAGIC.length + 9] ^= 0x40; // a byte of the first record's body
    Files.write(dir.resolve("log"), log);
    assertThatThrownBy(() -> new FileLogStorage(dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(dir.resolve("log").toAbsolutePath().toString())
        .hasMessageContaining("is damaged: a record failing its checksum at byte 8")
        .hasMessageContaining("restore the folder from a backup");
  }

  @Test
  void aDamagedSnapshotOrAForeignFile_isRefused() throws Exception {
    try (FileLogStorage s = new FileLogStorage(dir, 100)) {
      for (int i = 0; i < 20; i++) {
        s.put("kv", "k" + i, bytes(i));
      }
    }
    byte[] snap = Files.readAllBytes(dir.resolve("snapshot"));
    snap[snap.length / 2] ^= 1;
    Files.write(dir.resolve("snapshot"), snap);
    assertThatThrownBy(() -> new FileLogStorage(dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("snapshot is damaged: its checksum does not match");
    Files.delete(dir.resolve("snapshot"));
    Files.writeString(dir.resolve("log"), "not a log at all\n");
    assertThatThrownBy(() -> new FileLogStorage(dir))
        .hasMessageContaining("does not start as a Weft control-store log");
  }

  @Test
  void aSecondControlStoreOnTheSameFolder_isRefused() {
    try (FileLogStorage first = new FileLogStorage(dir)) {
      first.put("kv", "a", bytes(1));
      assertThatThrownBy(() -> new FileLogStorage(dir))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("another control store is using " + dir.toAbsolutePath());
    }
    try (FileLogStorage again = new FileLogStorage(dir)) {
      assertThat(again.load().get("kv")).containsOnlyKeys("a");
    }
  }

  @Test
  void open_namesWhatItAccepts() {
    assertThat(ControlStorage.open("memory").describe()).isEqualTo("memory");
    try (ControlStorage s = ControlStorage.open("file:" + dir)) {
      assertThat(s.describe()).isEqualTo("file:" + dir.toAbsolutePath());
    }
    assertThatThrownBy(() -> ControlStorage.open("etcd://x:1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("file:DIR")
        .hasMessageContaining("redis://host:port");
    assertThatThrownBy(() -> ControlStorage.open("file:")).hasMessageContaining("names no folder");
  }
}
