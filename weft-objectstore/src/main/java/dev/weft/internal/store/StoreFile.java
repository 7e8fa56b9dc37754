package dev.weft.internal.store;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A node's object store memory: one file in shared memory ({@code /dev/shm}), mapped by the node
 * manager (which creates it and decides who writes where) and by every Weft process on the node
 * (which write new objects into it with {@link #write} and read them in place, without copying them
 * through sockets).
 */
public final class StoreFile implements AutoCloseable {
  private final Path path;
  private final Arena arena;
  private final MemorySegment segment;
  private final boolean owner;

  /**
   * The file, open for {@link #write}s. Shared by every thread of the process; an interrupt during
   * a write closes a {@code FileChannel}, so a closed one is replaced ({@link #reopen}).
   */
  private volatile FileChannel channel;

  private volatile boolean closed;

  private StoreFile(
      Path path, Arena arena, MemorySegment segment, boolean owner, FileChannel channel) {
    this.path = path;
    this.arena = arena;
    this.segment = segment;
    this.owner = owner;
    this.channel = channel;
    this.chunks =
        new java.util.concurrent.atomic.AtomicIntegerArray(
            (int) ((segment.byteSize() + CHUNK - 1) >>> CHUNK_SHIFT));
  }

  /** The folder for store files: /dev/shm where it exists (Linux), else the temp folder. */
  public static Path defaultDir() {
    Path shm = Path.of("/dev/shm");
    return Files.isDirectory(shm) && Files.isWritable(shm)
        ? shm
        : Path.of(System.getProperty("java.io.tmpdir"));
  }

  /**
   * Creates the file of {@code sizeBytes} (sparse: memory is used as objects are written) and maps
   * it. The file is this user's only ({@code rw-------}) from the moment it exists: every Weft
   * process of a node runs as the user who started it, and no other user may read or write objects.
   */
  public static StoreFile create(Path path, long sizeBytes) throws IOException {
    FileChannel ch = OwnerOnly.createFile(path);
    try {
      ch.truncate(0);
      if (sizeBytes > 0) {
        ch.write(
            java.nio.ByteBuffer.wrap(new byte[] {0}),
            sizeBytes - 1); // sets the size without touching pages
      }
      Arena arena = Arena.ofShared();
      return new StoreFile(
          path, arena, ch.map(FileChannel.MapMode.READ_WRITE, 0, sizeBytes, arena), true, ch);
    } catch (IOException | RuntimeException e) {
      ch.close();
      Files.deleteIfExists(path); // e.g. a size the machine cannot map: leave no file behind
      throw e;
    }
  }

  /** Maps the store file another process created. */
  public static StoreFile open(Path path) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      Arena arena = Arena.ofShared();
      return new StoreFile(
          path, arena, ch.map(FileChannel.MapMode.READ_WRITE, 0, ch.size(), arena), false, ch);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  public Path path() {
    return path;
  }

  public long sizeBytes() {
    return segment.byteSize();
  }

  /**
   * A read-only mapping of its own of {@code slice} (a slice of this store's segment), living as
   * long as {@code arena}: the same shared pages, with a life time of their own, made without the
   * restricted {@code MemorySegment.reinterpret} (for JVMs run without native access).
   */
  public MemorySegment mapReadOnly(MemorySegment slice, Arena arena) throws IOException {
    long offset = slice.address() - segment.address();
    if (offset < 0 || offset + slice.byteSize() > segment.byteSize()) {
      throw new IllegalArgumentException("not a slice of the store " + path);
    }
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      return ch.map(FileChannel.MapMode.READ_ONLY, offset, slice.byteSize(), arena);
    }
  }

  /** The bytes at {@code [offset, offset + length)}. */
  public MemorySegment slice(long offset, long length) {
    return segment.asSlice(offset, length);
  }

  private static final java.lang.invoke.MethodHandle MADVISE = madvise();
  private static final int MADV_POPULATE_WRITE = 23; // Linux 5.14+
  private static final long PAGE = 4096;

  private static java.lang.invoke.MethodHandle madvise() {
    if (!StoreFile.class.getModule().isNativeAccessEnabled()) {
      return null; // a downcall is a restricted method: no JDK warning in a flag-less driver
    }
    try {
      java.lang.foreign.Linker l = java.lang.foreign.Linker.nativeLinker();
      return l.defaultLookup()
          .find("madvise")
          .map(
              a ->
                  l.downcallHandle(
                      a,
                      java.lang.foreign.FunctionDescriptor.of(
                          java.lang.foreign.ValueLayout.JAVA_INT,
                          java.lang.foreign.ValueLayout.ADDRESS,
                          java.lang.foreign.ValueLayout.JAVA_LONG,
                          java.lang.foreign.ValueLayout.JAVA_INT)))
          .orElse(null);
    } catch (RuntimeException | LinkageError e) {
      return null; // not Linux, or native access not enabled: pages fault in one by one
    }
  }

  /**
   * Faults in the pages of {@code [offset, offset + length)} in one system call before a writer
   * fills them: a fresh page of a shared-memory file costs a fault each otherwise (about 4x slower
   * for a large object). Best effort.
   */
  public void populate(long offset, long length) {
    if (MADVISE == null || length < (1 << 20)) {
      return;
    }
    long start = offset - offset % PAGE;
    long end = Math.min(segment.byteSize(), (offset + length + PAGE - 1) / PAGE * PAGE);
    populateRange(start, end); // failed (EINVAL before Linux 5.14): the copy faults the pages in
  }

  /**
   * {@code MADV_POPULATE_WRITE} of {@code [start, end)} (page-aligned): whether it worked. False
   * also where the store closes meanwhile.
   */
  private boolean populateRange(long start, long end) {
    try {
      return (int)
              MADVISE.invokeExact(
                  segment.asSlice(start, end - start), end - start, MADV_POPULATE_WRITE)
          == 0;
    } catch (Throwable t) {
      return false;
    }
  }

  /**
   * Staging buffers of {@link #write} for values on the heap, reused across writes: at most one per
   * CPU is kept (more writers at once allocate their own, and the collector frees them after).
   */
  private static final java.util.concurrent.BlockingQueue<MemorySegment> STAGING =
      new java.util.concurrent.ArrayBlockingQueue<>(
          Math.max(2, Runtime.getRuntime().availableProcessors()));

  private static final int STAGE = 1 << 20;

  /**
   * A kept staging buffer, or a new one (given back to {@link #STAGING} after use): {@link #STAGE}
   * bytes from any of its first {@link #SKEW_SPAN} bytes ({@link #staged}).
   */
  private static MemorySegment takeStage() {
    MemorySegment stage = STAGING.poll();
    return stage != null ? stage : Arena.ofAuto().allocate(STAGE + SKEW_SPAN, 4096);
  }

  /**
   * The kernel's copy between a user buffer and a page of a file ({@code pwrite}, {@code pread})
   * ran 2.5-3x slower on this project's AMD EPYC VMs when the destination sat 1 to 31 bytes past
   * the source, modulo 4096 (a 4 KiB alias: every load waits on the store just before it). Measured
   * with 32 MiB in 1 MiB calls into /dev/shm: 16.5-17.2 ms at those distances, 5.9-7.3 ms at 0 and
   * 32-124 (2026-12-06). A 16-byte object header put every staged write at such a distance.
   */
  static boolean slowCopy(long dstAddress, long srcAddress) {
    long d = (dstAddress - srcAddress) & 4095;
    return d != 0 && d < 32;
  }

  private static final int SKEW_SPAN = 64;

  /**
   * The part of {@code stage} a copy of {@code len} bytes to or from file offset {@code fileAt}
   * uses: it starts at the file offset's place in a cache line, so that the kernel copies between
   * equally aligned addresses ({@link #slowCopy}) whatever the offset.
   */
  private static MemorySegment staged(MemorySegment stage, long fileAt, long len) {
    return stage.asSlice(fileAt & (SKEW_SPAN - 1), len);
  }

  /**
   * Copies {@code src} into the file at {@code offset}: through this process's mapping where it
   * mapped that part of the store already (see the notes below), else with {@code pwrite} calls.
   * With {@code pwrite} the kernel fills the shared pages from its side, so the writer takes no
   * page fault: on VMs with shadow page tables the first touch of each 4 KiB page of a mapping
   * costs 6-20 us, even right after {@code MADV_POPULATE_WRITE}, so a large object written through
   * a fresh mapping ran at 0.2-0.5 GB/s, against 3-4 GB/s this way. A value on the heap goes
   * through a 1 MiB off-heap staging buffer (one more copy, in cache); an off-heap one is written
   * straight from where it is, unless its address and the offset make the kernel's copy slow
   * ({@link #slowCopy}): then it is staged too.
   */
  public void write(long offset, MemorySegment src) throws IOException {
    if (Thread.currentThread().isInterrupted()) {
      // a write would close the shared channel at once: fail this one only
      throw new java.io.InterruptedIOException("interrupted before writing into the store " + path);
    }
    long n = src.byteSize();
    if (offset < 0 || offset + n > segment.byteSize()) {
      throw new IllegalArgumentException(
          "a write of " + n + " bytes at " + offset + " is outside the store " + path);
    }
    inParts(n, src, (from, to) -> writeRange(offset, src, from, to));
  }

  /*
   * Copies through this process's own mapping. A copy through the mapping is one memcpy, where a
   * pwrite or pread of a value on the heap is two (through a staging buffer) and the kernel's side
   * of it runs slower than a memcpy (measured 2026-12-06, 256 MiB from the heap into /dev/shm: 29
   * ms through a mapping whose pages were in the page tables, 57 ms with pwrite; 20 against 42 ms
   * with two threads). But a process's first touch of each page of its mapping faults: 170-280 ms
   * for those 256 MiB, and 6-20 us a page on VMs with shadow page tables whatever is done first.
   * So the store's memory is followed in chunks of 2 MiB: the first copy into or out of a chunk
   * goes through pwrite/pread (copies under 1 MiB, such as an object's header, are not counted);
   * the second populates the chunk's page tables in one call (MADV_POPULATE_WRITE, ~0.26 ms a MiB
   * here, about what that copy's second memcpy costs), and every copy from then on goes through
   * the mapping. A process that copies a region once (a worker writing one result) never pays
   * for mapping it; one that comes back (a driver's put loop, a worker reused for many tasks)
   * copies at memcpy speed after its second visit. Where a populated chunk's first copy still runs
   * below 1 GB/s (page tables the hypervisor fills page by page), three such chunks turn mapped
   * copies off for the process.
   */

  private static final int CHUNK_SHIFT = 21;
  private static final long CHUNK = 1L << CHUNK_SHIFT;
  private static final int UNSEEN = 0;
  private static final int SEEN = 1;
  private static final int MAPPED = 2;

  /** Whether copies may go through the mapping ({@code weft.store.mappedCopies}, default true). */
  private static final boolean MAPPED_COPIES =
      Boolean.parseBoolean(System.getProperty("weft.store.mappedCopies", "true"));

  /** Per chunk of the file: {@link #UNSEEN}, {@link #SEEN} or {@link #MAPPED} by this process. */
  private final java.util.concurrent.atomic.AtomicIntegerArray chunks;

  private volatile boolean mappedCopies = MAPPED_COPIES && MADVISE != null;
  private final java.util.concurrent.atomic.AtomicInteger slowMappedChunks =
      new java.util.concurrent.atomic.AtomicInteger();

  private static final int NOT_MAPPED = -1;
  private static final int WAS_MAPPED = 0;
  private static final int JUST_MAPPED = 1;

  /**
   * Whether the copy of a part of one chunk that starts at file offset {@code at} goes through the
   * mapping: {@link #WAS_MAPPED}; {@link #JUST_MAPPED}, on the chunk's second visit, where
   * populating it worked (its copy is then timed, {@link #checkMappedSpeed}); or {@link
   * #NOT_MAPPED}.
   */
  private int mapped(long at, boolean visit) {
    if (!mappedCopies) {
      return NOT_MAPPED;
    }
    int c = (int) (at >>> CHUNK_SHIFT);
    int state = chunks.get(c);
    if (state == MAPPED) {
      return WAS_MAPPED;
    }
    if (!visit) {
      return NOT_MAPPED; // a small copy (an object's header): not a visit of the chunk
    }
    if (state == UNSEEN) {
      chunks.compareAndSet(c, UNSEEN, SEEN);
      return NOT_MAPPED;
    }
    long start = (long) c << CHUNK_SHIFT;
    if (!populateRange(start, Math.min(segment.byteSize(), start + CHUNK))) {
      // EINVAL before Linux 5.14; ENOMEM, EFAULT: memory short for now; the store closing
      failedPopulates();
      return NOT_MAPPED;
    }
    chunks.set(c, MAPPED);
    return JUST_MAPPED;
  }

  /** Copies of fewer bytes do not count as visits of a chunk ({@link #mapped}). */
  private static final long VISIT_MIN = 1 << 20;

  private final java.util.concurrent.atomic.AtomicInteger failedPopulates =
      new java.util.concurrent.atomic.AtomicInteger();

  /** Three populates that failed turn mapped copies off; the chunk stays seen meanwhile. */
  private void failedPopulates() {
    if (failedPopulates.incrementAndGet() >= 3) {
      mappedCopies = false;
    }
  }

  /**
   * A clock for {@link #checkMappedSpeed}: this thread's CPU time, so that a copy descheduled on a
   * busy machine does not count as slow; on a virtual thread (no CPU time of its own), {@code
   * -nanoTime - 1}.
   */
  private static long copyClock() {
    long cpu = Thread.currentThread().isVirtual() ? -1 : CpuTime.BEAN.getCurrentThreadCpuTime();
    return cpu >= 0 ? cpu : -System.nanoTime() - 1;
  }

  /** java.management, loaded at the first populated chunk rather than with this class. */
  private static final class CpuTime {
    static final java.lang.management.ThreadMXBean BEAN =
        java.lang.management.ManagementFactory.getThreadMXBean();
  }

  /**
   * After the first copy of {@code len} bytes through a just populated chunk, begun at {@code t0}
   * ({@link #copyClock}): below 1 GB/s of CPU time (0.25 GB/s of wall time) it was slow.
   */
  private void checkMappedSpeed(long t0, long len) {
    long now = copyClock();
    long spent = t0 >= 0 ? now - t0 : t0 - now;
    long limit = t0 >= 0 ? len : 4 * len;
    if (len >= (1 << 20) && spent > limit && slowMappedChunks.incrementAndGet() >= 3) {
      mappedCopies = false;
    }
  }

  /** How many 2 MiB chunks of the store this process copies through its mapping (tests). */
  int mappedChunks() {
    int n = 0;
    for (int i = 0; i < chunks.length(); i++) {
      n += chunks.get(i) == MAPPED ? 1 : 0;
    }
    return n;
  }

  /**
   * The end of the chunk-bounded part of {@code [done, to)} that starts at file offset {@code at}.
   */
  private static long chunkEnd(long at, long done, long to) {
    return Math.min(to, done + (CHUNK - (at & (CHUNK - 1))));
  }

  /** A mapped copy found the store closed under it (its arena closed): the same failure as IO. */
  private java.nio.channels.ClosedChannelException closedUnder(IllegalStateException e) {
    var c = new java.nio.channels.ClosedChannelException();
    c.initCause(e);
    return c;
  }

  /**
   * A copy of {@code len} bytes through the mapping ({@code how}: {@link #WAS_MAPPED} or {@link
   * #JUST_MAPPED}, then timed); a store closed under it fails as IO does.
   */
  private void copyMapped(
      int how, MemorySegment from, long fromOffset, MemorySegment to, long toOffset, long len)
      throws IOException {
    if (closed) {
      throw new java.nio.channels.ClosedChannelException();
    }
    long t0 = how == JUST_MAPPED ? copyClock() : 0;
    try {
      MemorySegment.copy(from, fromOffset, to, toOffset, len);
    } catch (IllegalStateException e) {
      throw closedUnder(e);
    }
    if (how == JUST_MAPPED) {
      checkMappedSpeed(t0, len);
    }
  }

  /** Writes bytes {@code [from, to)} of {@code src} at {@code offset + from}, on this thread. */
  private void writeRange(long offset, MemorySegment src, long from, long to) throws IOException {
    for (long done = from; done < to; ) {
      long at = offset + done;
      long end = chunkEnd(at, done, to);
      int how = mapped(at, src.byteSize() >= VISIT_MIN);
      if (how != NOT_MAPPED) {
        copyMapped(how, src, done, segment, at, end - done);
      } else {
        writeThrough(offset, src, done, end);
      }
      done = end;
    }
  }

  /** {@link #writeRange} with pwrite. */
  private void writeThrough(long offset, MemorySegment src, long from, long to) throws IOException {
    if (src.isNative() && !slowCopy(offset + from, src.address() + from)) {
      for (long done = from; done < to; ) {
        java.nio.ByteBuffer bb = src.asSlice(done, Math.min(to - done, 64L << 20)).asByteBuffer();
        done += writeFully(bb, offset + done);
      }
      return;
    }
    MemorySegment stage = takeStage();
    try {
      for (long done = from; done < to; ) {
        long len = Math.min(to - done, STAGE);
        MemorySegment part = staged(stage, offset + done, len);
        MemorySegment.copy(src, done, part, 0, len);
        done += writeFully(part.asByteBuffer(), offset + done);
      }
    } finally {
      STAGING.offer(stage);
    }
  }

  /**
   * Copies {@code dst.byteSize()} bytes of {@code slice} (a slice of this store's segment), from
   * byte {@code from} of it, into {@code dst}: through this process's mapping where it mapped that
   * part of the store already, else with {@code pread} calls, which take no page fault (see {@link
   * #write}). A {@code dst} on the heap goes through a staging buffer then.
   */
  public void read(MemorySegment slice, long from, MemorySegment dst) throws IOException {
    long base = slice.address() - segment.address();
    long n = dst.byteSize();
    if (base < 0
        || base + slice.byteSize() > segment.byteSize()
        || from < 0
        || from + n > slice.byteSize()) {
      throw new IllegalArgumentException(
          "a read of "
              + n
              + " bytes at "
              + from
              + " is outside the object ("
              + slice.byteSize()
              + " bytes) or the store "
              + path);
    }
    if (Thread.currentThread().isInterrupted()) {
      throw new java.io.InterruptedIOException("interrupted before reading from the store " + path);
    }
    long at = base + from;
    inParts(n, dst, (lo, hi) -> readRange(at, dst, lo, hi));
  }

  /** Reads bytes {@code [from, to)} of {@code dst} from {@code at + from}, on this thread. */
  private void readRange(long at, MemorySegment dst, long from, long to) throws IOException {
    for (long done = from; done < to; ) {
      long end = chunkEnd(at + done, done, to);
      int how = mapped(at + done, dst.byteSize() >= VISIT_MIN);
      if (how != NOT_MAPPED) {
        copyMapped(how, segment, at + done, dst, done, end - done);
      } else {
        readThrough(at, dst, done, end);
      }
      done = end;
    }
  }

  /** {@link #readRange} with pread. */
  private void readThrough(long at, MemorySegment dst, long from, long to) throws IOException {
    if (dst.isNative() && !slowCopy(dst.address() + from, at + from)) {
      for (long done = from; done < to; ) {
        java.nio.ByteBuffer bb = dst.asSlice(done, Math.min(to - done, 64L << 20)).asByteBuffer();
        done += readFully(bb, at + done);
      }
      return;
    }
    MemorySegment stage = takeStage();
    try {
      for (long done = from; done < to; ) {
        long len = Math.min(to - done, STAGE);
        MemorySegment part = staged(stage, at + done, len);
        readFully(part.asByteBuffer(), at + done);
        MemorySegment.copy(part, 0, dst, done, len);
        done += len;
      }
    } finally {
      STAGING.offer(stage);
    }
  }

  /** Copies bytes {@code [from, to)} of one object, on the calling thread. */
  private interface RangeCopy {
    void copy(long from, long to) throws IOException;
  }

  /**
   * Bytes a copy must have before other threads help with it ({@code
   * weft.store.parallelCopyMinBytes}, 32 MiB; {@code weft.store.copyThreads} threads at most,
   * default the CPUs up to 4, 1: never).
   */
  static final long PARALLEL_MIN = Long.getLong("weft.store.parallelCopyMinBytes", 32L << 20);

  static final int COPY_THREADS =
      Math.max(
          1,
          Integer.getInteger(
              "weft.store.copyThreads", Math.min(4, Runtime.getRuntime().availableProcessors())));

  /** A thread never started: memory it may access is not confined to one thread. */
  private static final Thread NOT_THIS_THREAD = Thread.ofPlatform().unstarted(() -> {});

  /** A part of a large copy that one thread takes at a time. */
  private static final long PIECE = 8L << 20;

  /**
   * Runs {@code body} over {@code [0, n)}: on this thread alone for a small copy; for a large one,
   * in {@link #PIECE}s that this thread and up to {@code COPY_THREADS - 1} helpers take in turn.
   * The kernel's side of a {@code pwrite}/{@code pread} into shared memory (finding, locking and
   * dirtying each 4 KiB page) is CPU work, not memory bandwidth: a 256 MiB object went into a
   * {@code /dev/shm} file in 31 ms with two threads against 44 ms with one, on this project's
   * 2-vCPU VMs (a standalone program, 6 alternated rounds). Helpers are borrowed only where idle
   * (none is waited for to start), and this method returns only once every helper that started is
   * done: a failed write's block is freed by its caller, so no helper may still be writing into it.
   * Memory of a confined arena is copied by its own thread alone.
   */
  private static void inParts(long n, MemorySegment memory, RangeCopy body) throws IOException {
    if (n < PARALLEL_MIN || COPY_THREADS < 2 || !memory.isAccessibleBy(NOT_THIS_THREAD)) {
      body.copy(0, n);
      return;
    }
    Parts parts = new Parts(n, body);
    try {
      for (int i = 1; i < COPY_THREADS && i * PIECE < n; i++) {
        try {
          Helpers.POOL.execute(parts::help);
        } catch (RuntimeException | Error e) {
          break; // e.g. no thread could be made: this thread does the rest
        }
      }
      parts.work();
    } catch (IOException | RuntimeException | Error e) {
      parts.awaitHelpers(); // every helper that started is done before the caller hears
      parts.addHelperFailureTo(e);
      throw e;
    }
    parts.awaitHelpers();
    parts.rethrow();
  }

  /** One large copy shared between threads ({@link #inParts}). */
  private static final class Parts {
    private final long n;
    private final RangeCopy body;
    private final java.util.concurrent.atomic.AtomicLong next =
        new java.util.concurrent.atomic.AtomicLong();
    private int started;
    private int done;
    private boolean closed;
    private Throwable failure;

    Parts(long n, RangeCopy body) {
      this.n = n;
      this.body = body;
    }

    /** A helper's turn: nothing once the caller has finished (it no longer waits for helpers). */
    void help() {
      synchronized (this) {
        if (closed) {
          return;
        }
        started++;
      }
      Throwable t = null;
      try {
        work();
      } catch (Throwable e) {
        t = e;
      }
      synchronized (this) {
        done++;
        if (t != null && failure == null) {
          failure = t;
        }
        notifyAll();
      }
    }

    /** Takes pieces until none is left; a failure stops every thread's taking. */
    void work() throws IOException {
      try {
        for (long from; (from = next.getAndAdd(PIECE)) < n; ) {
          body.copy(from, Math.min(n, from + PIECE));
        }
      } catch (IOException | RuntimeException | Error e) {
        next.set(n);
        throw e;
      }
    }

    /** Waits, uninterruptibly, for every helper that started; later ones do nothing. */
    void awaitHelpers() {
      boolean interrupted = false;
      synchronized (this) {
        closed = true;
        while (done < started) {
          try {
            wait();
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }

    /** A helper's failure, if one failed, thrown on the caller's thread. */
    void rethrow() throws IOException {
      Throwable t;
      synchronized (this) {
        t = failure;
      }
      if (t == null) {
        return;
      }
      t.addSuppressed(new Exception("seen by the thread that asked for the copy"));
      if (t instanceof IOException e) {
        throw e; // its own type (an EOFException stays one), the helper's stack
      }
      if (t instanceof RuntimeException e) {
        throw e;
      }
      if (t instanceof Error e) {
        throw e;
      }
      throw new IOException(t);
    }

    /** Where the caller failed too: a helper's failure goes with its own, as suppressed. */
    synchronized void addHelperFailureTo(Throwable own) {
      if (failure != null && failure != own) {
        own.addSuppressed(failure);
      }
    }
  }

  /**
   * The helper threads: platform threads (each blocks in {@code pwrite}), made on demand up to
   * {@code COPY_THREADS - 1} and ended after 30 s idle; a copy finding none idle does without.
   */
  private static final class Helpers {
    static final java.util.concurrent.ThreadPoolExecutor POOL =
        new java.util.concurrent.ThreadPoolExecutor(
            0,
            Math.max(1, COPY_THREADS - 1),
            30,
            java.util.concurrent.TimeUnit.SECONDS,
            new java.util.concurrent.SynchronousQueue<>(),
            r -> {
              // made from whichever thread copied first, maybe a task's: keep none of its context
              // (a job's class loader would stay reachable from an idle helper)
              Thread t =
                  Thread.ofPlatform()
                      .name("weft-store-copy")
                      .daemon(true)
                      .inheritInheritableThreadLocals(false)
                      .unstarted(r);
              t.setContextClassLoader(StoreFile.class.getClassLoader());
              return t;
            },
            new java.util.concurrent.ThreadPoolExecutor.DiscardPolicy());
  }

  private int readFully(java.nio.ByteBuffer bb, long at) throws IOException {
    return fully(bb, at, true);
  }

  private int writeFully(java.nio.ByteBuffer bb, long at) throws IOException {
    return fully(bb, at, false);
  }

  /**
   * Reads or writes all of {@code bb} at {@code at}. An interrupt during the call closes the
   * process's shared channel: the interrupted thread reopens it for the others and gives up; a
   * thread that finds it closed under its call by another's interrupt reopens it and goes on.
   */
  private int fully(java.nio.ByteBuffer bb, long at, boolean read) throws IOException {
    int n = bb.remaining();
    while (bb.hasRemaining()) {
      FileChannel ch = channel;
      long pos = at + n - bb.remaining();
      try {
        if (!read) {
          ch.write(bb, pos);
        } else if (ch.read(bb, pos) < 0) {
          throw new java.io.EOFException("the store file " + path + " ended at " + pos);
        }
      } catch (java.nio.channels.ClosedByInterruptException e) {
        reopen(ch);
        throw e;
      } catch (java.nio.channels.ClosedChannelException e) {
        if (closed) {
          throw e;
        }
        reopen(ch);
      }
    }
    return n;
  }

  /**
   * Unmaps the store. A thread still in a {@code madvise} of a chunk ({@link #mapped}) holds the
   * mapping for its few milliseconds: the close is tried again meanwhile.
   */
  private void closeArena() {
    for (int tries = 0; arena.scope().isAlive(); tries++) {
      try {
        arena.close();
        return;
      } catch (IllegalStateException e) {
        if (tries >= 100) {
          throw e;
        }
        try {
          Thread.sleep(10);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private synchronized void reopen(FileChannel broken) throws IOException {
    if (!closed && channel == broken) {
      channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }
  }

  /** Unmaps; the creator also removes the file. */
  @Override
  public void close() throws IOException {
    closed = true;
    try {
      synchronized (this) {
        channel.close();
      }
    } finally {
      closeArena();
    }
    if (owner) {
      Files.deleteIfExists(path);
    }
  }
}
