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
}
