package dev.weft.internal.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.ByteBuffer;

/**
 * Splits an authenticated connection's bytes into frames ({@code [int length][payload]}, the
 * payload passed on without its length), and streams the payload of a raw reply that has a target
 * ({@link Connection#callRawInto}) straight from Netty's read buffers into that target, which no
 * frame buffer then holds: an object chunk goes from the socket into the destination store once.
 *
 * <p>Implementation notes. Runs on the connection's event loop, one instance per connection. A
 * message frame is gathered into one buffer of its exact length, allocated when its header is read
 * (no cumulation buffer that grows and copies). The header of a frame (length, kind, request id: 13
 * bytes) may arrive in pieces and is gathered first; a raw reply whose target is missing (the asker
 * used {@link Connection#callRaw}, or gave up) or of another size is gathered as a message frame
 * and goes the ordinary way. Frames longer than the cap fail with {@link TooLongFrameException}, as
 * Netty's length-field decoder did.
 */
final class FrameReader extends ChannelInboundHandlerAdapter {
  private static final int HEADER = 13;

  private final Connection conn;
  private final int maxFrame;
  private final byte[] header = new byte[HEADER];
  private int headerBytes;

  /** A message frame being gathered, or null. */
  private ByteBuf frame;

  /** A raw reply's payload being streamed, or null. */
  private ByteBuffer target;

  private long targetReqId;

  /** Bytes of a raw payload to drop: its target failed. */
  private long skip;

  FrameReader(Connection conn, int maxFrame) {
    this.conn = conn;
    this.maxFrame = maxFrame;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (!(msg instanceof ByteBuf in)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      while (in.isReadable()) {
        if (skip > 0) {
          int n = (int) Math.min(in.readableBytes(), skip);
          in.skipBytes(n);
          skip -= n;
        } else if (target != null) {
          int n = Math.min(in.readableBytes(), target.remaining());
          ByteBuffer dst = target.duplicate();
          dst.limit(dst.position() + n);
          try {
            in.readBytes(dst);
          } catch (IllegalStateException e) {
            // the target's memory was closed under us (its asker gave up): drop the rest
            in.skipBytes(n);
            skip = target.remaining() - n;
            target = null;
            conn.onRawFailed(targetReqId, e);
            continue;
          }
          target.position(target.position() + n);
          if (!target.hasRemaining()) {
            target = null;
            conn.onRawStreamed(targetReqId);
          }
        } else if (frame != null) {
          int n = Math.min(in.readableBytes(), frame.writableBytes());
          frame.writeBytes(in, n);
          if (!frame.isWritable()) {
            ByteBuf f = frame;
            frame = null;
            ctx.fireChannelRead(f);
          }
        } else {
          readHeader(ctx, in);
        }
      }
    } finally {
      in.release();
    }
  }

  private void readHeader(ChannelHandlerContext ctx, ByteBuf in) {
    int want = headerBytes < 4 ? 4 : HEADER;
    int n = Math.min(in.readableBytes(), want - headerBytes);
    in.readBytes(header, headerBytes, n);
    headerBytes += n;
    if (headerBytes < 4) {
      return;
    }
    int len =
        ((header[0] & 0xff) << 24)
            | ((header[1] & 0xff) << 16)
            | ((header[2] & 0xff) << 8)
            | (header[3] & 0xff);
    if (len < 0 || len > maxFrame) {
      headerBytes = 0;
      throw new TooLongFrameException(
          "Adjusted frame length exceeds " + maxFrame + ": " + (len & 0xffffffffL));
    }
    if (len < 9) {
      startFrame(ctx, len, headerBytes - 4); // too short: the message handler rejects it
      return;
    }
    if (headerBytes < HEADER) {
      return;
    }
    byte kind = header[4];
    if (kind == Connection.RAW_REPLY) {
      long reqId = 0;
      for (int i = 5; i < HEADER; i++) {
        reqId = (reqId << 8) | (header[i] & 0xff);
      }
      ByteBuffer t = conn.takeRawTarget(reqId, len - 9);
      if (t != null) {
        headerBytes = 0;
        if (len == 9) {
          conn.onRawStreamed(reqId);
        } else {
          target = t;
          targetReqId = reqId;
        }
        return;
      }
    }
    startFrame(ctx, len, HEADER - 4);
  }

  /** Gathers a message frame of {@code len} bytes, of which {@code have} are in the header. */
  private void startFrame(ChannelHandlerContext ctx, int len, int have) {
    ByteBuf f = ctx.alloc().buffer(Math.max(len, 1), Math.max(len, 1));
    f.writeBytes(header, 4, have);
    headerBytes = 0;
    if (f.writerIndex() >= len) {
      ctx.fireChannelRead(f);
    } else {
      frame = f;
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    release();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    release();
    super.channelInactive(ctx);
  }

  private void release() {
    if (frame != null) {
      frame.release();
      frame = null;
    }
    target = null;
  }
}
