package dev.weft.internal.core;

import dev.weft.ObjectId;
import dev.weft.internal.proto.Msg.ErrorKind;
import java.lang.ref.Cleaner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The objects this process owns (created by put or by submitting the task that returns them), and
 * their values: the in-process memory store of the ownership design.
 *
 * <p>Implementation notes. One concurrent map; each entry's {@code ready} future is completed
 * exactly once (value or error) and is the only thing readers wait on. An object is freed when
 * nothing can reach it any more:
 *
 * <ul>
 *   <li>local references: live {@link RefImpl} instances in this process, counted and noticed when
 *       collected through a {@link Cleaner}. Whatever must keep an object alive does so by holding
 *       a ref instance: a pending task's arguments, the value of another object that contains the
 *       ref ({@link Entry#contained}), an executor's results until their owner registered
 *       (ReleasePins).
 *   <li>borrowers: other processes holding the ref, each registered by AddBorrower and removed by
 *       RemoveBorrower (see {@link BorrowTable}) or when its connection closes.
 * </ul>
 *
 * The free decision and the borrower set are guarded by the entry's monitor.
 */
final class OwnershipTable {
  static final Cleaner CLEANER = Cleaner.create();

  static final byte ORIGIN_PUT = 0;
  static final byte ORIGIN_TASK = 1;
  static final byte ORIGIN_ACTOR = 2;

  /** Value or failure of one object. */
  static final class Entry {
    final ObjectId id;
    final CompletableFuture<Stored> ready = new CompletableFuture<>();
    final AtomicInteger localRefs = new AtomicInteger();
    final java.util.Set<String> borrowers = new java.util.HashSet<>();

    /**
     * The runtime's own copies of the refs nested in this object's value, kept alive while it lives
     * (containment) and released when it is freed; never shared with another entry.
     */
    volatile Object contained;

    /**
     * For an object in a node store: the nodes holding a copy, the primary (where it was created)
     * first, then secondary copies that nodes reported after pulling it (AddObjectLocation).
     * Copy-on-write; replaced under the entry's monitor. A location may be stale (a secondary copy
     * evicted since): pullers then try the next one.
     */
    volatile java.util.List<dev.weft.internal.proto.Msg.ObjectLocation> locations =
        java.util.List.of();

    /** The node whose death took the last copy of this object (null while a copy is known). */
    volatile String lostWith;

    /**
     * How it was made: {@link #ORIGIN_PUT} (the default), {@link #ORIGIN_TASK}, {@link
     * #ORIGIN_ACTOR}.
     */
    byte origin; // set before the entry is published

    /** The record of the task that made it, while its value is in a store (see {@link Lineage}). */
    volatile Lineage.Record lineage;

    /** The run making it again after it was lost, while one is in progress; under the monitor. */
    volatile CompletableFuture<Void> rebuilt;

    /** Why it cannot be made again (set when that was decided). */
    volatile String noRebuild;

    /** A run to make it again was tried and failed: final for this object. */
    volatile boolean rebuildFailed;

    /** Rotates the locations handed out, so that many pullers spread over the copies. */
    final AtomicInteger handedOut = new AtomicInteger();

    Entry(ObjectId id) {
      this.id = id;
    }
  }

  /**
   * A ready object: serialized value, or the error its creation ended with; for an object in a node
   * store, the nodes holding it as its owner last said (null: ask the owner; owned objects keep
   * theirs in the entry).
   */
  record Stored(
      byte[] value,
      ErrorInfo error,
      boolean inStore,
      java.util.List<dev.weft.internal.proto.Msg.ObjectLocation> locations) {
    Stored(byte[] value, ErrorInfo error, boolean inStore) {
      this(value, error, inStore, null);
    }

    Stored(byte[] value, ErrorInfo error) {
      this(value, error, false);
    }

    boolean failed() {
      return error != null;
    }
  }

  /** An error kept with a failed object; turned into a fresh exception at every get. */
  record ErrorInfo(ErrorKind kind, String message, Throwable cause) {}

  private final long processHi;
  private final AtomicLong nextLo = new AtomicLong(1);
  private final ConcurrentHashMap<ObjectId, Entry> entries = new ConcurrentHashMap<>();

  OwnershipTable(long processHi) {
    this.processHi = processHi;
  }

  /** Reserves {@code count} consecutive ids and returns the first one's {@code lo}. */
  long reserve(int count) {
    return nextLo.getAndAdd(count);
  }

  ObjectId idAt(long lo) {
    return new ObjectId(processHi, lo);
  }

  boolean owns(ObjectId id) {
    return id.hi() == processHi;
  }

  Entry create(ObjectId id) {
    return create(id, ORIGIN_PUT);
  }

  Entry create(ObjectId id, byte origin) {
    Entry e = new Entry(id);
    e.origin = origin;
    entries.put(id, e);
    return e;
  }

  Entry get(ObjectId id) {
    return entries.get(id);
  }

  /** The entry of {@code id}, made by {@code make} (atomically) when there is none. */
  Entry getOrCreate(ObjectId id, java.util.function.Supplier<Entry> make) {
    return entries.computeIfAbsent(id, k -> make.get());
  }

  /**
   * One line per object, for `weft memory`: {@code id state inlineBytes local=N borrowers=[...]
   * contains=N}, state being PENDING, INLINE, STORE or FAILED.
   */
  java.util.List<String> describe(int max) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (Entry e : entries.values()) {
      if (out.size() >= max) {
        break;
      }
      Stored s = e.ready.getNow(null);
      String state =
          s == null ? "PENDING" : s.failed() ? "FAILED" : s.inStore() ? "STORE" : "INLINE";
      long bytes = s != null && s.value() != null ? s.value().length : 0;
      Object c = e.contained;
      int contains = c instanceof Object[] a ? a.length : 0;
      java.util.List<String> b;
      synchronized (e) {
        b = java.util.List.copyOf(e.borrowers);
      }
      out.add(
          e.id
              + " "
              + state
              + " "
              + bytes
              + " local="
              + e.localRefs.get()
              + " borrowers="
              + b
              + " contains="
              + contains);
    }
    return out;
  }

  int size() {
    return entries.size();
  }

  void complete(ObjectId id, byte[] value) {
    Entry e = entries.get(id);
    if (e != null) {
      e.ready.complete(new Stored(value, null));
    }
  }

  /**
   * Completes a task result that stays in the node's store; false when the object was already
   * dropped, or already complete (made again from its lineage).
   */
  boolean completeInStore(ObjectId id) {
    Entry e = entries.get(id);
    return e != null && e.ready.complete(new Stored(null, null, true));
  }

  /** Records that {@code loc} holds a copy of {@code id} (no-op when known or freed). */
  void addLocation(ObjectId id, dev.weft.internal.proto.Msg.ObjectLocation loc) {
    Entry e = entries.get(id);
    if (e != null && loc != null) {
      addLocationOf(e, loc);
    }
  }

  /**
   * Node {@code nodeId} died: its copies are gone from every owned object's locations; an object
   * left with none is marked lost with that node ({@link Entry#lostWith}). Returns how many were.
   */
  int dropLocationsOn(String nodeId) {
    deadNodes.add(nodeId);
    int lost = 0;
    for (Entry e : entries.values()) {
      synchronized (e) {
        java.util.List<dev.weft.internal.proto.Msg.ObjectLocation> l = e.locations;
        if (l.stream().anyMatch(loc -> nodeId.equals(loc.nodeId()))) {
          e.locations =
              java.util.List.copyOf(
                  l.stream().filter(loc -> !nodeId.equals(loc.nodeId())).toList());
          if (e.locations.isEmpty()) {
            e.lostWith = nodeId;
            lost++;
          }
        }
      }
    }
    return lost;
  }

  /**
   * Whether {@code e} is a stored object whose last copy went with a dead node (it may be made
   * again from its lineage, {@link Lineage#rebuild}).
   */
  static boolean isLost(Entry e) {
    if (e.lostWith == null || !e.locations.isEmpty()) {
      return false;
    }
    Stored s = e.ready.getNow(null);
    return s != null && s.inStore() && !s.failed();
  }

  /** Why {@code e} cannot be read any more, when its last copy went with a dead node; else null. */
  static String lostMessage(Entry e) {
    String node = e.lostWith;
    if (node == null || !e.locations.isEmpty()) {
      return null;
    }
    String why = e.noRebuild;
    return "object "
        + e.id
        + " is lost: its only copy was in the object store of node "
        + node
        + ", which died, and it cannot be made again: "
        + (why != null ? why : "that was not tried");
  }

  /** Nodes this process heard are dead: a copy reported there afterwards is not one. */
  private final java.util.Set<String> deadNodes = ConcurrentHashMap.newKeySet();

  /**
   * Records a copy of {@code e} at {@code loc}; a copy on a node already dead (a late reply from a
   * task that ran there) leaves an object with no other copy lost with that node.
   */
  void addLocationOf(Entry e, dev.weft.internal.proto.Msg.ObjectLocation loc) {
    if (loc.nodeId() != null && deadNodes.contains(loc.nodeId())) {
      synchronized (e) {
        if (e.locations.isEmpty()) {
          e.lostWith = loc.nodeId();
        }
      }
      return;
    }
    addLocation(e, loc);
  }

  static void addLocation(Entry e, dev.weft.internal.proto.Msg.ObjectLocation loc) {
    synchronized (e) {
      e.lostWith = null;
      if (!e.locations.contains(loc)) {
        java.util.List<dev.weft.internal.proto.Msg.ObjectLocation> l =
            new java.util.ArrayList<>(e.locations);
        l.add(loc);
        e.locations = java.util.List.copyOf(l);
      }
    }
  }

  /**
   * The locations of {@code e} for a puller, rotated by one for each caller: the first copy a
   * puller tries differs from the last puller's, so a broadcast spreads over the nodes that already
   * have it.
   */
  static java.util.List<dev.weft.internal.proto.Msg.ObjectLocation> locationsForPuller(Entry e) {
    java.util.List<dev.weft.internal.proto.Msg.ObjectLocation> l = e.locations;
    int n = l.size();
    if (n <= 1) {
      return l;
    }
    int start = Math.floorMod(e.handedOut.getAndIncrement(), n);
    java.util.List<dev.weft.internal.proto.Msg.ObjectLocation> out = new java.util.ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(l.get((start + i) % n));
    }
    return out;
  }

  void fail(ObjectId id, ErrorInfo error) {
    Entry e = entries.get(id);
    if (e != null) {
      e.ready.complete(new Stored(null, error));
    }
  }

  /** A new live ref instance in this process. */
  void addLocalRef(Entry e) {
    e.localRefs.incrementAndGet();
  }

  /**
   * The live ref instances of {@code id} in this process, read under the entry's monitor (so
   * together with the free decision), or -1 when the entry is gone (tests).
   */
  int localRefs(ObjectId id) {
    Entry e = entries.get(id);
    if (e == null) {
      return -1;
    }
    synchronized (e) {
      return entries.get(id) == e ? e.localRefs.get() : -1;
    }
  }

  /** A ref instance became unreachable; drops the entry when nothing else can reach it. */
  void releaseLocalRef(ObjectId id) {
    Entry e = entries.get(id);
    if (e != null) {
      Object contained;
      synchronized (e) {
        e.localRefs.decrementAndGet();
        contained = maybeFree(e);
      }
      RefLifecycle.releaseHeld(contained);
    }
  }

  /** Registers a borrower; false when the object is already gone. */
  boolean addBorrower(ObjectId id, String borrower) {
    Entry e = entries.get(id);
    if (e == null) {
      return false;
    }
    synchronized (e) {
      if (entries.get(id) != e) {
        return false;
      }
      e.borrowers.add(borrower);
      return true;
    }
  }

  void removeBorrower(ObjectId id, String borrower) {
    Entry e = entries.get(id);
    if (e != null) {
      Object contained;
      synchronized (e) {
        e.borrowers.remove(borrower);
        contained = maybeFree(e);
      }
      RefLifecycle.releaseHeld(contained);
    }
  }

  /**
   * Frees {@code e} when nothing references it; returns the runtime's copies of the refs its value
   * contained, for the caller to release outside the entry's monitor (null if none or not freed).
   */
  private Object maybeFree(Entry e) {
    if (e.localRefs.get() <= 0 && e.borrowers.isEmpty() && entries.remove(e.id, e)) {
      Object contained = e.contained;
      e.contained = null;
      onFree.accept(e);
      return contained;
    }
    return null;
  }

  volatile java.util.function.Consumer<Entry> onFree = e -> {};
}
