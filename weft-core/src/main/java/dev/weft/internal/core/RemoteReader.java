package dev.weft.internal.core;

import dev.weft.ObjectId;
import dev.weft.ObjectLostException;
import dev.weft.WeftException;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads objects out of other nodes' stores over the network, for a process that maps no store of
 * its own: a driver on a machine without a node (see {@link CoreRuntimeFactory#remoteNode}).
 *
 * <h2>Message flow</h2>
 *
 * <pre>
 *  driver ──StorePin(id)───────────────▶ NM source   (pins for this connection; restores a spilled
 *         ◀─StoreBlock(_, size)────────               copy first)
 *  driver ──PullChunk(id, off, len)────▶ NM source   (up to {@link #IN_FLIGHT} chunks in flight)
 *         ◀─raw chunk frame────────────  from the source's mapped store, copied into the block
 *                                        this process allocated in its own memory
 *  driver ──StoreUnpin(id)─────────────▶ NM source   (also when the read fails; a closed
 *                                        connection unpins by itself)
 * </pre>
 *
 * The source side is the one node managers serve each other ({@code PullManager#serveChunk}); no
 * message is new. Sources are tried in the order the owner gave; one that fails (unreachable, copy
 * gone, connection lost mid-read) is recorded with its reason and the next is tried; when none is
 * left the read fails with {@link ObjectLostException} naming them all.
 *
 * <h2>Implementation notes</h2>
 *
 * The pin, chunk and unpin steps are {@link ChunkedRead}'s, shared with the node managers' pulls;
 * this class keeps the blocking loop around them. Runs on the reading thread, which blocks in
 * {@link CoreWorker#await}; chunk bytes are written into the destination on the event loop of the
 * source's connection. The destination is a shared {@link Arena}'s segment: never closed while a
 * chunk of it is in flight (a failed attempt waits for its chunks to come back or fail before the
 * arena goes), then owned by the caller, who closes it (a get, after decoding; a getBuffer view,
 * when it is closed).
 */
final class RemoteReader {
  private static final Logger log = LoggerFactory.getLogger(RemoteReader.class);

  /** Bytes per chunk (-Dweft.remoteRead.chunkBytes). */
  static final int CHUNK_BYTES = Integer.getInteger("weft.remoteRead.chunkBytes", 8 << 20);

  /** Chunks requested and not yet received, per read. */
  static final int IN_FLIGHT = 8;

  private final CoreWorker cw;

  RemoteReader(CoreWorker cw) {
    this.cw = cw;
  }

  /** A block of an object copied out of a node's store, in memory of its own arena. */
  record Copy(MemorySegment block, Arena arena) {}

  /**
   * Copies object {@code id}'s block (header and payload) from the first of {@code sources} that
   * has it; the caller closes the copy's arena.
   */
  Copy read(ObjectId id, List<Msg.ObjectLocation> sources) {
    List<String> tried = new ArrayList<>();
    for (Msg.ObjectLocation src : sources) {
      if (src == null || src.address() == null) {
        continue;
      }
      try {
        return readFrom(id, src);
      } catch (WeftException e) {
        String why = Serde.rootMessage(e);
        tried.add(src.nodeId() + " at " + src.address() + " (" + why + ")");
        log.info("reading object {} from node {} failed: {}", id, src.nodeId(), why);
      }
    }
    throw new ObjectLostException(
        "object "
            + id
            + " could not be read over the network (this process maps no object store: no node"
            + " runs on its machine); nodes tried: "
            + (tried.isEmpty()
                ? "none: its owner knows no node holding it"
                : String.join(", ", tried))
            + " (its owner freed it, or died, or every node holding it is gone)");
  }

  private Copy readFrom(ObjectId id, Msg.ObjectLocation src) {
    Connection c =
        cw.await(
            cw.peers.peer(src.address()),
            Duration.ofSeconds(30),
            "connecting to node " + src.nodeId() + " at " + src.address());
    long size =
        cw.await(
            ChunkedRead.pin(c, id.hi(), id.lo()),
            Duration.ofMinutes(5),
            "pinning object " + id + " on node " + src.nodeId());
    Arena arena = Arena.ofShared();
    ChunkedRead read = null;
    ArrayDeque<CompletableFuture<Void>> inFlight = new ArrayDeque<>();
    boolean done = false;
    try {
      MemorySegment dest = arena.allocate(size, Long.BYTES);
      read = new ChunkedRead(c, id.hi(), id.lo(), dest, CHUNK_BYTES);
      while (read.wantsChunks()) {
        if (inFlight.size() >= IN_FLIGHT) {
          chunkDone(inFlight.poll(), id);
        }
        inFlight.add(read.requestChunk(Runnable::run));
      }
      while (!inFlight.isEmpty()) {
        chunkDone(inFlight.poll(), id);
      }
      done = true;
      return new Copy(dest, arena);
    } finally {
      ChunkedRead.unpin(c, id.hi(), id.lo());
      if (!done) {
        // the arena goes once no chunk is still being written into it (bounded: a chunk that
        // comes later fails in its sink on the closed arena, which only fails its own future)
        if (read != null) {
          try {
            read.quiet().get(30, TimeUnit.SECONDS);
          } catch (ExecutionException | TimeoutException e) {
            log.debug(
                "chunks of object {} still in flight from {}: {}", id, src.nodeId(), e.toString());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        arena.close();
      }
    }
  }

  /** Waits for a chunk; one that failed throws, naming why (the source is named by the caller). */
  private void chunkDone(CompletableFuture<Void> f, ObjectId id) {
    cw.await(f, Duration.ofMinutes(5), "reading a chunk of object " + id);
  }
}
