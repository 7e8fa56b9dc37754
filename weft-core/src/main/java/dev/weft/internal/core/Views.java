package dev.weft.internal.core;

import dev.weft.ObjectBuffer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link ObjectBuffer}s: over a pinned block of the shared store, or over a copy of a heap value.
 *
 * <p>Implementation notes. Each view has its own shared {@link Arena}: its segment (and so every
 * {@code ByteBuffer} made from it) lives only as long as that arena, and {@link View#close()}
 * closes the arena before it unpins the block. A segment or buffer kept past {@code close()} then
 * fails with {@link IllegalStateException} instead of reading memory the store has since given to
 * another object. Shared rather than confined, since users read views from other threads; closing a
 * shared arena costs a handshake with the JVM's threads (tens of microseconds), small beside the
 * pin's round trip to the node. A heap value is copied into its view's arena (it is below the
 * inline threshold), so that small and large views behave alike after close.
 *
 * <p>A store view's segment is the store's memory given a new life time ({@code reinterpret}), so
 * it no longer follows the store file's mapping: {@link OpenViews#closeAll()} closes the views
 * still open before the process unmaps the store, or a late read would touch unmapped memory.
 */
final class Views {
  private Views() {}

  /** Whether this JVM lets Weft call restricted methods without a warning. */
  static final boolean NATIVE_ACCESS = Views.class.getModule().isNativeAccessEnabled();

  /** A view of {@code payload}, a pinned block of the store mapped by this process. */
  static View ofStore(
      String what,
      MemorySegment payload,
      dev.weft.internal.store.StoreFile store,
      AutoCloseable pin,
      OpenViews open) {
    Arena arena = Arena.ofShared();
    MemorySegment scoped;
    if (NATIVE_ACCESS) {
      scoped = payload.reinterpret(arena, null).asReadOnly();
    } else {
      // without native access (a driver run with plain java): a mapping of its own of the same
      // pages, which needs no restricted method and so prints no JDK warning
      try {
        scoped = store.mapReadOnly(payload, arena).asReadOnly();
      } catch (java.io.IOException e) {
        arena.close();
        throw new dev.weft.WeftException(
            "cannot map " + what + " from the object store " + store.path() + ": " + e, e);
      }
    }
    View v = new View(what, scoped, arena, true, pin, open, store, payload);
    open.add(v);
    return v;
  }

  /** A view of a copy of {@code value}'s bytes (a heap value: at most the inline threshold). */
  static View ofHeap(String what, MemorySegment value) {
    Arena arena = Arena.ofShared();
    MemorySegment copy = arena.allocate(value.byteSize(), Long.BYTES);
    copy.copyFrom(value);
    return new View(what, copy.asReadOnly(), arena, false, null, null, null, null);
  }

  /**
   * A view of {@code value}, memory of {@code arena} that this view now owns (a copy of a stored
   * object read over the network); closing the view closes the arena.
   */
  static View ofCopy(String what, MemorySegment value, Arena arena) {
    return new View(what, value.asReadOnly(), arena, false, null, null, null, null);
  }

  /** A view's close() while a copyTo of it runs on another thread. */
  static IllegalStateException stillCopying(String what) {
    return new IllegalStateException(
        "cannot close the view of "
            + what
            + ": another thread is still copying its bytes (copyTo); close it once that call"
            + " has returned");
  }

  /** A view's close() while another thread's I/O call uses its memory (its arena is busy). */
  static IllegalStateException stillInUse(String what, IllegalStateException cause) {
    return new IllegalStateException(
        "cannot close the view of "
            + what
            + ": another thread is still using its bytes (an I/O call on its buffer?);"
            + " close it once that call has returned",
        cause);
  }

  /** The store views of one process that are still open. */
  static final class OpenViews {
    private final Set<View> open = ConcurrentHashMap.newKeySet();

    void add(View v) {
      open.add(v);
    }

    void remove(View v) {
      open.remove(v);
    }

    /**
     * Closes every open view (their readers fail from now on); true when all closed, false when
     * some are still in use by an I/O call and the store must stay mapped.
     */
    boolean closeAll() {
      boolean all = true;
      for (View v : open) {
        try {
          v.close();
        } catch (IllegalStateException e) {
          all = false;
        }
      }
      return all;
    }
  }

  static final class View implements ObjectBuffer {
    private final String what;
    private final MemorySegment segment;
    private final Arena arena;
    private final boolean zeroCopy;
    private final AutoCloseable pin;
    private final OpenViews open;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** For a store view: the store, and the payload's slice of its mapping (for copyTo). */
    private final dev.weft.internal.store.StoreFile store;

    private final MemorySegment payload;

    private View(
        String what,
        MemorySegment segment,
        Arena arena,
        boolean zeroCopy,
        AutoCloseable pin,
        OpenViews open,
        dev.weft.internal.store.StoreFile store,
        MemorySegment payload) {
      this.store = store;
      this.payload = payload;
      this.what = what;
      this.segment = segment;
      this.arena = arena;
      this.zeroCopy = zeroCopy;
      this.pin = pin;
      this.open = open;
    }

    private void checkOpen() {
      if (closed.get()) {
        throw new IllegalStateException(
            "the view of "
                + what
                + " is closed: its bytes may since hold another object (read them before"
                + " ObjectBuffer.close(), or call Weft.getBuffer again)");
      }
    }

    @Override
    public ByteBuffer buffer() {
      checkOpen();
      return segment.asByteBuffer().asReadOnlyBuffer();
    }

    @Override
    public MemorySegment segment() {
      checkOpen();
      return segment;
    }

    @Override
    public long sizeBytes() {
      return segment.byteSize();
    }

    @Override
    public boolean zeroCopy() {
      return zeroCopy;
    }

    /**
     * Copies in progress: {@link #close()} refuses while one runs (the block must stay pinned until
     * the read is done), as it refuses while a read of the segment runs. A copy counts itself
     * before it checks that the view is open, and close marks the view closed before it checks the
     * count, so one of the two always sees the other.
     */
    final java.util.concurrent.atomic.AtomicInteger copying =
        new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public void copyTo(long offset, MemorySegment dst) {
      java.util.Objects.checkFromIndexSize(offset, dst.byteSize(), segment.byteSize());
      copying.incrementAndGet();
      try {
        checkOpen();
        if (store == null) {
          MemorySegment.copy(segment, offset, dst, 0, dst.byteSize());
          return;
        }
        store.read(payload, offset, dst);
      } catch (java.io.IOException e) {
        throw new dev.weft.WeftException(
            "cannot read " + what + " from the object store " + store.path() + ": " + e, e);
      } finally {
        copying.decrementAndGet();
      }
    }

    /**
     * Ends the segment's life (every segment and buffer of this view fails from now on), then
     * unpins. Idempotent.
     */
    @Override
    public void close() {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      if (copying.get() > 0) { // a copyTo on another thread reads the pinned block: not yet
        closed.set(false);
        throw stillCopying(what);
      }
      try {
        arena.close();
      } catch (IllegalStateException e) {
        closed.set(false); // still open: a later close() may succeed
        throw stillInUse(what, e);
      }
      if (open != null) {
        open.remove(this);
      }
      if (pin != null) {
        try {
          pin.close();
        } catch (Exception e) {
          throw new IllegalStateException("cannot unpin " + what + ": " + e.getMessage(), e);
        }
      }
    }
  }
}
