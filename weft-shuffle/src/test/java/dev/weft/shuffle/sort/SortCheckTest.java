package dev.weft.shuffle.sort;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SortCheckTest {
  // Small ranges and buffers, so that files hold several ranges and ranges several buffers.
  private static final int RANGE = 100;
  private static final int BUFFER = 30;

  @TempDir Path tmp;
  private Path in;
  private Path out;
  private List<byte[]> sorted;

  @BeforeEach
  void generateAndSort() throws IOException {
    in = tmp.resolve("in");
    out = tmp.resolve("out");
    GenSort.generate(in, 500, 3, 11, GenSort.Keys.UNIFORM, false);
    sorted = SortData.sorted(SortData.read(in));
  }

  @Test
  void check_sortedPermutationInTwoFiles_valid() throws IOException {
    SortData.write(out, sorted, 200);

    SortCheck.Result r = SortCheck.check(in, out);

    assertThat(r.error()).isNull();
    assertThat(r.valid()).isTrue();
    assertThat(r.records()).isEqualTo(500);
    assertThat(r.inputRecords()).isEqualTo(500);
    assertThat(r.bytes()).isEqualTo(50_000);
    assertThat(r.outputChecksum()).isEqualTo(r.inputChecksum()).hasSize(32);
    assertThat(r.duplicateKeys()).isZero();
    assertThat(r.summary()).startsWith("check: OK");
  }

  @Test
  void check_emptyOutputFileBetween_valid() throws IOException {
    SortData.write(out, sorted, 200, 0);

    assertThat(SortCheck.check(in, out).valid()).isTrue();
  }

  @Test
  void check_swappedPairInsideAFile_namesFileAndIndex() throws IOException {
    Collections.swap(sorted, 300, 301);
    SortData.write(out, sorted, 200);

    SortCheck.Result r = SortCheck.check(in, out);

    assertThat(r.valid()).isFalse();
    assertThat(r.outputChecksum()).isEqualTo(r.inputChecksum());
    assertThat(r.error())
        .startsWith("output not sorted: " + out.resolve("part-00001") + " record 101 ")
        .contains(SortCheck.keyHex(key(sorted.get(301)), lo(sorted.get(301))))
        .contains("of the record before it (record 100)");
  }

  @Test
  void check_swapAcrossARangeBoundary_namesFileAndIndex() throws IOException {
    Collections.swap(sorted, 299, 300); // file 1 records 99 and 100: the end and start of ranges
    SortData.write(out, sorted, 200);

    SortCheck.Result r = SortCheck.check(in, out, RANGE, BUFFER);

    assertThat(r.valid()).isFalse();
    assertThat(r.error())
        .startsWith("output not sorted: " + out.resolve("part-00001") + " record 100 ")
        .contains("of the record before it (record 99)");
  }

  @Test
  void check_disorderAcrossFiles_namesBothFiles() throws IOException {
    Collections.swap(sorted, 199, 200);
    SortData.write(out, sorted, 200);

    SortCheck.Result r = SortCheck.check(in, out);

    assertThat(r.valid()).isFalse();
    assertThat(r.error())
        .contains(out.resolve("part-00001") + " record 0 ")
        .contains(out.resolve("part-00000") + " record 199)");
  }

  @Test
  void check_droppedRecord_countError() throws IOException {
    sorted.remove(250);
    SortData.write(out, sorted, 200);

    SortCheck.Result r = SortCheck.check(in, out);

    assertThat(r.valid()).isFalse();
    assertThat(r.records()).isEqualTo(499);
    assertThat(r.error()).contains("record count differs").contains("(1 missing)");
  }

  @Test
  void check_changedPayloadByte_checksumError() throws IOException {
    sorted.get(123)[77] ^= 1;
    SortData.write(out, sorted, 200);

    SortCheck.Result r = SortCheck.check(in, out);

    assertThat(r.valid()).isFalse();
    assertThat(r.outputChecksum()).isNotEqualTo(r.inputChecksum());
    assertThat(r.error()).startsWith("checksum differs");
  }

  @Test
  void check_payloadsSwappedBetweenRecords_checksumError() throws IOException {
    byte[] a = sorted.get(10);
    byte[] b = sorted.get(20);
    byte[] tmpPayload = java.util.Arrays.copyOfRange(a, Records.KEY, Records.RECORD);
    System.arraycopy(b, Records.KEY, a, Records.KEY, Records.RECORD - Records.KEY);
    System.arraycopy(tmpPayload, 0, b, Records.KEY, Records.RECORD - Records.KEY);
    SortData.write(out, sorted, 200);

    SortCheck.Result r = SortCheck.check(in, out);

    assertThat(r.valid()).isFalse();
    assertThat(r.error()).startsWith("checksum differs");
  }

  @Test
  void check_recordReplacedByCopyOfNeighbour_checksumError() throws IOException {
    sorted.set(41, sorted.get(40).clone());
    SortData.write(out, sorted, 200);

    SortCheck.Result r = SortCheck.check(in, out);

    assertThat(r.valid()).isFalse();
    assertThat(r.duplicateKeys()).isEqualTo(1);
    assertThat(r.error()).startsWith("checksum differs");
  }

  @Test
  void check_outputFileNotWholeRecords_namesTheFile() throws IOException {
    SortData.write(out, sorted, 200);
    Path bad = out.resolve("part-00001");
    byte[] bytes = Files.readAllBytes(bad);
    Files.write(bad, java.util.Arrays.copyOf(bytes, bytes.length - 1));

    SortCheck.Result r = SortCheck.check(in, out);

    assertThat(r.valid()).isFalse();
    assertThat(r.error()).startsWith("output: ").contains(bad.toString()).contains("99 bytes left");
  }

  @Test
  void check_inputFileNotWholeRecords_namesTheFile() throws IOException {
    SortData.write(out, sorted, 200);
    Path bad = in.resolve("part-00002");
    Files.write(bad, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);

    SortCheck.Result r = SortCheck.check(in, out);

    assertThat(r.valid()).isFalse();
    assertThat(r.error()).startsWith("input: ").contains(bad.toString());
    assertThat(r.json()).contains("\"valid\":false").contains("\"inputChecksum\":null");
  }

  @Test
  void check_missingOutputFolder_saysSo() {
    SortCheck.Result r = SortCheck.check(in, tmp.resolve("nope"));

    assertThat(r.valid()).isFalse();
    assertThat(r.error()).contains("output folder").contains("nope").contains("does not exist");
  }

  @Test
  void check_duplicateKeys_counted_acrossRangesAndFiles() throws IOException {
    // Two ranges in the first file, then two small files: equal keys meet across a range
    // boundary and across file boundaries, and each must be counted once.
    long n = RANGE + 1000;
    Path din = tmp.resolve("din");
    Path dout = tmp.resolve("dout");
    GenSort.generate(din, n, 2, 5, GenSort.Keys.DUPLICATES, false);
    List<byte[]> s = SortData.sorted(SortData.read(din));
    SortData.write(dout, s, RANGE + 500, 200);

    SortCheck.Result r = SortCheck.check(din, dout, RANGE, BUFFER);

    assertThat(r.valid()).isTrue();
    assertThat(r.duplicateKeys()).isEqualTo(n - GenSort.DISTINCT_KEYS);
  }

  @Test
  void check_swapInASecondRangeOfAFile_namesFileAndIndex() throws IOException {
    int first = 70;
    long n = first + RANGE + 40;
    Path din = tmp.resolve("din");
    GenSort.generate(din, n, 2, 5, GenSort.Keys.UNIFORM, false);
    List<byte[]> s = new ArrayList<>(SortData.sorted(SortData.read(din)));
    int at = first + RANGE + 10;
    Collections.swap(s, at - 1, s.size() - 1); // the largest key just before record `at`
    Path bout = tmp.resolve("bout");
    SortData.write(bout, s, first);

    SortCheck.Result b = SortCheck.check(din, bout, RANGE, BUFFER);

    assertThat(b.valid()).isFalse();
    assertThat(b.outputChecksum()).isEqualTo(b.inputChecksum());
    assertThat(b.error())
        .startsWith(
            "output not sorted: " + bout.resolve("part-00001") + " record " + (RANGE + 10) + " ");
  }

  @Test
  void json_holdsTheFields() throws IOException {
    SortData.write(out, sorted, 200);

    String json = SortCheck.check(in, out).json();

    assertThat(json)
        .startsWith("{\"valid\":true,\"records\":500,")
        .contains("\"bytes\":50000", "\"duplicateKeys\":0", "\"error\":null", "\"seconds\":")
        .containsPattern("\"inputChecksum\":\"[0-9a-f]{32}\"")
        .containsPattern("\"outputChecksum\":\"[0-9a-f]{32}\"");
  }

  private static long key(byte[] r) {
    return java.nio.ByteBuffer.wrap(r).getLong(0);
  }

  private static int lo(byte[] r) {
    return java.nio.ByteBuffer.wrap(r).getShort(8) & 0xFFFF;
  }
}
