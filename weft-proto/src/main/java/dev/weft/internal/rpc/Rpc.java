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
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process-wide RPC transport: Netty NIO or epoll, one small event-loop group, length-prefixed
 * frames, optional TLS ({@link Tls}).
 *
 * <h2>Handshake: mutual challenge-response</h2>
 *
 * Neither side ever sends the cluster token. Both prove they know it with an HMAC-SHA256 keyed by
 * the token over fresh random nonces of both sides and the protocol version:
 *
 * <pre>
 *   client                                                       server
 *   HELLO     [MAGIC][version][clientNonce 32]            -&gt;
 *                                                         &lt;-   CHALLENGE [MAGIC][version][serverNonce 32]
 *                                                                          [HMAC(token, "weft-server" v cN sN)]
 *   (checks the server's proof: a server without the token is not the cluster the client meant)
 *   PROOF     [MAGIC][HMAC(token, "weft-client" v cN sN)] -&gt;
 *                                                         &lt;-   OK        [MAGIC][1]
 * </pre>
 *
 * Each frame is {@code [int length][payload]}. The labels keep one side's proof from being replayed
 * as the other's; the peer's fresh nonce keeps an old proof from being replayed on a new
 * connection. Until both proofs are checked, frames are limited to {@value #MAX_HANDSHAKE} bytes
 * and nothing is deserialized on either side; a failure gets a REJECTED frame {@code [int len][byte
 * 9][long 0][reason UTF-8]} and the connection is closed. {@link #connect} returns only once the
 * connection is authenticated, and throws with the reason otherwise.
 *
 * <p>After authentication, frames are capped at {@link #maxFrameBytes()} ({@code
 * -Dweft.rpc.maxFrameBytes}, 64 MiB by default): a larger frame closes that connection, with an
 * error logged on the receiver and a REJECTED frame to the sender; a sender refuses to write one in
 * the first place ({@link Connection}). Large values belong in the object store, not in frames.
 */
public final class Rpc {
  private static final Logger log = LoggerFactory.getLogger(Rpc.class);
  static final int MAGIC = 0x57454654; // "WEFT"

  /**
   * The protocol version in every handshake; 2: task ports (RegisterWorker, LeaseGranted); 3:
   * mutual HMAC challenge-response instead of a token in plaintext, frame cap; 4: statuses, states
   * and error kinds as enums, errors as records (ObjectReply, TaskReply, ActorInfo); 5: the cluster
   * view (ViewDelta, ResyncView, GetClusterView, ClusterView); 6: object transfer (ObjectReply
   * locations, TaskReply storedAt, StorePull, AddObjectLocation, PullChunk, raw chunk frames); 7:
   * jobs known cluster-wide (RegisterJob/AttachJob carry JobCode, GetJob, JobEnded); 8: cluster
   * scheduling (Scheduling on RequestLease and ActorSpec, LeaseSpillback, DemandInfeasible,
   * ReportInfeasible) and placement groups; 9: PlacementGroupRemoved; 10: NodeHeartbeat, NodeDied,
   * Ping, OwnerGone, ActorInfo.nodeId, StatusReply.controlStorePid; 11: detached objects, the KV
   * table, worker output and logs (WorkerLogs, GetJobLogs, ListLogs, ReadLog); 12: actor call ports
   * (ActorInfo.callAddress).
   */
  public static final short VERSION = 12;

  static final int NONCE_BYTES = 32;
  static final int MAC_BYTES = 32;
  static final byte[] SERVER_LABEL = "weft-server".getBytes(StandardCharsets.US_ASCII);
  static final byte[] CLIENT_LABEL = "weft-client".getBytes(StandardCharsets.US_ASCII);
  private static final SecureRandom RANDOM = new SecureRandom();

  private static final int MAX_HANDSHAKE = 1024;

  /** Default cap on one frame after authentication: 64 MiB. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 64 << 20;

  private static final int MAX_FRAME = maxFrameFromProperty();
  static final long HANDSHAKE_TIMEOUT_MS = Long.getLong("weft.rpc.handshakeTimeoutMillis", 10_000);

  /**
   * How long a server gives a new connection to complete its handshake, and a client's connect
   * waits by default ({@code -Dweft.rpc.handshakeTimeoutMillis}, default 10 s).
   */
  public static java.time.Duration handshakeTimeout() {
    return java.time.Duration.ofMillis(HANDSHAKE_TIMEOUT_MS);
  }

  private static volatile EventLoopGroup group;

  private Rpc() {}

  private static int maxFrameFromProperty() {
    String v = System.getProperty("weft.rpc.maxFrameBytes");
    if (v == null || v.isBlank()) {
      return DEFAULT_MAX_FRAME_BYTES;
    }
    long n;
    try {
      n = Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "-Dweft.rpc.maxFrameBytes=" + v + " is not a number of bytes (e.g. 67108864 for 64 MiB)");
    }
    if (n < 64 * 1024 || n > Integer.MAX_VALUE - 64) {
      throw new IllegalArgumentException(
          "-Dweft.rpc.maxFrameBytes="
              + v
              + " is out of range: it must be between 65536 and "
              + (Integer.MAX_VALUE - 64));
    }
    return (int) n;
  }

  /**
   * Read buffers that start small and grow to 1 MiB while reads fill them (Netty's default stops at
   * 64 KiB): an object chunk of megabytes then costs one read call per megabyte, not sixteen.
   */
  private static io.netty.channel.RecvByteBufAllocator readBuffers() {
    return new io.netty.channel.AdaptiveRecvByteBufAllocator(64, 2048, 1 << 20);
  }

  /**
   * The largest frame (length prefix excluded) this process sends or accepts after authentication.
   */
  public static int maxFrameBytes() {
    return MAX_FRAME;
  }

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
      nativeLibraryInMemory();
      return Epoll.isAvailable();
    } catch (Throwable t) { // classes or native library missing: NIO serves
      return false;
    }
  }

  /** Where Netty unpacks its native library unless told otherwise: see {@link #nativeWorkdir}. */
  static final String NETTY_WORKDIR = "io.netty.native.workdir";

  /**
   * Has Netty unpack epoll's native library into {@code /dev/shm} (memory) instead of {@code
   * java.io.tmpdir}, unless the user chose a folder. Netty writes the library to a fresh file,
   * loads it and deletes the file, which stays mapped until the process ends; ending then frees the
   * file. Where {@code /tmp} is a disk file system mounted with {@code discard} (ext4 on this
   * project's VMs), freeing it sends the disk a discard and waits for it behind whatever the disk
   * is writing: at the end of a 2 GB sort, with the output just written, each Weft process's exit
   * waited up to 1.7 s there. In memory, neither the write at start nor the free at exit touches a
   * disk.
   */
  static void nativeLibraryInMemory() {
    String dir = nativeWorkdir(System.getProperty(NETTY_WORKDIR), Path.of("/dev/shm"));
    if (dir != null) {
      System.setProperty(NETTY_WORKDIR, dir);
    }
  }

  /**
   * The folder to give Netty for its native library: {@code shm} where the user set none ({@code
   * chosen} null) and {@code shm} is a folder this process may write on a mount that allows running
   * code ({@code noexec} would make loading the library fail, and Netty would fall back to NIO);
   * else null (Netty's own choice).
   */
  static String nativeWorkdir(String chosen, Path shm) {
    if (chosen != null || !Files.isDirectory(shm) || !Files.isWritable(shm)) {
      return null;
    }
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
        // id parent major:minor root mount-point options ... - type source super-options
        String[] f = line.split(" ");
        if (f.length > 5 && f[4].equals(shm.toString())) {
          return java.util.Arrays.asList(f[5].split(",")).contains("noexec")
              ? null
              : shm.toString();
        }
      }
    } catch (IOException | RuntimeException e) {
      return null; // cannot tell: Netty's own choice
    }
    return null; // not a mount point of its own: leave it
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
                  new Threads("weft-rpc"),
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
        new Threads(threadName),
        EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
  }

  /**
   * Run first on every event-loop thread Weft starts (null: nothing). A worker clears there what a
   * thread inherits from the thread that happened to start it (a task's output label).
   */
  public static volatile Runnable onThreadStart;

  /** Netty's daemon thread factory, running {@link #onThreadStart} first on each thread. */
  private static final class Threads extends DefaultThreadFactory {
    Threads(String name) {
      super(name, true);
    }

    @Override
    protected Thread newThread(Runnable r, String name) {
      return super.newThread(
          () -> {
            Runnable first = onThreadStart;
            if (first != null) {
              first.run();
            }
            r.run();
          },
          name);
    }
  }

  /**
   * Listens with the accepted connections served by {@code childLoop} (null: the shared group).
   * Messages sent on such connections from their own loop thread are written at once rather than at
   * the end of the loop's turn, since that thread may go on to run something long. TLS as this
   * process's system properties say ({@link Tls#fromSystemProperties()}).
   */
  public static Server listen(
      String host, int port, String token, MessageHandler handler, EventLoopGroup childLoop) {
    return listen(host, port, token, handler, childLoop, Tls.fromSystemProperties());
  }

  /** As above, with TLS configured explicitly ({@code tls} null: plaintext). */
  public static Server listen(
      String host,
      int port,
      String token,
      MessageHandler handler,
      EventLoopGroup childLoop,
      Tls tls) {
    boolean inline = childLoop != null;
    ServerBootstrap b =
        new ServerBootstrap()
            .group(group(), inline ? childLoop : group())
            .channel(EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.SO_KEEPALIVE, true)
            .childOption(ChannelOption.RCVBUF_ALLOCATOR, readBuffers())
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    String peer =
                        ch.remoteAddress().getHostString() + ":" + ch.remoteAddress().getPort();
                    Connection c = new Connection(ch, peer, inline);
                    if (tls != null) {
                      ch.pipeline().addLast("tls", tls.serverDetector());
                    }
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

  /**
   * Connects to {@code host:port} and authenticates both ways. Blocks up to {@code timeout} in all;
   * throws if the server rejects this client's token, or does not prove it knows the token itself.
   * TLS as this process's system properties say.
   */
  public static Connection connect(
      String hostPort, String token, MessageHandler handler, Duration timeout) throws IOException {
    return connect(hostPort, token, handler, timeout, Tls.fromSystemProperties());
  }

  /** As above, with TLS configured explicitly ({@code tls} null: plaintext). */
  public static Connection connect(
      String hostPort, String token, MessageHandler handler, Duration timeout, Tls tls)
      throws IOException {
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
    long deadline = System.nanoTime() + timeout.toNanos();
    Connection[] holder = new Connection[1];
    Bootstrap b =
        new Bootstrap()
            .group(group())
            .channel(EPOLL ? EpollSocketChannel.class : NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.RCVBUF_ALLOCATOR, readBuffers())
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    Connection c = new Connection(ch, hostPort, false);
                    holder[0] = c;
                    if (tls != null) {
                      ch.pipeline().addLast("tls", tls.clientHandler(ch.alloc(), host, port));
                    }
                    ch.pipeline()
                        .addLast(
                            "frames", new LengthFieldBasedFrameDecoder(MAX_HANDSHAKE, 0, 4, 0, 4))
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
    long leftNanos = Math.max(1, deadline - System.nanoTime()) + TimeUnit.MILLISECONDS.toNanos(100);
    try {
      c.authenticated().get(leftNanos, TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      c.close();
      Throwable cause = e.getCause();
      throw new IOException(cause.getMessage(), cause);
    } catch (TimeoutException e) {
      c.close();
      throw new IOException(
          "connected to "
              + hostPort
              + " but its handshake did not complete within "
              + timeout.toMillis()
              + " ms (is it a Weft process of the same version? a TLS server needs"
              + " -Dweft.tls.ca on this side, and a plaintext one none)");
    } catch (InterruptedException e) {
      c.close();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while authenticating to " + hostPort, e);
    }
    return c;
  }

  static byte[] nonce() {
    byte[] n = new byte[NONCE_BYTES];
    RANDOM.nextBytes(n);
    return n;
  }

  /** HMAC-SHA256 keyed by the token over label, version, client nonce, server nonce. */
  static byte[] proof(String token, byte[] label, byte[] clientNonce, byte[] serverNonce) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      byte[] key = token.getBytes(StandardCharsets.UTF_8);
      // an empty key is not allowed by SecretKeySpec; a cluster always has a token, but be total
      mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
      mac.update(label);
      mac.update((byte) (VERSION >> 8));
      mac.update((byte) VERSION);
      mac.update(clientNonce);
      mac.update(serverNonce);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  private enum Phase {
    /** Server: waits for HELLO. Client: sent HELLO, waits for CHALLENGE. */
    HELLO,
    /** Server: sent CHALLENGE, waits for PROOF. Client: sent PROOF, waits for OK. */
    PROOF,
    OPEN,
    REJECTED
  }

  /** Decodes frames into messages and passes them on; does both sides of the handshake. */
  private static final class FrameHandler extends SimpleChannelInboundHandler<ByteBuf> {
    private final Connection conn;
    private final MessageHandler handler;
    private final String token;
    private final boolean server;
    private Phase phase = Phase.HELLO;
    private byte[] clientNonce;
    private byte[] serverNonce;
    private io.netty.util.concurrent.ScheduledFuture<?> handshakeDeadline;

    FrameHandler(Connection conn, MessageHandler handler, String token, boolean server) {
      super(true);
      this.conn = conn;
      this.handler = handler;
      this.token = token;
      this.server = server;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      // a peer that never completes the handshake does not keep a connection (and a descriptor)
      handshakeDeadline =
          ctx.executor()
              .schedule(
                  () -> {
                    if (phase == Phase.HELLO || phase == Phase.PROOF) {
                      rejectAndClose(ctx, "no handshake within " + HANDSHAKE_TIMEOUT_MS + " ms");
                    }
                  },
                  HANDSHAKE_TIMEOUT_MS,
                  TimeUnit.MILLISECONDS);
      if (!server) {
        clientNonce = nonce();
        ByteBuf hello = Unpooled.buffer(4 + 6 + NONCE_BYTES);
        hello.writeInt(6 + NONCE_BYTES).writeInt(MAGIC).writeShort(VERSION).writeBytes(clientNonce);
        ctx.writeAndFlush(hello); // behind TLS, the SslHandler holds it until its handshake is done
      }
      super.channelActive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
      switch (phase) {
        case REJECTED -> {}
        case HELLO, PROOF -> handshake(ctx, frame);
        case OPEN -> onMessageFrame(ctx, frame);
      }
    }

    private void handshake(ChannelHandlerContext ctx, ByteBuf frame) {
      if (frame.readableBytes() >= 9 && frame.getByte(frame.readerIndex()) == Connection.REJECTED) {
        frame.skipBytes(9);
        String why = frame.toString(StandardCharsets.UTF_8);
        phase = Phase.REJECTED;
        if (server) {
          log.warn(
              "connection from {} ended in the handshake; the client says: {}", conn.peer(), why);
        }
        fail("rejected by " + conn.peer() + ": " + why);
        ctx.close();
        return;
      }
      String problem = server ? serverStep(ctx, frame) : clientStep(ctx, frame);
      if (problem != null) {
        log.warn(
            "{} connection {} {}: {}",
            server ? "rejected" : "refused",
            server ? "from" : "to",
            conn.peer(),
            problem);
        rejectAndClose(ctx, problem);
      }
    }

    /** The server's half; returns what is wrong, or null. */
    private String serverStep(ChannelHandlerContext ctx, ByteBuf f) {
      if (phase == Phase.HELLO) {
        String bad = checkHeader(f, "client");
        if (bad != null) {
          return bad;
        }
        if (f.readableBytes() != NONCE_BYTES) {
          return "malformed handshake: a HELLO carries a " + NONCE_BYTES + "-byte nonce";
        }
        clientNonce = ByteBufUtil.getBytes(f);
        serverNonce = nonce();
        byte[] mine = proof(token, SERVER_LABEL, clientNonce, serverNonce);
        ByteBuf challenge = Unpooled.buffer(4 + 6 + NONCE_BYTES + MAC_BYTES);
        challenge
            .writeInt(6 + NONCE_BYTES + MAC_BYTES)
            .writeInt(MAGIC)
            .writeShort(VERSION)
            .writeBytes(serverNonce)
            .writeBytes(mine);
        phase = Phase.PROOF;
        ctx.writeAndFlush(challenge);
        return null;
      }
      if (f.readableBytes() != 4 + MAC_BYTES || f.readInt() != MAGIC) {
        return "malformed handshake: expected the client's proof";
      }
      byte[] theirs = ByteBufUtil.getBytes(f);
      if (!MessageDigest.isEqual(theirs, proof(token, CLIENT_LABEL, clientNonce, serverNonce))) {
        return "wrong cluster token: connect with the token of this cluster (WEFT_TOKEN or the"
            + " head's session file)";
      }
      ByteBuf ok = Unpooled.buffer(9);
      ok.writeInt(5).writeInt(MAGIC).writeByte(1);
      ctx.writeAndFlush(ok);
      open(ctx);
      return null;
    }

    /** The client's half; returns what is wrong, or null. */
    private String clientStep(ChannelHandlerContext ctx, ByteBuf f) {
      if (phase == Phase.HELLO) {
        String bad = checkHeader(f, "server");
        if (bad != null) {
          return bad;
        }
        if (f.readableBytes() != NONCE_BYTES + MAC_BYTES) {
          return "malformed handshake from the server";
        }
        serverNonce = ByteBufUtil.getBytes(f, f.readerIndex(), NONCE_BYTES);
        byte[] theirs = ByteBufUtil.getBytes(f, f.readerIndex() + NONCE_BYTES, MAC_BYTES);
        if (!MessageDigest.isEqual(theirs, proof(token, SERVER_LABEL, clientNonce, serverNonce))) {
          // the same from this side whether this client's token is wrong or the server is not
          // the cluster: neither proof can tell which of the two holds the right token
          return "wrong cluster token, or not the real cluster: the server at "
              + conn.peer()
              + " did not prove it knows this client's token (check WEFT_TOKEN or the head's"
              + " session file, and the address)";
        }
        ByteBuf p = Unpooled.buffer(4 + 4 + MAC_BYTES);
        p.writeInt(4 + MAC_BYTES)
            .writeInt(MAGIC)
            .writeBytes(proof(token, CLIENT_LABEL, clientNonce, serverNonce));
        phase = Phase.PROOF;
        ctx.writeAndFlush(p);
        return null;
      }
      if (f.readableBytes() != 5 || f.readInt() != MAGIC || f.readByte() != 1) {
        return "malformed handshake from the server: expected its OK";
      }
      open(ctx);
      conn.authenticated().complete(null);
      return null;
    }

    private static String checkHeader(ByteBuf f, String who) {
      if (f.readableBytes() < 6) {
        return "handshake too short (" + f.readableBytes() + " bytes): not a Weft " + who + "?";
      }
      int magic = f.readInt();
      if (magic != MAGIC) {
        return String.format("bad magic 0x%08x: not a Weft %s", magic, who);
      }
      short version = f.readShort();
      if (version != VERSION) {
        return "the "
            + who
            + " speaks Weft protocol version "
            + version
            + " but this process speaks version "
            + VERSION
            + ": run the same Weft version everywhere (restart the processes of the older one)";
      }
      return null;
    }

    private void open(ChannelHandlerContext ctx) {
      phase = Phase.OPEN;
      clientNonce = null;
      serverNonce = null;
      if (handshakeDeadline != null) {
        handshakeDeadline.cancel(false);
      }
      ctx.pipeline().replace("frames", "frames", new FrameReader(conn, MAX_FRAME));
      if (ctx.channel() instanceof io.netty.channel.epoll.EpollSocketChannel ec
          && ctx.pipeline().get("tls") == null
          && ctx.pipeline().get(io.netty.handler.ssl.SslHandler.class) == null) {
        // plaintext on native epoll: small frames from other threads go straight to the socket
        conn.allowDirectWrites(ec.fd());
      }
    }

    private void onMessageFrame(ChannelHandlerContext ctx, ByteBuf frame) {
      if (frame.readableBytes() < 9) {
        rejectAndClose(ctx, "frame of " + frame.readableBytes() + " bytes is too short");
        return;
      }
      byte kind = frame.readByte();
      long reqId = frame.readLong();
      if (kind == Connection.REJECTED) {
        String why = frame.toString(StandardCharsets.UTF_8);
        log.error("{} closed the connection: {}", conn.peer(), why);
        conn.onClosed("closed by " + conn.peer() + ": " + why);
        ctx.close();
        return;
      }
      if (kind == Connection.RAW_REPLY) {
        conn.onRawFrame(reqId, frame); // object bytes: straight from the frame to their sink
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

    /** Fails a client's pending connect with {@code why}. */
    private void fail(String why) {
      if (!server) {
        conn.authenticated().completeExceptionally(new IOException(why));
      }
      conn.onClosed(why);
    }

    private void rejectAndClose(ChannelHandlerContext ctx, String why) {
      Phase was = phase;
      phase = Phase.REJECTED;
      byte[] w = why.getBytes(StandardCharsets.UTF_8);
      ByteBuf b = Unpooled.buffer(13 + w.length);
      b.writeInt(9 + w.length).writeByte(Connection.REJECTED).writeLong(0).writeBytes(w);
      fail(was == Phase.OPEN ? "closed: " + why : why);
      ctx.writeAndFlush(b).addListener(x -> ctx.close());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt instanceof SslHandshakeCompletionEvent e && !e.isSuccess()) {
        phase = Phase.REJECTED;
        String why =
            "TLS handshake with "
                + conn.peer()
                + " failed: "
                + e.cause()
                + (server
                    ? ""
                    : " (does the server use TLS with a certificate of the CA in -Dweft.tls.ca?)");
        log.warn(why);
        fail(why);
        ctx.close();
        return;
      }
      super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (handshakeDeadline != null) {
        handshakeDeadline.cancel(false);
      }
      if (phase != Phase.OPEN) {
        if (phase != Phase.REJECTED) {
          fail(
              conn.peer()
                  + " closed the connection during the handshake (not a Weft process of the same"
                  + " version? a TLS server refuses plaintext clients)");
        }
        conn.onClosed(null);
        return;
      }
      conn.onClosed(null);
      try {
        handler.onClose(conn);
      } catch (RuntimeException e) {
        log.error("onClose handler failed for {}", conn.peer(), e);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (cause instanceof TooLongFrameException) {
        if (phase == Phase.OPEN) {
          String why =
              "frame too long: "
                  + cause.getMessage()
                  + "; the limit is "
                  + MAX_FRAME
                  + " bytes (-Dweft.rpc.maxFrameBytes, the same on every process); large values"
                  + " go through the object store";
          log.error("closing the connection with {}: {}", conn.peer(), why);
          rejectAndClose(ctx, why);
        } else if (phase != Phase.REJECTED) {
          rejectAndClose(ctx, "frame too long before authentication: not a Weft peer?");
        }
        return;
      }
      if (phase == Phase.HELLO || phase == Phase.PROOF) {
        String why = "connection to " + conn.peer() + " failed during the handshake: " + cause;
        phase = Phase.REJECTED;
        fail(why);
      }
      log.debug("connection {} failed: {}", conn.peer(), cause.toString());
      ctx.close();
    }
  }
}
