package dev.weft.internal.rpc;

import dev.weft.internal.proto.Codec;
import dev.weft.internal.proto.Msg;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process-wide RPC transport: Netty NIO, one small event-loop group, length-prefixed frames.
 *
 * <p>Every connection starts with a handshake frame {@code [int len][int MAGIC][short version]
 * [short tokenLength][token UTF-8]} from the client. Until the server has checked it, frames are
 * limited to 1 KiB and nothing is deserialized; a wrong token or garbage gets an AUTH_FAILED frame
 * and the connection is closed.
 */
public final class Rpc {
  private static final Logger log = LoggerFactory.getLogger(Rpc.class);
  static final int MAGIC = 0x57454654; // "WEFT"

  /** The protocol version in every handshake; 2: task ports (RegisterWorker, LeaseGranted). */
  public static final short VERSION = 2;

  private static final int MAX_FRAME = Integer.MAX_VALUE - 64;
  private static final int MAX_HANDSHAKE = 1024;
  static final long HANDSHAKE_TIMEOUT_MS = Long.getLong("weft.rpc.handshakeTimeoutMillis", 10_000);

  private static volatile EventLoopGroup group;

  private Rpc() {}

  /**
   * Native epoll on Linux (edge-triggered, one eventfd wake-up, no selected-key sets: fewer system
   * calls and allocations per message than NIO); NIO where epoll is missing, where this JVM runs
   * without {@code --enable-native-access=ALL-UNNAMED} (loading epoll's library is a restricted
   * method: a user's program started with plain {@code java -cp} gets no JDK warning), or with
   * {@code -Dweft.rpc.transport=nio}.
   */
  static final boolean EPOLL =
      !"nio".equals(System.getProperty("weft.rpc.transport"))
          && Rpc.class.getModule().isNativeAccessEnabled()
          && epollAvailable();

  private static boolean epollAvailable() {
    try {
      return Epoll.isAvailable();
    } catch (Throwable t) { // classes or native library missing: NIO serves
      return false;
    }
  }

  /** Which transport this process uses ("epoll" or "nio"). */
  public static String transport() {
    return EPOLL ? "epoll" : "nio";
  }

