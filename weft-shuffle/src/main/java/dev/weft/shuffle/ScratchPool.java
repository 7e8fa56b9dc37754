package dev.weft.shuffle;

import java.lang.ref.SoftReference;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

/**
 * Working memory that tasks reuse from one task to the next, whichever thread runs them: a map's
 * output blocks, a reduce's copy of its inputs, a sort's arrays. Large memory allocated afresh for
 * each task costs a first touch of every page (on virtual machines with shadow page tables, a
 * hypervisor exit per 4 KiB page) and, on the heap, collections; reused, it costs neither.
 *
 * <p>A {@link ThreadLocal} would not do: a Weft worker runs some tasks on a thread of its own and
 * others (those leased to it while a task runs) each on a virtual thread of their own, which never
 * runs a second task. Here a value belongs to the thread that took it last; that thread gets it
 * back on every call, and once that thread has ended any other thread may take it over. A value is
 * therefore never shared by two live threads. That makes it safe to return views of it from a task:
 * the worker copies a task's results into the object store (or serializes them) on the task's own
 * thread before that thread ends or runs its next task.
 *
 * <p>Values are held softly: the collector takes back those no thread is using when the heap runs
 * short. Memory a value holds off the heap (e.g. {@code Arena.ofAuto()} segments) is freed with it.
 *
 * @param <T> a mutable holder of the memory, made by the supplier when no free one is left
 */
public final class ScratchPool<T> {
  private final Supplier<T> create;

  /** Guarded by {@code this}; as many entries as threads that used the pool at once. */
  private final List<Entry<T>> entries = new ArrayList<>();

  private static final class Entry<T> {
    final SoftReference<T> value;
    Thread owner;

    Entry(T value, Thread owner) {
      this.value = new SoftReference<>(value);
      this.owner = owner;
    }
  }

  /** A pool whose new values come from {@code create}. */
  public ScratchPool(Supplier<T> create) {
    this.create = java.util.Objects.requireNonNull(create, "create");
  }

  /**
   * The calling thread's value: the one it took before if the collector has not taken it back, else
   * one whose thread has ended, else a new one.
   */
  public synchronized T mine() {
    Thread me = Thread.currentThread();
    T free = null;
    Entry<T> freeEntry = null;
    for (Iterator<Entry<T>> it = entries.iterator(); it.hasNext(); ) {
      Entry<T> e = it.next();
      T v = e.value.get();
      if (v == null) {
        it.remove();
      } else if (e.owner == me) {
        return v;
      } else if (freeEntry == null && !e.owner.isAlive()) {
        free = v;
        freeEntry = e;
      }
    }
    if (freeEntry != null) {
      freeEntry.owner = me;
      return free;
    }
    T v = create.get();
    entries.add(new Entry<>(v, me));
    return v;
  }

  /** Values held now (for tests and diagnostics). */
  synchronized int size() {
    entries.removeIf(e -> e.value.get() == null);
    return entries.size();
  }

  /** Transparent huge pages come in this size on x86-64 and most arm64 kernels. */
  static final long HUGE_PAGE = 2L << 20;

  /** {@code madvise(2)}'s advice that a range be backed by transparent huge pages. */
  private static final int MADV_HUGEPAGE = 14;

  private static final int PROT_READ_WRITE = 0x3;
  private static final int MAP_PRIVATE_ANONYMOUS = 0x22;

  /** {@code mmap}, {@code munmap}, {@code madvise}; null where they cannot be called. */
  private static final java.lang.invoke.MethodHandle[] MM = memoryCalls();

