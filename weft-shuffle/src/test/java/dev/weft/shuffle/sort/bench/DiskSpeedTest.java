package dev.weft.shuffle.sort.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskSpeedTest {
  @TempDir Path tmp;

  @Test
  void measuresPositiveFiguresAndLeavesNoFile() throws IOException {
    DiskSpeed.Result r = DiskSpeed.measure(tmp, 64L << 20);

    assertThat(r.bytes()).isEqualTo(64L << 20);
    assertThat(r.writeMBs()).isPositive().isFinite();
    assertThat(r.readMBs()).isPositive().isFinite();
    assertThat(r.describe()).contains("MB/s");
    assertThat(list(tmp)).as("files left in " + tmp).isEmpty();
  }

  @Test
  void withoutDirectIoTheFiguresAreFlaggedAsCached() throws IOException {
    DiskSpeed.Result r = DiskSpeed.measure(tmp, 1, false);

    assertThat(r.direct()).isFalse();
    assertThat(r.bytes()).as("rounded up to one 8 MiB block").isEqualTo(8L << 20);
    assertThat(r.writeMBs()).isPositive().isFinite();
    assertThat(r.readMBs()).isPositive().isFinite();
    assertThat(r.describe()).contains("page cache");
    assertThat(list(tmp)).isEmpty();
  }

  @Test
  void aMissingFolderIsAClearError() {
    Path missing = tmp.resolve("nope");
    assertThatThrownBy(() -> DiskSpeed.measure(missing, 1 << 20))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("not a folder");
  }

  private static java.util.List<Path> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }
}
