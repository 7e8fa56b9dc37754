package dev.weft.internal.core;

import dev.weft.ObjectId;
import dev.weft.ObjectRef;
import dev.weft.WeftException;
import dev.weft.internal.core.OwnershipTable.Stored;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import dev.weft.internal.store.ObjectLayout;
import dev.weft.internal.store.StoreFile;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's client of its node's shared-memory object store: it maps the store file, writes
 * new objects into it (create, write in place, seal), deletes the copies of objects this process
 * owns when they are freed, and counts them so that a store short of memory makes this process
 * collect garbage at once. Pins and reads are {@link StoreReader}'s ({@link #reads}).
 *
 * <h2>Implementation notes</h2>
 *
 * Every store operation is a message to the node manager on the node connection (the node owns
 * allocation, pins and spilling); the bytes themselves never travel on it.
 *
 * <pre>
 *  CW ──StoreCreate(id, size, owner)──▶ NM here ──▶ StoreBlock(offset) (held back while the store
 *     is short; NM then sends CollectGarbage(writeWaits) at once, which makes this process
 *     collect garbage: collectForHeldWrite)
 *  CW writes the object in place in the mapped file
 *  CW ──StoreSeal(id)──▶ NM ──▶ Ack (awaited only for another owner's object: a reader's pin
 *     that comes first waits for the seal at the node)
 *  owned object freed: CW ──StoreDelete(id)──▶ NM here and every other node holding a copy
 *  CW ──StoreStats──▶ NM ──▶ StoreStatsReply
 * </pre>
 *
 * Writers run on user or task threads and block in {@link CoreWorker#await}; {@link
 * #deleteFromStore} and {@link StoreReader.Pinned#close} only send, and may run anywhere.
 */
final class StoreClient {
  private static final Logger log = LoggerFactory.getLogger(StoreClient.class);

  private final CoreWorker cw;
  private final String address;
  private final OwnershipTable table;
  private final RefLifecycle refs;

  /** Reads out of the store (pins, pulls, views), and over the network when none is mapped. */
  final StoreReader reads;

  StoreClient(CoreWorker cw) {
    this.cw = cw;
    this.address = cw.address;
    this.table = cw.table;
    this.refs = cw.refs;
    this.reads = new StoreReader(cw, this);
  }

  /** {@code Weft.put}: a new object this process owns, in the store if it is large. */
  <T> ObjectRef<T> put(T value) {
    ObjectId id = table.idAt(table.reserve(1));
    List<RefImpl<?>> nested = new ArrayList<>();
    Stored stored = storeValue(id, address, value, "the value given to Weft.put", nested);
    OwnershipTable.Entry e = table.create(id);
    if (!nested.isEmpty()) {
      e.contained = nested.toArray();
    }
    if (stored.inStore()) {
      OwnershipTable.addLocation(e, here()); // the primary copy: this node
      ownedInStore.incrementAndGet();
    }
    e.ready.complete(stored);
    return refs.newRef(id, e);
  }

  /**
   * {@code Weft.putDetached}: a new object the control store owns (issue 11 item 9). Its bytes go
   * to this node's store under the owner {@link Msg#CONTROL_STORE_OWNER} (so that this process's
   * exit does not delete them), or, when small, to the control store itself; the control store
   * records it, with this process as its first borrower, before the ref exists.
   */
  <T> ObjectRef<T> putDetached(T value) {
    String what = "the value given to Weft.putDetached";
    ObjectId id = table.idAt(table.reserve(1));
    List<RefImpl<?>> nested = new ArrayList<>();
    Stored stored = storeValue(id, Msg.CONTROL_STORE_OWNER, value, what, nested);
    if (!nested.isEmpty()) {
      if (stored.inStore()) {
        deleteFromStore(id);
      }
      RefLifecycle.releaseHeld(nested); // the runtime's copies made while serializing
      throw new IllegalArgumentException(
          what
              + " holds "
              + nested.size()
              + " object ref(s): an object that outlives its owner may not contain refs, since"
              + " the objects they name would still die with their own owners. Put the values"
              + " themselves, or put each referenced object with Weft.putDetached and keep the"
              + " refs elsewhere");
    }
    if (!stored.inStore() && stored.value().length >= INLINE_THRESHOLD) {
      throw new WeftException(
          "cannot hand "
              + what
              + " ("
              + stored.value().length
              + " bytes) to the control store: this process maps no object store (no node runs on"
              + " its machine), and the control store keeps only values under "
              + INLINE_THRESHOLD
              + " bytes itself. Start a node on this machine, or make the value in a task");
    }
    Msg.ObjectLocation at = stored.inStore() ? here() : null;
    Msg reply;
    try {
      reply =
          cw.await(
              cw.controlCall(
                  new Msg.PutDetached(
                      id.hi(),
                      id.lo(),
                      stored.inStore() ? null : stored.value(),
                      at,
                      cw.address,
                      cw.nodeId,
                      cw.jobId())),
              Duration.ofMillis(ControlLink.RECONNECT_WINDOW_MILLIS + 60_000),
              "handing object " + id + " to the control store");
    } catch (RuntimeException e) {
      if (stored.inStore()) {
        deleteFromStore(id);
      }
      throw e;
    }
    if (reply instanceof Msg.Failure f) {
      if (stored.inStore()) {
        deleteFromStore(id);
      }
      throw new WeftException(
          "the control store refused object " + id + " from Weft.putDetached: " + f.text());
    }
    RefImpl<T> ref = new RefImpl<>(id, Msg.CONTROL_STORE_OWNER);
    BorrowTable b = cw.borrows;
    b.acquireRegistered(id, Msg.CONTROL_STORE_OWNER);
    ref.counted(OwnershipTable.CLEANER.register(ref, () -> b.release(id)));
    return ref;
  }

  /**
   * Values of at least this many bytes go to the node's shared-memory store instead of travelling
   * inline.
   */
  static final int INLINE_THRESHOLD = Integer.getInteger("weft.inlineThresholdBytes", 100 * 1024);

  private volatile StoreFile file;

  /** The mapped store file; null when this process maps none (no node on its machine). */
  StoreFile file() {
    return file;
  }

  /** Views of the store still open: closed before the store is unmapped. */
  final Views.OpenViews openViews = new Views.OpenViews();

  /** Maps the node's store file (once; null: the node has no store). */
  void open(String path) throws IOException {
    if (path != null && file == null) {
      file = StoreFile.open(java.nio.file.Path.of(path));
    }
  }

  /**
   * The stored form of a new object: large binary values are copied once into the store, other
   * large values serialized and copied there, small ones kept inline as serialized bytes.
   */
  Stored storeValue(ObjectId id, String owner, Object value, String what, List<RefImpl<?>> nested) {
    byte element = ObjectLayout.rawElement(value);
    if (file != null && element != 0 && ObjectLayout.rawSize(value) >= INLINE_THRESHOLD) {
      long n = ObjectLayout.rawSize(value);
      writeToStore(
          id,
          owner,
          ObjectLayout.header(ObjectLayout.RAW, element, n),
          ObjectLayout.rawSegment(value),
          what);
      return new Stored(null, null, true);
    }
    if (file == null && element != 0) {
      checkInlineFits(ObjectLayout.rawSize(value), what);
    }
    byte[] bytes = RefLifecycle.serialize(value, what, nested);
    if (file == null) {
      checkInlineFits(bytes.length, what);
    }
    if (file != null && bytes.length >= INLINE_THRESHOLD) {
      writeSerialized(id, owner, bytes, what);
      return new Stored(null, null, true);
    }
    return new Stored(bytes, null);
  }

  /**
   * Values kept in the heap of a process without a store (a driver on a machine without a node)
   * travel whole in one frame to their readers: at most the RPC frame limit, less room for the
   * message around them.
   */
  static long inlineLimitBytes() {
    return dev.weft.internal.rpc.Rpc.maxFrameBytes() - (64 << 10);
  }

  private void checkInlineFits(long bytes, String what) {
    if (bytes > inlineLimitBytes()) {
      throw new WeftException(
          "cannot keep "
              + what
              + " ("
              + bytes
              + " bytes): this process maps no object store (no node runs on its machine), so"
              + " its values travel to readers whole in one message, at most "
              + inlineLimitBytes()
              + " bytes (the RPC frame limit, -Dweft.rpc.maxFrameBytes on every process, less"
              + " 64 KiB). Start a node on this machine (weft start --address HEAD:PORT), or make"
              + " the value in a task (Weft.task(...).remote()) so that it lives in a node's store");
    }
  }

  private void writeSerialized(ObjectId id, String owner, byte[] bytes, String what) {
    writeToStore(
        id,
        owner,
        ObjectLayout.header(ObjectLayout.SERIALIZED, (byte) 0, bytes.length),
        MemorySegment.ofArray(bytes),
        what);
  }

  /**
   * A plain (non-ref) task or actor argument: its serialized bytes, or, at or above the inline
   * threshold, a ref to a copy of it in this node's store, which an executor on the node reads in
   * place instead of receiving it through a socket. The caller keeps the ref until the call is
   * done; refs nested in an inline value go to {@code nestedInline}, for the caller to hold.
   */
  Object plainArgument(Object value, String what, List<RefImpl<?>> nestedInline) {
    if (file != null
        && ObjectLayout.rawElement(value) != 0
        && ObjectLayout.rawSize(value) >= INLINE_THRESHOLD) {
      return put(value); // binary: one copy, straight from the array
    }
    List<RefImpl<?>> nested = new ArrayList<>();
    if (file == null && ObjectLayout.rawElement(value) != 0) {
      checkInlineFits(ObjectLayout.rawSize(value), what);
    }
    byte[] bytes = RefLifecycle.serialize(value, what, nested);
    if (file == null) {
      checkInlineFits(bytes.length, what);
    }
    if (file == null || bytes.length < INLINE_THRESHOLD) {
      nestedInline.addAll(nested); // the caller holds them until the call is done
      return bytes;
    }
    ObjectId id = table.idAt(table.reserve(1));
    writeSerialized(id, address, bytes, what);
    OwnershipTable.Entry e = table.create(id);
    if (!nested.isEmpty()) {
      e.contained = nested.toArray();
    }
    OwnershipTable.addLocation(e, here());
    ownedInStore.incrementAndGet();
    e.ready.complete(new Stored(null, null, true));
    return refs.newRef(id, e);
  }

  private void writeToStore(
      ObjectId id, String owner, MemorySegment header, MemorySegment payload, String what) {
    long size = ObjectLayout.HEADER + payload.byteSize();
    CompletableFuture<Msg> call =
        cw.node().call(new Msg.StoreCreate(id.hi(), id.lo(), size, owner));
    // A create the node holds back for room makes the node tell this process to collect at once
    // (CollectGarbage with writeWaits, see collectForHeldWrite): dropped refs to objects it owns
    // may be what fills the store.
    Msg reply;
    try {
      reply =
          cw.awaitShortRequest(
              call,
              Duration.ofSeconds(60),
              "reserving " + size + " bytes in the object store for " + what);
    } catch (RuntimeException e) {
      // timed out or interrupted: a block granted after we gave up would never be sealed or
      // deleted, so give it back
      call.thenAccept(
          r -> {
            if (r instanceof Msg.StoreBlock) {
              deleteFromStore(id);
            }
          });
      throw e;
    }
    if (!(reply instanceof Msg.StoreBlock b)) {
      throw new dev.weft.ObjectStoreFullException(
          "cannot store "
              + what
              + " (object "
              + id
              + "): "
              + (reply instanceof Msg.Failure f ? f.text() : String.valueOf(reply)));
    }
    try {
      file.write(b.offset(), header);
      file.write(b.offset() + ObjectLayout.HEADER, payload);
    } catch (java.io.IOException | RuntimeException e) {
      deleteFromStore(id); // never sealed: nobody reads it
      throw new WeftException(
          "cannot write "
              + what
              + " (object "
              + id
              + ", "
              + size
              + " bytes) into the object store file "
              + file.path()
              + ": "
              + e,
          e);
    } catch (Error e) {
      deleteFromStore(id); // e.g. SIGBUS on a full /dev/shm: a reader's pin must not wait for it
      throw e;
    }
    CompletableFuture<Msg> seal = cw.node().call(new Msg.StoreSeal(id.hi(), id.lo()));
    if (!address.equals(owner)) {
      // another owner's object (a task's result, a detached put): the node must have it sealed
      // before anyone hears of it, or this process dying right after its reply would lose it
      cw.awaitShortRequest(seal, Duration.ofSeconds(60), "sealing object " + id);
      return;
    }
    // This process's own object: not awaited. The node reads the seal before anything else this
    // process sends it, and a reader on another connection that asks first waits for the seal
    // there (ObjectDirectory#pin). If this process dies first, the object dies with its owner
    // anyway. That saves a round trip per object: 256 KiB put + release loops ran 20-90% faster.
    seal.whenComplete(
        (r, err) -> {
          if (err != null || r instanceof Msg.Failure) {
            // the node is gone, and its store with it: readers find the object lost
            log.debug("sealing object {}: {}", id, err != null ? err.toString() : r);
          }
        });
  }

  private volatile Msg.ObjectLocation here;

  /** This process's node, as a location of the objects in its store. */
  Msg.ObjectLocation here() {
    Msg.ObjectLocation h = here;
    if (h == null) {
      Connection n = cw.node;
      h = new Msg.ObjectLocation(cw.nodeId, n == null ? null : n.peer());
      if (cw.nodeId != null && n != null) {
        here = h;
      }
    }
    return h;
  }

  /** An owned entry was freed: its copies in the stores of every node go too. */
  void onFree(OwnershipTable.Entry e) {
    Stored s = e.ready.getNow(null);
    if (s != null && s.inStore()) {
      deleteEverywhere(e.id, e.locations);
      if (table.owns(e.id)) {
        ownedInStore.decrementAndGet();
      }
    }
  }

  /** A task's result that this process owns is ready in the store. */
  void countOwnedInStore() {
    ownedInStore.incrementAndGet();
  }

  /**
   * Objects this process owns that are in the node's store: counted as they become ready there (a
   * put, a large argument, a task's result), uncounted when their entry is freed.
   */
  private final java.util.concurrent.atomic.AtomicLong ownedInStore =
      new java.util.concurrent.atomic.AtomicLong();

  private volatile long lastGcNanos;
  private static final java.lang.invoke.VarHandle GC_HINTS;

  static {
    try {
      GC_HINTS =
          java.lang.invoke.MethodHandles.lookup()
              .findVarHandle(StoreClient.class, "lastGcNanos", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * {@link #collectForStore} on a thread of its own, without waiting for it; a request while one is
   * queued joins it.
   *
   * @param hinted whether the node asked (every process, whenever its store is short), rather than
   *     this process's own write waiting for room: hinted collections are paced by their cost
   */
  void collectForStoreAsync(boolean hinted) {
    if (!hinted) {
      writeWaits.set(true); // a hinted request already queued serves it unpaced
    }
    if (holdsDroppableRefs() && collectQueued.compareAndSet(false, true)) {
      GC_THREAD.execute(
          () -> {
            collectQueued.set(false);
            collectForStore(!writeWaits.getAndSet(false));
          });
    }
  }

  /**
   * The node holds back a create of this process for room. Objects this process owns in the store
   * may be what fills it: collect at once. Holding only borrowed refs, it collects at the pace of
   * the node's hints, as every process does: a driver on default flags would otherwise run a full
   * collection per held create.
   */
  void collectForHeldWrite() {
    collectForStoreAsync(ownedInStore.get() == 0);
  }

  /** Whether a write of this process asked for a collection since the last one ran. */
  private final java.util.concurrent.atomic.AtomicBoolean writeWaits =
      new java.util.concurrent.atomic.AtomicBoolean();

  /** Whether a collection could drop a ref: an object of its own in a store, or a borrowed one. */
  private boolean holdsDroppableRefs() {
    return ownedInStore.get() > 0 || cw.borrows.size() > 0;
  }

  private final java.util.concurrent.atomic.AtomicBoolean collectQueued =
      new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * Runs the collections of {@link #collectForStoreAsync}: a platform thread (a virtual one would
   * pin its carrier for the whole collection), one for the process, since one collection at a time
   * serves every caller.
   */
  private static final java.util.concurrent.ExecutorService GC_THREAD =
      java.util.concurrent.Executors.newSingleThreadExecutor(
          Thread.ofPlatform().name("weft-collect").daemon(true).factory());

  /**
   * Collects garbage now, so that dropped refs are noticed and their objects freed (the store is
   * short, or its node asked: the node sets the pace), unless this process holds no ref a
   * collection could drop (no object of its own in a store and nothing borrowed) or collected too
   * recently. Under sustained pressure (a shuffle of data ten times the store) the node asks every
   * process every few tens of milliseconds; workers that own and borrow nothing collected each time
   * and spent their time in GC cycles instead of running tasks.
   *
   * <p>"Too recently": within 20 ms of the end of the last collection; for a collection the node
   * asked for ({@code hinted}) where {@code System.gc()} is a full, stop-the-world collection (a
   * driver on default flags; not G1 with {@code -XX:+ExplicitGCInvokesConcurrent} as in Weft's own
   * JVMs, nor ZGC or Shenandoah), within {@link #FULL_GC_PACE} times the last one's duration as
   * well, so that the node's hints cost such a process at most ~1/{@code FULL_GC_PACE} of its time.
   * A 10 GB sort's driver (the {@code weft} command's JVM) ran 235 full collections of 30-150 ms
   * each on hints, 19 s of CPU. A process whose own write waits for room collects at the 20 ms
   * pace: there a collection that finds its dropped ref is what lets the write go on.
   */
  private void collectForStore(boolean hinted) {
    if (!holdsDroppableRefs()) {
      return;
    }
    long now = System.nanoTime();
    long last = lastGcNanos;
    long spacing = hinted ? gcSpacingNanos : MIN_GC_SPACING_NANOS;
    if (!hinted && now - last <= spacing) {
      // a write of this process waits for room: within the least spacing of the last collection
      // it waits for that spacing (on this collection thread) rather than being dropped. Dropped,
      // a put loop whose puts came faster than the spacing waited the node's whole grace period
      // and then spilled (StoreBench --quick: 16 MiB puts into a 32 MiB store, 2026-12-06)
      java.util.concurrent.locks.LockSupport.parkNanos(last + spacing + 1 - now);
      now = System.nanoTime();
      last = lastGcNanos;
    }
    if (now - last > spacing && GC_HINTS.compareAndSet(this, last, now)) {
      System.gc();
      long end = System.nanoTime();
      lastGcNanos = end; // spaced from its end: a long one is not followed at once
      gcSpacingNanos = gcSpacingAfter(FULL_GC_STOPS_THE_WORLD, end - now);
    }
  }

  /** The least time between the end of a collection that took {@code tookNanos} and the next. */
  static long gcSpacingAfter(boolean stopsTheWorld, long tookNanos) {
    return Math.max(MIN_GC_SPACING_NANOS, stopsTheWorld ? FULL_GC_PACE * tookNanos : 0);
  }

  private static final long MIN_GC_SPACING_NANOS = 20_000_000L;

  /**
   * Hinted collections are spaced by at least this many times the last one's duration where they
   * stop the world (see above; {@code weft.store.fullGcPace}, 0: only the 20 ms spacing).
   */
  static final long FULL_GC_PACE = Long.getLong("weft.store.fullGcPace", 9);

  private volatile long gcSpacingNanos = MIN_GC_SPACING_NANOS;

  /**
   * Whether this JVM's {@code System.gc()} is a stop-the-world full collection: not where G1 runs
   * with {@code -XX:+ExplicitGCInvokesConcurrent}, nor with ZGC or Shenandoah.
   */
  static final boolean FULL_GC_STOPS_THE_WORLD = explicitGcStopsTheWorld();

  private static boolean explicitGcStopsTheWorld() {
    boolean g1 = false;
    for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
      String n = gc.getName();
      if (n.contains("ZGC") || n.contains("Shenandoah")) {
        return false;
      }
      g1 |= n.startsWith("G1");
    }
    if (!g1) {
      return true;
    }
    try {
      var hs =
          java.lang.management.ManagementFactory.getPlatformMXBean(
              com.sun.management.HotSpotDiagnosticMXBean.class);
      return !Boolean.parseBoolean(hs.getVMOption("ExplicitGCInvokesConcurrent").getValue());
    } catch (RuntimeException e) {
      return true; // not HotSpot: assume the worst
    }
  }

  /**
   * Deletes every copy of {@code id}: on this node (always: a copy may be here unrecorded) and on
   * each other node of {@code locations}, whose node managers are told directly.
   */
  void deleteEverywhere(ObjectId id, List<Msg.ObjectLocation> locations) {
    deleteFromStore(id);
    String mine = cw.nodeId;
    for (Msg.ObjectLocation l : locations) {
      if (l == null || l.address() == null || l.nodeId().equals(mine)) {
        continue;
      }
      cw.peers
          .peer(l.address())
          .whenComplete(
              (c, err) -> {
                if (err != null) {
                  // its node is gone, and its copies with it
                  log.debug("deleting object {} on node {}: {}", id, l.nodeId(), err.toString());
                } else {
                  c.send(new Msg.StoreDelete(id.hi(), id.lo()));
                }
              });
    }
  }

  void deleteFromStore(ObjectId id) {
    Connection n = cw.nodeIfOpen();
    if (n != null) {
      n.send(new Msg.StoreDelete(id.hi(), id.lo()));
    }
  }

  /**
   * The node's store: capacity, used bytes, objects, pins, spilling (see CoreWorker#storeStats).
   */
  java.util.Map<String, Long> stats() {
    Msg reply =
        cw.await(
            cw.node().call(new Msg.StoreStats()),
            Duration.ofSeconds(30),
            "reading the object store's stats");
    if (!(reply instanceof Msg.StoreStatsReply r)) {
      throw new WeftException("unexpected reply to StoreStats: " + reply);
    }
    java.util.Map<String, Long> m = new java.util.LinkedHashMap<>();
    m.put("capacityBytes", r.capacityBytes());
    m.put("usedBytes", r.usedBytes());
    m.put("objects", (long) r.objects());
    m.put("pinned", (long) r.pinned());
    m.put("spilledBytes", r.spilledBytes());
    m.put("spilledObjects", (long) r.spilledObjects());
    m.put("spillFiles", (long) r.spillFiles());
    m.put("spilledTotalBytes", r.spillTotals().get(0));
    m.put("spillNanos", r.spillTotals().get(1));
    m.put("restoredTotalBytes", r.spillTotals().get(2));
    m.put("restoreNanos", r.spillTotals().get(3));
    return m;
  }

  /** At shutdown: unmaps the store unless a view of it is still in an I/O call. */
  void close() {
    if (file != null && !openViews.closeAll()) {
      log.warn("the object store stays mapped: a view of it is still in an I/O call");
    } else if (file != null) {
      try {
        file.close();
      } catch (IOException e) {
        log.debug("unmapping the store", e);
      }
    }
  }
}
