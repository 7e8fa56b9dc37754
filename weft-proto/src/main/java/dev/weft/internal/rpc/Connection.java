package dev.weft.internal.rpc;

import dev.weft.internal.proto.Codec;
import dev.weft.internal.proto.Msg;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One authenticated, framed, bidirectional connection. Frame: {@code [int length][byte kind][long
 * reqId][Fory-encoded Msg]}.
 *
 * <p>Writes. Frames from the channel's own event loop are queued and flushed in batches, so a burst
 * of replies costs one syscall. On a connection served by a dedicated task loop, frames sent from
 * that loop's own thread are written at once. A small frame sent from any other thread (a caller
 * submitting a task and about to wait for its reply) is written straight to the socket by that
 * thread when nothing else is waiting to be written: the event loop is not woken up for it, which
 * saves a thread hand-off on every remote call (native epoll without TLS only; {@code
 * -Dweft.rpc.directWrites=false} turns it off). A direct write the socket cannot take whole leaves
 * its remainder first in the queue, for the event loop.
 *
 * <p>Ordering: every frame enters the socket in the order it entered the queue or was written
 * directly. {@link #writeLock} guards the queue's additions, the direct writes and the event loop's
 * drain; a direct write happens only when the queue is empty and Netty holds no unwritten bytes of
 * this channel. The event loop may wait on the lock for the length of one non-blocking write.
 */
public final class Connection {
  static final byte ONEWAY = 0;
  static final byte REQUEST = 1;
  static final byte REPLY = 2;

  /**
   * A reply whose body is raw bytes, not a message: {@code [int len][byte 3][long reqId][bytes]}
   * (object chunks between node managers, see {@link #callRaw} and {@link #replyRaw}).
   */
  static final byte RAW_REPLY = 3;

  /** The last frame before a close: {@code [int len][byte 9][long 0][reason UTF-8]}. */
  static final byte REJECTED = 9;

  private final Channel channel;
  private final String peer;
  private final Map<Long, CompletableFuture<Msg>> pending = new ConcurrentHashMap<>();
  private final AtomicLong nextReqId = new AtomicLong(1);
  private final Queue<ByteBuf> outbox = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private final CompletableFuture<Void> authenticated = new CompletableFuture<>();
  private volatile String closeReason = "connection closed";
  private volatile Object attachment;

  private final boolean inlineWrites;

  /** Frames up to this size may be written straight from the sending thread. */
  static final int DIRECT_MAX_BYTES = 64 << 10;

  static final boolean DIRECT_WRITES =
      Boolean.parseBoolean(System.getProperty("weft.rpc.directWrites", "true"));

  private final java.util.concurrent.locks.ReentrantLock writeLock =
      new java.util.concurrent.locks.ReentrantLock();

  /**
   * Our own duplicate of the socket, once the handshake is done, where direct writes are allowed;
   * else null. Written and closed only under {@link #writeLock}.
   */
  private volatile DirectSocket direct;

  /** Staging for direct writes (native writes need off-heap bytes); guarded by writeLock. */
  private java.nio.ByteBuffer directBuf;

  private long directAddress;

  /** Frames written straight from a sending thread (whole); guarded by writeLock. */
  private long directWrites;

  /** How many frames were written straight from a sending thread (tests, statistics). */
  long directWrites() {
    writeLock.lock();
    try {
      return directWrites;
    } finally {
      writeLock.unlock();
    }
  }

  Connection(Channel channel, String peer, boolean inlineWrites) {
    this.channel = channel;
    this.peer = peer;
    this.inlineWrites = inlineWrites;
  }

  /** The remote side, as given when connecting (clients) or as seen by the socket (servers). */
  public String peer() {
    return peer;
  }

  public Object attachment() {
    return attachment;
  }

  public void attach(Object o) {
    this.attachment = o;
  }

  /** Completes when both sides have proven they know the cluster token (client side). */
  CompletableFuture<Void> authenticated() {
    return authenticated;
  }

  public boolean isOpen() {
    return !closed.isDone();
  }

  public CompletableFuture<Void> closeFuture() {
    return closed;
  }

  /**
   * Sends a one-way message.
   *
   * @throws FrameTooLargeException if it encodes to more than {@link Rpc#maxFrameBytes()}
   */
  public void send(Msg msg) {
    enqueue(ONEWAY, 0L, encodeWithinCap(msg));
  }

  /**
   * Sees how long requests take, in a process that measures them (node managers and the control
   * store; a driver or worker sets none and pays a null check): {@code outgoing} for a call this
   * process made, from sending to the reply; otherwise a request it served, from its arrival to the
   * reply ({@code ok}: not a Failure). Called on event loops and reply threads: keep it cheap.
   */
  public interface LatencyObserver {
    void observe(String method, boolean outgoing, long nanos, boolean ok);
  }

  private static volatile LatencyObserver latency;

  /** Measures every request of this process from now on (null: none). */
  public static void observeLatency(LatencyObserver o) {
    latency = o;
  }

  /** Requests being served (when measured): their method and arrival time, by request id. */
  private final Map<Long, Served> served = new ConcurrentHashMap<>();

  private record Served(String method, long startNanos) {}

  private void replied(long reqId, boolean ok) {
    LatencyObserver o = latency;
    if (o != null) {
      Served s = served.remove(reqId);
      if (s != null) {
        o.observe(s.method(), false, System.nanoTime() - s.startNanos(), ok);
      }
    }
  }

  /** Sends a request; the future completes with the reply, or fails if the connection drops. */
  public CompletableFuture<Msg> call(Msg msg) {
    CompletableFuture<Msg> f = new CompletableFuture<>();
    LatencyObserver o = latency;
    if (o != null) {
      long t0 = System.nanoTime();
      String method = msg.getClass().getSimpleName();
      f.whenComplete(
          (r, e) ->
              o.observe(
                  method, true, System.nanoTime() - t0, e == null && !(r instanceof Msg.Failure)));
    }
    if (closed.isDone()) {
      f.completeExceptionally(new IOException(closeReason + " (to " + peer + ")"));
      return f;
    }
    byte[] body;
    try {
      body = encodeWithinCap(msg);
    } catch (FrameTooLargeException e) {
      f.completeExceptionally(e);
      return f;
    }
    long id = nextReqId.getAndIncrement();
    pending.put(id, f);
    if (closed.isDone() && pending.remove(id) != null) {
      f.completeExceptionally(new IOException(closeReason + " (to " + peer + ")"));
      return f;
    }
    enqueue(REQUEST, id, body);
    return f;
  }

  /** Where the bytes of a raw reply go; runs on the connection's event loop. */
  public interface RawSink {
    /** Consumes the reply's bytes (readable bytes of {@code data}; not retained past the call). */
    void accept(ByteBuf data);
  }

  private final Map<Long, RawSink> rawSinks = new ConcurrentHashMap<>();

  /**
   * Sends a request answered by a raw reply ({@link #replyRaw}): its bytes go to {@code sink} on
   * the event loop, straight out of the received frame, and then the future completes with an
   * {@link Msg.Ack}. A peer that answers with a message instead (a {@link Msg.Failure}) completes
   * the future with it, and the sink is not called.
   */
  public CompletableFuture<Msg> callRaw(Msg msg, RawSink sink) {
    return callRaw(msg, sink, null);
  }

  private CompletableFuture<Msg> callRaw(Msg msg, RawSink sink, ByteBuffer target) {
    CompletableFuture<Msg> f = new CompletableFuture<>();
    if (closed.isDone()) {
      f.completeExceptionally(new IOException(closeReason + " (to " + peer + ")"));
      return f;
    }
    byte[] body = encodeWithinCap(msg);
    long id = nextReqId.getAndIncrement();
    rawSinks.put(id, sink);
    if (target != null) {
      rawTargets.put(id, target);
    }
    pending.put(id, f);
    if (closed.isDone() && pending.remove(id) != null) {
      rawSinks.remove(id);
      rawTargets.remove(id);
      f.completeExceptionally(new IOException(closeReason + " (to " + peer + ")"));
      return f;
    }
    enqueue(REQUEST, id, body);
    return f;
  }

  private final Map<Long, ByteBuffer> rawTargets = new ConcurrentHashMap<>();

  /**
   * Sends a request answered by a raw reply of exactly {@code target.remaining()} bytes, which the
   * connection's frame reader writes into {@code target} as they come off the socket (no frame
   * buffer on the way); the future then completes with an {@link Msg.Ack}. The caller keeps the
   * memory under {@code target} valid until the future completes. A peer that answers with a
   * message instead (a {@link Msg.Failure}) completes the future with it.
   */
  public CompletableFuture<Msg> callRawInto(Msg msg, ByteBuffer target) {
    ByteBuffer t = target.slice();
    int len = t.remaining();
    CompletableFuture<Msg> f =
        callRaw(
            msg,
            data -> {
              // the frame reader gave the reply the ordinary way: a size that did not match
              if (data.readableBytes() != len) {
                throw new IllegalStateException(
                    "raw reply of " + data.readableBytes() + " bytes, expected " + len);
              }
              data.getBytes(data.readerIndex(), t.duplicate());
            },
            t);
    return f;
  }

  /** The target of a raw reply about to be streamed, if it has one of {@code len} bytes. */
  ByteBuffer takeRawTarget(long reqId, int len) {
    ByteBuffer t = rawTargets.get(reqId);
    if (t == null || t.remaining() != len || rawTargets.remove(reqId) == null) {
      return null;
    }
    rawSinks.remove(reqId);
    return t;
  }

  /** Writing a raw reply into its target failed (event loop). */
  void onRawFailed(long reqId, RuntimeException e) {
    CompletableFuture<Msg> f = pending.remove(reqId);
    if (f != null) {
      f.completeExceptionally(e);
    }
  }

  /** A raw reply was streamed into its target whole (event loop). */
  void onRawStreamed(long reqId) {
    CompletableFuture<Msg> f = pending.remove(reqId);
    if (f != null) {
      f.complete(new Msg.Ack());
    }
  }

  /**
   * Replies to a {@link #callRaw} with raw bytes, written to the socket from {@code data} itself (a
   * direct buffer over a mapped store segment is never copied onto the heap); the caller keeps the
   * memory under {@code data} valid until the asker is done (it pins it). Takes ownership of {@code
   * data}.
   */
  public void replyRaw(long reqId, ByteBuf data) {
    if (data.readableBytes() > Rpc.maxFrameBytes() - 9) {
      data.release();
      throw new FrameTooLargeException(
          "raw reply of " + data.readableBytes() + " bytes exceeds the frame limit");
    }
    ByteBuf header = Unpooled.directBuffer(13, 13); // direct: the composite stays direct
    header.writeInt(9 + data.readableBytes()).writeByte(RAW_REPLY).writeLong(reqId);
    replied(reqId, true);
    enqueueRaw(Unpooled.wrappedBuffer(header, data));
  }

  /** A raw reply arrived (event loop): its bytes go to the asker's sink. */
  void onRawFrame(long reqId, ByteBuf data) {
    rawTargets.remove(reqId);
    RawSink sink = rawSinks.remove(reqId);
    CompletableFuture<Msg> f = pending.remove(reqId);
    if (sink == null || f == null) {
      return; // the asker gave up (its connection state was cleared)
    }
    try {
      sink.accept(data);
      f.complete(new Msg.Ack());
    } catch (RuntimeException e) {
      f.completeExceptionally(e);
    }
  }

  /** Replies; a reply over the frame cap is replaced by a {@link Msg.Failure} that says so. */
  public void reply(long reqId, Msg msg) {
    if (reqId != 0) {
      byte[] body;
      try {
        body = encodeWithinCap(msg);
      } catch (FrameTooLargeException e) {
        org.slf4j.LoggerFactory.getLogger(Connection.class).error("{}", e.getMessage());
        body = Codec.encode(new Msg.Failure(e.getMessage()));
        msg = new Msg.Failure(e.getMessage());
      } catch (RuntimeException e) {
        // a reply this codec cannot write (a bug): the caller hears of it rather than wait for
        // ever; the exception would otherwise vanish in the executor that ran the handler
        String text =
            "cannot encode the reply "
                + msg.getClass().getSimpleName()
                + " to call "
                + reqId
                + ": "
                + e;
        org.slf4j.LoggerFactory.getLogger(Connection.class).error("{}", text, e);
        body = Codec.encode(new Msg.Failure(text));
        msg = new Msg.Failure(text);
      }
      replied(reqId, !(msg instanceof Msg.Failure));
      enqueue(REPLY, reqId, body);
    }
  }

  public void replyFailure(long reqId, String text) {
    reply(reqId, new Msg.Failure(text));
  }

  public void close() {
    channel.close();
  }

  /**
   * False while more than Netty's high-water mark of written bytes waits for the socket: a loop
   * that runs work inline should let the loop flush first.
   */
  public boolean isWritable() {
    return channel.isWritable();
  }

  private byte[] encodeWithinCap(Msg msg) {
    byte[] body = Codec.encode(msg);
    if (body.length > Rpc.maxFrameBytes() - 9) {
      throw new FrameTooLargeException(
          "cannot send "
              + msg.getClass().getSimpleName()
              + " to "
              + peer
              + ": it encodes to "
              + body.length
              + " bytes, more than the frame limit of "
              + Rpc.maxFrameBytes()
              + " bytes (-Dweft.rpc.maxFrameBytes); put large values into the object store"
              + " (Weft.put) and pass the ref, or raise the limit on every process");
    }
    return body;
  }

  private void enqueue(byte kind, long reqId, byte[] body) {
    ByteBuf header = Unpooled.buffer(13, 13);
    header.writeInt(9 + body.length).writeByte(kind).writeLong(reqId);
    enqueueRaw(Unpooled.wrappedBuffer(header, Unpooled.wrappedBuffer(body)));
  }

  void enqueueRaw(ByteBuf buf) {
    boolean onLoop = channel.eventLoop().inEventLoop();
    writeLock.lock();
    try {
      if (onLoop && inlineWrites) {
        outbox.add(buf);
        drainLocked(); // on a task loop: write now, the thread may run a long task next
        return;
      }
      if (!onLoop
          && direct != null
          && buf.readableBytes() <= DIRECT_MAX_BYTES
          && outbox.isEmpty()
          && nettyPendingBytes() == 0
          && writeDirect(buf)) {
        return;
      }
      outbox.add(buf); // a partly written frame's remainder is first: adders hold the lock
    } finally {
      writeLock.unlock();
    }
    if (drainScheduled.compareAndSet(false, true)) {
      channel.eventLoop().execute(this::drain);
    }
  }

  /** Turns on direct writes for this channel's socket (after the handshake; plaintext epoll). */
  void allowDirectWrites(io.netty.channel.unix.FileDescriptor fd) {
    if (DIRECT_WRITES && !inlineWrites && !closed.isDone()) {
      writeLock.lock();
      try {
        direct = DirectSocket.dup(fd.intValue());
      } finally {
        writeLock.unlock();
      }
    }
  }

  /** Closes our duplicate of the socket (Netty has closed its own). */
  private void stopDirectWrites() {
    writeLock.lock();
    try {
      DirectSocket d = direct;
      direct = null;
      if (d != null) {
        d.close();
      }
    } finally {
      writeLock.unlock();
    }
  }

  /** Bytes handed to Netty that it has not written to the socket yet (0 if unknown: closed). */
  private long nettyPendingBytes() {
    io.netty.channel.ChannelOutboundBuffer ob = channel.unsafe().outboundBuffer();
    return ob == null ? 1 : ob.totalPendingWriteBytes();
  }

  /**
   * Writes {@code buf} to the socket from this thread; true if all of it went (and {@code buf} is
   * released), false if the socket took only part or none (what is left stays in {@code buf}).
   * Caller holds {@link #writeLock}.
   */
  private boolean writeDirect(ByteBuf buf) {
    int len = buf.readableBytes();
    if (directBuf == null) {
      directBuf = java.nio.ByteBuffer.allocateDirect(DIRECT_MAX_BYTES);
      directAddress = java.lang.foreign.MemorySegment.ofBuffer(directBuf).address();
    }
    directBuf.clear().limit(len);
    buf.getBytes(buf.readerIndex(), directBuf);
    int done = 0;
    try {
      while (done < len) {
        long n = direct.write(directAddress + done, len - done);
        if (n <= 0) {
          break; // the socket is full: the event loop writes the rest when it drains
        }
        done += (int) n;
      }
    } catch (IOException e) {
      // the socket is broken: the event loop's write finds out too and closes the channel
      direct.close();
      direct = null;
    }
    if (done == len) {
      buf.release();
      directWrites++;
      return true;
    }
    buf.skipBytes(done);
    return false;
  }

  private void drain() {
    writeLock.lock();
    try {
      drainLocked();
    } finally {
      writeLock.unlock();
    }
  }

  private void drainLocked() {
    drainScheduled.set(false);
    boolean wrote = false;
    ByteBuf b;
    while ((b = outbox.poll()) != null) {
      if (!channel.isActive()) {
        b.release();
        continue;
      }
      channel.write(b, channel.voidPromise());
      wrote = true;
    }
    if (wrote) {
      channel.flush();
    }
  }

  void onFrame(byte kind, long reqId, Msg msg, MessageHandler handler) {
    if (kind == REPLY) {
      rawSinks.remove(reqId);
      rawTargets.remove(reqId);
      CompletableFuture<Msg> f = pending.remove(reqId);
      if (f != null) {
        f.complete(msg);
      }
    } else {
      if (kind == REQUEST && latency != null) {
        served.put(reqId, new Served(msg.getClass().getSimpleName(), System.nanoTime()));
      }
      handler.onMessage(this, kind == REQUEST ? reqId : 0L, msg);
    }
  }

  void onClosed(String reason) {
    if (reason != null) {
      closeReason = reason;
    }
    closed.complete(null);
    served.clear();
    stopDirectWrites();
    IOException e = new IOException(closeReason + " (to " + peer + ")");
    rawSinks.clear();
    rawTargets.clear();
    for (Long id : pending.keySet()) {
      CompletableFuture<Msg> f = pending.remove(id);
      if (f != null) {
        f.completeExceptionally(e);
      }
    }
    ByteBuf b;
    while ((b = outbox.poll()) != null) {
      b.release();
    }
  }

  @Override
  public String toString() {
    return "Connection[" + peer + "]";
  }
}
