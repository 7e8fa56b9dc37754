package dev.weft.internal.node;

import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The node's object store service: creates (waiting for room when the store is short, spilling
 * unpinned objects to disk, refusing after a deadline), seals, pins per connection (restoring a
 * spilled object first), unpins, deletes, statistics, and the GC hints that ask every process of
 * the node to collect garbage so that dropped refs free their objects before anything is spilled.
 *
 * <p>Implementation notes. Runs on the node loop thread, as every room of {@link NodeManager}; the
 * only other thread is {@link #storeIo}, which writes and reads spill files for the {@link
 * dev.weft.internal.store.ObjectDirectory} and hands its completions back to the loop. Waiting
 * creates are retried in arrival order when space is freed ({@code onSpaceFreed}) or when the one
 * create timer fires. What a pin holds belongs to its connection: when that closes, the pins go.
 * The service sends its GC hints through {@link EveryProcess}, the node's view of its drivers and
 * workers; it knows nothing else of them.
 */
final class StoreService {
  /** Sends a message to every process of this node that may hold refs (drivers, then workers). */
  interface EveryProcess {
    void send(Msg m);
  }

  static final long STORE_FULL_WAIT_MS = Long.getLong("weft.store.fullWaitMillis", 5_000);

  /** How much longer a create may wait while spills that make room are still being written. */
  static final long SPILL_WAIT_MS = Long.getLong("weft.store.spillWaitMillis", 30_000);

  /**
   * How long a create that finds memory short waits for the objects of dropped refs to be freed
   * (after asking every process to collect garbage) before it spills live-looking objects to disk.
   * Only while hints pay off: when the last hint freed nothing, creates spill at once.
   */
  static final long GC_GRACE_MS = Long.getLong("weft.store.gcGraceMillis", 1_000);

  /**
   * Store bytes created since the last GC hint, as a fraction of the store, that trigger another
   * hint even while the store is not short: dropped refs to large objects are then freed while they
   * are few, and new objects reuse the memory they had (which every process has already mapped: a
   * fresh page costs each process that touches it a fault) instead of walking through the whole
   * store.
   */
  static final double CHURN_HINT_FRACTION = 0.125;

  /** Spill file writes and reads (never on the loop: a 1 GiB restore would stall the node). */
  private final java.util.concurrent.ExecutorService storeIo =
      java.util.concurrent.Executors.newSingleThreadExecutor(
          Thread.ofPlatform().daemon().name("weft-store-io").factory());

  private final ScheduledExecutorService loop;
  private final String nodeId;
  private final EveryProcess everyProcess;
  final dev.weft.internal.store.ObjectDirectory store;
  final String storePath;

  /** The store's mapping in this process: pulled chunks are written into it and served from it. */
  final dev.weft.internal.store.StoreFile file;

  record WaitingCreate(
      Connection conn, long reqId, Msg.StoreCreate req, long deadlineNanos, long spillAfterNanos) {}

  private final ArrayDeque<WaitingCreate> waitingCreates = new ArrayDeque<>();
  private long lastGcHintNanos = System.nanoTime() - 3_600_000_000_000L;
  private long createdSinceHint;

  /**
   * Whether waiting for frees pays: false once a create waited its grace period in vain, true again
   * when a deleted object frees memory.
   */
  private boolean hintsFree = true;

  private boolean freedSinceHint;
  private boolean gcRecheckScheduled;
  static final double STORE_HIGH_WATER = 0.75;

  /**
   * What one connection's process holds here: pins (a count per object) and spilled copies it reads
   * from the spill files itself, by read id (a process may read two copies of one object at once:
   * one given out before a restore, one after the object was spilled again). All of it is released
   * when the connection closes (the process died or left).
   */
  private static final class Holds {
    final Map<dev.weft.internal.store.ObjectDirectory.Key, Integer> pins = new HashMap<>();
    final Map<Long, dev.weft.internal.store.SpillFiles.Location> spillReads = new HashMap<>();
  }

  private final Map<Connection, Holds> holdsByConn = new HashMap<>();

  /** {@code c}'s holds, made (with their release at its close) on first use. */
  private Holds holds(Connection c) {
    return holdsByConn.computeIfAbsent(
        c,
        k -> {
          c.closeFuture().thenRun(() -> loop.execute(() -> releaseHolds(c)));
          return new Holds();
        });
  }

