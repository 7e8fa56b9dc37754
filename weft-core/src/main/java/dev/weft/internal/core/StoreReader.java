package dev.weft.internal.core;

import dev.weft.ObjectId;
import dev.weft.ObjectLostException;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import dev.weft.internal.store.ObjectLayout;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read side of this process's store client ({@link StoreClient}): pins objects in its node's
 * store (pulled there first from another node when missing), reads their values onto the heap and
 * hands out views of binary ones; without a store of its own (a driver on a machine without a node)
 * it reads over the network ({@link RemoteReader}).
 *
 * <h2>Implementation notes</h2>
 *
 * <pre>
 *  CW ──StorePull(id, owner, sources, priority)──▶ NM here ──▶ StoreBlock(offset, size) | Failure
 *     (the node pins it, pulling it first if missing: PullManager in weft-node)
 *     Failure and no sources known: CW ──GetObject──▶ owner ──▶ ObjectReply(locations), then
 *     StorePull again with them
 *     pulled here: CW ──AddObjectLocation(id, here)──▶ owner (one-way)
 *  read/view done: CW ──StoreUnpin(id)──▶ NM here (one-way; {@link Pinned#close})
 *  a view (getBuffer), whose reader may copy out: StorePull(..., spilledCopyWillDo) ──▶ NM here
 *     on disk only: ◀── StoreSpilled(file, offset, size, kind, payload length, readId); the NM
 *     holds that copy on disk for this connection; the CW reads the file itself ({@link
 *     SpilledView}), then CW ──StoreEndRead(id, readId)──▶ NM (one-way, at the view's close; or
 *     its connection closes)
 *  a pin abandoned here (timeout, interrupt): unpinned (or its read ended) once granted after all
 *  no store mapped: RemoteReader (StorePin / PullChunk / StoreUnpin to a node holding it)
 * </pre>
 *
 * Runs on user or task threads, which block in {@link CoreWorker#await}.
 */
final class StoreReader {
  private static final Logger log = LoggerFactory.getLogger(StoreReader.class);

  private final CoreWorker cw;
  private final StoreClient store;
  private final String address;
  private final OwnershipTable table;
  private final RefLifecycle refs;

  /** Reads of objects in other nodes' stores when this process maps none (see RemoteReader). */
  private final RemoteReader remote;

  StoreReader(CoreWorker cw, StoreClient store) {
    this.cw = cw;
    this.store = store;
    this.address = cw.address;
    this.table = cw.table;
    this.refs = cw.refs;
    this.remote = new RemoteReader(cw);
  }

  /**
   * A pinned block of the store, or (for a reader that said a spilled copy will do) a spilled copy
   * held on disk for this reader; closing releases it.
   */
  final class Pinned implements AutoCloseable {
    final ObjectId id;

    /** The block in the store's mapping; null for a spilled copy. */
    final MemorySegment block;

    /** Where the spilled copy is; null for a block in memory. */
    final Msg.StoreSpilled spilled;

    private final java.util.concurrent.atomic.AtomicBoolean closed =
        new java.util.concurrent.atomic.AtomicBoolean();

    Pinned(ObjectId id, MemorySegment block, Msg.StoreSpilled spilled) {
      this.id = id;
      this.block = block;
      this.spilled = spilled;
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        Connection n = cw.nodeIfOpen();
        if (n != null) {
          n.send(
              spilled != null
                  ? new Msg.StoreEndRead(id.hi(), id.lo(), spilled.readId())
                  : new Msg.StoreUnpin(id.hi(), id.lo()));
        }
      }
    }
  }

  /**
   * Pins an object in this node's store, which pulls it first from another node that has it if it
   * is missing here. {@code owner}: its owner's address; {@code known}: the nodes holding it as the
   * owner said (null: unknown; then, if this node lacks it, the owner is asked). {@code priority}:
   * {@link Msg#PULL_FOR_ARGUMENT} or {@link Msg#PULL_FOR_GET}. {@code spilledCopyWillDo}: the
   * caller reads the bytes out with {@link Pinned#spilled} when the object is on disk only, rather
   * than have the node restore it into memory.
   */
  Pinned pin(
      ObjectId id,
      String owner,
      List<Msg.ObjectLocation> known,
      int priority,
      boolean spilledCopyWillDo) {
    if (store.file() == null) {
      throw new ObjectLostException(
          "object " + id + " is in a node's object store, and this process has none mapped");
    }
    List<Msg.ObjectLocation> sources = known;
    Msg reply = null;
    for (int attempt = 0; ; attempt++) {
      if (sources == null && address.equals(owner)) {
        sources = ownedSources(id);
      }
      reply = pinCall(id, owner, sources, priority, spilledCopyWillDo);
      if (!(reply instanceof Msg.StoreBlock)
          && !(reply instanceof Msg.StoreSpilled)
          && sources == null
          && owner != null) {
        // not on this node, and we do not know where it is: its owner does
        sources = locationsFromOwner(id, owner);
        if (!sources.isEmpty()) {
          reply = pinCall(id, owner, sources, priority, spilledCopyWillDo);
        }
      }
      if (reply instanceof Msg.StoreSpilled s) {
        return new Pinned(id, null, s); // on disk only, lent to this process to read itself
      }
      if (reply instanceof Msg.StoreBlock
          || owner == null
          || sources == null
          || sources.isEmpty()
          || attempt >= STALE_SOURCE_RETRIES) {
        break;
      }
      // every copy we were told of failed: a node holding it may have just died, and its owner
      // may not have heard yet (then it drops the node and makes the object again): ask again
      log.debug("pin of {} from {} failed ({}): asking its owner again", id, sources, reply);
      backOff(attempt);
      sources = null;
    }
    if (!(reply instanceof Msg.StoreBlock b)) {
      throw new ObjectLostException(
          "object "
              + id
              + " is no longer in the object store: "
              + (reply instanceof Msg.Failure f ? f.text() : String.valueOf(reply))
              + " (its owner freed it, or died, or every node holding it is gone)");
    }
    if (sources != null && !sources.isEmpty() && !sources.contains(store.here())) {
      reportCopy(id, owner); // pulled here: the owner may hand this node out to other pullers
    }
    return new Pinned(id, store.file().slice(b.offset(), b.sizeBytes()), null);
  }

  /** How many times a pin whose every source failed asks the owner again. */
  static final int STALE_SOURCE_RETRIES = 4;

  /** Waits 250 ms, doubling with each attempt, before asking an owner again. */
  private void backOff(int attempt) {
    CompletableFuture<Void> later = new CompletableFuture<>();
    cw.timer.schedule(() -> later.complete(null), 250L << attempt, TimeUnit.MILLISECONDS);
    cw.await(later, null, "waiting to ask an owner again");
  }

  /**
   * Where the object {@code id} that this process owns is: made again first if its last copy went
   * with a dead node and its lineage allows ({@link Lineage#rebuild}); ObjectLostException saying
   * why if it cannot be.
   */
  private List<Msg.ObjectLocation> ownedSources(ObjectId id) {
    OwnershipTable.Entry e = table.get(id);
    if (e == null) {
      return List.of();
    }
    while (OwnershipTable.isLost(e) || e.rebuilt != null) {
      // made again (then looked at again: the node it was made on may have died meanwhile)
      CompletableFuture<Void> f = cw.lineage.rebuild(e);
      if (f == null) {
        throw new ObjectLostException(OwnershipTable.lostMessage(e));
      }
      cw.await(f, null, "making object " + id + " again from its lineage");
    }
    return OwnershipTable.locationsForPuller(e);
  }

  private Msg pinCall(
      ObjectId id,
      String owner,
      List<Msg.ObjectLocation> sources,
      int priority,
      boolean spilledCopyWillDo) {
    Connection n = cw.node();
    CompletableFuture<Msg> call =
        n.call(
            new Msg.StorePull(
                id.hi(),
                id.lo(),
                owner,
                sources == null ? List.of() : sources,
                priority,
                spilledCopyWillDo));
    try {
      // a pull waits for room here and moves the bytes: longer than a pin
      return cw.await(
          call,
          sources == null || sources.isEmpty() ? Duration.ofSeconds(60) : Duration.ofMinutes(5),
          "pinning object " + id);
    } catch (RuntimeException e) {
      // a pin granted after we gave up (a slow restore, an interrupted task) would hold the object
      // for ever: drop it
      call.thenAccept(
          r -> {
            if (r instanceof Msg.StoreBlock) {
              n.send(new Msg.StoreUnpin(id.hi(), id.lo()));
            } else if (r instanceof Msg.StoreSpilled s) {
              n.send(new Msg.StoreEndRead(id.hi(), id.lo(), s.readId()));
            }
          });
      throw e;
    }
  }

  /** The nodes holding {@code id}: as given, else from this process's table or its owner. */
  private List<Msg.ObjectLocation> sourcesFor(
      ObjectId id, String owner, List<Msg.ObjectLocation> known) {
    if (known != null && !known.isEmpty()) {
      return known;
    }
    if (address.equals(owner)) {
      return ownedSources(id);
    }
    return owner == null ? List.of() : locationsFromOwner(id, owner);
  }

  /** The nodes holding {@code id}, as its owner knows them now (empty if it knows none). */
  private List<Msg.ObjectLocation> locationsFromOwner(ObjectId id, String owner) {
    Msg m =
        cw.await(
            cw.callOwner(owner, new Msg.GetObject(id.hi(), id.lo(), 0)),
            // the owner answers once it knows: after making the object again if it was lost,
            // which takes as long as its tasks (a dead owner fails the call: its connection
            // closes, or the probe after a node's death closes it)
            Duration.ofMinutes(30),
            "asking the owner " + owner + " where object " + id + " is");
    if (m instanceof Msg.ObjectReply r
        && r.status() == Msg.ObjectStatus.FAILED
        && r.error() != null) {
      throw Errors.toException(Errors.decodeError(r.error())); // e.g. lost with a dead node
    }
    return m instanceof Msg.ObjectReply r && r.locations() != null ? r.locations() : List.of();
  }

  /** Tells {@code id}'s owner that this node now holds a copy. */
  private void reportCopy(ObjectId id, String owner) {
    Msg.ObjectLocation me = store.here();
    if (owner == null || me.address() == null) {
      return;
    }
    if (owner.equals(address)) {
      table.addLocation(id, me);
      return;
    }
    cw.sendToOwner(owner, new Msg.AddObjectLocation(id.hi(), id.lo(), me));
  }

  /**
   * Reads a stored object's value onto the heap (one copy out of shared memory, no socket; pulled
   * to this node first if it is elsewhere).
   */
  Object readFromStore(
      ObjectId id, String owner, List<Msg.ObjectLocation> known, int priority, String what) {
    if (store.file() == null) {
      RemoteReader.Copy copy = remote.read(id, sourcesFor(id, owner, known));
      try (java.lang.foreign.Arena a = copy.arena()) {
        if (ObjectLayout.kind(copy.block()) == ObjectLayout.RAW) {
          return ObjectLayout.readRaw(copy.block());
        }
        return refs.deserialize(null, ObjectLayout.payload(copy.block()).asByteBuffer(), what);
      }
    }
    try (Pinned p = pin(id, owner, known, priority, false)) {
      if (ObjectLayout.kind(p.block) == ObjectLayout.RAW) {
        return ObjectLayout.readRaw(p.block);
      }
      return refs.deserialize(null, ObjectLayout.payload(p.block).asByteBuffer(), what);
    }
  }

  /** A read-only view of a binary object in the store, pinned until the view is closed. */
  dev.weft.ObjectBuffer view(ObjectId id, String owner, List<Msg.ObjectLocation> known) {
    if (store.file() == null) {
      // no store here: a copy read over the network, in memory that closes with the view
      RemoteReader.Copy copy = remote.read(id, sourcesFor(id, owner, known));
      if (ObjectLayout.kind(copy.block()) != ObjectLayout.RAW) {
        copy.arena().close();
        throw notBinary(id);
      }
      return Views.ofCopy("object " + id, ObjectLayout.payload(copy.block()), copy.arena());
    }
    Pinned p = pin(id, owner, known, Msg.PULL_FOR_GET, true);
    if (p.spilled != null) {
      // on disk only: read from its spill file (copies) or a read-only mapping of it (buffer)
      if (p.spilled.kind() != ObjectLayout.RAW) {
        p.close();
        throw notBinary(id);
      }
      return new SpilledView(
          "object " + id,
          java.nio.file.Path.of(p.spilled.path()),
          p.spilled.offset() + ObjectLayout.HEADER,
          p.spilled.payloadLength(),
          p);
    }
    if (ObjectLayout.kind(p.block) != ObjectLayout.RAW) {
      p.close();
      throw notBinary(id);
    }
    MemorySegment payload = ObjectLayout.payload(p.block).asReadOnly();
    return Views.ofStore("object " + id, payload, store.file(), p, store.openViews);
  }

  private static IllegalArgumentException notBinary(ObjectId id) {
    return new IllegalArgumentException(
        "object "
            + id
            + " is not binary: getBuffer is for byte[], ByteBuffer and primitive-array values (use"
            + " Weft.get)");
  }
}
