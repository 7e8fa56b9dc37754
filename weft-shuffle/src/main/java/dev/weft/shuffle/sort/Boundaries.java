package dev.weft.shuffle.sort;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

/**
 * The key ranges of a sort's partitions, from a sample of the input's keys (as TeraSort and Spark's
 * range partitioner do), so skewed keys still split into partitions of similar size.
 */
final class Boundaries {
  private Boundaries() {}

  /** Keys sampled per partition (more samples: more even partitions, longer sampling). */
  static final int SAMPLES_PER_PARTITION = 100;

  static final int MAX_SAMPLES = 200_000;

  /**
   * How many keys to sample for {@code partitions} (see {@link Sample#boundaries}): {@link
   * #SAMPLES_PER_PARTITION} each, at most {@link #MAX_SAMPLES} and the input's records.
   */
  static int samplesFor(List<InputFiles.InputFile> files, int partitions) {
    return partitions <= 1
        ? 0
        : (int)
            Math.min(
                records(files), Math.min(MAX_SAMPLES, (long) partitions * SAMPLES_PER_PARTITION));
  }

  private static long records(List<InputFiles.InputFile> files) {
    long total = 0;
    for (InputFiles.InputFile f : files) {
      total += f.records();
    }
    return total;
  }

  /** Sampled keys in ascending order ({@code hi}, {@code lo} as in {@link KeySort}). */
  record Sample(long[] hi, int[] lo) {
    int size() {
      return hi.length;
    }

    /**
     * {@code partitions - 1} ascending boundaries, with about as many sampled keys between each
     * two: partition {@code p} holds the keys from boundary {@code p - 1} (inclusive) to boundary
     * {@code p} (exclusive).
     */
    SortFunctions.Mapper boundaries(int partitions) {
      long[] bh = new long[Math.max(0, partitions - 1)];
      int[] bl = new int[bh.length];
      int got = size();
      if (got == 0) {
        return new SortFunctions.Mapper(bh, bl);
      }
      for (int b = 0; b < partitions - 1; b++) {
        int at = (int) ((long) (b + 1) * got / partitions);
        bh[b] = hi[Math.min(at, got - 1)];
        bl[b] = lo[Math.min(at, got - 1)];
      }
      return new SortFunctions.Mapper(bh, bl);
    }
  }

  /**
   * About {@code s} keys spread evenly over the input (one every total/s records, read with
   * positional reads, file by file), sorted.
   */
  static Sample take(List<InputFiles.InputFile> files, int s) {
    long total = records(files);
    s = (int) Math.min(s, total);
    if (s <= 0) {
      return new Sample(new long[0], new int[0]);
    }
    long[] keys = new long[s];
    int[] los = new int[s];
    int got = 0;
    long first = 0; // global record number of the current file's first record
    ByteBuffer key = ByteBuffer.allocate(Records.KEY);
    for (InputFiles.InputFile f : files) {
      long n = f.records();
      if (n == 0) {
        continue;
      }
      try (FileChannel ch = FileChannel.open(f.path(), StandardOpenOption.READ)) {
        while (got < s) {
          long g = (long) ((got + 0.5) * total / s);
          if (g >= first + n) {
            break;
          }
          key.clear();
          long pos = (g - first) * Records.RECORD;
          while (key.hasRemaining()) {
            if (ch.read(key, pos + key.position()) < 0) {
              throw new IOException("unexpected end of file at byte " + pos);
            }
          }
          keys[got] = key.getLong(0);
          los[got] = key.getShort(8) & 0xFFFF;
          got++;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot sample keys of " + f.path() + ": " + e, e);
      }
      first += n;
    }
    int[] idx = new int[got];
    for (int i = 0; i < got; i++) {
      idx[i] = i;
    }
    long[] hi = Arrays.copyOf(keys, got);
    int[] lo = Arrays.copyOf(los, got);
    KeySort.sort(idx, hi, lo, got);
    return new Sample(hi, lo);
  }
}
