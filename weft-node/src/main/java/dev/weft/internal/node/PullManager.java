package dev.weft.internal.node;

import dev.weft.internal.core.ChunkedRead;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import dev.weft.internal.store.ObjectDirectory;
import dev.weft.internal.store.ObjectDirectory.Key;
import io.netty.buffer.Unpooled;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves objects between nodes: pulls a missing object into this node's store from a node that has
 * it (the requester side), and serves chunks of this node's objects to other nodes (the source
 * side).
 *
 * <h2>Message flow</h2>
 *
 * <pre>
 *  reader CW ──StorePull(id, owner, sources, priority)──▶ NM here
 *     in this store: pin, reply StoreBlock (as StorePin does)
 *     a pull of it under way: the request joins it (merged: one pull per object per node)
 *     else, for each source in order until one works:
 *       NM here ──StorePin(id)──────────▶ NM source   (pins; restores a spilled copy first)
 *               ◀─StoreBlock(_, size)───
 *       reserve size bytes here (a secondary copy: evicted, never spilled, when memory is short)
 *       NM here ──PullChunk(id, off, len)─▶ NM source  (several in flight, see below)
 *               ◀─raw chunk frame────────  written from the source's mapped segment (no heap
 *                                          copy), read off the socket straight into our segment
 *                                          (Connection#callRawInto: no frame buffer between)
 *       ... all chunks in: seal; ──StoreUnpin──▶ source; pin for every waiting reader, reply
 *  reader CW ──AddObjectLocation(id, here)──▶ owner   (one-way, after a pull: a secondary copy)
 *  owner CW ──StoreDelete(id)──▶ every node in its locations, when the object is freed
 * </pre>
 *
 * A source that fails (unreachable, object not there: evicted or freed, connection lost mid-pull)
 * is recorded with its reason, the partial copy is dropped once its chunks in flight are back, and
 * the next source is tried; when none is left every waiting reader gets a Failure that names the
 * object, the nodes tried and why (the reader raises ObjectLostException with it). Sources come
 * from the owner, which rotates its list of copies so that many pullers spread over the nodes that
 * already have one. This node is never its own source.
 *
 * <h2>Implementation notes</h2>
 *
 * The pin, chunk and unpin steps of one attempt are {@link ChunkedRead}'s (shared with a driver
 * that reads over the network); this class keeps the pulls, their sources, the in-flight budget and
 * the store's block. Everything runs on the node loop, as the rest of {@link NodeManager}; chunk
 * bytes are written into the store on the event loop of the source's connection (into the block
 * reserved for the pull, which is never released while a chunk of it is in flight), and completions
 * come back to the loop. Chunks are {@link #CHUNK_BYTES} long; at most {@link #MAX_IN_FLIGHT_BYTES}
 * of chunks are requested and not yet received on this node, over all pulls (at least one chunk
 * always may be), which bounds what the sources' sockets and our receive buffers hold. When several
 * pulls want chunks, those for task arguments ({@link Msg#PULL_FOR_ARGUMENT}) go before those for
 * gets.
 */
final class PullManager {
  private static final Logger log = LoggerFactory.getLogger(PullManager.class);

  /** Bytes per chunk (-Dweft.pull.chunkBytes). */
  static final int CHUNK_BYTES = Integer.getInteger("weft.pull.chunkBytes", 8 << 20);

  /** Bytes of chunks requested but not received on this node (-Dweft.pull.maxInFlightBytes). */
  static final long MAX_IN_FLIGHT_BYTES = Long.getLong("weft.pull.maxInFlightBytes", 64L << 20);

  /** How long a pull waits for room in this store before it fails. */
  static final long ROOM_WAIT_MS = Long.getLong("weft.pull.roomWaitMillis", 30_000);

  /** Opens (or reuses) a connection to another node manager; never blocks the caller. */
  interface NodeConnections {
    CompletableFuture<Connection> connect(String address);
  }

  private final ScheduledExecutorService loop;
  private final String nodeId;
  private final StoreService store;
  private final NodeConnections nodes;
  private final int chunkBytes;
  private final long maxInFlightBytes;
  private final Map<Key, Pull> pulls = new HashMap<>();
  private long inFlightBytes;

  /** Statistics (tests read them). */
  long pullsStarted;

  long pullsMerged;
  long chunksRequested;
  long maxInFlightSeen;

  private record Waiter(Connection conn, long reqId) {}

  /** One object being pulled into this node. */
  private static final class Pull {
    final Key key;
    final String owner;
    final List<Msg.ObjectLocation> sources;
    int priority;
    final List<Waiter> waiters = new ArrayList<>();
    final List<String> tried = new ArrayList<>();
    int nextSource;
    long roomDeadlineNanos;
    final long startNanos = System.nanoTime();
    long pinnedNanos;

    /** The current attempt: its source, then its size, and once a block is reserved its read. */
    Msg.ObjectLocation source;

    Connection sourceConn;
    long size = -1;
    long destOffset;
    ChunkedRead read;
    boolean deleted;

    Pull(Key key, String owner, List<Msg.ObjectLocation> sources, int priority) {
      this.key = key;
      this.owner = owner;
      this.sources = sources;
      this.priority = priority;
    }

    boolean wantsChunks() {
      return read != null && !deleted && read.wantsChunks();
    }
  }

  PullManager(
      ScheduledExecutorService loop, String nodeId, StoreService store, NodeConnections nodes) {
    this(loop, nodeId, store, nodes, CHUNK_BYTES, MAX_IN_FLIGHT_BYTES);
  }

  PullManager(
      ScheduledExecutorService loop,
      String nodeId,
      StoreService store,
      NodeConnections nodes,
      int chunkBytes,
      long maxInFlightBytes) {
    if (chunkBytes < 4096 || maxInFlightBytes < chunkBytes) {
      throw new IllegalArgumentException(
          "pull settings: chunkBytes ("
              + chunkBytes
              + ") must be at least 4096 and maxInFlightBytes ("
              + maxInFlightBytes
              + ") at least one chunk");
    }
    this.loop = loop;
    this.nodeId = nodeId;
    this.store = store;
    this.nodes = nodes;
    this.chunkBytes = chunkBytes;
    this.maxInFlightBytes = maxInFlightBytes;
  }

  // ------------------------------------------------------------------ requester side

  /** StorePull from a reader of this node. */
  void pull(Connection c, long reqId, Msg.StorePull p) {
    Key key = new Key(p.hi(), p.lo());
    Pull pull = pulls.get(key);
    if (pull == null && store.store.contains(key)) {
      if (!p.spilledCopyWillDo() || !store.readSpilled(c, reqId, key)) {
        store.pin(c, reqId, new Msg.StorePin(p.hi(), p.lo()));
      }
      return;
    }
    if (pull != null) {
      pullsMerged++;
      pull.waiters.add(new Waiter(c, reqId));
      pull.priority = Math.min(pull.priority, p.priority());
      return;
    }
    List<Msg.ObjectLocation> sources = new ArrayList<>();
    if (p.sources() != null) {
      for (Msg.ObjectLocation l : p.sources()) {
        if (!nodeId.equals(l.nodeId()) && !sources.contains(l)) {
          sources.add(l);
        }
      }
    }
    if (sources.isEmpty()) {
      c.replyFailure(
          reqId,
          "object "
              + key
              + " is not in the object store of node "
              + nodeId
              + (p.sources() == null || p.sources().isEmpty()
                  ? ", and no other node was named as holding it"
                  : ", and its owner knows no other node holding it"));
      return;
    }
    pull = new Pull(key, p.owner(), sources, p.priority());
    pull.waiters.add(new Waiter(c, reqId));
    pulls.put(key, pull);
    pullsStarted++;
    nextSource(pull);
  }

  /** Tries the next source of {@code pull}, or fails it when none is left. */
  private void nextSource(Pull pull) {
    if (pull.deleted) {
      finishFailed(pull, "its owner freed it during the pull");
      return;
    }
    if (pull.nextSource >= pull.sources.size()) {
      finishFailed(pull, null);
      return;
    }
    Msg.ObjectLocation src = pull.sources.get(pull.nextSource++);
    pull.source = src;
    pull.sourceConn = null;
    pull.size = -1;
    pull.read = null;
    nodes
        .connect(src.address())
        .whenComplete(
            (conn, err) ->
                loop.execute(
                    () -> {
                      if (err != null) {
                        sourceFailed(pull, "unreachable: " + ChunkedRead.rootMessage(err));
                        return;
                      }
                      pull.sourceConn = conn;
                      ChunkedRead.pin(conn, pull.key.hi(), pull.key.lo())
                          .whenComplete(
                              (size, e) -> loop.execute(() -> sourcePinned(pull, size, e)));
                    }));
  }

  private void sourcePinned(Pull pull, Long size, Throwable err) {
    if (err != null) {
      sourceFailed(pull, err.getMessage());
    } else if (pull.deleted) {
      unpin(pull);
      finishFailed(pull, "its owner freed it during the pull");
    } else {
      pull.size = size;
      pull.pinnedNanos = System.nanoTime();
      pull.roomDeadlineNanos = System.nanoTime() + ROOM_WAIT_MS * 1_000_000;
      reserve(pull);
    }
  }

  /** Reserves the block the chunks go into, waiting (bounded) while this store is short. */
  private void reserve(Pull pull) {
    if (pull.deleted) {
      unpin(pull);
      finishFailed(pull, "its owner freed it during the pull");
      return;
    }
    ObjectDirectory.Block b;
    try {
      b = store.store.createSecondary(pull.key, pull.size, pull.owner);
    } catch (RuntimeException e) {
      unpin(pull);
      finishFailed(pull, "cannot reserve " + pull.size + " bytes here: " + e.getMessage());
      return;
    }
    if (b == null) {
      if (System.nanoTime() > pull.roomDeadlineNanos) {
        unpin(pull);
        finishFailed(
            pull,
            "the object store of node "
                + nodeId
                + " had no room for its "
                + pull.size
                + " bytes within "
                + ROOM_WAIT_MS
                + " ms ("
                + store.store.usedBytes()
                + " of "
                + store.store.capacityBytes()
                + " bytes used, "
                + store.store.pinned()
                + " objects pinned)");
      } else {
        loop.schedule(() -> reserve(pull), 20, TimeUnit.MILLISECONDS);
      }
      return;
    }
    pull.destOffset = b.offset;
    pull.read =
        new ChunkedRead(
            pull.sourceConn,
            pull.key.hi(),
            pull.key.lo(),
            store.file.slice(b.offset, pull.size),
            chunkBytes);
    pump();
  }

  /** Requests chunks while the in-flight budget allows, argument pulls first. */
  private void pump() {
    while (true) {
      Pull best = null;
      for (Pull p : pulls.values()) {
        if (p.wantsChunks() && (best == null || p.priority < best.priority)) {
          best = p;
        }
      }
      if (best == null) {
        return;
      }
      int len = best.read.nextLength();
      if (inFlightBytes > 0 && inFlightBytes + len > maxInFlightBytes) {
        return;
      }
      requestChunk(best, len);
    }
  }

  private void requestChunk(Pull pull, int len) {
    long off = pull.read.nextOffset();
    inFlightBytes += len;
    maxInFlightSeen = Math.max(maxInFlightSeen, inFlightBytes);
    chunksRequested++;
    // fresh store memory: faulted in now, in one call, rather than page by page by the event loop
    // that writes the chunk
    store.file.populate(pull.destOffset + off, len);
    // completes on the loop, after the read counted the chunk: progress and reaction in one step
    pull.read
        .requestChunk(loop)
        .whenComplete(
            (v, err) -> {
              if (err == null) {
                receivedBytes.add(len);
              }
              chunkDone(pull, len);
            });
  }

  private void chunkDone(Pull pull, int len) {
    inFlightBytes -= len;
    ChunkedRead read = pull.read;
    String failure = read.failure();
    if (read.outstanding() == 0 && (failure != null || pull.deleted)) {
      // nothing of this attempt is in flight any more: its block may go
      store.store.delete(pull.key);
      store.store.spaceFreed();
      read.unpin();
      sourceFailed(pull, pull.deleted ? "freed by its owner" : failure);
    } else if (failure == null && !pull.deleted && read.complete()) {
      finishPulled(pull);
    }
    pump();
  }

  private void sourceFailed(Pull pull, String why) {
    pull.tried.add(pull.source.nodeId() + " at " + pull.source.address() + " (" + why + ")");
    log.info("pulling object {} from node {} failed: {}", pull.key, pull.source.nodeId(), why);
    nextSource(pull);
  }

  private void finishPulled(Pull pull) {
    pulls.remove(pull.key);
    long nanos = System.nanoTime() - pull.startNanos;
    log.debug(
        "pulled object {} ({} bytes) from node {} in {} ms (from the request; {} ms since the"
            + " source pinned it)",
        pull.key,
        pull.size,
        pull.source.nodeId(),
        nanos / 1_000_000,
        (System.nanoTime() - pull.pinnedNanos) / 1_000_000);
    store.store.seal(pull.key);
    unpin(pull);
    for (Waiter w : pull.waiters) {
      store.pin(w.conn(), w.reqId(), new Msg.StorePin(pull.key.hi(), pull.key.lo()));
    }
  }

  private void finishFailed(Pull pull, String why) {
    pulls.remove(pull.key);
    String text =
        "object "
            + pull.key
            + " could not be pulled to node "
            + nodeId
            + (why != null ? ": " + why : "")
            + "; nodes tried: "
            + (pull.tried.isEmpty() ? "none" : String.join(", ", pull.tried))
            + " (every copy is gone: its nodes died or it was freed)";
    log.warn(text);
    for (Waiter w : pull.waiters) {
      w.conn().replyFailure(w.reqId(), text);
    }
  }

  /**
   * StoreDelete for an object being pulled here: the pull ends (its block goes once its chunks in
   * flight are back); true when it took the delete over.
   */
  boolean deleting(Key key) {
    Pull pull = pulls.get(key);
    if (pull == null) {
      return false;
    }
    pull.deleted = true;
    if (pull.read != null && pull.read.outstanding() == 0) {
      store.store.delete(pull.key);
      store.store.spaceFreed();
      unpin(pull);
      pulls.remove(key);
      finishFailed(pull, "its owner freed it during the pull");
    }
    return true;
  }

  // ------------------------------------------------------------------ source side

  /**
   * PullChunk from another node: the bytes of an object that node pinned here, written to the
   * socket straight from the mapped store.
   */
  void serveChunk(Connection c, long reqId, Msg.PullChunk pc) {
    Key key = new Key(pc.hi(), pc.lo());
    long base = store.store.pinnedOffset(key);
    long size = store.pinnedSize(c, key);
    if (base < 0 || size < 0) {
      c.replyFailure(
          reqId, "object " + key + " is not pinned on node " + nodeId + " for this puller");
      return;
    }
    if (pc.offset() < 0 || pc.length() <= 0 || pc.offset() + pc.length() > size) {
      c.replyFailure(
          reqId,
          "chunk ["
              + pc.offset()
              + ", +"
              + pc.length()
              + ") is outside object "
              + key
              + " of "
              + size
              + " bytes");
      return;
    }
    MemorySegment src = store.file.slice(base + pc.offset(), pc.length());
    sentBytes.add(pc.length());
    c.replyRaw(reqId, Unpooled.wrappedBuffer(src.asByteBuffer()));
  }

  /** Object bytes this node pulled from others, and served to others (metrics). */
  final java.util.concurrent.atomic.LongAdder receivedBytes =
      new java.util.concurrent.atomic.LongAdder();

  final java.util.concurrent.atomic.LongAdder sentBytes =
      new java.util.concurrent.atomic.LongAdder();

  /** Pulls under way (tests). */
  int active() {
    return pulls.size();
  }

  long inFlightBytes() {
    return inFlightBytes;
  }

  private static void unpin(Pull pull) {
    ChunkedRead.unpin(pull.sourceConn, pull.key.hi(), pull.key.lo());
  }
}
