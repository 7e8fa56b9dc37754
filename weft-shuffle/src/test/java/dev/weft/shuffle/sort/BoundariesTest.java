package dev.weft.shuffle.sort;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.shuffle.Strategy;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sort's key sample, taken while the cluster starts (sized by {@link SortRun#guessPartitions}),
 * and the partition boundaries drawn from it.
 */
class BoundariesTest {
  @TempDir Path dir;

  @Test
  void aSample_isSortedAndAsLargeAsAsked_andSplitsTheInputIntoPartitionsOfSimilarSize()
      throws Exception {
    Path in = dir.resolve("in");
    GenSort.generate(in, 30_000, 3, 7, GenSort.Keys.UNIFORM, false);
    List<InputFiles.InputFile> files = InputFiles.list(in);

    assertThat(Boundaries.samplesFor(files, 15)).isEqualTo(15 * Boundaries.SAMPLES_PER_PARTITION);
    assertThat(Boundaries.samplesFor(files, 1)).as("one partition: no boundaries").isZero();
    Boundaries.Sample s = Boundaries.take(files, Boundaries.samplesFor(files, 15));
    assertThat(s.size()).isEqualTo(1500);
    for (int i = 1; i < s.size(); i++) {
      assertThat(KeySort.compare(s.hi()[i - 1], s.lo()[i - 1], s.hi()[i], s.lo()[i]))
          .as("sample key %d", i)
          .isLessThanOrEqualTo(0);
    }
    assertThat(Boundaries.take(files, 50_000).size()).as("at most every record").isEqualTo(30_000);
    assertThat(Boundaries.take(files, 0).boundaries(1).boundHi()).isEmpty();

    // every record of the input into the partitions the boundaries draw: about 2,000 each
    SortFunctions.Mapper m = s.boundaries(15);
    assertThat(m.boundHi()).hasSize(14);
    int[] first = m.prefixTable();
    int[] count = new int[15];
    for (InputFiles.InputFile f : files) {
      byte[] all = java.nio.file.Files.readAllBytes(f.path());
      java.lang.foreign.MemorySegment seg = java.lang.foreign.MemorySegment.ofArray(all);
      for (long off = 0; off < all.length; off += Records.RECORD) {
        count[m.partition(first, KeySort.hi(seg, off), KeySort.lo(seg, off))]++;
      }
    }
    for (int p = 0; p < count.length; p++) {
      assertThat(count[p]).as("records in partition %d", p).isBetween(1400, 2600);
    }
  }

  @Test
  void guessPartitions_followsReducers_theStoreSize_andTheInput() {
    Path in = dir.resolve("in");
    GenSort.generate(in, 30_000, 2, 3, GenSort.Keys.UNIFORM, false); // 3 MB
    List<InputFiles.InputFile> files = InputFiles.list(in);
    Path out = dir.resolve("out");
    assertThat(SortRun.guessPartitions(new SortRun.Options(in, out, 7, Strategy.SIMPLE), files))
        .isEqualTo(7);
    int cpus = Runtime.getRuntime().availableProcessors();
    assertThat(SortRun.guessPartitions(new SortRun.Options(in, out, 0, Strategy.SIMPLE), files))
        .as("a default store: 128 MB a task, at least one partition per CPU")
        .isEqualTo(cpus);
    SortRun.Options smallStore =
        new SortRun.Options(
            in, out, 0, Strategy.SIMPLE, 8L << 20, false, 0, 4, SortRun.Compression.AUTO);
    assertThat(SortRun.guessPartitions(smallStore, files))
        .as("an 8 MiB store: 1 MiB a task, 3 MB of input")
        .isEqualTo(Math.max(cpus, 3));
    assertThat(SortRun.perTask(8L << 30)).as("a large store: 128 MiB a task").isEqualTo(128L << 20);
    assertThat(SortRun.partitions(10_000_000_000L, 2, 128L << 20)).isEqualTo(75);
  }
}
