package dev.weft.internal.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

  /** How many spill files are deleted at once (see {@link #deleteLater}). */
  static final int DELETE_PARALLEL = 4;

  /** Where one spilled object is. */
  public record Location(int file, long offset, long sizeBytes) {}

  private static final class SpillFile {
    final Path path;
    final FileChannel channel;

    /** The same file opened with {@code O_DIRECT}, or null (refused, or off). */
    FileChannel direct;

    long length;
    int live;

    SpillFile(Path path, boolean tryDirect) throws IOException {
      this.path = path;
      this.channel = OwnerOnly.createFile(path);
      if (tryDirect) {
        try {
          direct =
              FileChannel.open(
                  path,
                  StandardOpenOption.READ,
                  StandardOpenOption.WRITE,
                  com.sun.nio.file.ExtendedOpenOption.DIRECT);
        } catch (IOException | UnsupportedOperationException e) {
          direct = null; // e.g. tmpfs: ordinary writes
        }
      }
    }

    void close() throws IOException {
      try {
        if (direct != null) {
          direct.close();
        }
      } finally {
        channel.close();
      }
    }
  }

  /**
   * Spills bypass the page cache ({@code O_DIRECT}) where the file system allows it, off with
   * {@code -Dweft.store.spillDirectIo=false}. Buffered writes of spilled objects cost this
   * project's VMs 2.1 s of CPU per GiB (the kernel's page-cache copy, on a shadow-paged VM) against
   * 0.05 s with {@code O_DIRECT}, and the node's spills compete with the tasks for the CPUs.
   * Objects then start at offsets aligned to the file store's block size (at least {@link #BLOCK}),
   * and go through an aligned staging buffer.
   */
  static final boolean DIRECT_IO =
      Boolean.parseBoolean(System.getProperty("weft.store.spillDirectIo", "true"));

  /** The least alignment of direct reads and writes: offsets, lengths and memory. */
  static final int BLOCK = 4096;

  /** The alignment in use: the spill folder's file store's block size, at least {@link #BLOCK}. */
  private long block;

  /** The staging buffer of direct spills and restores. */
  static final int STAGE = 8 << 20;

  private java.lang.foreign.Arena stageArena;
  private MemorySegment stage;

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

  private final boolean directIo;

  public SpillFiles(Path dir) {
    this(dir, DIRECT_IO);
  }

  /** With {@code directIo} false, spill files are always written the ordinary way (for tests). */
  SpillFiles(Path dir, boolean directIo) {
    this(dir, directIo, ROLL_BYTES);
  }

  /** As above, rolling files at {@code rollBytes} (tests use small ones). */
  SpillFiles(Path dir, boolean directIo, long rollBytes) {
    this.dir = dir;
    this.directIo = directIo;
    this.rollBytes = rollBytes;
  }

  private final long rollBytes;

  /** Whether the file being appended to is written with {@code O_DIRECT} (for tests). */
  synchronized boolean writingDirect() {
    SpillFile f = files.get(current);
    return f != null && f.direct != null;
  }

  /**
   * The file that holds {@code loc} (for a reader in another process, see {@link
   * ObjectDirectory#readSpilled}); without the lock, so the node's loop never waits for the IO
   * thread.
   */
  public Path pathOf(Location loc) {
    return dir.resolve("spill-" + loc.file() + ".bin");
  }

  /** Writes {@code bytes} to disk and returns where. */
  public synchronized Location spill(MemorySegment bytes) {
    if (closed) {
      throw new IllegalStateException("the spill files of this node are closed (it is stopping)");
    }
    try {
      SpillFile f = files.get(current);
      if (f == null || f.length >= rollBytes) {
        OwnerOnly.createDirectories(dir);
        if (block == 0) {
          block = BLOCK;
          try {
            block = Math.max(BLOCK, Files.getFileStore(dir).getBlockSize());
          } catch (IOException | UnsupportedOperationException e) {
            // unknown: 4 KiB, and a refused first direct write falls back to ordinary ones
          }
        }
        current = nextId++;
        f = new SpillFile(pathOf(new Location(current, 0, 0)), directIo && STAGE % block == 0);
        files.put(current, f);
        fileCount = files.size();
      }
      long t0 = System.nanoTime();
      long off;
      if (f.direct != null && writeDirect(f, bytes)) {
        off = f.length - alignUp(bytes.byteSize());
      } else {
        off = f.length;
        ByteBuffer b = bytes.asByteBuffer();
        long pos = off;
        while (b.hasRemaining()) {
          pos += f.channel.write(b, pos);
        }
        f.length = pos;
      }
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

  private long alignUp(long v) {
    return (v + block - 1) / block * block;
  }

  private MemorySegment stage() {
    if (stage == null) {
      stageArena = java.lang.foreign.Arena.ofShared();
      stage = stageArena.allocate(STAGE, block);
    }
    return stage;
  }

  /**
   * Appends {@code bytes} to {@code f} at its next block-aligned offset with direct writes through
   * the staging buffer (the last one padded to a whole block); false, with nothing written and the
   * file's direct channel dropped, where the file system refuses the first direct write.
   */
  private boolean writeDirect(SpillFile f, MemorySegment bytes) throws IOException {
    long at = alignUp(f.length);
    long n = bytes.byteSize();
    MemorySegment buf = stage();
    for (long done = 0; done < n; ) {
      long len = Math.min(n - done, STAGE);
      MemorySegment.copy(bytes, done, buf, 0, len);
      long padded = alignUp(len);
      ByteBuffer b = buf.asSlice(0, padded).asByteBuffer();
      try {
        while (b.hasRemaining()) {
          f.direct.write(b, at + done + b.position());
        }
      } catch (IOException e) {
        if (at + done != 0
            || e instanceof java.nio.channels.ClosedByInterruptException
            || Thread.currentThread().isInterrupted()) {
          throw e;
        }
        f.direct.close(); // the file system refused: this file is written the ordinary way
        f.direct = null;
        return false;
      }
      done += len;
    }
    f.length = at + alignUp(n);
    return true;
  }

  /** Reads a spilled object back into {@code target}. */
  public synchronized void restore(Location loc, MemorySegment target) {
    SpillFile f = files.get(loc.file());
    try {
      long t0 = System.nanoTime();
      if (f.direct != null && loc.offset() % block == 0) {
        readDirect(f, loc, target);
      } else {
        ByteBuffer b = target.asSlice(0, loc.sizeBytes()).asByteBuffer();
        long pos = loc.offset();
        while (b.hasRemaining()) {
          int n = f.channel.read(b, pos);
          if (n < 0) {
            throw new IOException("spill file " + f.path + " is shorter than expected");
          }
          pos += n;
        }
      }
      restoredTotal += loc.sizeBytes();
      restoreNanos += System.nanoTime() - t0;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot restore a spilled object from " + f.path + ": " + e.getMessage(), e);
    }
  }

  /** Reads {@code loc} with direct reads of whole blocks into the staging buffer, then copies. */
  private void readDirect(SpillFile f, Location loc, MemorySegment target) throws IOException {
    readDirect(f.direct, f.path, loc.offset(), block, stage(), target.asSlice(0, loc.sizeBytes()));
  }

  /**
   * Reads bytes {@code [pos, pos + dst.byteSize())} of {@code file}, open with {@code O_DIRECT} as
   * {@code ch}: whole blocks of {@code align} bytes (the file store's block size) into {@code
   * stage} (aligned to it, a multiple of it long), the wanted bytes copied out. The node's restores
   * and a process's reads of a spill file it was lent ({@code SpilledView}) share it.
   *
   * @throws java.io.EOFException where the file ends before the range does
   */
  public static void readDirect(
      FileChannel ch, Path file, long pos, long align, MemorySegment stage, MemorySegment dst)
      throws IOException {
    long n = dst.byteSize();
    for (long done = 0; done < n; ) {
      long from = pos + done;
      long start = from / align * align;
      long skip = from - start;
      long want = Math.min(n - done, stage.byteSize() - skip);
      long len = (skip + want + align - 1) / align * align;
      ByteBuffer b = stage.asSlice(0, len).asByteBuffer();
      while (b.position() < skip + want) {
        int got = ch.read(b, start + b.position());
        if (got < 0 || (b.position() % align != 0 && b.position() < skip + want)) {
          // a direct read stops short only at the end of the file
          throw new java.io.EOFException(
              "the spill file "
                  + file
                  + " ends at "
                  + (start + b.position())
                  + ", before the object does");
        }
      }
      MemorySegment.copy(stage, skip, dst, done, want);
      done += want;
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
      // nothing left in it: the file goes (a later spill starts a new one)
      files.remove(loc.file());
      fileCount = files.size();
      deleteLater(f);
      if (loc.file() == current) {
        current = -1;
      }
    }
  }

  /**
   * Deletes spill files on threads of their own, up to {@link #DELETE_PARALLEL} at once. Freeing a
   * file's blocks can wait on the disk: a file system mounted with {@code discard} sends the disk a
   * discard for them and waits (on this project's VMs ~0.9 s a GB one file after another, less
   * several at once), which on the IO thread held up the spills and restores behind it, and at the
   * end of a 10 GB sort (9 GB spilled) kept the node from ending for 7 s.
   */
  private final java.util.concurrent.ThreadPoolExecutor deleter = newDeleter();

  private static java.util.concurrent.ThreadPoolExecutor newDeleter() {
    java.util.concurrent.ThreadPoolExecutor e =
        new java.util.concurrent.ThreadPoolExecutor(
            DELETE_PARALLEL,
            DELETE_PARALLEL,
            2,
            java.util.concurrent.TimeUnit.SECONDS,
            new java.util.concurrent.LinkedBlockingQueue<>(),
            Thread.ofPlatform().daemon().name("weft-spill-delete-", 0).factory());
    e.allowCoreThreadTimeOut(true); // no threads while nothing is being deleted
    return e;
  }

  /** The first spill file that could not be deleted, reported by {@link #close}. */
  private final java.util.concurrent.atomic.AtomicReference<UncheckedIOException> deleteFailed =
      new java.util.concurrent.atomic.AtomicReference<>();

  private void deleteLater(SpillFile f) {
    deleter.execute(
        () -> {
          try {
            f.close();
            Files.deleteIfExists(f.path);
          } catch (IOException | RuntimeException e) {
            deleteFailed.compareAndSet(
                null,
                new UncheckedIOException(
                    "cannot delete spill file " + f.path + ": " + e,
                    e instanceof IOException io ? io : new IOException(e)));
          }
        });
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

  /**
   * Deletes every spill file (those of objects still spilled too) and waits until they are gone,
   * with the deletions already under way ({@link #deleteLater}); throws the first that failed.
   */
  @Override
  public synchronized void close() {
    closed = true;
    try {
      for (SpillFile f : files.values()) {
        deleteLater(f);
      }
      files.clear();
      fileCount = 0;
      deleter.shutdown();
      while (!deleter.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)) {
        // a disk slow to discard: the node ends only once its files are gone
      }
      if (deleteFailed.get() != null) {
        throw deleteFailed.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (stageArena != null) {
        stageArena.close();
        stageArena = null;
        stage = null;
      }
    }
  }
}
