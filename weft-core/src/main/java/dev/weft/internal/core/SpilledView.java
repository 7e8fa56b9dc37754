package dev.weft.internal.core;

import dev.weft.ObjectBuffer;
import dev.weft.WeftException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A view of a binary object that is on its node's disk only: the reader reads its bytes from the
 * node's spill file itself rather than have the node restore them into the store first.
 *
 * <p>Implementation notes. The node holds the spilled copy for this reader (it is not removed, and
 * spill files are only appended to) until {@link #close()} sends StoreEndRead through the {@code
 * release} handle, or this process's connection closes. {@link #copyTo} reads with {@code O_DIRECT}
 * where the file system allows it, whole aligned blocks through a staging buffer shared by the
 * process's readers, as the node writes its spills: buffered reads cost this project's VMs ~2 s of
 * CPU per GiB in the page cache. {@link #buffer()} and {@link #segment()} map the range read-only
 * on first use (page-cache pages, mapped in place, no copy), in an arena that closes with the view.
 * Before this view existed every reader of a spilled object waited for the node's one IO thread to
 * restore it, which evicted (and so spilled) other objects to make room: a 10 GB sort's reduces
 * spent more than half their time there.
 */
final class SpilledView implements ObjectBuffer {
  /** The least alignment of direct reads: offsets and lengths (the file system's block size). */
  private static final int MIN_ALIGN = 4096;

  /** The memory alignment of staging buffers: any block size up to it will do. */
  private static final int STAGE_ALIGN = 64 << 10;

  /** The staging buffer of one direct read, and the most bytes read per call. */
  static final int STAGE = 4 << 20;

  /** Staging buffers kept for reuse (memory touched once stays cheap to fill again). */
  private static final ArrayBlockingQueue<MemorySegment> STAGES = new ArrayBlockingQueue<>(4);

  private final String what;
  private final Path file;
  private final long payloadOffset;
  private final long size;
  private final AutoCloseable release;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicInteger copying = new AtomicInteger();

  /** The mapping of {@link #buffer()} and {@link #segment()}, made on first use. */
  private Arena arena;

  private MemorySegment mapped;

  /** Opened on the first copy with O_DIRECT where the file system allows it; null otherwise. */
  private FileChannel direct;

  /** Opened where direct reads are refused (or fail on the first try). */
  private FileChannel plain;

  /** The alignment of direct reads (0: not decided yet; -1: plain reads only). */
  private long align;

  SpilledView(String what, Path file, long payloadOffset, long size, AutoCloseable release) {
    this.what = what;
    this.file = file;
    this.payloadOffset = payloadOffset;
    this.size = size;
    this.release = release;
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException(
          "the view of "
              + what
              + " is closed (read its bytes before ObjectBuffer.close(), or call Weft.getBuffer"
              + " again)");
    }
  }

  private synchronized MemorySegment mapped() {
    checkOpen();
    if (mapped == null) {
      Arena a = Arena.ofShared();
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
        mapped = ch.map(FileChannel.MapMode.READ_ONLY, payloadOffset, size, a).asReadOnly();
        arena = a;
      } catch (IOException e) {
        a.close();
        throw new WeftException(
            "cannot map " + what + " from its node's spill file " + file + ": " + e, e);
      }
    }
    return mapped;
  }

  @Override
  public ByteBuffer buffer() {
    return mapped().asByteBuffer().asReadOnlyBuffer();
  }

  @Override
  public MemorySegment segment() {
    return mapped();
  }

  @Override
  public long sizeBytes() {
    return size;
  }

  @Override
  public boolean zeroCopy() {
    return false;
  }

  @Override
  public void copyTo(long offset, MemorySegment dst) {
    java.util.Objects.checkFromIndexSize(offset, dst.byteSize(), size);
    copying.incrementAndGet();
    try {
      checkOpen();
      FileChannel d = directChannel();
      if (d != null && readDirect(d, payloadOffset + offset, dst)) {
        return;
      }
      readPlain(plainChannel(), payloadOffset + offset, dst);
    } catch (IOException e) {
      throw new WeftException(
          "cannot read " + what + " from its node's spill file " + file + ": " + e, e);
    } finally {
      copying.decrementAndGet();
    }
  }

  /**
   * The file opened with O_DIRECT, or null where direct reads are refused: a file system that
   * refuses the flag (tmpfs), a block size the staging buffers do not suit, or a direct read that
   * failed before.
   */
  private synchronized FileChannel directChannel() throws IOException {
    if (align == 0) {
      align = -1;
      long block = MIN_ALIGN;
      try {
        block = Math.max(MIN_ALIGN, java.nio.file.Files.getFileStore(file).getBlockSize());
      } catch (IOException | UnsupportedOperationException e) {
        // unknown: 4 KiB, and a refused first read falls back to plain ones
      }
      if (block <= STAGE_ALIGN && STAGE % block == 0) {
        try {
          direct =
              FileChannel.open(
                  file, StandardOpenOption.READ, com.sun.nio.file.ExtendedOpenOption.DIRECT);
          align = block;
        } catch (IOException | UnsupportedOperationException e) {
          // e.g. tmpfs: plain reads
        }
      }
    }
    return align > 0 ? direct : null;
  }

  private synchronized FileChannel plainChannel() throws IOException {
    if (plain == null) {
      plain = FileChannel.open(file, StandardOpenOption.READ);
    }
    return plain;
  }

  /** A direct read failed at once: plain reads from now on (the direct channel closes with us). */
  private synchronized void refuseDirect() {
    align = -1;
  }

  /**
   * Reads {@code [pos, pos + dst.byteSize())} of the file with direct reads of whole aligned blocks
   * through a staging buffer ({@link dev.weft.internal.store.SpillFiles#readDirect}); false where
   * the file system refuses direct reads, with plain reads from then on (the caller's plain read
   * then writes all of {@code dst} again).
   */
  private boolean readDirect(FileChannel ch, long pos, MemorySegment dst) throws IOException {
    long a;
    synchronized (this) {
      a = align;
    }
    if (a <= 0) {
      return false;
    }
    MemorySegment stage = STAGES.poll();
    if (stage == null) {
      stage = Arena.ofAuto().allocate(STAGE, STAGE_ALIGN);
    }
    try {
      dev.weft.internal.store.SpillFiles.readDirect(ch, file, pos, a, stage, dst);
      return true;
    } catch (java.io.EOFException | java.nio.channels.ClosedChannelException e) {
      throw e;
    } catch (IOException e) {
      refuseDirect(); // the file system refused a direct read: plain reads from now on
      return false;
    } finally {
      STAGES.offer(stage);
    }
  }

  private static void readPlain(FileChannel ch, long pos, MemorySegment dst) throws IOException {
    ByteBuffer b = dst.asByteBuffer();
    while (b.hasRemaining()) {
      if (ch.read(b, pos + b.position()) < 0) {
        throw new java.io.EOFException(
            "the spill file ends at " + (pos + b.position()) + ", before the object does");
      }
    }
  }

  /** Ends the view (its buffers and segments fail from now on) and releases the spilled copy. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (copying.get() > 0) {
      closed.set(false);
      throw Views.stillCopying(what);
    }
    synchronized (this) {
      if (arena != null) {
        try {
          arena.close();
        } catch (IllegalStateException e) {
          closed.set(false);
          throw Views.stillInUse(what, e);
        }
        arena = null;
        mapped = null;
      }
      for (FileChannel ch : new FileChannel[] {direct, plain}) {
        if (ch != null) {
          try {
            ch.close();
          } catch (IOException e) {
            // read-only: nothing is lost
          }
        }
      }
      direct = null;
      plain = null;
    }
    try {
      release.close();
    } catch (Exception e) {
      throw new IllegalStateException("cannot release " + what + ": " + e.getMessage(), e);
    }
  }
}
