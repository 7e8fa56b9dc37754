package dev.weft.internal.core;

import dev.weft.ObjectId;
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
 * exactly once (value or error) and is the only thing readers wait on. Reference counting here
 * counts live {@link RefImpl} instances in this process (noticed through a {@link Cleaner}) and a
 * pin while a pending task holds the ref as an argument (the task keeps the instance reachable). A
 * ref that was serialized into another value or sent to another process is marked {@code escaped}
 * and is kept for the life of this process: the borrower protocol that would let it be freed is part
 * of the object-store work (issue 3).
 */
final class OwnershipTable {
  static final Cleaner CLEANER = Cleaner.create();

  /** Value or failure of one object. */
  static final class Entry {
    final ObjectId id;
    final CompletableFuture<Stored> ready = new CompletableFuture<>();
    final AtomicInteger localRefs = new AtomicInteger();
    volatile boolean escaped;

    Entry(ObjectId id) {
      this.id = id;
    }
  }

  /** A ready object: serialized value, or the error its creation ended with. */
  record Stored(byte[] value, ErrorInfo error) {
    boolean failed() {
      return error != null;
    }
  }

  /** An error kept with a failed object; turned into a fresh exception at every get. */
  record ErrorInfo(int kind, String message, Throwable cause) {
    static final int TASK_FAILED = 1;
    static final int WORKER_CRASHED = 2;
    static final int ACTOR_DIED = 3;
    static final int OWNER_DIED = 4;
    static final int SERIALIZATION = 5;
    static final int OBJECT_LOST = 6;
  }

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
    Entry e = new Entry(id);
    entries.put(id, e);
    return e;
  }

  Entry get(ObjectId id) {
    return entries.get(id);
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

  /** A ref instance became unreachable; drops the entry when nothing else can reach it. */
  void releaseLocalRef(ObjectId id) {
    Entry e = entries.get(id);
    if (e != null && e.localRefs.decrementAndGet() <= 0 && !e.escaped) {
      entries.remove(id, e);
    }
  }

  void markEscaped(ObjectId id) {
    Entry e = entries.get(id);
    if (e != null) {
      e.escaped = true;
    }
  }
}
