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
  void aSample_isSortedAndAsLargeAsAsked_andGivesTheSameBoundariesAsSamplingForThePartitions() {
    Path in = dir.resolve("in");
    GenSort.generate(in, 20_000, 3, 7, GenSort.Keys.UNIFORM, false);
    List<InputFiles.InputFile> files = InputFiles.list(in);

    Boundaries.Sample s = Boundaries.take(files, 1500);
    assertThat(s.size()).isEqualTo(1500);
    for (int i = 1; i < s.size(); i++) {
      assertThat(KeySort.compare(s.hi()[i - 1], s.lo()[i - 1], s.hi()[i], s.lo()[i]))
          .as("sample key %d", i)
          .isLessThanOrEqualTo(0);
    }
    assertThat(Boundaries.take(files, 50_000).size()).as("at most every record").isEqualTo(20_000);

    SortFunctions.Mapper direct = Boundaries.sample(files, 15);
    SortFunctions.Mapper fromSample = s.boundaries(15);
    assertThat(fromSample.boundHi()).containsExactly(direct.boundHi());
    assertThat(fromSample.boundLo()).containsExactly(direct.boundLo());
    assertThat(Boundaries.samplesFor(files, 1)).as("one partition: no boundaries").isZero();
    assertThat(Boundaries.take(files, 0).boundaries(1).boundHi()).isEmpty();
  }

  @Test
  void guessPartitions_followsReducers_theStoreSize_andTheInput() {
    Path in = dir.resolve("in");
    GenSort.generate(in, 30_000, 2, 3, GenSort.Keys.UNIFORM, false); // 3 MB
    List<InputFiles.InputFile> files = InputFiles.list(in);
    Path out = dir.resolve("out");
    assertThat(SortRun.guessPartitions(new SortRun.Options(in, out, 7, Strategy.SIMPLE), files))
        .isEqualTo(7);
    assertThat(SortRun.guessPartitions(new SortRun.Options(in, out, 0, Strategy.SIMPLE), files))
        .as("a default store: 128 MB a task, at least 2")
        .isEqualTo(2);
    SortRun.Options smallStore =
        new SortRun.Options(in, out, 0, Strategy.SIMPLE, 8L << 20, false, 0, 4);
    assertThat(SortRun.guessPartitions(smallStore, files))
        .as("an 8 MiB store: 1 MiB a task, 3 MB of input")
        .isEqualTo(3);
  }
}
