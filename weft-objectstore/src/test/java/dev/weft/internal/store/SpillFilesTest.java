package dev.weft.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpillFilesTest {
  @TempDir Path dir;

  /**
   * Emptied spill files are deleted off the caller's thread, several at once; closing deletes those
   * still in use and waits for all, leaving the folder empty.
   */
  @org.junit.jupiter.api.Test
  void close_deletesEverySpillFile() throws Exception {
    Path folder = dir.resolve("spill");
    SpillFiles spill = new SpillFiles(folder, true, 64 << 10);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment o = arena.allocate(100_000, 4096);
      o.fill((byte) 7);
      List<SpillFiles.Location> where = new ArrayList<>();
      for (int i = 0; i < 3 * SpillFiles.DELETE_PARALLEL + 1; i++) {
        where.add(spill.spill(o));
      }
      assertThat(spill.fileCount()).as("one file each (rolled at 64 KiB)").isEqualTo(13);
      try (var listed = Files.list(folder)) {
        assertThat(listed.count()).isEqualTo(13);
      }
      for (SpillFiles.Location l : where.subList(0, 5)) {
        spill.remove(l); // emptied: deleted on the deleting threads, maybe not yet
      }
      assertThat(spill.fileCount()).isEqualTo(8);
    }
    spill.close(); // the 8 left, and waits for the 5 under way
    assertThat(spill.fileCount()).isZero();
    try (var listed = Files.list(folder)) {
      assertThat(listed.toList()).as("nothing left").isEmpty();
    }
  }

  /**
   * Objects of sizes around the block size and beyond the staging buffer, spilled one after another
   * into shared files and restored (in another order) into targets that are not block-aligned:
   * every byte comes back, with direct writes (where this machine's temp folder allows them) and
   * without.
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void spillAndRestore_anySize_everyByteComesBack(boolean direct) throws Exception {
    long[] sizes = {
      1, 63, 64, 4095, 4096, 4097, 100_000, SpillFiles.STAGE - 1, SpillFiles.STAGE + 12_345, 7
    };
    SplittableRandom rnd = new SplittableRandom(11);
    try (Arena arena = Arena.ofConfined();
        SpillFiles spill = new SpillFiles(dir.resolve("spill"), direct)) {
      List<MemorySegment> objects = new ArrayList<>();
      List<SpillFiles.Location> where = new ArrayList<>();
      for (long n : sizes) {
        // a slice at a 64-byte (not a block) boundary, as store blocks are
        MemorySegment o = arena.allocate(n + 64, 4096).asSlice(64, n);
        for (long i = 0; i < n; i++) {
          o.set(ValueLayout.JAVA_BYTE, i, (byte) rnd.nextInt(256));
        }
        objects.add(o);
        where.add(spill.spill(o));
        if (direct) {
          assertThat(spill.writingDirect())
              .as("O_DIRECT on this machine's temp folder (ext4)")
              .isEqualTo(Files.getFileStore(dir).type().matches("ext[234]|xfs|btrfs"));
        } else {
          assertThat(spill.writingDirect()).isFalse();
        }
      }
      for (int k = objects.size() - 1; k >= 0; k--) {
        MemorySegment o = objects.get(k);
        MemorySegment back = arena.allocate(o.byteSize() + 128, 64).asSlice(64, o.byteSize());
        MemorySegment after = arena.allocate(o.byteSize() + 128, 64);
        after.fill((byte) 0x5A);
        MemorySegment target = after.asSlice(64, o.byteSize());
        spill.restore(where.get(k), target);
        back.copyFrom(target);
        assertThat(back.mismatch(o)).as("object %d (%d bytes)", k, o.byteSize()).isEqualTo(-1);
        assertThat(after.get(ValueLayout.JAVA_BYTE, 63))
            .as("nothing written before the target")
            .isEqualTo((byte) 0x5A);
        assertThat(after.get(ValueLayout.JAVA_BYTE, 64 + o.byteSize()))
            .as("nothing written past the target: a padded read stays in the staging buffer")
            .isEqualTo((byte) 0x5A);
      }
      for (SpillFiles.Location l : where) {
        spill.remove(l);
      }
      assertThat(spill.spilledBytes()).isZero();
      assertThat(spill.fileCount()).as("a file goes with its last object").isZero();
    }
  }
}
