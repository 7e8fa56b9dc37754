package dev.weft.internal.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The node manager's record of what its store holds: for each object, where it is, whether it is
 * sealed, and how many readers pin it. Memory is released when the owner deletes the object and the
 * last pin is gone. Not thread-safe: the node manager's single thread owns it.
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
    public final long offset;
    public final long sizeBytes;
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
  private final Map<Key, Block> blocks = new LinkedHashMap<>();

  public ObjectDirectory(long capacityBytes) {
    this.allocator = new Allocator(capacityBytes);
  }

  /** Reserves a block; null when no free block is big enough. */
  public Block create(Key key, long sizeBytes, String owner) {
    if (blocks.containsKey(key)) {
      throw new IllegalStateException("object " + key + " is already in the store");
    }
    long off = allocator.allocate(sizeBytes);
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

  /** Pins a sealed object; null when it is not (or not yet) here. */
  public Block pin(Key key) {
    Block b = blocks.get(key);
    if (b == null || !b.sealed || b.deleted) {
      return null;
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
    allocator.release(b.offset, b.sizeBytes);
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
      out.add(e.getKey() + " " + b.sizeBytes + " " + b.owner + " " + (b.sealed ? "SEALED" : "CREATING")
          + (b.pins > 0 ? " pins=" + b.pins : "") + (b.deleted ? " DELETING" : ""));
    }
    return out;
  }
}
