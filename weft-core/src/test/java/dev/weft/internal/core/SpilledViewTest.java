package dev.weft.internal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.WeftException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SpilledView} over a real file laid out as a node's spill file (an object at an aligned
 * offset, a header before its payload): on a disk file system (direct reads) and on tmpfs (which
 * refuses {@code O_DIRECT}: plain reads), every range comes back, across staging buffers and at
 * unaligned offsets; the buffer maps the same bytes; close releases the copy once; a file that ends
 * too soon is a clear error.
 */
class SpilledViewTest {
  @TempDir Path disk;

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void everyRangeComesBack_andCloseReleasesOnce(boolean onDisk) throws Exception {
    Path dir = onDisk ? disk : Files.createTempDirectory(Path.of("/dev/shm"), "weft-spilled-view");
    Path file = dir.resolve("spill-0.bin");
    int header = 16;
    long at = 3 * 4096; // where the node put the object
    int payload = SpilledView.STAGE * 2 + 12345; // spans three staging buffers
    byte[] bytes = new byte[payload];
    new Random(42).nextBytes(bytes);
    try (var ch =
        java.nio.channels.FileChannel.open(
            file,
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(bytes), at + header);
      ch.write(ByteBuffer.wrap(new byte[4096]), at + header + payload); // padding, as spills do
    }
    AtomicInteger released = new AtomicInteger();
    SpilledView v =
        new SpilledView("object x", file, at + header, payload, released::incrementAndGet);
    try {
      assertThat(v.sizeBytes()).isEqualTo(payload);
      assertThat(v.zeroCopy()).isFalse();
      byte[] all = new byte[payload];
      v.copyTo(0, MemorySegment.ofArray(all));
      assertThat(all).isEqualTo(bytes);
      for (long[] r :
          new long[][] {{1, 100}, {4095, 2}, {SpilledView.STAGE - 7, 9000}, {payload - 3, 3}}) {
        byte[] part = new byte[(int) r[1]];
        v.copyTo(r[0], MemorySegment.ofArray(part));
        assertThat(part)
            .as("bytes %d..%d", r[0], r[0] + r[1])
            .isEqualTo(Arrays.copyOfRange(bytes, (int) r[0], (int) (r[0] + r[1])));
      }
      byte[] mapped = new byte[payload];
      v.buffer().get(mapped);
      assertThat(mapped).isEqualTo(bytes);
      assertThatThrownBy(() -> v.copyTo(payload - 1, MemorySegment.ofArray(new byte[2])))
          .isInstanceOf(IndexOutOfBoundsException.class);
    } finally {
      v.close();
      v.close();
    }
    assertThat(released).as("released once").hasValue(1);
    assertThatThrownBy(() -> v.copyTo(0, MemorySegment.ofArray(new byte[1])))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(v::buffer).isInstanceOf(IllegalStateException.class);

    // a file that ends before the object does (truncated, say): a clear error, no hang
    SpilledView beyond =
        new SpilledView("object y", file, at + header, payload + 100_000, () -> {});
    try {
      assertThatThrownBy(() -> beyond.copyTo(payload, MemorySegment.ofArray(new byte[50_000])))
          .isInstanceOf(WeftException.class)
          .hasMessageContaining("object y")
          .hasMessageContaining("ends at");
    } finally {
      beyond.close();
    }
    if (!onDisk) {
      Files.delete(file);
      Files.delete(dir);
    }
  }
}
