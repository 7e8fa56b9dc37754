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
 * File writes and reads that bypass the page cache ({@code O_DIRECT}) where the file system allows
 * it, and ordinary ones where it does not.
 *
 * <p>Why: a sort writes its output once and does not read it back, so caching it buys nothing,
 * while putting it in the page cache costs a kernel copy into pages that must be found first. On
 * this project's VMs a page the kernel takes from its free lists often has to be faulted back in
 * from the hypervisor: writing 1 GiB into a fresh file cost ~2.1 s of CPU buffered against ~0.05 s
 * with {@code O_DIRECT} (the disk's DMA does the copy), at 0.5 against 1.2 GB/s; the 2 GB sort's
 * reduce phase went from 6.2 s to 3.8-5.0 s. Maps read their input with {@link #read} for the same
 * reason: the input is read once, and the disk's DMA into memory touched before, in huge pages,
 * costs less than faulting a mapping in 4 KiB at a time (a first try, reading into fresh memory,
 * had been slower than mapping). Buffers handed to it are aligned to {@link #ALIGN}.
 */
final class DirectIo {
  private DirectIo() {}

  /** The alignment of buffer addresses, and the least alignment of offsets and lengths. */
  static final long ALIGN = 4096;

  static long alignUp(long v, long to) {
    return (v + to - 1) / to * to;
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
    // the JDK checks O_DIRECT offsets and lengths against the file store's block size; where
    // that is unknown, the first write falls back to ordinary ones if 4 KiB is refused
    long block = blockSize(file.toAbsolutePath().getParent());
    FileChannel direct = bufferBytes % block == 0 ? openDirect(file) : null;
    FileChannel ch = direct != null ? direct : FileChannel.open(file, WRITE_OPTIONS);
    try {
      return new Writer(file, ch, direct != null, block, bufferBytes);
    } catch (RuntimeException | Error e) {
      ch.close();
      throw e;
    }
  }

  private static final OpenOption[] WRITE_OPTIONS = {
    StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING
  };

  static final class Writer implements AutoCloseable {
    private final Path file;
    private final long block;
    private final MemorySegment[] buffers = new MemorySegment[2];

    /** Replaced, and {@link #direct} cleared, where a direct first write is refused. */
    private volatile FileChannel channel;

    private volatile boolean direct;
    private int current;
    private long used;
    private long written;

    /** The write of the other buffer, if one is under way. */
    private Thread pending;

    /** What the last write on another thread threw (read after joining it). */
    private volatile Throwable failed;

    private Writer(Path file, FileChannel channel, boolean direct, long block, int bufferBytes) {
      this.file = file;
      this.channel = channel;
      this.direct = direct;
      this.block = block;
      buffers[0] = Buffers.take(bufferBytes);
      buffers[1] = Buffers.take(bufferBytes);
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

    /**
     * Appends records {@code idx[0]}, {@code idx[1]}, ... {@code idx[n - 1]} of {@code src} (100
     * bytes each, numbered from its start; a view without scope checks), copied straight into the
     * buffer.
     */
    void appendInOrder(MemorySegment src, int[] idx, int n) throws IOException {
      int j = 0;
      while (j < n) {
        MemorySegment buf = buffers[current];
        int fit = (int) Math.min(n - j, (buf.byteSize() - used) / Records.RECORD);
        if (fit == 0) {
          // less than a record of room left: this one goes into two buffers
          append(src, (long) idx[j++] * Records.RECORD, Records.RECORD);
          continue;
        }
        KeySort.copyInOrder(src, 0, idx, j, fit, KeySort.unchecked(buf), used);
        used += (long) fit * Records.RECORD;
        j += fit;
        if (used == buf.byteSize()) {
          flush(false);
        }
      }
      java.lang.ref.Reference.reachabilityFence(this); // its buffers back the unchecked views
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
                    } catch (Throwable e) { // whatever it is, the caller must hear of it
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
          throw new java.io.InterruptedIOException("interrupted while writing " + file);
        }
        pending = null;
        Throwable f = failed;
        if (f != null) {
          failed = null;
          if (f instanceof IOException io) {
            throw io;
          }
          throw new IOException("writing " + file + " failed: " + f, f);
        }
      }
    }

    /**
     * Writes {@code bytes} of {@code buf} at {@code at}; the last write of a direct file is padded
     * to the block size and the file cut back to its length after. A file system that opened the
     * file with {@code O_DIRECT} but refuses its first write gets ordinary writes instead.
     */
    private void writeAt(MemorySegment buf, long bytes, long at, boolean last) throws IOException {
      if (direct) {
        try {
          long padded = last ? alignUp(bytes, block) : bytes;
          writeFully(buf, padded, at);
          if (padded != bytes) {
            channel.truncate(at + bytes);
          }
          return;
        } catch (IOException e) {
          if (at != 0) {
            throw e;
          }
          channel.close(); // nothing written yet: start again without O_DIRECT
          channel = FileChannel.open(file, WRITE_OPTIONS);
          direct = false;
        }
      }
      writeFully(buf, bytes, at);
    }

    private void writeFully(MemorySegment buf, long bytes, long at) throws IOException {
      ByteBuffer bb = buf.asSlice(0, bytes).asByteBuffer();
      while (bb.hasRemaining()) {
        channel.write(bb, at + bb.position());
      }
    }

    /** Writes what is left and waits until all is written. */
    void finish() throws IOException {
      flush(true);
    }

    /**
     * Waits for a write under way (through interrupts: the buffers must outlive it), then closes
     * the file and frees the buffers.
     */
    @Override
    public void close() throws IOException {
      boolean interrupted = false;
      while (pending != null) {
        try {
          pending.join();
          pending = null;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      try {
        channel.close();
      } finally {
        Buffers.give(buffers[0]);
        Buffers.give(buffers[1]);
        buffers[0] = null;
        buffers[1] = null;
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /**
   * Aligned write buffers kept from one writer to the next (at most two per CPU): a reducer's
   * buffers allocated afresh for each file would be new memory each time, and on a virtual machine
   * with shadow page tables the first touch of each 4 KiB page costs 12-20 µs (measured here),
   * about 50 ms for two 8 MiB buffers. Kept ones live as long as the process (at most 16 MiB a
   * CPU); a buffer not kept is freed by the collector.
   */
  static final class Buffers {
    private Buffers() {}

    private static final int KEEP = 2 * Runtime.getRuntime().availableProcessors();
    private static final java.util.concurrent.ConcurrentLinkedDeque<MemorySegment> FREE =
        new java.util.concurrent.ConcurrentLinkedDeque<>();

    /** A buffer of exactly {@code bytes}, aligned to {@link #ALIGN}: a kept one, or a new one. */
    static MemorySegment take(int bytes) {
      for (java.util.Iterator<MemorySegment> it = FREE.iterator(); it.hasNext(); ) {
        MemorySegment b = it.next();
        if (b.byteSize() == bytes && FREE.removeFirstOccurrence(b)) {
          return b;
        }
      }
      return Arena.ofAuto().allocate(bytes, ALIGN);
    }

    /** Keeps {@code b} for a later writer (null: nothing), unless enough are kept already. */
    static void give(MemorySegment b) {
      if (b != null && FREE.size() < KEEP) {
        FREE.addFirst(b);
      }
    }
  }

  /**
   * Reads bytes {@code [offset, offset + length)} of {@code file} with {@code O_DIRECT} into {@code
   * buf} (its address aligned to {@link #ALIGN}) and returns the part of {@code buf} that holds
   * them, or null where that cannot be done: {@code O_DIRECT} refused or off, {@code buf} too small
   * for the aligned span around the range, or a read that fails (the caller then reads another way,
   * which reports a real I/O error itself).
   */
  static MemorySegment read(Path file, long offset, long length, MemorySegment buf) {
    if (!ENABLED || length <= 0 || buf.address() % ALIGN != 0) {
      return null;
    }
    long block = blockSize(file); // unknown: 4 KiB, and a refused read returns null below
    long start = offset / block * block;
    long end = offset + length;
    long span = alignUp(end, block) - start;
    if (span > buf.byteSize() || span > Integer.MAX_VALUE) {
      return null;
    }
    try (FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.READ, com.sun.nio.file.ExtendedOpenOption.DIRECT)) {
      ByteBuffer bb = buf.asSlice(0, span).asByteBuffer();
      long pos = start;
      while (pos < end) {
        int r = ch.read(bb, pos);
        if (r <= 0) {
          break;
        }
        pos += r;
        if (pos % block != 0) {
          break; // a short read: the end of the file
        }
      }
      return pos < end ? null : buf.asSlice(offset - start, length);
    } catch (IOException | UnsupportedOperationException e) {
      return null;
    }
  }

  /**
   * The block size of the file store holding {@code path}, at least {@link #ALIGN}: the JDK checks
   * {@code O_DIRECT} offsets and lengths against it. {@link #ALIGN} where it cannot be learned.
   */
  private static long blockSize(Path path) {
    try {
      return Math.max(ALIGN, java.nio.file.Files.getFileStore(path).getBlockSize());
    } catch (IOException | UnsupportedOperationException e) {
      return ALIGN;
    }
  }

  /** Opens with {@code O_DIRECT}, or returns null where the file system or platform refuses it. */
  private static FileChannel openDirect(Path file) {
    if (!ENABLED) {
      return null;
    }
    OpenOption[] all = java.util.Arrays.copyOf(WRITE_OPTIONS, WRITE_OPTIONS.length + 1);
    all[WRITE_OPTIONS.length] = com.sun.nio.file.ExtendedOpenOption.DIRECT;
    try {
      return FileChannel.open(file, all);
    } catch (IOException | UnsupportedOperationException e) {
      return null;
    }
  }

  /** Off with {@code -Dweft.sort.directIo=false}: output files go through the page cache. */
  static final boolean ENABLED =
      Boolean.parseBoolean(System.getProperty("weft.sort.directIo", "true"));
}
