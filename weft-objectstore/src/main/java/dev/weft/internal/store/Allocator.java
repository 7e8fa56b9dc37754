package dev.weft.internal.store;

import java.util.Map;
import java.util.TreeMap;

/**
 * First-fit allocation of store memory in 64-byte-aligned blocks, with free blocks coalesced on
 * release. Not thread-safe: the node manager's single thread owns it.
 */
public final class Allocator {
  public static final long ALIGN = 64;
  private final long capacity;
  private final TreeMap<Long, Long> free = new TreeMap<>(); // offset -> length
  private long used;

  public Allocator(long capacity) {
    this.capacity = capacity - capacity % ALIGN;
    if (this.capacity > 0) {
      free.put(0L, this.capacity);
    }
  }

  static long aligned(long size) {
    return Math.max(ALIGN, (size + ALIGN - 1) / ALIGN * ALIGN);
  }

  /**
   * The offset of a new block of at least {@code size} bytes, or -1 when no free block is big
   * enough.
   */
  public long allocate(long size) {
    long need = aligned(size);
    for (Map.Entry<Long, Long> e : free.entrySet()) {
      long off = e.getKey();
      long len = e.getValue(); // read first: TreeMap.remove may reuse this entry for its successor
      if (len >= need) {
        free.remove(off);
        if (len > need) {
          free.put(off + need, len - need);
        }
        used += need;
        return off;
      }
    }
    return -1;
  }

  /** Returns the block allocated at {@code offset} for {@code size} bytes. */
  public void release(long offset, long size) {
    long len = aligned(size);
    used -= len;
    Map.Entry<Long, Long> before = free.floorEntry(offset);
    if (before != null && before.getKey() + before.getValue() > offset) {
      throw new IllegalStateException("double free of block at " + offset);
    }
    long start = offset;
    if (before != null && before.getKey() + before.getValue() == offset) {
      start = before.getKey();
      len += before.getValue();
      free.remove(before.getKey());
    }
    Long after = free.get(offset + aligned(size));
    if (after != null) {
      free.remove(offset + aligned(size));
      len += after;
    }
    free.put(start, len);
  }

  public long capacity() {
    return capacity;
  }

  public long usedBytes() {
    return used;
  }

  /** The largest block that could be allocated now. */
  public long largestFree() {
    long m = 0;
    for (long l : free.values()) {
      m = Math.max(m, l);
    }
    return m;
  }
}
