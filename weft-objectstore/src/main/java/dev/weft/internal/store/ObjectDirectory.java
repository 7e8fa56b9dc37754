package dev.weft.internal.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The node manager's record of what its store holds: for each object, where it is, whether it is
 * sealed, and how many readers pin it. Memory is released when the owner deletes the object and the
 * last pin is gone. Not thread-safe: the node manager's single thread owns it.
 *
 * <p>Spilling: when a new object does not fit, sealed objects that nobody pins are written to
 * {@link SpillFiles} in least-recently-used order and their memory is released; they stay
 * referenced (their owners still hold them) and are read back into memory the next time somebody
 * pins them. Only when nothing more can be spilled does a create fail. Without a {@link StoreFile}
 * and {@link SpillFiles} (unit tests) nothing spills.
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
    boolean sealed;
    int pins;
    boolean deleted;

    Block(long offset, long sizeBytes, String owner) {
      this.offset = offset;
      this.sizeBytes = sizeBytes;
      this.owner = owner;
    }
  }

  private final Allocator allocator;

  /** In access order: the eldest entries are the least recently used, spilled first. */
  private final Map<Key, Block> blocks = new LinkedHashMap<>(16, 0.75f, true);

  private final StoreFile memory;
  private final SpillFiles spill;

  public ObjectDirectory(long capacityBytes) {
    this(capacityBytes, null, null);
  }

  public ObjectDirectory(long capacityBytes, StoreFile memory, SpillFiles spill) {
    this.allocator = new Allocator(capacityBytes);
    this.memory = memory;
    this.spill = spill;
  }

  /** Allocates, spilling least-recently-used unpinned objects until it fits; -1 if it cannot. */
  private long allocateOrSpill(long size, Key except) {
    long off = allocator.allocate(size);
    if (off >= 0 || memory == null || spill == null) {
      return off;
    }
    for (Map.Entry<Key, Block> e : new java.util.ArrayList<>(blocks.entrySet())) {
      Block b = e.getValue();
      if (e.getKey().equals(except) || b.spilled != null || !b.sealed || b.pins > 0 || b.deleted) {
        continue;
      }
      b.spilled = spill.spill(memory.slice(b.offset, b.sizeBytes));
      allocator.release(b.offset, b.sizeBytes);
      b.offset = -1;
      off = allocator.allocate(size);
      if (off >= 0) {
        return off;
      }
    }
    return -1;
  }

  /** Reserves a block; null when no free block is big enough. */
  public Block create(Key key, long sizeBytes, String owner) {
    if (blocks.containsKey(key)) {
      throw new IllegalStateException("object " + key + " is already in the store");
    }
    long off = allocateOrSpill(sizeBytes, key);
    if (off < 0) {
      return null;
    }
    Block b = new Block(off, sizeBytes, owner);
    blocks.put(key, b);
    return b;
  }

  public void seal(Key key) {
    Block b = blocks.get(key);
    if (b != null) {
      b.sealed = true;
    }
  }

  /**
   * Pins a sealed object, restoring it from disk if it was spilled; null when it is not (or not
   * yet) here.
   */
  public Block pin(Key key) {
    Block b = blocks.get(key);
    if (b == null || !b.sealed || b.deleted) {
      return null;
    }
    if (b.spilled != null) {
      long off = allocateOrSpill(b.sizeBytes, key);
      if (off < 0) {
        throw new IllegalStateException(
            "cannot restore spilled object "
                + key
                + " ("
                + b.sizeBytes
                + " bytes): every other object in memory is pinned by a reader");
      }
      spill.restore(b.spilled, memory.slice(off, b.sizeBytes));
      spill.remove(b.spilled);
      b.spilled = null;
      b.offset = off;
    }
    b.pins++;
    return b;
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
    blocks.remove(key);
    if (b.spilled != null) {
      spill.remove(b.spilled);
    } else {
      allocator.release(b.offset, b.sizeBytes);
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
              + (b.spilled != null ? "SPILLED" : b.sealed ? "SEALED" : "CREATING")
              + (b.pins > 0 ? " pins=" + b.pins : "")
              + (b.deleted ? " DELETING" : ""));
    }
    return out;
  }
}