  static EventLoopGroup group() {
    EventLoopGroup g = group;
    if (g == null) {
      synchronized (Rpc.class) {
        if (group == null) {
          int threads =
              Integer.getInteger(
                  "weft.rpc.threads", Math.min(2, Runtime.getRuntime().availableProcessors()));
          group =
              new MultiThreadIoEventLoopGroup(
                  threads,
                  new DefaultThreadFactory("weft-rpc", true),
                  EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        }
        g = group;
      }
    }
    return g;
  }

  /** A listening endpoint. */
  public record Server(Channel channel, int port) implements AutoCloseable {
    @Override
    public void close() {
      channel.close().syncUninterruptibly();
    }
  }

  /** Listens on {@code host:port} (port 0 picks a free one). */
  public static Server listen(String host, int port, String token, MessageHandler handler) {
    return listen(host, port, token, handler, null);
  }

  /**
   * A one-thread event loop of its own, for a server whose handler may block that thread (a
   * worker's task loop: tasks run on it, so a task costs no thread hand-off on arrival or on
   * reply).
   */
  public static EventLoopGroup dedicatedLoop(String threadName) {
    return new MultiThreadIoEventLoopGroup(
        1,
        new DefaultThreadFactory(threadName, true),
        EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
  }

  /**
   * Listens with the accepted connections served by {@code childLoop} (null: the shared group).
   * Messages sent on such connections from their own loop thread are written at once rather than at
   * the end of the loop's turn, since that thread may go on to run something long.
   */
  public static Server listen(
      String host, int port, String token, MessageHandler handler, EventLoopGroup childLoop) {
    boolean inline = childLoop != null;
    ServerBootstrap b =
        new ServerBootstrap()
            .group(group(), inline ? childLoop : group())
            .channel(EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.SO_KEEPALIVE, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    String peer =
                        ch.remoteAddress().getHostString() + ":" + ch.remoteAddress().getPort();
                    Connection c = new Connection(ch, peer, inline);
                    ch.pipeline()
                        .addLast(
                            "frames", new LengthFieldBasedFrameDecoder(MAX_HANDSHAKE, 0, 4, 0, 4))
                        .addLast("weft", new FrameHandler(c, handler, token, true));
                  }
                });
    try {
      Channel ch = b.bind(host, port).sync().channel();
      return new Server(ch, ((InetSocketAddress) ch.localAddress()).getPort());
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot listen on "
              + host
              + ":"
              + port
              + ": "
              + e.getMessage()
              + " (is another Weft process using the port? pick another with --port)",
          e);
    }
  }

  /** Connects to {@code host:port} and sends the handshake. Blocks up to {@code timeout}. */
  public static Connection connect(
      String hostPort, String token, MessageHandler handler, Duration timeout) throws IOException {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0) {
      throw new IOException("bad address '" + hostPort + "': expected host:port");
    }
    String host = hostPort.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IOException("bad address '" + hostPort + "': port is not a number");
    }
    Connection[] holder = new Connection[1];
    Bootstrap b =
        new Bootstrap()
            .group(group())
            .channel(EPOLL ? EpollSocketChannel.class : NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    Connection c = new Connection(ch, hostPort, false);
                    holder[0] = c;
                    ch.pipeline()
                        .addLast("frames", new LengthFieldBasedFrameDecoder(MAX_FRAME, 0, 4, 0, 4))
                        .addLast("weft", new FrameHandler(c, handler, token, false));
                  }
                });
    ChannelFuture f = b.connect(host, port);
    if (!f.awaitUninterruptibly(timeout.toMillis() + 100)) {
      f.cancel(true);
      throw new IOException(
          "timed out connecting to " + hostPort + " after " + timeout.toMillis() + " ms");
    }
    if (!f.isSuccess()) {
      throw new IOException(
          "cannot connect to " + hostPort + ": " + f.cause().getMessage(), f.cause());
    }
    Connection c = holder[0];
    byte[] t = token.getBytes(StandardCharsets.UTF_8);
    ByteBuf hs = Unpooled.buffer(12 + t.length);
    hs.writeInt(8 + t.length)
        .writeInt(MAGIC)
        .writeShort(VERSION)
        .writeShort(t.length)
        .writeBytes(t);
    c.enqueueRaw(hs);
    return c;
  }

  /** Decodes frames into messages and passes them on; does the server side of the handshake. */
  private static final class FrameHandler extends SimpleChannelInboundHandler<ByteBuf> {
    private final Connection conn;
    private final MessageHandler handler;
    private final String token;
    private boolean authenticated;
    private boolean rejected;
    private io.netty.util.concurrent.ScheduledFuture<?> handshakeDeadline;

    FrameHandler(Connection conn, MessageHandler handler, String token, boolean server) {
      super(true);
      this.conn = conn;
      this.handler = handler;
      this.token = token;
      this.authenticated = !server;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      if (!authenticated) {
        // a peer that never completes the handshake does not keep a connection (and a descriptor)
        handshakeDeadline =
            ctx.executor()
                .schedule(
                    () -> {
                      if (!authenticated && !rejected) {
                        rejectAndClose(ctx, "no handshake within " + HANDSHAKE_TIMEOUT_MS + " ms");
                      }
                    },
                    HANDSHAKE_TIMEOUT_MS,
                    java.util.concurrent.TimeUnit.MILLISECONDS);
      }
      super.channelActive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
      if (rejected) {
        return;
      }
      if (!authenticated) {
        String problem = checkHandshake(frame);
        if (problem != null) {
          log.warn("rejected connection from {}: {}", conn.peer(), problem);
          rejectAndClose(ctx, problem);
          return;
        }
        authenticated = true;
        if (handshakeDeadline != null) {
          handshakeDeadline.cancel(false);
        }
        ctx.pipeline()
            .replace("frames", "frames", new LengthFieldBasedFrameDecoder(MAX_FRAME, 0, 4, 0, 4));
        return;
      }
      if (frame.readableBytes() < 9) {
        rejectAndClose(ctx, "frame of " + frame.readableBytes() + " bytes is too short");
        return;
      }
      byte kind = frame.readByte();
      long reqId = frame.readLong();
      if (kind == Connection.AUTH_FAILED) {
        String why = frame.toString(StandardCharsets.UTF_8);
        conn.onClosed("rejected by " + conn.peer() + ": " + why);
        ctx.close();
        return;
      }
      byte[] body = ByteBufUtil.getBytes(frame);
      Msg msg;
      try {
        msg = Codec.decode(body);
      } catch (RuntimeException e) {
        log.warn("undecodable frame from {}: {}", conn.peer(), e.toString());
        rejectAndClose(ctx, "undecodable frame: " + e.getMessage());
        return;
      }
      try {
        conn.onFrame(kind, reqId, msg, handler);
      } catch (RuntimeException e) {
        log.error("handler failed on {} from {}", msg.getClass().getSimpleName(), conn.peer(), e);
        if (kind == Connection.REQUEST) {
          conn.replyFailure(
              reqId, "internal error handling " + msg.getClass().getSimpleName() + ": " + e);
        }
      }
    }

    private String checkHandshake(ByteBuf f) {
      if (f.readableBytes() < 8) {
        return "handshake too short (" + f.readableBytes() + " bytes): not a Weft client?";
      }
      int magic = f.readInt();
      if (magic != MAGIC) {
        return String.format("bad magic 0x%08x: not a Weft client", magic);
      }
      short version = f.readShort();
      if (version != VERSION) {
        return "protocol version "
            + version
            + " but this process speaks "
            + VERSION
            + ": run the same Weft version everywhere";
      }
      int len = f.readUnsignedShort();
      if (len != f.readableBytes()) {
        return "malformed handshake";
      }
      String got = f.toString(f.readerIndex(), len, StandardCharsets.UTF_8);
      if (!java.security.MessageDigest.isEqual(
          got.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
        return "wrong cluster token: connect with the token of this cluster (WEFT_TOKEN or the head's session file)";
      }
      return null;
    }

    private void rejectAndClose(ChannelHandlerContext ctx, String why) {
      rejected = true;
      byte[] w = why.getBytes(StandardCharsets.UTF_8);
      ByteBuf b = Unpooled.buffer(13 + w.length);
      b.writeInt(9 + w.length).writeByte(Connection.AUTH_FAILED).writeLong(0).writeBytes(w);
      conn.onClosed("rejected: " + why);
      ctx.writeAndFlush(b).addListener(x -> ctx.close());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      conn.onClosed(null);
      if (authenticated) {
        try {
          handler.onClose(conn);
        } catch (RuntimeException e) {
          log.error("onClose handler failed for {}", conn.peer(), e);
        }
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (cause instanceof io.netty.handler.codec.TooLongFrameException) {
        rejectAndClose(ctx, "frame too long before authentication: not a Weft client?");
        return;
      }
      log.debug("connection {} failed: {}", conn.peer(), cause.toString());
      ctx.close();
    }
  }
}