  /** {@code c}'s holds, or null where it holds nothing here. */
  private Holds holdsIfAny(Connection c) {
    return holdsByConn.get(c);
  }

  StoreService(
      ScheduledExecutorService loop,
      String nodeId,
      dev.weft.internal.store.StoreFile storeFile,
      dev.weft.internal.store.SpillFiles spillFiles,
      EveryProcess everyProcess) {
    this.loop = loop;
    this.nodeId = nodeId;
    this.everyProcess = everyProcess;
    this.storePath = storeFile.path().toString();
    this.file = storeFile;
    // spill and restore IO runs on a thread of its own; completions come back to the loop
    this.store =
        new dev.weft.internal.store.ObjectDirectory(
            storeFile.sizeBytes(), storeFile, spillFiles, storeIo, loop);
    this.store.onSpaceFreed(this::retryCreates);
  }

  /** StoreCreate: a block to write the object into, at once or once there is room. */
  void create(Connection c, long reqId, Msg.StoreCreate sc) {
    storeCreate(c, reqId, sc, System.nanoTime() + STORE_FULL_WAIT_MS * 1_000_000);
  }

  void seal(Connection c, long reqId, Msg.StoreSeal s) {
    var key = new dev.weft.internal.store.ObjectDirectory.Key(s.hi(), s.lo());
    Object writer = store.writerOf(key);
    if (writer != null && writer != c) {
      // a seal the loop reads after its writer's connection closed and a retry created the
      // object anew: it must not seal the retry's block half-written
      c.replyFailure(reqId, "object " + key + " is being written by another process");
      return;
    }
    store.seal(key);
    c.reply(reqId, new Msg.Ack());
  }

  /** StorePin: the object's block, read back from its spill file first if it was spilled. */
  void pin(Connection c, long reqId, Msg.StorePin p) {
    var key = new dev.weft.internal.store.ObjectDirectory.Key(p.hi(), p.lo());
    // in memory: at once; spilled: after the IO thread has read it back (the loop goes on)
    CompletableFuture<dev.weft.internal.store.ObjectDirectory.Block> pinned = store.pin(key);
    if (!pinned.isDone()) {
      watchRestores();
    }
    if (!pinned.isDone() && store.unsealed(key)) {
      // waiting for its writer's seal: not past WRITER_WAIT_MS (a writer stuck mid-write)
      loop.schedule(
          () -> store.cancelSealWait(key, pinned),
          WRITER_WAIT_MS,
          java.util.concurrent.TimeUnit.MILLISECONDS);
    }
    pinned.whenComplete(
        (b, err) -> {
          if (err != null) {
            c.replyFailure(
                reqId,
                "cannot read object "
                    + key
                    + ": "
                    + (err.getCause() != null ? err.getCause().getMessage() : err.getMessage()));
          } else if (b == null) {
            c.replyFailure(
                reqId, "object " + key + " is not in the object store of node " + nodeId);
          } else if (!c.isOpen()) {
            store.unpin(key); // the reader left while it was restored
            store.spaceFreed();
          } else {
            holds(c).pins.merge(key, 1, Integer::sum); // released if the reader goes away
            c.reply(reqId, new Msg.StoreBlock(b.offset, b.sizeBytes));
          }
        });
  }

  private long nextReadId = 1;

  /**
   * For a StorePull whose reader copies the bytes out: when the object is spilled (on disk only),
   * replies where its block is in the spill file, held for the reader until StoreEndRead or its
   * connection closes, and returns true; false when it is in memory (or being restored), and the
   * caller pins it instead.
   */
  boolean readSpilled(Connection c, long reqId, dev.weft.internal.store.ObjectDirectory.Key key) {
    if (!c.isOpen()) {
      return false;
    }
    dev.weft.internal.store.ObjectDirectory.SpillRead r = store.readSpilled(key);
    if (r == null) {
      return false;
    }
    long readId = nextReadId++;
    holds(c).spillReads.put(readId, r.loc());
    c.reply(
        reqId,
        new Msg.StoreSpilled(
            r.path().toAbsolutePath().toString(),
            r.loc().offset(),
            r.loc().sizeBytes(),
            r.kind(),
            r.payloadLength(),
            readId));
    return true;
  }

