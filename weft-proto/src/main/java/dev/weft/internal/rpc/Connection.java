package dev.weft.internal.rpc;

import dev.weft.internal.proto.Codec;
import dev.weft.internal.proto.Msg;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.io.IOException;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One authenticated, framed, bidirectional connection. Frame: {@code [int length][byte kind][long
 * reqId][Fory-encoded Msg]}. Writes from any thread are queued and flushed in batches by the
 * channel's event loop, so a burst of small messages costs one syscall. On a connection served by a
 * dedicated task loop, messages sent from that loop's own thread are written at once.
 */
public final class Connection {
  static final byte ONEWAY = 0;
  static final byte REQUEST = 1;
  static final byte REPLY = 2;

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

  /** Sends a request; the future completes with the reply, or fails if the connection drops. */
  public CompletableFuture<Msg> call(Msg msg) {
    CompletableFuture<Msg> f = new CompletableFuture<>();
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

  /** Replies; a reply over the frame cap is replaced by a {@link Msg.Failure} that says so. */
  public void reply(long reqId, Msg msg) {
    if (reqId != 0) {
      byte[] body;
      try {
        body = encodeWithinCap(msg);
      } catch (FrameTooLargeException e) {
        org.slf4j.LoggerFactory.getLogger(Connection.class).error("{}", e.getMessage());
        body = Codec.encode(new Msg.Failure(e.getMessage()));
      }
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
    outbox.add(buf);
    if (inlineWrites && channel.eventLoop().inEventLoop()) {
      drain(); // on a task loop: write now, the thread may run a long task next
      return;
    }
    if (drainScheduled.compareAndSet(false, true)) {
      channel.eventLoop().execute(this::drain);
    }
  }

  private void drain() {
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
      CompletableFuture<Msg> f = pending.remove(reqId);
      if (f != null) {
        f.complete(msg);
      }
    } else {
      handler.onMessage(this, kind == REQUEST ? reqId : 0L, msg);
    }
  }

  void onClosed(String reason) {
    if (reason != null) {
      closeReason = reason;
    }
    closed.complete(null);
    IOException e = new IOException(closeReason + " (to " + peer + ")");
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
