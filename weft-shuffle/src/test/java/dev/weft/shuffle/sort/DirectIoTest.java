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