  /** StoreEndRead: the reader is done with the spilled copy its read id names. */
  void endRead(Connection c, Msg.StoreEndRead e) {
    Holds mine = holdsIfAny(c);
    var loc = mine == null ? null : mine.spillReads.remove(e.readId());
    if (loc != null) {
      store.endSpillRead(loc);
    }
  }

  /** {@code c} closed: what it pinned is unpinned, and the spilled copies it was reading may go. */
  private void releaseHolds(Connection c) {
    Holds mine = holdsByConn.remove(c);
    if (mine == null) {
      return;
    }
    mine.spillReads.values().forEach(store::endSpillRead);
    mine.pins.forEach(
        (k, v) -> {
          for (int i = 0; i < v; i++) {
            store.unpin(k);
          }
        });
    store.spaceFreed();
  }

  /**
   * The size of object {@code key} when connection {@code c} holds a pin on it (a node pulling it),
   * else -1.
   */
  long pinnedSize(Connection c, dev.weft.internal.store.ObjectDirectory.Key key) {
    Holds mine = holdsIfAny(c);
    return mine != null && mine.pins.containsKey(key) ? store.pinnedBlockSize(key) : -1;
  }

  void unpin(Connection c, Msg.StoreUnpin u) {
    var key = new dev.weft.internal.store.ObjectDirectory.Key(u.hi(), u.lo());
    Holds mine = holdsIfAny(c);
    if (mine != null && mine.pins.containsKey(key)) {
      mine.pins.computeIfPresent(key, (k, v) -> v > 1 ? v - 1 : null);
      store.unpin(key);
      store.spaceFreed();
    }
  }

  void delete(Msg.StoreDelete d) {
    long usedBefore = store.usedBytes();
    store.delete(new dev.weft.internal.store.ObjectDirectory.Key(d.hi(), d.lo()));
    if (store.usedBytes() < usedBefore) {
      hintsFree = true;
      freedSinceHint = true;
    }
    store.spaceFreed();
  }

  void stats(Connection c, long reqId) {
    c.reply(
        reqId,
        new Msg.StoreStatsReply(
            store.capacityBytes(),
            store.usedBytes(),
            store.objects(),
            store.pinned(),
            store.spilledBytes(),
            store.spilledObjects(),
            store.spillFiles(),
            java.util.Arrays.stream(store.spillTotals()).boxed().toList(),
            store.describe(1000)));
  }

  /** A writer gone before it sealed: its blocks will never be sealed (a retry writes anew). */
  void connectionClosed(Connection c) {
    if (store.dropUnsealedOf(c) > 0) {
      store.spaceFreed();
    }
  }

  /**
   * How long a create waits when another live process is writing the same object (see {@link
   * #storeCreate}).
   */
  static final long WRITER_WAIT_MS = Long.getLong("weft.store.writerWaitMillis", 10_000);

  private void storeCreate(Connection c, long reqId, Msg.StoreCreate sc, long deadlineNanos) {
    storeCreate(c, reqId, sc, deadlineNanos, false, Long.MIN_VALUE);
  }

