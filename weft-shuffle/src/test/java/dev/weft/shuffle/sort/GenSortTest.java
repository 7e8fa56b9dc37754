package dev.weft.shuffle.sort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenSortTest {
  @TempDir Path tmp;

  // Small ranges and buffers, so that files hold several ranges and ranges several buffers.
  private static final int RANGE = 100;
  private static final int BUFFER = 30;
  private static final long MANY = 1007;

  @Test
  void generate_sameSeed_sameBytesHoweverSplit() throws IOException {
    GenSort.generate(tmp.resolve("one"), MANY, 1, 42, GenSort.Keys.UNIFORM, false);
    GenSort.generate(tmp.resolve("three"), MANY, 3, 42, GenSort.Keys.UNIFORM, false, RANGE, BUFFER);
    GenSort.generate(
        tmp.resolve("again"), MANY, 3, 42, GenSort.Keys.UNIFORM, false, RANGE + 1, BUFFER - 1);
    GenSort.generate(tmp.resolve("other"), MANY, 3, 43, GenSort.Keys.UNIFORM, false);

    byte[] one = SortData.concat(tmp.resolve("one"));
    assertThat(one).hasSize((int) MANY * Records.RECORD);
    assertThat(Arrays.equals(one, SortData.concat(tmp.resolve("three")))).isTrue();
    assertThat(Arrays.equals(one, SortData.concat(tmp.resolve("again")))).isTrue();
    assertThat(Arrays.equals(one, SortData.concat(tmp.resolve("other")))).isFalse();
  }

  @Test
  void generate_splitsEvenly_firstFilesTakeTheRest() throws IOException {
    GenSort.Summary s = GenSort.generate(tmp, 10, 4, 1, GenSort.Keys.UNIFORM, false);

    assertThat(s.records()).isEqualTo(10);
    assertThat(s.bytes()).isEqualTo(1000);
    assertThat(s.files()).isEqualTo(4);
    assertThat(s.line()).contains("10 records", "1000 bytes", "4 files", "MB/s");
    try (Stream<Path> files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted())
          .containsExactly("part-00000", "part-00001", "part-00002", "part-00003");
    }
    assertThat(Files.size(tmp.resolve("part-00000"))).isEqualTo(300);
    assertThat(Files.size(tmp.resolve("part-00001"))).isEqualTo(300);
    assertThat(Files.size(tmp.resolve("part-00002"))).isEqualTo(200);
    assertThat(Files.size(tmp.resolve("part-00003"))).isEqualTo(200);
  }

  @Test
  void generate_layoutBytesAtTheirPositions() throws IOException {
    GenSort.generate(tmp, 300, 2, 7, GenSort.Keys.UNIFORM, false);
    List<byte[]> records = SortData.read(tmp);

    Set<String> keys = new HashSet<>();
    for (int row = 0; row < records.size(); row++) {
      byte[] r = records.get(row);
      keys.add(HexFormat.of().formatHex(r, 0, Records.KEY));
      assertThat(r[10]).isEqualTo((byte) 0x00);
      assertThat(r[11]).isEqualTo((byte) 0x11);
      assertThat(new String(r, 12, 32, StandardCharsets.US_ASCII))
          .isEqualTo(String.format("%032X", row));
      assertThat(Arrays.copyOfRange(r, 44, 48)).containsExactly(0x88, 0x99, 0xAA, 0xBB);
      for (int g = 0; g < 12; g++) {
        byte d = r[48 + 4 * g];
        assertThat((char) d)
            .isIn('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'B', 'C', 'D', 'E', 'F');
        assertThat(Arrays.copyOfRange(r, 48 + 4 * g, 52 + 4 * g)).containsOnly(d);
      }
      assertThat(Arrays.copyOfRange(r, 96, 100)).containsExactly(0xCC, 0xDD, 0xEE, 0xFF);
    }
    assertThat(keys).hasSize(300); // 80-bit random keys: no collisions among 300
  }

  @Test
  void generate_skewedKeys_shareTheirFirstSixBytes() throws IOException {
    GenSort.generate(tmp, 1000, 1, 3, GenSort.Keys.SKEWED, false);

    Set<String> tails = new HashSet<>();
    for (byte[] r : SortData.read(tmp)) {
      assertThat(Arrays.copyOfRange(r, 0, GenSort.SKEW_PREFIX)).containsOnly(0);
      tails.add(HexFormat.of().formatHex(r, GenSort.SKEW_PREFIX, Records.KEY));
    }
    assertThat(tails.size()).isGreaterThan(990); // 32 random bits: a collision or two at most
  }

  @Test
  void generate_duplicateKeys_drawnFromSixteen() throws IOException {
    GenSort.generate(tmp, 2000, 2, 3, GenSort.Keys.DUPLICATES, false);

    Set<String> keys = new HashSet<>();
    for (byte[] r : SortData.read(tmp)) {
      keys.add(HexFormat.of().formatHex(r, 0, Records.KEY));
    }
    assertThat(keys).hasSize(GenSort.DISTINCT_KEYS);
  }

  @Test
  void generate_nonEmptyFolder_refusedUnlessOverwrite() throws IOException {
    Files.writeString(tmp.resolve("notes.txt"), "keep me");

    assertThatThrownBy(() -> GenSort.generate(tmp, 10, 1, 0, GenSort.Keys.UNIFORM, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(tmp.toString())
        .hasMessageContaining("not empty")
        .hasMessageContaining("notes.txt")
        .hasMessageContaining("--overwrite");
    assertThat(tmp.resolve("notes.txt")).exists();

    GenSort.generate(tmp, 10, 1, 0, GenSort.Keys.UNIFORM, true);
    try (Stream<Path> files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("part-00000");
    }
  }

  @Test
  void generate_overwriteWithFewerFiles_leavesNoOldPart() throws IOException {
    GenSort.generate(tmp, 30, 3, 0, GenSort.Keys.UNIFORM, false);
    GenSort.generate(tmp, 30, 2, 0, GenSort.Keys.UNIFORM, true);

    try (Stream<Path> files = Files.list(tmp)) {
      assertThat(files.count()).isEqualTo(2);
    }
  }

  @Test
  void generate_createsMissingFolder_andZeroRecords() throws IOException {
    Path dir = tmp.resolve("a/b");
    GenSort.Summary s = GenSort.generate(dir, 0, 2, 0, GenSort.Keys.UNIFORM, false);

    assertThat(s.bytes()).isZero();
    assertThat(Files.size(dir.resolve("part-00000"))).isZero();
    assertThat(Files.size(dir.resolve("part-00001"))).isZero();
  }

  @Test
  void generate_badCounts_rejected() {
    assertThatThrownBy(() -> GenSort.generate(tmp, -1, 1, 0, GenSort.Keys.UNIFORM, false))
        .hasMessageContaining("--records must be >= 0");
    assertThatThrownBy(() -> GenSort.generate(tmp, 1, 0, 0, GenSort.Keys.UNIFORM, false))
        .hasMessageContaining("--files must be 1..");
    assertThatThrownBy(
            () -> GenSort.generate(tmp, 1, GenSort.MAX_FILES + 1, 0, GenSort.Keys.UNIFORM, false))
        .hasMessageContaining("--files must be 1..");
  }

  @Test
  void generate_outputIsAFile_rejected() throws IOException {
    Path file = Files.writeString(tmp.resolve("f"), "x");

    assertThatThrownBy(() -> GenSort.generate(file, 1, 1, 0, GenSort.Keys.UNIFORM, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a folder");
  }
}
