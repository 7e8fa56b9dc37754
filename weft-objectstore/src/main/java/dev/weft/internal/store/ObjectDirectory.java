package dev.weft.internal.store;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The node manager's record of what its store holds: for each object, where it is, whether it is
 * sealed, and how many readers pin it. Memory is released when the owner deletes the object and the
 * last pin is gone. Not thread-safe: every method runs on the owning thread (the node manager's
 * loop), the {@code owner} executor given at construction.
 *
 * <p>Spilling: when a new object does not fit, sealed objects that nobody pins are written to
 * {@link SpillFiles} in least-recently-used order and their memory is released; they stay
 * referenced (their owners still hold them) and are read back into memory the next time somebody
 * pins them. Only when nothing more can be spilled does a create fail. Without a {@link StoreFile}
 * and {@link SpillFiles} (unit tests) nothing spills.
 *
 * <p>Disk IO never runs on the owning thread: spills and restores run on the {@code io} executor
 * and post their completion back to the owner, so the node keeps granting leases and serving pins
 * while gigabytes move. While an object is being spilled its memory stays valid (a pin taken
 * meanwhile keeps it in memory and the spilled copy is dropped); while it is being restored, pins
 * wait for the read. A create that must wait for spills returns null and is retried when {@link
 * #onSpaceFreed} fires.
 */
public final class ObjectDirectory {
  /** An object's id, as its two longs. */
  public record Key(long hi, long lo) {
    @Override
    public String toString() {
      return String.format("%016x%016x", hi, lo);
    }
  }

  /** One object's block. */
  public static final class Block {
    public long offset;
    public final long sizeBytes;
    SpillFiles.Location spilled;
    public final String owner;

    /** Who writes it until it is sealed (the node's connection to the writer); may be null. */
    final Object writer;

    boolean sealed;
    int pins;
    boolean deleted;

    /**
     * A copy pulled from another node (the owner's primary copy lives elsewhere): when memory is
     * short it is evicted, never spilled; its owner tries another copy then.
     */
    boolean secondary;

    /** Being written to disk: memory still valid, released when the write completes. */
    boolean spilling;

    /**
     * When its last spill failed (disk full, say), 0 if never: it is not tried again for a while.
     */
    long spillFailedAt;

    /** Being read back into {@link #restoreOffset}; pins wait in {@link #pinWaiters}. */
    boolean restoring;

    long restoreOffset = -1;
    List<CompletableFuture<Block>> pinWaiters;

    /**
     * Pins asked for before the writer sealed it: completed with the block (pinned) at the seal,
     * with null if it is dropped unsealed.
     */
    List<CompletableFuture<Block>> sealWaiters;

    /** Since when a restore has waited for readers to unpin other objects (0: not waiting). */
    long restoreWaitingSince;

    /** Its header's kind and payload length, read when it was last spilled (for spill readers). */
    byte kind;

    long payloadLength;

    Block(long offset, long sizeBytes, String owner, Object writer) {
      this.offset = offset;
      this.sizeBytes = sizeBytes;
      this.owner = owner;
      this.writer = writer;
    }
  }

  private final Allocator allocator;

  /** In access order: the eldest entries are the least recently used, spilled first. */
  private final Map<Key, Block> blocks = new LinkedHashMap<>(16, 0.75f, true);

  private final StoreFile memory;
  private final SpillFiles spill;
  private final Executor io;
  private final Executor owner;
  private Runnable onSpaceFreed = () -> {};

  /** How long an object whose spill failed is left alone before it may be tried again. */
  static final long SPILL_RETRY_NANOS =
      Long.getLong("weft.store.spillRetryMillis", 1_000) * 1_000_000;

  /** Memory that spills under way will release. */
  private long spillingBytes;

  /**
   * How long a restore waits for readers to unpin other objects before its pins fail: readers hold
   * pins briefly (a copy out, a view), so memory usually comes free soon.
   */
  static final long RESTORE_WAIT_NANOS =
      Long.getLong("weft.store.restoreWaitMillis", 10_000) * 1_000_000;

  /** Spilled objects waiting for memory to be restored into, in arrival order. */
  private final ArrayDeque<Key> waitingRestores = new ArrayDeque<>();

  private String lastIoError;

  /** A store without spilling (unit tests of allocation and pins). */
  public ObjectDirectory(long capacityBytes) {
    this(capacityBytes, null, null, Runnable::run, Runnable::run);
  }

  /**
   * @param io where spill file reads and writes run (one thread keeps the disk sequential)
   * @param owner the thread that owns this directory; IO completions are posted to it
   */
  public ObjectDirectory(
      long capacityBytes, StoreFile memory, SpillFiles spill, Executor io, Executor owner) {
    this.allocator = new Allocator(capacityBytes);
    this.memory = memory;
    this.spill = spill;
    this.io = io;
    this.owner = owner;
  }

  /** Called on the owning thread whenever memory came free through a finished spill. */
  public void onSpaceFreed(Runnable r) {
    this.onSpaceFreed = r;
  }

  /**
   * Allocates now, or starts spilling least-recently-used unpinned objects and returns -1 (the
   * caller retries when {@link #onSpaceFreed} fires; {@link #spilling()} tells whether any is under
   * way).
   */
  private long allocateOrSpill(long size, Key except) {
    long off = allocator.allocate(size);
    if (off < 0) {
      off = evictSecondaries(size, except);
    }
    if (off >= 0 || memory == null || spill == null) {
      return off;
    }
    // Spill until what is free plus what spills under way will release covers the request; if
    // fragmentation still leaves no block big enough, the retry spills more.
    long coming = allocator.capacity() - allocator.usedBytes() + spillingBytes;
    // walked in place (no copy of every entry), the spills started after the walk; spilled blocks
    // move to the end of the order (see spillDone), so the walk meets the ones in memory first
    List<Map.Entry<Key, Block>> victims = new ArrayList<>();
    long starting = 0;
    for (Map.Entry<Key, Block> e : blocks.entrySet()) {
      if (coming >= size && spillingBytes + starting > 0) {
        break;
      }
      Block b = e.getValue();
      if (b.spilled != null
          || b.spilling
          || (b.spillFailedAt != 0 && System.nanoTime() - b.spillFailedAt < SPILL_RETRY_NANOS)
          || b.restoring
          || !b.sealed
          || b.pins > 0
          || b.deleted
          || e.getKey().equals(except)) {
        continue;
      }
      victims.add(e);
      starting += b.sizeBytes;
      coming += b.sizeBytes;
    }
    for (Map.Entry<Key, Block> e : victims) {
      startSpill(e.getKey(), e.getValue());
    }
    return -1;
  }

  /**
   * Evicts pulled copies nobody pins, least recently used first, until {@code size} bytes can be
   * allocated; returns the offset, or -1 (then spilling primaries may still make room).
   */
  private long evictSecondaries(long size, Key except) {
    long off = -1;
    if (secondaryBlocks == 0) {
      return off; // nothing pulled from another node: no walk over every block
    }
    for (Map.Entry<Key, Block> e : new ArrayList<>(blocks.entrySet())) {
      Block b = e.getValue();
      if (!b.secondary
          || e.getKey().equals(except)
          || !b.sealed
          || b.pins > 0
          || b.spilled != null
          || b.spilling
          || b.restoring) {
        continue;
      }
      release(e.getKey(), b);
      evictions++;
      off = allocator.allocate(size);
      if (off >= 0) {
        break;
      }
    }
    return off;
  }

  private long evictions;

  /** Pulled copies evicted to make room, since start. */
  public long evictions() {
    return evictions;
  }

  /**
   * Reserves a block for a copy pulled from another node (see {@link Block#secondary}); null when
   * there is no room now (spills may be under way: retry on {@link #onSpaceFreed}).
   */
  public Block createSecondary(Key key, long sizeBytes, String owner) {
    Block b = create(key, sizeBytes, owner, null, Room.SPILL);
    if (b != null) {
      b.secondary = true;
      secondaryBlocks++;
    }
    return b;
  }

  /** How many blocks in {@link #blocks} are pulled copies ({@link Block#secondary}). */
  private int secondaryBlocks;

  /** Takes {@code b} out of {@link #blocks}, keeping {@link #secondaryBlocks} in step. */
  private void forget(Key key, Block b) {
    if (blocks.remove(key, b) && b.secondary) {
      secondaryBlocks--;
    }
  }

  /** Whether the store has a block for {@code key} (sealed or not, in memory or spilled). */
  public boolean contains(Key key) {
    return blocks.containsKey(key);
  }

  /**
   * The offset of a sealed, in-memory block that is pinned (for serving its bytes), or -1. Does not
   * count as an access.
   */
  public long pinnedOffset(Key key) {
    Block b = blocks.get(key);
    return b != null && b.sealed && b.pins > 0 && b.spilled == null && !b.restoring ? b.offset : -1;
  }

  /** The size of a sealed, in-memory, pinned block, or -1. */
  public long pinnedBlockSize(Key key) {
    return pinnedOffset(key) >= 0 ? blocks.get(key).sizeBytes : -1;
  }

  private void startSpill(Key key, Block b) {
    b.spilling = true;
    spillingBytes += b.sizeBytes;
    MemorySegment src = memory.slice(b.offset, b.sizeBytes);
    if (b.sizeBytes >= ObjectLayout.HEADER) {
      b.kind = ObjectLayout.kind(src);
      b.payloadLength = ObjectLayout.payloadLength(src);
    }
    io.execute(
        () -> {
          SpillFiles.Location loc = null;
          Throwable err = null;
          try {
            loc = spill.spill(src);
          } catch (Throwable e) { // an Error too: the completion must always come back
            err = e;
          } finally {
            SpillFiles.Location done = loc;
            Throwable failure = err;
            owner.execute(() -> spillDone(key, b, done, failure));
          }
        });
  }

  private void spillDone(Key key, Block b, SpillFiles.Location loc, Throwable err) {
    b.spilling = false;
    spillingBytes -= b.sizeBytes;
    if (err != null) {
      lastIoError = String.valueOf(err.getMessage()); // it stays in memory
      b.spillFailedAt = System.nanoTime(); // not tried again for a while (the disk may be full)
    } else {
      lastIoError = null; // the disk takes spills again
      b.spillFailedAt = 0;
    }
    if (b.deleted && b.pins == 0) {
      discard(loc); // deleted while it was written
      release(key, b);
    } else if (err == null && (b.pins > 0 || b.deleted)) {
      discard(loc); // pinned while it was written: it stays in memory, the copy on disk goes
    } else if (err == null) {
      b.spilled = loc;
      allocator.release(b.offset, b.sizeBytes);
      b.offset = -1;
      // to the end of the access order: the walk for blocks to spill (allocateOrSpill) then meets
      // those still in memory first, not every block spilled so far (thousands in a large sort,
      // walked at each allocation while the store is full: seconds of the node's CPU)
      blocks.get(key);
    }
    spaceFreed();
  }

  /** Reserves a block; null when there is no room now (spills may be under way). */
  public Block create(Key key, long sizeBytes, String owner) {
    return create(key, sizeBytes, owner, null);
  }

  /**
   * Reserves a block that {@code writer} fills and seals; null when there is no room now (spills
   * may be under way). See {@link #dropUnsealedOf} for a writer that goes away before it seals.
   */
  public Block create(Key key, long sizeBytes, String owner, Object writer) {
    return create(key, sizeBytes, owner, writer, Room.SPILL);
  }

  /** How {@link #create(Key, long, String, Object, Room)} may make room when memory is short. */
  public enum Room {
    /** Spill least-recently-used unpinned objects to disk. */
    SPILL,
    /**
     * Only take free memory: the caller expects dropped refs to free objects soon (it asked their
     * owners to collect garbage) and would rather wait for that than write live-looking objects to
     * disk.
     */
    FREE_ONLY
  }

  /**
   * Reserves a block that {@code writer} fills and seals, making room as {@code room} allows; null
   * when there is no room now.
   */
  public Block create(Key key, long sizeBytes, String owner, Object writer, Room room) {
    if (blocks.containsKey(key)) {
      throw new IllegalStateException("object " + key + " is already in the store");
    }
    long off = room == Room.SPILL ? allocateOrSpill(sizeBytes, key) : allocator.allocate(sizeBytes);
    if (off < 0) {
      return null;
    }
    Block b = new Block(off, sizeBytes, owner, writer);
    blocks.put(key, b);
    return b;
  }

  /** The process (connection) that wrote a sealed or unsealed object; null if none is known. */
  public Object writerOf(Key key) {
    Block b = blocks.get(key);
    return b == null ? null : b.writer;
  }

  /**
   * Deletes a sealed object nobody reads and no IO holds, so that it can be written again (a
   * retried task's result, whose first attempt sealed it and then died); otherwise leaves it.
   */
  public void dropSealedIfIdle(Key key) {
    Block b = blocks.get(key);
    if (b != null && b.sealed && b.pins == 0 && !b.spilling && !b.restoring) {
      delete(key);
    }
  }

  /** The writer of an object that is created but not sealed yet; null otherwise. */
  public Object unsealedWriter(Key key) {
    Block b = blocks.get(key);
    return b != null && !b.sealed ? b.writer : null;
  }

  /**
   * Drops the blocks {@code writer} created and never sealed (it went away mid-write): nobody can
   * read them, and a retry of the task that writes them must be able to create them anew. Returns
   * how many.
   */
  public int dropUnsealedOf(Object writer) {
    int n = 0;
    for (Map.Entry<Key, Block> e : new ArrayList<>(blocks.entrySet())) {
      Block b = e.getValue();
      if (!b.sealed && b.writer != null && b.writer == writer) {
        release(e.getKey(), b); // unsealed blocks are never pinned, spilled or restored
        n++;
      }
    }
    return n;
  }

  /** Whether spills are under way (a create that got null will get another chance). */
  public boolean spilling() {
    return spillingBytes > 0;
  }

  /** The last spill or restore that failed, for error messages; null if none. */
  public String lastIoError() {
    return lastIoError;
  }

  public void seal(Key key) {
    Block b = blocks.get(key);
    if (b != null) {
      b.sealed = true;
      List<CompletableFuture<Block>> waiters = b.sealWaiters;
      b.sealWaiters = null;
      if (waiters != null) {
        b.pins += waiters.size();
        for (CompletableFuture<Block> w : waiters) {
          w.complete(b);
        }
      }
    }
  }

  /** Whether {@code key} is created here and not sealed yet. */
  public boolean unsealed(Key key) {
    Block b = blocks.get(key);
    return b != null && !b.sealed;
  }

  /**
   * Gives up on pin {@code f} if it still waits for {@code key}'s seal: it completes with null (not
   * here), as a pin of an unsealed object did before writers stopped waiting for their seals.
   */
  public void cancelSealWait(Key key, CompletableFuture<Block> f) {
    Block b = blocks.get(key);
    if (b != null && b.sealWaiters != null && b.sealWaiters.remove(f)) {
      f.complete(null);
    }
  }

  /**
   * Pins an object, first restoring it from disk if it was spilled. Completes on the owning thread
   * with the block; for an object created but not sealed yet, once its writer seals it; with null
   * when the object is not here (or is dropped before its seal), or exceptionally when it cannot be
   * read back.
   *
   * <p>A pin waits for the seal because a process does not wait for the seal's answer before it
   * hands out refs to its own objects (it saves a round trip to the node per object): a reader told
   * of one on another connection can ask before the node has read the seal.
   */
  public CompletableFuture<Block> pin(Key key) {
    Block b = blocks.get(key);
    if (b != null && !b.sealed && !b.deleted) {
      CompletableFuture<Block> f = new CompletableFuture<>();
      if (b.sealWaiters == null) {
        b.sealWaiters = new ArrayList<>();
      }
      b.sealWaiters.add(f);
      return f;
    }
    if (b == null || b.deleted) {
      return CompletableFuture.completedFuture(null);
    }
    if (b.spilled == null && !b.restoring) {
      b.pins++; // in memory (perhaps being spilled: then it stays)
      return CompletableFuture.completedFuture(b);
    }
    CompletableFuture<Block> f = new CompletableFuture<>();
    boolean first = b.pinWaiters == null;
    if (first) {
      b.pinWaiters = new ArrayList<>();
    }
    b.pinWaiters.add(f);
    if (first && !b.restoring) {
      tryRestore(key, b);
    }
    return f;
  }

  /** Starts reading a spilled object back if memory can be had; otherwise waits for spills. */
  private void tryRestore(Key key, Block b) {
    long off = allocateOrSpill(b.sizeBytes, key);
    long now = System.nanoTime();
    if (off >= 0) {
      b.restoreWaitingSince = 0;
      startRestore(key, b, off);
    } else if (spillingBytes > 0) {
      waitingRestores.add(key);
    } else if (pinned() > 0
        && (b.restoreWaitingSince == 0 || now - b.restoreWaitingSince < RESTORE_WAIT_NANOS)) {
      // readers unpin soon (spaceFreed retries it; expireRestores bounds the wait)
      if (b.restoreWaitingSince == 0) {
        b.restoreWaitingSince = now;
      }
      waitingRestores.add(key);
    } else {
      b.restoreWaitingSince = 0;
      failWaiters(
          b,
          "cannot restore spilled object "
              + key
              + " ("
              + b.sizeBytes
              + " bytes): every other object in memory is pinned by a reader");
    }
  }

  private void startRestore(Key key, Block b, long off) {
    b.restoring = true;
    b.restoreOffset = off;
    SpillFiles.Location loc = b.spilled;
    MemorySegment target = memory.slice(off, b.sizeBytes);
    io.execute(
        () -> {
          Throwable err = null;
          try {
            spill.restore(loc, target);
          } catch (Throwable e) { // an Error too: the completion must always come back
            err = e;
          } finally {
            Throwable failure = err;
            owner.execute(() -> restoreDone(key, b, failure));
          }
        });
  }

  private void restoreDone(Key key, Block b, Throwable err) {
    b.restoring = false;
    long off = b.restoreOffset;
    b.restoreOffset = -1;
    List<CompletableFuture<Block>> waiters = b.pinWaiters;
    b.pinWaiters = null;
    if (err != null || b.deleted) {
      allocator.release(off, b.sizeBytes);
      if (b.deleted) {
        discard(b.spilled);
        b.spilled = null;
        forget(key, b);
      } else {
        lastIoError = String.valueOf(err.getMessage());
      }
      for (CompletableFuture<Block> w : waiters) {
        if (err != null) {
          w.completeExceptionally(err);
        } else {
          w.complete(null);
        }
      }
      spaceFreed();
      return;
    }
    discard(b.spilled);
    b.spilled = null;
    b.offset = off;
    b.pins += waiters.size();
    for (CompletableFuture<Block> w : waiters) {
      w.complete(b);
    }
  }

  private void failWaiters(Block b, String why) {
    List<CompletableFuture<Block>> waiters = b.pinWaiters;
    b.pinWaiters = null;
    if (waiters != null) {
      IllegalStateException e = new IllegalStateException(why);
      for (CompletableFuture<Block> w : waiters) {
        w.completeExceptionally(e);
      }
    }
  }

  /**
   * Memory came free (a spill finished, or the caller deleted or unpinned something): restores
   * waiting for it go first, then {@link #onSpaceFreed} (the node's waiting creates).
   */
  public void spaceFreed() {
    int n = waitingRestores.size();
    for (int i = 0; i < n; i++) {
      Key k = waitingRestores.poll();
      Block b = blocks.get(k);
      if (b != null && b.pinWaiters != null && !b.restoring && b.spilled != null) {
        tryRestore(k, b);
      }
    }
    onSpaceFreed.run();
  }

  /**
   * Retries the restores waiting for memory, failing those that waited longer than {@link
   * #RESTORE_WAIT_NANOS}; the owner calls it on a timer while {@link #restoresWaiting()}.
   */
  public void expireRestores() {
    spaceFreed();
  }

  /**
   * Whether restores wait for memory (the owner then calls {@link #expireRestores} now and then).
   */
  public boolean restoresWaiting() {
    return !waitingRestores.isEmpty();
  }

  /**
   * Deletes a spilled copy (on the IO thread, like every other spill file operation); one that
   * readers in other processes are reading goes when the last of them is done.
   */
  private void discard(SpillFiles.Location loc) {
    if (loc != null) {
      if (spillReads.containsKey(loc)) {
        discardAfterReads.add(loc);
      } else {
        io.execute(() -> spill.remove(loc));
      }
    }
  }

  /**
   * Spilled copies that processes of this node read straight from their files, with how many
   * readers each has. Spill files are only ever appended to, so a copy stays valid while it is not
   * removed; removing one waits for its last reader ({@link #discardAfterReads}).
   */
  private final Map<SpillFiles.Location, Integer> spillReads = new HashMap<>();

  /** Copies that went (object deleted, or restored into memory) while readers were reading them. */
  private final java.util.Set<SpillFiles.Location> discardAfterReads = new java.util.HashSet<>();

  /** Where a reader finds a spilled object's block: its file, and the header's fields. */
  public record SpillRead(
      SpillFiles.Location loc, java.nio.file.Path path, byte kind, long payloadLength) {}

  /**
   * For a reader that copies an object out rather than reading it in place: where its spilled copy
   * is, held for the reader until {@link #endSpillRead}, so that reading it needs no room in memory
   * and no restore by the node's one IO thread. Null when the object is not (only) on disk now: in
   * memory, being restored, unsealed or gone; the reader pins it then.
   */
  public SpillRead readSpilled(Key key) {
    Block b = blocks.get(key);
    if (b == null || b.deleted || !b.sealed || b.spilled == null || b.restoring || spill == null) {
      return null;
    }
    spillReads.merge(b.spilled, 1, Integer::sum);
    return new SpillRead(b.spilled, spill.pathOf(b.spilled), b.kind, b.payloadLength);
  }

  /** A reader of a spilled copy is done with it (see {@link #readSpilled}). */
  public void endSpillRead(SpillFiles.Location loc) {
    Integer n = spillReads.get(loc);
    if (n == null) {
      return;
    }
    if (n > 1) {
      spillReads.put(loc, n - 1);
    } else {
      spillReads.remove(loc);
      if (discardAfterReads.remove(loc)) {
        io.execute(() -> spill.remove(loc));
      }
    }
  }

  /** How many reads of spilled copies are under way (for statistics and tests). */
  public int spillReaders() {
    int n = 0;
    for (int v : spillReads.values()) {
      n += v;
    }
    return n;
  }

  public void unpin(Key key) {
    Block b = blocks.get(key);
    if (b != null && b.pins > 0) {
      b.pins--;
      if (b.deleted && b.pins == 0) {
        free(key, b);
      }
    }
  }

  /** The owner freed the object: its memory goes now, or at the last unpin. */
  public void delete(Key key) {
    Block b = blocks.get(key);
    if (b == null) {
      return;
    }
    b.deleted = true;
    if (b.pins == 0) {
      free(key, b);
    }
  }

  /** Deletes every object of an owner that is gone. Returns how many. */
  /** The owners of the objects held here (primaries and copies). */
  public java.util.Set<String> owners() {
    java.util.Set<String> out = new java.util.HashSet<>();
    for (Block b : blocks.values()) {
      if (b.owner != null) {
        out.add(b.owner);
      }
    }
    return out;
  }

  /** The keys of the objects of {@code owner} held here (primaries and copies). */
  public List<Key> keysOwnedBy(String owner) {
    List<Key> out = new ArrayList<>();
    for (Map.Entry<Key, Block> e : blocks.entrySet()) {
      if (owner.equals(e.getValue().owner)) {
        out.add(e.getKey());
      }
    }
    return out;
  }

  public int deleteOwnedBy(String owner) {
    int n = 0;
    for (Map.Entry<Key, Block> e : new ArrayList<>(blocks.entrySet())) {
      if (owner.equals(e.getValue().owner)) {
        delete(e.getKey());
        n++;
      }
    }
    return n;
  }

  private void free(Key key, Block b) {
    if (b.spilling || b.restoring) {
      return; // deleted: the IO under way finishes first, then its completion frees the block
    }
    release(key, b);
  }

  private void release(Key key, Block b) {
    forget(key, b);
    if (b.spilled != null) {
      discard(b.spilled);
      b.spilled = null;
    } else {
      allocator.release(b.offset, b.sizeBytes);
    }
    failWaiters(b, "object " + key + " was deleted by its owner");
    List<CompletableFuture<Block>> unsealed = b.sealWaiters;
    b.sealWaiters = null;
    if (unsealed != null) {
      unsealed.forEach(w -> w.complete(null)); // never sealed: not here
    }
  }

  public long spilledBytes() {
    return spill == null ? 0 : spill.spilledBytes();
  }

  public int spilledObjects() {
    int n = 0;
    for (Block b : blocks.values()) {
      if (b.spilled != null) {
        n++;
      }
    }
    return n;
  }

  /**
   * Totals since start: {spilled bytes, nanos spent spilling, restored bytes, nanos spent
   * restoring}.
   */
  public long[] spillTotals() {
    return spill == null
        ? new long[4]
        : new long[] {
          spill.spilledTotalBytes(),
          spill.spillNanos(),
          spill.restoredTotalBytes(),
          spill.restoreNanos()
        };
  }

  public int spillFiles() {
    return spill == null ? 0 : spill.fileCount();
  }

  public long capacityBytes() {
    return allocator.capacity();
  }

  public long usedBytes() {
    return allocator.usedBytes();
  }

  public long largestFree() {
    return allocator.largestFree();
  }

  public int objects() {
    return blocks.size();
  }

  public int pinned() {
    int n = 0;
    for (Block b : blocks.values()) {
      if (b.pins > 0) {
        n++;
      }
    }
    return n;
  }

  /** One line per object: id, size, owner, state. */
  public List<String> describe(int max) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<Key, Block> e : blocks.entrySet()) {
      if (out.size() >= max) {
        break;
      }
      Block b = e.getValue();
      out.add(
          e.getKey()
              + " "
              + b.sizeBytes
              + " "
              + b.owner
              + " "
              + (b.restoring
                  ? "RESTORING"
                  : b.spilling
                      ? "SPILLING"
                      : b.spilled != null ? "SPILLED" : b.sealed ? "SEALED" : "CREATING")
              + (b.pins > 0 ? " pins=" + b.pins : "")
              + (b.secondary ? " COPY" : "")
              + (b.deleted ? " DELETING" : ""));
    }
    return out;
  }
}
