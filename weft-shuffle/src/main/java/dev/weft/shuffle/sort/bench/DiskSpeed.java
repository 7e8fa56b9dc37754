package dev.weft.shuffle.sort.bench;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * This machine's sequential disk throughput in a folder, measured past the page cache: one file
 * written and read back in 8 MiB blocks with {@code O_DIRECT} ({@link ExtendedOpenOption#DIRECT},
 * buffers aligned to the file store's block size). Where the file system refuses {@code O_DIRECT}
 * (e.g. tmpfs on older kernels) it writes through the cache and {@code fsync}s inside the timing,
 * and reads from the cache: {@link Result#direct()} is then false and the read figure is the
 * cache's, not the disk's. The file is deleted afterwards.
 */
public final class DiskSpeed {
  private static final int BLOCK = 8 << 20;

  private DiskSpeed() {}

  /**
   * Sequential throughput in MB/s (10^6 bytes per second).
   *
   * @param writeMBs write throughput, the data on the disk ({@code O_DIRECT}, or written and
   *     fsync'ed)
   * @param readMBs read throughput ({@code O_DIRECT}; the page cache's when {@code direct} is
   *     false)
   * @param direct whether both ran with {@code O_DIRECT}, i.e. both figures are the disk's
   * @param bytes bytes written and read
   */
  public record Result(double writeMBs, double readMBs, boolean direct, long bytes) {
    /** One line for a report, e.g. "disk: write 812 MB/s, read 1530 MB/s (O_DIRECT, 1024 MB)". */
    public String describe() {
      return String.format(
          java.util.Locale.ROOT,
          "disk: write %.0f MB/s, read %.0f MB/s (%s, %d MB)",
          writeMBs,
          readMBs,
          direct ? "O_DIRECT" : "no O_DIRECT here: write+fsync, read from the page cache",
          bytes / 1_000_000);
    }
  }

  /**
   * Writes {@code bytes} (rounded up to whole 8 MiB blocks) to a new file in {@code dir}, reads it
   * back, and deletes it.
   *
   * @throws IOException when {@code dir} is not a writable folder or lacks the space
   */
  public static Result measure(Path dir, long bytes) throws IOException {
    return measure(dir, bytes, true);
  }

  static Result measure(Path dir, long bytes, boolean tryDirect) throws IOException {
    if (bytes <= 0) {
      throw new IllegalArgumentException("bytes must be positive, not " + bytes);
    }
    if (!Files.isDirectory(dir)) {
      throw new IOException("cannot measure the disk in " + dir + ": not a folder");
    }
    long blocks = (bytes + BLOCK - 1) / BLOCK;
    long total = blocks * BLOCK;
    int align = alignment(dir);
    ByteBuffer buf = ByteBuffer.allocateDirect(BLOCK + align).alignedSlice(align);
    buf.limit(BLOCK);
    fill(buf);
    Path file = Files.createTempFile(dir, ".weft-disk-speed-", ".tmp");
    try {
      boolean direct = tryDirect;
      double writeSeconds;
      try {
        writeSeconds = write(file, buf, blocks, direct);
      } catch (IOException | UnsupportedOperationException e) {
        if (!direct || !refusedDirect(e)) {
          throw e;
        }
        direct = false;
        writeSeconds = write(file, buf, blocks, false);
      }
      double readSeconds;
      try {
        readSeconds = read(file, buf, total, direct);
      } catch (IOException | UnsupportedOperationException e) {
        if (!direct || !refusedDirect(e)) {
          throw e;
        }
        direct = false;
        readSeconds = read(file, buf, total, false);
      }
      return new Result(total / 1e6 / writeSeconds, total / 1e6 / readSeconds, direct, total);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static double write(Path file, ByteBuffer buf, long blocks, boolean direct)
      throws IOException {
    List<OpenOption> opts =
        new ArrayList<>(List.of(StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING));
    if (direct) {
      opts.add(ExtendedOpenOption.DIRECT);
    }
    long t0 = System.nanoTime();
    try (FileChannel ch = FileChannel.open(file, opts.toArray(OpenOption[]::new))) {
      for (long b = 0; b < blocks; b++) {
        buf.clear().limit(BLOCK);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
      }
      ch.force(true); // the data on the disk, not in the page cache
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  private static double read(Path file, ByteBuffer buf, long total, boolean direct)
      throws IOException {
    List<OpenOption> opts = new ArrayList<>(List.of(StandardOpenOption.READ));
    if (direct) {
      opts.add(ExtendedOpenOption.DIRECT);
    }
    long read = 0;
    long t0 = System.nanoTime();
    try (FileChannel ch = FileChannel.open(file, opts.toArray(OpenOption[]::new))) {
      while (read < total) {
        buf.clear().limit(BLOCK);
        int n = ch.read(buf);
        if (n < 0) {
          break;
        }
        read += n;
      }
    }
    double s = (System.nanoTime() - t0) / 1e9;
    if (read != total) {
      throw new IOException("read " + read + " bytes of " + total + " back from " + file);
    }
    return s;
  }

  /** O_DIRECT wants buffers, positions and sizes aligned to the file store's block size. */
  private static int alignment(Path dir) {
    try {
      long b = Files.getFileStore(dir).getBlockSize();
      return b > 0 && b <= (1 << 20) && Long.bitCount(b) == 1 ? (int) b : 4096;
    } catch (IOException | UnsupportedOperationException e) {
      return 4096;
    }
  }

  /** Whether {@code e} is the file system refusing O_DIRECT (EINVAL on open, or unsupported). */
  private static boolean refusedDirect(Exception e) {
    if (e instanceof UnsupportedOperationException) {
      return true;
    }
    String m = String.valueOf(e.getMessage());
    return m.contains("Invalid argument") || m.contains("not supported");
  }

  /** Incompressible bytes, so no layer below can shortcut the writes. */
  private static void fill(ByteBuffer buf) {
    SplittableRandom r = new SplittableRandom(42);
    for (int i = 0; i + 8 <= buf.limit(); i += 8) {
      buf.putLong(i, r.nextLong());
    }
  }
}
