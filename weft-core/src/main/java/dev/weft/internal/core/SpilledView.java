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
  /** The alignment of direct reads: offsets, lengths and memory. */
  private static final int ALIGN = 4096;

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

  /** Opened on the first copy: with O_DIRECT when the file system allows, else plainly. */
  private FileChannel channel;

  private boolean direct;

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
      FileChannel ch = channel();
      if (direct && readDirect(ch, payloadOffset + offset, dst)) {
        return;
      }
      readPlain(ch, payloadOffset + offset, dst);
    } catch (IOException e) {
      throw new WeftException(
          "cannot read " + what + " from its node's spill file " + file + ": " + e, e);
    } finally {
      copying.decrementAndGet();
    }
  }

  private synchronized FileChannel channel() throws IOException {
    if (channel == null) {
      try {
        channel =
            FileChannel.open(
                file, StandardOpenOption.READ, com.sun.nio.file.ExtendedOpenOption.DIRECT);
        direct = true;
      } catch (IOException | UnsupportedOperationException e) {
        channel = FileChannel.open(file, StandardOpenOption.READ); // e.g. tmpfs
      }
    }
    return channel;
  }

  /**
   * Reads {@code [pos, pos + dst.byteSize())} of the file with direct reads of whole aligned blocks
   * into a staging buffer, copying the wanted bytes out; false, with the channel reopened plainly,
   * where the file system refuses the first one.
   */
  private boolean readDirect(FileChannel ch, long pos, MemorySegment dst) throws IOException {
    MemorySegment stage = STAGES.poll();
    if (stage == null) {
      stage = Arena.ofAuto().allocate(STAGE, ALIGN);
    }
    try {
      long n = dst.byteSize();
      long done = 0;
      while (done < n) {
        long from = pos + done;
        long start = from & -ALIGN;
        long skip = from - start;
        long want = Math.min(n - done, STAGE - skip);
        long len = (skip + want + ALIGN - 1) & -ALIGN;
        ByteBuffer b = stage.asSlice(0, len).asByteBuffer();
        try {
          while (b.position() < skip + want) {
            if (ch.read(b, start + b.position()) < 0) {
              throw new IOException(
                  "the spill file is shorter than expected (" + (start + b.position()) + ")");
            }
          }
        } catch (IOException e) {
          if (done > 0 || e instanceof java.nio.channels.ClosedChannelException) {
            throw e;
          }
          reopenPlain(); // the file system refused a direct read: plain reads from now on
          return false;
        }
        MemorySegment.copy(stage, skip, dst, done, want);
        done += want;
      }
      return true;
    } finally {
      STAGES.offer(stage);
    }
  }

  private synchronized void reopenPlain() throws IOException {
    channel.close();
    channel = FileChannel.open(file, StandardOpenOption.READ);
    direct = false;
  }

  private void readPlain(FileChannel ch, long pos, MemorySegment dst) throws IOException {
    FileChannel plain = direct ? channel() : ch;
    ByteBuffer b = dst.asByteBuffer();
    while (b.hasRemaining()) {
      if (plain.read(b, pos + b.position()) < 0) {
        throw new IOException(
            "the spill file is shorter than expected (" + (pos + b.position()) + ")");
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
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException e) {
          // read-only: nothing is lost
        }
        channel = null;
      }
    }
    try {
      release.close();
    } catch (Exception e) {
      throw new IllegalStateException("cannot release " + what + ": " + e.getMessage(), e);
    }
  }
}
