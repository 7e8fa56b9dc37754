package dev.weft.shuffle.sort;

import dev.weft.bench.peers.PeerJson;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks a sort's output against its input: the same number of records, the same records (an
 * order-independent {@link RecordChecksum} over each folder), and the output's records, read as the
 * concatenation of its files in name order, in non-decreasing order of their unsigned 10-byte keys.
 * It also counts duplicate keys: output records whose key equals the key of the record just before
 * them.
 *
 * <p>Both folders are cut into ranges of {@value #RANGE_RECORDS} records, read by up to {@code
 * availableProcessors} threads, each with one {@value #BUFFER_RECORDS}-record direct buffer, so
 * memory stays bounded whatever the data size. Each output range reports its first and last key,
 * its first record out of order and its duplicates; the ranges are then joined in order, comparing
 * each range's first key with the last key before it.
 */
public final class SortCheck {
  private SortCheck() {}

  static final int RANGE_RECORDS = 320_000;
  static final int BUFFER_RECORDS = 40_000;

  /**
   * The outcome of {@link #check}.
   *
   * @param valid every check passed
   * @param inputRecords records in the input folder
   * @param records records in the output folder
   * @param bytes bytes in the output folder
   * @param inputChecksum {@link RecordChecksum#toHex()} of the input, or null when not read
   * @param outputChecksum the same for the output
   * @param duplicateKeys output records whose key equals the key of the record before them
   * @param seconds how long the check took
   * @param error what failed and where (several failures joined by "; "), or null when valid
   */
  public record Result(
      boolean valid,
      long inputRecords,
      long records,
      long bytes,
      String inputChecksum,
      String outputChecksum,
      long duplicateKeys,
      double seconds,
      String error) {

    /** Megabytes (10<sup>6</sup> bytes) read per second over both folders. */
    public double mbPerSecond() {
      return seconds > 0 ? (inputRecords * Records.RECORD + bytes) / 1e6 / seconds : 0;
    }

    /** One JSON object on one line. */
    public String json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("valid", valid);
      m.put("records", records);
      m.put("inputRecords", inputRecords);
      m.put("bytes", bytes);
      m.put("inputChecksum", inputChecksum);
      m.put("outputChecksum", outputChecksum);
      m.put("duplicateKeys", duplicateKeys);
      m.put("seconds", SortRun.millis(seconds));
      m.put("error", error);
      return PeerJson.write(m);
    }

    /** A human summary: one line when valid, the failure and the figures when not. */
    public String summary() {
      String figures =
          String.format(
              Locale.ROOT,
              "%d records (%d bytes), checksum %s, %d duplicate keys, %.3f s, %.1f MB/s read",
              records,
              bytes,
              outputChecksum,
              duplicateKeys,
              seconds,
              mbPerSecond());
      if (valid) {
        return "check: OK: sorted, same records as the input: " + figures;
      }
      return "check: FAILED: "
          + error
          + System.lineSeparator()
          + String.format(
              Locale.ROOT,
              "  input %d records, checksum %s; output %s",
              inputRecords,
              inputChecksum,
              figures);
    }
  }

  /**
   * Checks the output folder against the input folder. Never throws for bad data or unreadable
   * files: those make an invalid result whose error says what and where.
   */
  public static Result check(Path input, Path output) {
    return check(input, output, RANGE_RECORDS, BUFFER_RECORDS);
  }

  /** {@link #check} in ranges and buffers of the given sizes (tests use small ones). */
  static Result check(Path input, Path output, int rangeRecords, int bufferRecords) {
    long start = System.nanoTime();
    List<InputFiles.InputFile> in;
    List<InputFiles.InputFile> out;
    try {
      in = InputFiles.list(input);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      return failed(start, "input: " + e.getMessage());
    }
    try {
      if (!Files.isDirectory(output)) {
        return failed(
            start,
            "output folder "
                + output
                + " does not exist or is not a folder: give --output the folder the sort wrote");
      }
      out = InputFiles.list(output);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      return failed(start, "output: " + e.getMessage());
    }

    List<Range> ranges = new ArrayList<>();
    addRanges(in, false, rangeRecords, ranges);
    int firstOutput = ranges.size();
    addRanges(out, true, rangeRecords, ranges);
    List<Scan> scans;
    try {
      scans = scanAll(ranges, bufferRecords);
    } catch (UncheckedIOException e) {
      return failed(start, e.getMessage());
    }

    RecordChecksum inSum = new RecordChecksum();
    RecordChecksum outSum = new RecordChecksum();
    for (int i = 0; i < firstOutput; i++) {
      inSum.add(scans.get(i).sum);
    }
    long duplicates = 0;
    String orderError = null;
    Scan before = null; // the last non-empty output range so far
    for (int i = firstOutput; i < scans.size(); i++) {
      Scan s = scans.get(i);
      outSum.add(s.sum);
      if (s.sum.records() == 0) {
        continue;
      }
      duplicates += s.duplicates;
      if (before != null) {
        int c = compareKeys(before.lastHi, before.lastLo, s.firstHi, s.firstLo);
        if (c == 0) {
          duplicates++;
        } else if (c > 0 && orderError == null) {
          orderError =
              orderError(
                  s.range,
                  s.range.first(),
                  s.firstHi,
                  s.firstLo,
                  before.range,
                  before.range.first() + before.sum.records() - 1,
                  before.lastHi,
                  before.lastLo);
        }
      }
      if (s.disorderIndex >= 0 && orderError == null) {
        orderError =
            orderError(
                s.range,
                s.disorderIndex,
                s.disorderHi,
                s.disorderLo,
                s.range,
                s.disorderIndex - 1,
                s.beforeHi,
                s.beforeLo);
      }
      before = s;
    }

    List<String> errors = new ArrayList<>();
    if (inSum.records() != outSum.records()) {
      long diff = outSum.records() - inSum.records();
      errors.add(
          "record count differs: input "
              + input
              + " holds "
              + inSum.records()
              + " records, output "
              + output
              + " holds "
              + outSum.records()
              + " ("
              + Math.abs(diff)
              + (diff < 0 ? " missing)" : " extra)"));
    } else if (!inSum.matches(outSum)) {
      errors.add(
          "checksum differs: input "
              + inSum.toHex()
              + ", output "
              + outSum.toHex()
              + " over the same number of records: some output record is not an input record"
              + " (a changed byte, or a record replaced by a copy of another)");
    }
    if (orderError != null) {
      errors.add(orderError);
    }
    return new Result(
        errors.isEmpty(),
        inSum.records(),
        outSum.records(),
        outSum.records() * Records.RECORD,
        inSum.toHex(),
        outSum.toHex(),
        duplicates,
        seconds(start),
        errors.isEmpty() ? null : String.join("; ", errors));
  }

  private static Result failed(long start, String error) {
    return new Result(false, 0, 0, 0, null, null, 0, seconds(start), error);
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  private static String orderError(
      Range at, long index, long hi, int lo, Range prev, long prevIndex, long prevHi, int prevLo) {
    return "output not sorted: "
        + at.file()
        + " record "
        + index
        + " (byte offset "
        + index * Records.RECORD
        + ") has key "
        + keyHex(hi, lo)
        + ", less than the key "
        + keyHex(prevHi, prevLo)
        + " of the record before it ("
        + (prev.file().equals(at.file())
            ? "record " + prevIndex
            : prev.file() + " record " + prevIndex)
        + ")";
  }

  static String keyHex(long hi, int lo) {
    return HexFormat.of().toHexDigits(hi) + HexFormat.of().toHexDigits((short) lo);
  }

  /** Unsigned comparison of keys given as their first 8 bytes (big-endian) and last 2. */
  static int compareKeys(long hi1, int lo1, long hi2, int lo2) {
    int c = Long.compareUnsigned(hi1, hi2);
    return c != 0 ? c : Integer.compare(lo1, lo2);
  }

  /** Records {@code [first, first + count)} of {@code file}; {@code ordered}: an output range. */
  private record Range(Path file, long first, long count, boolean ordered) {}

  /** Appends the ranges of {@code files} to {@code to}, a range of no records for an empty file. */
  private static void addRanges(
      List<InputFiles.InputFile> files, boolean ordered, int rangeRecords, List<Range> to) {
    for (InputFiles.InputFile f : files) {
      long n = f.records();
      to.add(new Range(f.path(), 0, Math.min(n, rangeRecords), ordered));
      for (long r = rangeRecords; r < n; r += rangeRecords) {
        to.add(new Range(f.path(), r, Math.min(n - r, rangeRecords), ordered));
      }
    }
  }

  /** What one thread found in one range. */
  private static final class Scan {
    final Range range;
    final RecordChecksum sum = new RecordChecksum();
    long firstHi;
    int firstLo;
    long lastHi;
    int lastLo;
    long duplicates;
    long disorderIndex = -1;
    long disorderHi;
    int disorderLo;
    long beforeHi;
    int beforeLo;

    Scan(Range range) {
      this.range = range;
    }
  }

  private static List<Scan> scanAll(List<Range> ranges, int bufferRecords) {
    Scan[] scans = new Scan[ranges.size()];
    Pieces.run(
        ranges.size(),
        "checking",
        () -> ByteBuffer.allocateDirect(bufferRecords * Records.RECORD),
        (i, buf) -> scans[i] = scan(ranges.get(i), buf),
        i -> "cannot read " + ranges.get(i).file());
    return List.of(scans);
  }

  private static Scan scan(Range range, ByteBuffer buf) throws IOException {
    Scan s = new Scan(range);
    long index = range.first();
    try (FileChannel ch = FileChannel.open(range.file(), StandardOpenOption.READ)) {
      long pos = range.first() * Records.RECORD;
      long left = range.count();
      boolean any = false;
      long prevHi = 0;
      int prevLo = 0;
      while (left > 0) {
        int n = (int) Math.min(left, buf.capacity() / Records.RECORD);
        buf.clear().limit(n * Records.RECORD);
        while (buf.hasRemaining()) {
          int read = ch.read(buf, pos);
          if (read < 0) {
            throw new EOFException(
                "the file ended at byte " + pos + ": it shrank while being checked");
          }
          pos += read;
        }
        buf.flip();
        if (range.ordered()) {
          for (int off = 0; off < buf.limit(); off += Records.RECORD, index++) {
            long hi = buf.getLong(off);
            int lo = buf.getShort(off + 8) & 0xFFFF;
            if (!any) {
              s.firstHi = hi;
              s.firstLo = lo;
              any = true;
            } else {
              int c = compareKeys(prevHi, prevLo, hi, lo);
              if (c == 0) {
                s.duplicates++;
              } else if (c > 0 && s.disorderIndex < 0) {
                s.disorderIndex = index;
                s.disorderHi = hi;
                s.disorderLo = lo;
                s.beforeHi = prevHi;
                s.beforeLo = prevLo;
              }
            }
            prevHi = hi;
            prevLo = lo;
          }
        }
        s.sum.update(buf);
        left -= n;
      }
      s.lastHi = prevHi;
      s.lastLo = prevLo;
    }
    return s;
  }
}
