package dev.weft.internal.core;

import dev.weft.WeftException;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One copy of an object out of another node's store, chunk by chunk, into a block the reader
 * allocated: the loop that both a node pulling an object into its own store ({@code PullManager})
 * and a driver without a node ({@link RemoteReader}) run against a source node manager.
 *
 * <h2>Message flow</h2>
 *
 * <pre>
 *  reader ──StorePin(id)──────────────▶ NM source   ({@link #pin}: the source pins it for this
 *         ◀─StoreBlock(_, size)───────               connection; restores a spilled copy first)
 *  reader ──PullChunk(id, off, len)───▶ NM source   ({@link #requestChunk}, as many in flight as
 *         ◀─raw chunk frame───────────               the caller allows), read off the socket
 *                                                   straight into the destination
 *  reader ──StoreUnpin(id)────────────▶ NM source   ({@link #unpin}: done or failed; a closed
 *                                                   connection unpins by itself)
 * </pre>
 *
 * <h2>Implementation notes</h2>
 *
 * This class keeps one attempt's progress (next offset, chunks in flight, bytes received, the first
 * failure); the caller decides how many chunks go out at once, what to do when the attempt fails
 * (try another source, fail the read) and when the destination may go: only once {@link #quiet} has
 * completed, as a chunk still in flight writes into it. Each chunk's completion updates the
 * progress on the executor given to {@link #requestChunk}, and the future it returns completes
 * there too, so a caller that runs on one thread (a node's loop) sees progress and reacts to it in
 * the same step. The state is guarded by this object's lock, so a caller that passes a direct
 * executor (a reading thread blocked on the futures) may read it from its thread.
 */
public final class ChunkedRead {
  private final Connection conn;
  private final long hi;
  private final long lo;
  private final MemorySegment dest;
  private final int chunkBytes;
  private long nextOffset;
  private long received;
  private int outstanding;
  private String failure;
  private CompletableFuture<Void> quiet;

  /**
   * A read of object ({@code hi}, {@code lo}), already pinned at the source behind {@code conn},
   * into {@code dest} (as long as the object) in chunks of at most {@code chunkBytes}.
   */
  public ChunkedRead(Connection conn, long hi, long lo, MemorySegment dest, int chunkBytes) {
    if (chunkBytes <= 0) {
      throw new IllegalArgumentException("chunkBytes must be positive, was " + chunkBytes);
    }
    this.conn = conn;
    this.hi = hi;
    this.lo = lo;
    this.dest = dest;
    this.chunkBytes = chunkBytes;
  }

  /**
   * Pins the object at the source behind {@code conn}: completes with its size in bytes, or
   * exceptionally with a {@link WeftException} saying why not (copy gone, connection lost).
   */
  public static CompletableFuture<Long> pin(Connection conn, long hi, long lo) {
    CompletableFuture<Long> size = new CompletableFuture<>();
    conn.call(new Msg.StorePin(hi, lo))
        .whenComplete(
            (m, err) -> {
              if (err != null) {
                size.completeExceptionally(
                    new WeftException("lost the connection: " + rootMessage(err), err));
              } else if (m instanceof Msg.StoreBlock b) {
                size.complete(b.sizeBytes());
              } else {
                size.completeExceptionally(new WeftException(replyText(m)));
              }
            });
    return size;
  }

  /** Releases the source's pin of the object, unless the connection is gone (which did that). */
  public static void unpin(Connection conn, long hi, long lo) {
    if (conn.isOpen()) {
      conn.send(new Msg.StoreUnpin(hi, lo));
    }
  }

  /**
   * Releases the source's pin of this read's object (see {@link #unpin(Connection, long, long)}).
   */
  public void unpin() {
    unpin(conn, hi, lo);
  }

  /** Whether chunks remain to be requested and no chunk has failed. */
  public synchronized boolean wantsChunks() {
    return failure == null && nextOffset < dest.byteSize();
  }

  /** Offset of the next chunk to request. */
  public synchronized long nextOffset() {
    return nextOffset;
  }

  /** Length of the next chunk to request (0 when none is left). */
  public synchronized int nextLength() {
    return (int) Math.min(chunkBytes, dest.byteSize() - nextOffset);
  }

  /** Chunks requested and not yet back. */
  public synchronized int outstanding() {
    return outstanding;
  }

  /** The first chunk failure of this read (its reason), or null. */
  public synchronized String failure() {
    return failure;
  }

  /** Whether every byte has arrived. */
  public synchronized boolean complete() {
    return failure == null && received == dest.byteSize();
  }

  /**
   * Requests the next chunk ({@link #nextLength} bytes at {@link #nextOffset}). The future
   * completes on {@code exec} once the chunk is in and counted, or exceptionally with a {@link
   * WeftException} naming why it failed (also kept as {@link #failure}).
   */
  public CompletableFuture<Void> requestChunk(Executor exec) {
    long off;
    int len;
    synchronized (this) {
      off = nextOffset;
      len = (int) Math.min(chunkBytes, dest.byteSize() - off);
      if (len <= 0) {
        throw new IllegalStateException("every chunk of this object was requested already");
      }
      nextOffset += len;
      outstanding++;
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    conn.callRawInto(new Msg.PullChunk(hi, lo, off, len), dest.asSlice(off, len).asByteBuffer())
        .whenCompleteAsync(
            (m, err) -> {
              String why =
                  err != null
                      ? "lost the connection mid-pull: " + rootMessage(err)
                      : m instanceof Msg.Ack ? null : replyText(m);
              CompletableFuture<Void> nowQuiet = null;
              synchronized (this) {
                outstanding--;
                if (why == null) {
                  received += len;
                } else if (failure == null) {
                  failure = why;
                }
                if (outstanding == 0 && quiet != null) {
                  nowQuiet = quiet;
                  quiet = null;
                }
              }
              if (why == null) {
                done.complete(null);
              } else {
                done.completeExceptionally(new WeftException(why));
              }
              if (nowQuiet != null) {
                nowQuiet.complete(null);
              }
            },
            exec);
    return done;
  }

  /** Completes once no chunk of this read is in flight (at once when none is). */
  public synchronized CompletableFuture<Void> quiet() {
    if (outstanding == 0) {
      return CompletableFuture.completedFuture(null);
    }
    if (quiet == null) {
      quiet = new CompletableFuture<>();
    }
    return quiet;
  }

  /** {@link Serde#rootMessage}, for the node's side of a pull. */
  public static String rootMessage(Throwable t) {
    return Serde.rootMessage(t);
  }

  private static String replyText(Msg m) {
    return m instanceof Msg.Failure f ? f.text() : "unexpected reply " + m;
  }
}
