package dev.weft.shuffle.sort;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * File writes that bypass the page cache ({@code O_DIRECT}) where the file system allows it, and
 * ordinary ones where it does not.
 *
 * <p>Why: a sort writes its output once and does not read it back, so caching it buys nothing,
 * while putting it in the page cache costs a kernel copy into pages that must be found first. On
 * this project's VMs a page the kernel takes from its free lists often has to be faulted back in
 * from the hypervisor: writing 1 GiB into a fresh file cost ~2.1 s of CPU buffered against ~0.05 s
 * with {@code O_DIRECT} (the disk's DMA does the copy), at 0.5 against 1.2 GB/s; the 2 GB sort's
 * reduce phase went from 6.2 s to 3.8-4.6 s. (Reading the input the same way was tried and was
 * slower than mapping it: a read waits for the disk while the mapping's page faults are cheap for
 * the page cache's pages.) Buffers handed to it are aligned to {@link #ALIGN}.
 */
final class DirectIo {
  private DirectIo() {}

  /** The alignment of offsets, lengths and buffer addresses for {@code O_DIRECT}. */
  static final long ALIGN = 4096;

  static long alignUp(long v) {
    return (v + ALIGN - 1) & -ALIGN;
  }

  /**
   * A sequential writer of {@code file} (created or truncated), with {@code O_DIRECT} where the
   * file system allows it. Appended bytes are gathered in one of two buffers of {@code bufferBytes}
   * (a multiple of {@link #ALIGN}); a full buffer is written by another thread while the caller
   * fills the other, so the disk's time overlaps the caller's.
   */
  static Writer create(Path file, int bufferBytes) throws IOException {
    if (bufferBytes <= 0 || bufferBytes % ALIGN != 0) {
      throw new IllegalArgumentException(bufferBytes + " bytes is not a multiple of " + ALIGN);
    }
    OpenOption[] opts = {
      StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING
    };
    FileChannel ch = open(file, opts);
    return ch != null
        ? new Writer(ch, true, bufferBytes)
        : new Writer(FileChannel.open(file, opts), false, bufferBytes);
  }

  static final class Writer implements AutoCloseable {
    private final FileChannel channel;
    private final boolean direct;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment[] buffers = new MemorySegment[2];
    private int current;
    private long used;
    private long written;

    /** The write of the other buffer, if one is under way. */
    private Thread pending;

    private IOException failed;

    private Writer(FileChannel channel, boolean direct, int bufferBytes) {
      this.channel = channel;
      this.direct = direct;
      buffers[0] = arena.allocate(bufferBytes, ALIGN);
      buffers[1] = arena.allocate(bufferBytes, ALIGN);
    }

    boolean direct() {
      return direct;
    }

    /** Appends {@code bytes} bytes of {@code from} from {@code offset}. */
    void append(MemorySegment from, long offset, long bytes) throws IOException {
      long o = offset;
      long left = bytes;
      while (left > 0) {
        MemorySegment buf = buffers[current];
        long n = Math.min(left, buf.byteSize() - used);
        MemorySegment.copy(from, o, buf, used, n);
        used += n;
        o += n;
        left -= n;
        if (used == buf.byteSize()) {
          flush(false);
        }
      }
    }

    /** Hands the current buffer to a writer thread and switches to the other one. */
    private void flush(boolean last) throws IOException {
      awaitPending();
      MemorySegment buf = buffers[current];
      long bytes = used;
      long at = written;
      written += bytes;
      current ^= 1;
      used = 0;
      if (last) {
        writeAt(buf, bytes, at, true); // the caller waits for the last one anyway
        return;
      }
      pending =
          Thread.ofVirtual()
              .name("weft-sort-write")
              .start(
                  () -> {
                    try {
                      writeAt(buf, bytes, at, false);
                    } catch (IOException e) {
                      failed = e;
                    }
                  });
    }

    private void awaitPending() throws IOException {
      if (pending != null) {
        try {
          pending.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted while writing");
        }
        pending = null;
        if (failed != null) {
          throw failed;
        }
      }
    }

    /**
     * Writes {@code bytes} of {@code buf} at {@code at}; the last write of a direct file is padded
     * to the alignment and the file cut back to its length after.
     */
    private void writeAt(MemorySegment buf, long bytes, long at, boolean last) throws IOException {
      long padded = direct && last ? alignUp(bytes) : bytes;
      ByteBuffer bb = buf.asSlice(0, padded).asByteBuffer();
      while (bb.hasRemaining()) {
        channel.write(bb, at + bb.position());
      }
      if (padded != bytes) {
        channel.truncate(at + bytes);
      }
    }

    /** Writes what is left and waits until all is written. */
    void finish() throws IOException {
      flush(true);
    }

    /** Waits for a write under way, then closes the file and frees the buffers. */
    @Override
    public void close() throws IOException {
      try {
        awaitPending();
      } finally {
        try {
          channel.close();
        } finally {
          arena.close();
        }
      }
    }
  }

  /** Opens with {@code O_DIRECT}, or returns null where the file system or platform refuses it. */
  private static FileChannel open(Path file, OpenOption... opts) {
    if (!ENABLED) {
      return null;
    }
    OpenOption[] all = java.util.Arrays.copyOf(opts, opts.length + 1);
    all[opts.length] = com.sun.nio.file.ExtendedOpenOption.DIRECT;
    try {
      return FileChannel.open(file, all);
    } catch (IOException | UnsupportedOperationException e) {
      return null;
    }
  }

  /** Off with {@code -Dweft.sort.directIo=false}: every read and write goes through the cache. */
  static final boolean ENABLED =
      Boolean.parseBoolean(System.getProperty("weft.sort.directIo", "true"));
}