  /**
   * @param spillAfterNanos from when this create may spill to make room; {@code Long.MIN_VALUE} on
   *     its first try (decided then: after a grace period if a GC hint is out and hints pay off, at
   *     once otherwise)
   */
  private void storeCreate(
      Connection c,
      long reqId,
      Msg.StoreCreate sc,
      long deadlineNanos,
      boolean writerWaited,
      long spillAfterOrUnset) {
    long spillAfterNanos = spillAfterOrUnset;
    var key = new dev.weft.internal.store.ObjectDirectory.Key(sc.hi(), sc.lo());
    if (sc.sizeBytes() > store.capacityBytes()) {
      c.replyFailure(
          reqId,
          "object "
              + key
              + " of "
              + sc.sizeBytes()
              + " bytes is larger than the whole object store of node "
              + nodeId
              + " ("
              + store.capacityBytes()
              + " bytes): start the cluster with a larger objectStoreBytes");
      return;
    }
    if (store.writerOf(key) instanceof Connection writer && writer != c) {
      boolean sealed = store.unsealedWriter(key) == null;
      if (!writer.isOpen()) {
        // its writer is gone and this is a retry of its task: an unsealed block will never be
        // sealed, and a sealed one is the result of the attempt that died before its reply
        // (the retry's value replaces it, unless a reader still has it pinned)
        if (sealed) {
          store.dropSealedIfIdle(key);
        } else {
          store.dropUnsealedOf(writer);
        }
      } else if (!writerWaited) {
        // Another process wrote or writes it and is still connected: a retry that came before
        // the node saw the first writer's connection close. Wait for that (then this create
        // goes through the branch above), or answer "already in the store" after a while.
        java.util.concurrent.atomic.AtomicBoolean once =
            new java.util.concurrent.atomic.AtomicBoolean();
        Runnable retry =
            () -> {
              if (once.compareAndSet(false, true)) {
                loop.execute(
                    () -> storeCreate(c, reqId, sc, deadlineNanos, true, spillAfterOrUnset));
              }
            };
        writer.closeFuture().thenRun(retry);
        loop.schedule(retry, WRITER_WAIT_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
        return;
      }
    }
    dev.weft.internal.store.ObjectDirectory.Block b = null;
    long now0 = System.nanoTime();
    try {
      hintIfShort(sc.sizeBytes());
      if (spillAfterNanos == Long.MIN_VALUE) {
        spillAfterNanos =
            hintsFree && now0 - lastGcHintNanos < GC_GRACE_MS * 1_000_000
                ? now0 + GC_GRACE_MS * 1_000_000
                : now0;
      }
      if (spillAfterOrUnset != Long.MIN_VALUE && now0 >= spillAfterNanos && hintsFree) {
        // its grace period is over: free memory if it came, or else waiting did not pay
        b =
            store.create(
                key,
                sc.sizeBytes(),
                sc.owner(),
                c,
                dev.weft.internal.store.ObjectDirectory.Room.FREE_ONLY);
        hintsFree = b != null;
      }
      // spills unpinned objects to make room, unless dropped refs may free some first
      b =
          b != null
              ? b
              : store.create(
                  key,
                  sc.sizeBytes(),
                  sc.owner(),
                  c,
                  now0 >= spillAfterNanos
                      ? dev.weft.internal.store.ObjectDirectory.Room.SPILL
                      : dev.weft.internal.store.ObjectDirectory.Room.FREE_ONLY);
    } catch (RuntimeException e) {
      c.replyFailure(
          reqId,
          "cannot make room for object "
              + key
              + " in the object store of node "
              + nodeId
              + ": "
              + e.getMessage());
      return;
    }
    if (b != null) {
      createdSinceHint += b.sizeBytes;
      c.reply(reqId, new Msg.StoreBlock(b.offset, b.sizeBytes));
      return;
    }
    long now = System.nanoTime();
    // While spills are under way the space they free is on its way: the deadline stretches, up to
    // a hard cap (below the client's own 60 s), so a create never waits without bound however busy
    // the disk is.
    long hardDeadline = deadlineNanos + SPILL_WAIT_MS * 1_000_000;
    boolean stretch = (store.spilling() || now < spillAfterNanos) && now < hardDeadline;
    if (now >= deadlineNanos && !stretch) {
      c.replyFailure(
          reqId,
          "the object store of node "
              + nodeId
              + " is full: "
              + store.usedBytes()
              + " of "
              + store.capacityBytes()
              + " bytes are used by "
              + store.objects()
              + " objects ("
              + store.pinned()
              + " pinned by readers), and no "
              + sc.sizeBytes()
              + "-byte block came free within "
              + (STORE_FULL_WAIT_MS + (now - deadlineNanos) / 1_000_000)
              + " ms (objects pinned by readers cannot be"
              + " spilled to disk; "
              + store.spilledObjects()
              + " are spilled already"
              + (store.lastIoError() != null ? "; spilling failed: " + store.lastIoError() : "")
              + "). Drop refs to objects you no longer"
              + " need, or start the cluster with a larger objectStoreBytes");
      return;
    }
    if (spillAfterOrUnset == Long.MIN_VALUE) {
      // held for the first time: its writer collects now instead of finding out after a while
      // that its create is slow (StoreClient), 2 ms of a 256 MiB put loop's ~50 ms per put
      c.send(new Msg.CollectGarbage(true));
    }
    waitingCreates.add(new WaitingCreate(c, reqId, sc, deadlineNanos, spillAfterNanos));
    armCreateTimer(
        now < spillAfterNanos
            ? spillAfterNanos
            : now < deadlineNanos ? deadlineNanos : hardDeadline);
  }

  /** How many times waiting creates were retried (a statistic; tests bound it). */
  long createRetries;

  private java.util.concurrent.ScheduledFuture<?> createTimer;
  private long createTimerAt = Long.MAX_VALUE;

  /**
   * One timer for all waiting creates, at the earliest time one of them may have to fail (a timer
   * per retry would multiply: every retry re-queues every waiting create). Freed space retries them
   * sooner, through {@link #retryCreates}.
   */
  private void armCreateTimer(long atNanos) {
    if (createTimer != null && createTimerAt <= atNanos) {
      return;
    }
    if (createTimer != null) {
      createTimer.cancel(false);
    }
    createTimerAt = atNanos;
    createTimer =
        loop.schedule(
            () -> {
              createTimer = null;
              createTimerAt = Long.MAX_VALUE;
              retryCreates();
            },
            Math.max(0, (atNanos - System.nanoTime()) / 1_000_000) + 1,
            java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /**
   * Above the high-water mark, asks every process of the node to collect garbage (at most every 200
   * ms, and again while the store stays short): dropped refs then free their objects, instead of
   * those being spilled to disk or a create being refused.
   */
  private void hintIfShort(long incoming) {
    boolean short_ = store.usedBytes() + incoming > STORE_HIGH_WATER * store.capacityBytes();
    // churn counts only once the store is half full: with room to spare, no process is asked to
    // collect (a driver's collection may be a full one, on the user's collector)
    boolean churn =
        createdSinceHint >= CHURN_HINT_FRACTION * store.capacityBytes()
            && store.usedBytes() + incoming > 0.5 * store.capacityBytes();
    if (!short_ && !churn) {
      return;
    }
    long now = System.nanoTime();
    // at most every 200 ms, or sooner once the last hint was answered by a free (a put loop over
    // dropped refs then waits for one collection per put, not for the timer)
    if (now - lastGcHintNanos >= 200_000_000L
        || (freedSinceHint && now - lastGcHintNanos >= 20_000_000L)) {
      freedSinceHint = false;
      createdSinceHint = 0;
      lastGcHintNanos = now;
      Msg hint = new Msg.CollectGarbage(false);
      everyProcess.send(hint);
    }
    if (short_ && !gcRecheckScheduled) {
      gcRecheckScheduled = true;
      loop.schedule(
          () -> {
            gcRecheckScheduled = false;
            hintIfShort(0);
          },
          200,
          java.util.concurrent.TimeUnit.MILLISECONDS);
    }
  }

  private boolean restoreWatch;

  /**
   * While restores wait for readers to unpin, retries them every 200 ms, so that one that waited
   * too long fails with a clear message even if nothing else frees memory.
   */
  private void watchRestores() {
    if (restoreWatch) {
      return;
    }
    restoreWatch = true;
    loop.schedule(
        () -> {
          restoreWatch = false;
          store.expireRestores();
          if (store.restoresWaiting()) {
            watchRestores();
          }
        },
        200,
        java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** Space may have come free: serve waiting creates in order (or time them out). */
  private void retryCreates() {
    createRetries++;
    int n = waitingCreates.size();
    for (int i = 0; i < n; i++) {
      WaitingCreate w = waitingCreates.poll();
      if (w.conn().isOpen()) {
        storeCreate(w.conn(), w.reqId(), w.req(), w.deadlineNanos(), false, w.spillAfterNanos());
      }
    }
  }

  /** The owners of the objects held here. */
  java.util.Set<String> owners() {
    return store.owners();
  }

  /** The objects of {@code owner} held here. */
  java.util.List<dev.weft.internal.store.ObjectDirectory.Key> keysOwnedBy(String owner) {
    return store.keysOwnedBy(owner);
  }

  /** Objects share their owner's fate: a process that is gone takes its stored objects with it. */
  void deleteObjectsOf(String owner) {
    if (owner != null && store.deleteOwnedBy(owner) > 0) {
      store.spaceFreed();
    }
  }

  /**
   * Spills or restores under way finish (or are dropped) before the spill files and the store go.
   */
  void stop() {
    storeIo.shutdownNow();
    try {
      storeIo.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
