package dev.weft.shuffle.sort;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Writes gensort-format input: files {@code part-00000, part-00001, ...} of 100-byte records.
 *
 * <p>Layout of the record with global row number {@code r} (0-based over the whole data set):
 *
 * <pre>
 *   0      10 12                               44          48                     96          100
 *   +-------+--+--------------------------------+-----------+----------------------+-----------+
 *   |  key  |00|  r as 32 uppercase hex digits  |88 99 AA BB| 12 groups of 4 equal |CC DD EE FF|
 *   |       |11|                                |           | hex digits (from r)  |           |
 *   +-------+--+--------------------------------+-----------+----------------------+-----------+
 * </pre>
 *
 * <p>The key is a function of the seed and {@code r} only (a counter-based generator: two 64-bit
 * mixes of {@code seed} and {@code r}), so the data set is the same however it is split into files,
 * and every part of it can be written in parallel. The records are split as evenly as possible, the
 * first files taking one extra record each when the count does not divide. Each file is written in
 * ranges of {@value #RANGE_RECORDS} records by up to {@code availableProcessors} threads, each
 * filling a {@value #BUFFER_RECORDS}-record direct buffer in which the constant bytes are written
 * once.
 */
public final class GenSort {
  private GenSort() {}

  /** How keys are drawn. */
  public enum Keys {
    /** 10 uniformly random bytes. */
    UNIFORM,
    /** The first {@value GenSort#SKEW_PREFIX} bytes are zero in every key; the other 4 random. */
    SKEWED,
    /** One of {@value GenSort#DISTINCT_KEYS} random keys (so most keys repeat). */
    DUPLICATES;

    /** The lowercase name used on the command line. */
    public String cliName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What {@link #generate} wrote, and how fast. */
  public record Summary(
      Path dir, long records, long bytes, int files, long seed, Keys keys, double seconds) {
    /** Megabytes (10<sup>6</sup> bytes) written per second. */
    public double mbPerSecond() {
      return seconds > 0 ? bytes / 1e6 / seconds : 0;
    }

    /** One summary line. */
    public String line() {
      return String.format(
          Locale.ROOT,
          "gen: %d records, %d bytes, %d files in %s, %.3f s, %.1f MB/s (seed %d, %s keys)",
          records,
          bytes,
          files,
          dir,
          seconds,
          mbPerSecond(),
          seed,
          keys.cliName());
    }
  }

  /** The most files one data set may have (names keep 5 digits, so name order is row order). */
  public static final int MAX_FILES = 100_000;

  /** Leading zero bytes of every {@link Keys#SKEWED} key. */
  public static final int SKEW_PREFIX = 6;

  /** Distinct keys of a {@link Keys#DUPLICATES} data set. */
  public static final int DISTINCT_KEYS = 16;

  static final int BUFFER_RECORDS = 40_000;
  static final int RANGE_RECORDS = 320_000;

  private static final long GAMMA = 0x9E37_79B9_7F4A_7C15L;
  private static final byte[] HEX =
      "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** The name of file {@code index}: {@code part-00000} etc. */
  public static String fileName(int index) {
    return String.format(Locale.ROOT, "part-%05d", index);
  }

  /** The global row number of the first record of file {@code file} of {@code files}. */
  static long firstRow(long records, int files, int file) {
    long base = records / files;
    long rest = records % files;
    return file * base + Math.min(file, rest);
  }

  /**
   * Writes {@code records} records into {@code files} files in {@code dir} (created if missing).
   *
   * @param overwrite when {@code dir} is not empty: {@code false} refuses; {@code true} deletes the
   *     regular files directly in it first (every regular file there would be read as data), and
   *     leaves subfolders alone
   * @throws IllegalArgumentException bad counts, {@code dir} not a folder, or not empty without
   *     {@code overwrite}
   * @throws UncheckedIOException when a file cannot be written
   */
  public static Summary generate(
      Path dir, long records, int files, long seed, Keys keys, boolean overwrite) {
    return generate(dir, records, files, seed, keys, overwrite, RANGE_RECORDS, BUFFER_RECORDS);
  }

  /** {@link #generate} in ranges and buffers of the given sizes (tests use small ones). */
  static Summary generate(
      Path dir,
      long records,
      int files,
      long seed,
      Keys keys,
      boolean overwrite,
      int rangeRecords,
      int bufferRecords) {
    if (records < 0) {
      throw new IllegalArgumentException("--records must be >= 0 (got " + records + ")");
    }
    if (files < 1 || files > MAX_FILES) {
      throw new IllegalArgumentException(
          "--files must be 1.." + MAX_FILES + " (got " + files + ")");
    }
    long start = System.nanoTime();
    prepare(dir, overwrite);
    List<Range> ranges = new ArrayList<>();
    for (int f = 0; f < files; f++) {
      Path file = dir.resolve(fileName(f));
      try {
        Files.deleteIfExists(file);
        Files.createFile(file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create " + file + ": " + e, e);
      }
      long first = firstRow(records, files, f);
      long end = firstRow(records, files, f + 1);
      for (long r = first; r < end; r += rangeRecords) {
        ranges.add(new Range(file, first, r, Math.min(end, r + rangeRecords)));
      }
    }
    write(ranges, seed, keys, bufferRecords);
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Summary(dir, records, records * Records.RECORD, files, seed, keys, seconds);
  }

  private static void prepare(Path dir, boolean overwrite) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new IllegalArgumentException(
          "output " + dir + " exists and is not a folder: give --output a new or empty folder");
    }
    try {
      Files.createDirectories(dir);
      List<Path> entries;
      try (Stream<Path> s = Files.list(dir)) {
        entries = s.sorted().toList();
      }
      if (entries.isEmpty()) {
        return;
      }
      if (!overwrite) {
        throw new IllegalArgumentException(
            "output folder "
                + dir
                + " is not empty ("
                + entries.size()
                + " entries, e.g. "
                + entries.getFirst().getFileName()
                + "): give a new or empty folder, or add --overwrite to delete its files first");
      }
      for (Path p : entries) {
        if (Files.isRegularFile(p)) {
          Files.delete(p);
        }
      }
    } catch (FileAlreadyExistsException e) {
      throw new IllegalArgumentException(
          "output " + dir + " exists and is not a folder: give --output a new or empty folder");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the output folder " + dir + ": " + e, e);
    }
  }

  /** Rows {@code [from, to)} of {@code file}, whose first row is {@code fileFirst}. */
  private record Range(Path file, long fileFirst, long from, long to) {}

  private static void write(List<Range> ranges, long seed, Keys keys, int bufferRecords) {
    Pieces.run(
        ranges.size(),
        "generating",
        () -> templateBuffer(bufferRecords),
        (i, buf) -> writeRange(ranges.get(i), buf, seed, keys),
        i -> "cannot write " + ranges.get(i).file());
  }

  private static void writeRange(Range range, ByteBuffer buf, long seed, Keys keys)
      throws IOException {
    try (FileChannel ch = FileChannel.open(range.file(), StandardOpenOption.WRITE)) {
      long pos = (range.from() - range.fileFirst()) * Records.RECORD;
      for (long row = range.from(); row < range.to(); ) {
        int n = (int) Math.min(buf.capacity() / Records.RECORD, range.to() - row);
        buf.clear();
        for (int i = 0; i < n; i++) {
          fill(buf, i * Records.RECORD, row + i, seed, keys);
        }
        buf.limit(n * Records.RECORD).position(0);
        while (buf.hasRemaining()) {
          pos += ch.write(buf, pos);
        }
        row += n;
      }
    }
  }

  /** A buffer of {@code records} records holding the constant bytes of the layout. */
  private static ByteBuffer templateBuffer(int records) {
    ByteBuffer buf = ByteBuffer.allocateDirect(records * Records.RECORD);
    byte[] t = new byte[Records.RECORD];
    t[10] = 0x00;
    t[11] = 0x11;
    for (int i = 12; i < 44; i++) {
      t[i] = '0';
    }
    t[44] = (byte) 0x88;
    t[45] = (byte) 0x99;
    t[46] = (byte) 0xAA;
    t[47] = (byte) 0xBB;
    t[96] = (byte) 0xCC;
    t[97] = (byte) 0xDD;
    t[98] = (byte) 0xEE;
    t[99] = (byte) 0xFF;
    for (int i = 0; i < records; i++) {
      buf.put(t);
    }
    return buf.clear();
  }

  /**
   * Writes the variable bytes of record {@code row} at {@code off} (the key, the row's hex digits,
   * the filler) over a template record.
   */
  private static void fill(ByteBuffer buf, int off, long row, long seed, Keys keys) {
    long base = mix(seed ^ 0x6A09_E667_F3BC_C909L);
    long hi = mix(base + (2 * row + 1) * GAMMA);
    long lo = mix(base + (2 * row + 2) * GAMMA);
    switch (keys) {
      case UNIFORM -> {}
      case SKEWED -> {
        hi >>>= 8 * SKEW_PREFIX; // bytes 0..5 zero, 6..7 random; 8..9 come from lo
      }
      case DUPLICATES -> {
        long k = hi >>> 60;
        hi = mix(base - (2 * k + 1) * GAMMA);
        lo = mix(base - (2 * k + 2) * GAMMA);
      }
    }
    buf.putLong(off, hi); // big-endian: byte 0 is the most significant
    buf.putShort(off + 8, (short) (lo >>> 48));
    // Bytes 12..27 are the 16 high hex digits of a 128-bit number: always '0' for a long row.
    for (int i = 0; i < 16; i++) {
      buf.put(off + 28 + i, HEX[(int) (row >>> (60 - 4 * i)) & 0xF]);
    }
    for (int g = 0; g < 12; g++) {
      int digit = HEX[(int) ((row >>> (4 * g)) + g) & 0xF];
      buf.putInt(off + 48 + 4 * g, digit * 0x0101_0101);
    }
  }

  /** A 64-bit finalizer (xorshift-multiply, Stafford's variant 13 constants). */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
    return z ^ (z >>> 31);
  }
}
