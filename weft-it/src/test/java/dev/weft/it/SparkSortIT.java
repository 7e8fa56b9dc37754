package dev.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.shuffle.sort.bench.SparkBaseline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark baseline of {@code weft sort bench} (peers/spark, unpacked from its zip into
 * target/peers by this module's pom, found through weft.peers.dir) sorts a small gensort-format
 * input correctly: every record once, in unsigned key order, across its partition files.
 */
class SparkSortIT {
  private static final int RECORD = 100;
  private static final int KEY = 10;

  @TempDir Path tmp;

  @Test
  void sparkSortsRecordsByUnsignedKeyIntoPartitionFiles() throws Exception {
    Path input = Files.createDirectories(tmp.resolve("in"));
    Random random = new Random(7);
    List<byte[]> records = new ArrayList<>();
    int[] perFile = {7_000, 6_500, 6_500};
    for (int f = 0; f < perFile.length; f++) {
      byte[] data = new byte[perFile[f] * RECORD];
      random.nextBytes(data);
      for (int i = 0; i < perFile[f]; i++) {
        if (i % 50 == 0 && i > 0) { // some equal keys too
          System.arraycopy(data, (i - 1) * RECORD, data, i * RECORD, KEY);
        }
        records.add(Arrays.copyOfRange(data, i * RECORD, (i + 1) * RECORD));
      }
      Files.write(input.resolve("input-" + f), data);
    }
    Path output = tmp.resolve("out");

    SparkBaseline.Result r = SparkBaseline.find().run(input, output, 4, Duration.ofMinutes(5));

    assertThat(r.records()).isEqualTo(records.size());
    assertThat(r.seconds()).isGreaterThan(r.sparkSeconds()).isPositive();
    List<Path> files;
    try (Stream<Path> s = Files.list(output)) {
      files = s.sorted().toList();
    }
    assertThat(files.stream().map(p -> p.getFileName().toString()))
        .as("only the partition files: no _SUCCESS, .crc or temporary folders")
        .containsExactly("part-00000", "part-00001", "part-00002", "part-00003");
    List<byte[]> out = new ArrayList<>();
    for (Path f : files) {
      byte[] data = Files.readAllBytes(f);
      assertThat(data.length % RECORD).as(f + " holds whole records").isZero();
      assertThat(data.length).as(f + " holds some records (range partitions)").isPositive();
      for (int i = 0; i < data.length; i += RECORD) {
        out.add(Arrays.copyOfRange(data, i, i + RECORD));
      }
    }
    assertThat(out).hasSameSizeAs(records);
    for (int i = 1; i < out.size(); i++) {
      assertThat(Arrays.compareUnsigned(out.get(i - 1), 0, KEY, out.get(i), 0, KEY))
          .as("record %d's key is not below record %d's", i, i - 1)
          .isLessThanOrEqualTo(0);
    }
    records.sort(Arrays::compareUnsigned);
    out.sort(Arrays::compareUnsigned);
    for (int i = 0; i < out.size(); i++) {
      assertThat(out.get(i)).as("record %d of the sorted multiset", i).isEqualTo(records.get(i));
    }
    try (Stream<Path> s = Files.list(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .as("Spark's local folder beside the output is gone")
          .containsExactlyInAnyOrder("in", "out");
    }
  }
}
