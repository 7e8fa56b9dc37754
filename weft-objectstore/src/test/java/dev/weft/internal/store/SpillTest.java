package dev.weft.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.internal.store.ObjectDirectory.Key;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpillTest {
  @TempDir Path tmp;

  static void fill(MemorySegment s, byte v) {
    s.fill(v);
  }

  @Test
  void createThatDoesNotFit_spillsTheLeastRecentlyUsedAndPinRestoresIt() throws Exception {
    try (StoreFile mem = StoreFile.create(tmp.resolve("store"), 8192);
        SpillFiles spill = new SpillFiles(tmp.resolve("spill"))) {
      ObjectDirectory dir = new ObjectDirectory(8192, mem, spill);
      Key a = new Key(1, 1);
      Key b = new Key(1, 2);
      Key c = new Key(1, 3);
      var ba = dir.create(a, 3000, "o");
      fill(mem.slice(ba.offset, 3000), (byte) 'a');
      dir.seal(a);
      var bb = dir.create(b, 3000, "o");
      fill(mem.slice(bb.offset, 3000), (byte) 'b');
      dir.seal(b);
      dir.pin(b); // b is in use: it must not be spilled
      var bc = dir.create(c, 3000, "o");
      assertThat(bc).as("a third object fits once the unpinned one is spilled").isNotNull();
      assertThat(dir.spilledObjects()).isEqualTo(1);
      assertThat(dir.spilledBytes()).isEqualTo(3000);
      fill(mem.slice(bc.offset, 3000), (byte) 'c');
      dir.seal(c);
      dir.unpin(b);

      var back = dir.pin(a); // restores a (spilling the least recently used of b and c)
      assertThat(mem.slice(back.offset, 3000).get(ValueLayout.JAVA_BYTE, 2999))
          .isEqualTo((byte) 'a');
      dir.unpin(a);
      assertThat(dir.spilledObjects()).isEqualTo(1);

      dir.delete(a);
      dir.delete(b);
      dir.delete(c);
      assertThat(dir.usedBytes()).isZero();
      assertThat(dir.spilledBytes()).isZero();
      try (var files = Files.list(tmp.resolve("spill"))) {
        assertThat(files.count()).as("spill files are deleted with their objects").isZero();
      }
    }
  }

  @Test
  void everythingPinned_createFails() throws Exception {
    try (StoreFile mem = StoreFile.create(tmp.resolve("store2"), 4096);
        SpillFiles spill = new SpillFiles(tmp.resolve("spill2"))) {
      ObjectDirectory dir = new ObjectDirectory(4096, mem, spill);
      Key a = new Key(2, 1);
      dir.create(a, 3000, "o");
      dir.seal(a);
      dir.pin(a);
      assertThat(dir.create(new Key(2, 2), 3000, "o")).isNull();
    }
  }
}
