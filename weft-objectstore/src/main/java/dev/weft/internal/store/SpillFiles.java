package dev.weft.internal.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Where spilled objects go: append-only files on local disk. Objects are appended to the current
 * file (so many small objects share one file and one sequential write stream); a file is rolled at
 * {@link #ROLL_BYTES} and deleted as soon as the last object in it is deleted. The folder and the
 * files are this user's only ({@code rwx------}, {@code rw-------}): they hold objects' bytes.
 *
 * <p>Spills, restores and removals run on one IO thread (see {@link ObjectDirectory}); the
 * statistics may be read from any thread.
 */
public final class SpillFiles implements AutoCloseable {
  public static final long ROLL_BYTES = 256L << 20;

  /** Where one spilled object is. */
  public record Location(int file, long offset, long sizeBytes) {}

  private static final class SpillFile {
    final Path path;
    final FileChannel channel;
    long length;
    int live;

    SpillFile(Path path) throws IOException {
      this.path = path;
      this.channel = OwnerOnly.createFile(path);
    }
  }

  private final Path dir;
  private final Map<Integer, SpillFile> files = new HashMap<>();
  private int current = -1;
  private int nextId;
  // written only by the IO thread that runs spills and restores, read by the node for statistics
  private volatile long spilledBytes;
  private volatile long spilledTotal;
  private volatile long restoredTotal;
  private volatile long spillNanos;
  private volatile long restoreNanos;
  private volatile int fileCount;
  private boolean closed;

  public SpillFiles(Path dir) {
    this.dir = dir;
  }

  /** Writes {@code bytes} to disk and returns where. */
  public synchronized Location spill(MemorySegment bytes) {
    if (closed) {
      throw new IllegalStateException("the spill files of this node are closed (it is stopping)");
    }
    try {
      SpillFile f = files.get(current);
      if (f == null || f.length >= ROLL_BYTES) {
        OwnerOnly.createDirectories(dir);
        current = nextId++;
        f = new SpillFile(dir.resolve("spill-" + current + ".bin"));
        files.put(current, f);
        fileCount = files.size();
      }
      long off = f.length;
      long t0 = System.nanoTime();
      ByteBuffer b = bytes.asByteBuffer();
      long pos = off;
      while (b.hasRemaining()) {
        pos += f.channel.write(b, pos);
      }
      f.length = pos;
      spillNanos += System.nanoTime() - t0;
      f.live++;
      spilledBytes += bytes.byteSize();
      spilledTotal += bytes.byteSize();
      return new Location(current, off, bytes.byteSize());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot spill " + bytes.byteSize() + " bytes to " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Reads a spilled object back into {@code target}. */
  public synchronized void restore(Location loc, MemorySegment target) {
    SpillFile f = files.get(loc.file());
    try {
      long t0 = System.nanoTime();
      ByteBuffer b = target.asSlice(0, loc.sizeBytes()).asByteBuffer();
      long pos = loc.offset();
      while (b.hasRemaining()) {
        int n = f.channel.read(b, pos);
        if (n < 0) {
          throw new IOException("spill file " + f.path + " is shorter than expected");
        }
        pos += n;
      }
      restoredTotal += loc.sizeBytes();
      restoreNanos += System.nanoTime() - t0;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot restore a spilled object from " + f.path + ": " + e.getMessage(), e);
    }
  }

  /**
   * The object at {@code loc} is gone (deleted, or restored for good); a file with nothing left
   * goes too.
   */
  public synchronized void remove(Location loc) {
    SpillFile f = files.get(loc.file());
    if (f == null) {
      return;
    }
    spilledBytes -= loc.sizeBytes();
    if (--f.live == 0) {
      delete(loc.file(), f); // nothing left in it: the file goes (a later spill starts a new one)
      if (loc.file() == current) {
        current = -1;
      }
    }
  }

  private void delete(int id, SpillFile f) {
    files.remove(id);
    fileCount = files.size();
    try {
      f.channel.close();
      Files.deleteIfExists(f.path);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot delete spill file " + f.path + ": " + e.getMessage(), e);
    }
  }

  public long spilledBytes() {
    return spilledBytes;
  }

  public long spilledTotalBytes() {
    return spilledTotal;
  }

  public long restoredTotalBytes() {
    return restoredTotal;
  }

  /** Time spent writing spilled objects (for the spill benchmark). */
  public long spillNanos() {
    return spillNanos;
  }

  public long restoreNanos() {
    return restoreNanos;
  }

  public int fileCount() {
    return fileCount;
  }

  @Override
  public synchronized void close() {
    closed = true;
    for (Map.Entry<Integer, SpillFile> e : Map.copyOf(files).entrySet()) {
      delete(e.getKey(), e.getValue());
    }
  }
}
