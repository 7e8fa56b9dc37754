package dev.weft.shuffle.sort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link DirectIo.Writer}: whatever the lengths appended (none, less than a block, across both
 * buffers many times, not a multiple of the alignment), the file holds exactly those bytes.
 */
class DirectIoTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 99, 4095, 4096, 8192, 8193, 3 * 8192 + 100, 100_000})
  void writer_anyLength_fileHoldsExactlyTheBytesAppended(int length) throws IOException {
    byte[] data = new byte[length];
    new Random(length).nextBytes(data);
    Path f = dir.resolve("out-" + length);
    Files.write(f, new byte[50_000]); // an older, longer file is truncated
    MemorySegment src = MemorySegment.ofArray(data);
    try (DirectIo.Writer w = DirectIo.create(f, 8192)) {
      // appended in uneven pieces, as a merge appends record runs
      int at = 0;
      int piece = 1;
      while (at < length) {
        int n = Math.min(piece, length - at);
        w.append(src, at, n);
        at += n;
        piece = piece * 3 + 7;
      }
      w.finish();
    }
    assertThat(Files.readAllBytes(f)).isEqualTo(data);
  }

  @Test
  void create_onThisMachinesTempFolder_usesDirectWritesWhereSupported() throws IOException {
    // not an assertion that O_DIRECT exists everywhere: that it is used where the JDK offers it
    try (DirectIo.Writer w = DirectIo.create(dir.resolve("f"), 8192)) {
      assertThat(w.direct()).isEqualTo(DirectIo.ENABLED && supportsDirect(dir));
    }
  }

  @Test
  void read_anyRangeOfAFile_givesItsBytes_orNullWhereItCannot() throws IOException {
    byte[] data = new byte[3 * 4096 + 555];
    new Random(3).nextBytes(data);
    Path f = dir.resolve("in");
    Files.write(f, data);
    boolean direct = DirectIo.ENABLED && supportsDirect(dir);
    try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
      MemorySegment buf = arena.allocate(5 * 4096, DirectIo.ALIGN);
      // unaligned at both ends; from the start; up to the file's unaligned end; one byte
      long[][] ranges = {{100, 9000}, {0, 4096}, {4096 + 7, data.length - 4096 - 7}, {12287, 1}};
      for (long[] r : ranges) {
        MemorySegment got = DirectIo.read(f, r[0], r[1], buf);
        if (!direct) {
          assertThat(got).as("O_DIRECT is not available here").isNull();
          continue;
        }
        assertThat(got).as("range %d+%d", r[0], r[1]).isNotNull();
        assertThat(got.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE))
            .isEqualTo(java.util.Arrays.copyOfRange(data, (int) r[0], (int) (r[0] + r[1])));
      }
      // no room for the aligned span, past the end of the file, an unaligned buffer: null
      assertThat(DirectIo.read(f, 100, 9000, buf.asSlice(0, 8192))).isNull();
      assertThat(DirectIo.read(f, 4096, data.length, buf)).isNull();
      assertThat(DirectIo.read(f, 0, 100, buf.asSlice(1))).isNull();
    }
  }

  @Test
  void create_bufferNotAMultipleOfTheAlignment_isRefused() {
    assertThatThrownBy(() -> DirectIo.create(dir.resolve("g"), 1000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("multiple of 4096");
  }

  private static boolean supportsDirect(Path dir) {
    try (var ch =
        java.nio.channels.FileChannel.open(
            dir.resolve("probe"),
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.WRITE,
            com.sun.nio.file.ExtendedOpenOption.DIRECT)) {
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }
}