  private static java.lang.invoke.MethodHandle[] memoryCalls() {
    if (!ScratchPool.class.getModule().isNativeAccessEnabled()
        || !System.getProperty("os.name", "").startsWith("Linux")
        || !Boolean.parseBoolean(System.getProperty("weft.shuffle.hugePages", "true"))) {
      return null;
    }
    try {
      var linker = java.lang.foreign.Linker.nativeLinker();
      var lookup = linker.defaultLookup();
      var address = java.lang.foreign.ValueLayout.ADDRESS;
      var i32 = java.lang.foreign.ValueLayout.JAVA_INT;
      var i64 = java.lang.foreign.ValueLayout.JAVA_LONG;
      return new java.lang.invoke.MethodHandle[] {
        linker.downcallHandle(
            lookup.find("mmap").orElseThrow(),
            java.lang.foreign.FunctionDescriptor.of(address, address, i64, i32, i32, i32, i64)),
        linker.downcallHandle(
            lookup.find("munmap").orElseThrow(),
            java.lang.foreign.FunctionDescriptor.of(i32, address, i64)),
        linker.downcallHandle(
            lookup.find("madvise").orElseThrow(),
            java.lang.foreign.FunctionDescriptor.of(i32, address, i64, i32))
      };
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * Off-heap working memory of {@code bytes}, zeroed, freed by the collector once unreachable (as
   * {@code Arena.ofAuto()} memory is), for values of a pool. From 2 MiB up it is mapped afresh,
   * aligned to 2 MiB and advised to be backed by transparent huge pages ({@code
   * madvise(MADV_HUGEPAGE)}) before anything touches it, where the kernel allows it ({@code
   * /sys/kernel/mm/transparent_hugepage/enabled} set to {@code madvise} or {@code always}) and the
   * JVM grants native access; elsewhere it is ordinary memory. On virtual machines with shadow page
   * tables the first touch of each 4 KiB page of new memory costs a hypervisor exit: on this
   * project's VMs a fresh 128 MiB took 0.9-1.1 s to touch in 4 KiB pages against 0.08-0.5 s in huge
   * pages. ({@code Arena.allocate} zeroes its memory, touching every page before any advice could
   * apply.) Unlike {@code Arena} memory it does not count against {@code -XX:MaxDirectMemorySize}.
   * {@code -Dweft.shuffle.hugePages=false} turns this off.
   */
  public static java.lang.foreign.MemorySegment allocateOffHeap(long bytes) {
    return allocateOffHeap(bytes, MAPPED_LIMIT);
  }

  /**
   * Bytes that {@link #allocateOffHeap} has mapped and the collector has not yet unmapped. Unlike
   * {@code Arena} memory they do not count against {@code -XX:MaxDirectMemorySize}, so this pool
   * keeps a limit of its own, as the JDK does for direct memory: past it, a new mapping first has
   * the collector free those that are unreachable.
   */
  private static final java.util.concurrent.atomic.AtomicLong MAPPED =
      new java.util.concurrent.atomic.AtomicLong();

  /** The limit on {@link #MAPPED}: the heap's maximum, as the JDK's default direct-memory limit. */
  static final long MAPPED_LIMIT =
      Long.getLong("weft.shuffle.offHeapLimitBytes", Runtime.getRuntime().maxMemory());

  /** Bytes mapped now (for tests). */
  static long mappedBytes() {
    return MAPPED.get();
  }

  /** {@link #allocateOffHeap(long)} with the given limit on what stays mapped. */
  static java.lang.foreign.MemorySegment allocateOffHeap(long bytes, long limit) {
    if (bytes < HUGE_PAGE || MM == null) {
      return java.lang.foreign.Arena.ofAuto().allocate(bytes, 4096);
    }
    long size = (bytes + HUGE_PAGE - 1) & -HUGE_PAGE;
    long mapped = size + HUGE_PAGE; // room to align
    if (MAPPED.get() + mapped > limit) {
      // memory that holders dropped goes when the collector finds it unreachable: ask for that,
      // and give the cleaner thread a moment (a bounded one: the limit is a target, not a cap)
      System.gc();
      long deadline = System.nanoTime() + 1_000_000_000L;
      while (MAPPED.get() + mapped > limit && System.nanoTime() < deadline) {
        java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
      }
    }
    java.lang.foreign.MemorySegment raw;
    try {
      raw =
          (java.lang.foreign.MemorySegment)
              MM[0].invokeExact(
                  java.lang.foreign.MemorySegment.NULL,
                  mapped,
                  PROT_READ_WRITE,
                  MAP_PRIVATE_ANONYMOUS,
                  -1,
                  0L);
    } catch (Throwable e) {
      return java.lang.foreign.Arena.ofAuto().allocate(bytes, 4096);
    }
    long base = raw.address();
    if (base == -1L || base == 0L) { // MAP_FAILED
      return java.lang.foreign.Arena.ofAuto().allocate(bytes, 4096);
    }
    MAPPED.addAndGet(mapped);
    long aligned = (base + HUGE_PAGE - 1) & -HUGE_PAGE;
    java.lang.foreign.MemorySegment m =
        java.lang.foreign.MemorySegment.ofAddress(aligned)
            .reinterpret(size, java.lang.foreign.Arena.ofAuto(), s -> unmap(base, mapped));
    try {
      int rc = (int) MM[2].invokeExact(m, size, MADV_HUGEPAGE);
      // rc != 0 (THP off, or an old kernel): ordinary pages, nothing else changes
    } catch (Throwable e) {
      // advice only
    }
    return m.asSlice(0, bytes);
  }

  private static void unmap(long base, long length) {
    MAPPED.addAndGet(-length);
    try {
      int rc = (int) MM[1].invokeExact(java.lang.foreign.MemorySegment.ofAddress(base), length);
    } catch (Throwable e) {
      // the memory stays mapped: nothing else to do from a cleaner
    }
  }
}
