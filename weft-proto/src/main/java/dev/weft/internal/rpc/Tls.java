package dev.weft.internal.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Optional TLS for Weft's links, on top of the token handshake (which still runs inside TLS): the
 * server presents {@code cert} (PEM chain) with {@code key} (PKCS#8 PEM, unencrypted); clients
 * trust the CA certificates in {@code ca} (PEM; the certificate itself when no CA is given, for a
 * cluster that shares one self-signed certificate). Host names are not checked: the trust is pinned
 * to the cluster's own CA, and the token handshake proves the peer belongs to the cluster.
 *
 * <p>Every Weft process both listens and connects, so every process of a TLS cluster needs the same
 * settings: {@code -Dweft.tls.cert=… -Dweft.tls.key=… [-Dweft.tls.ca=…]}. Processes that Weft
 * starts itself inherit them ({@code ProcessLauncher}); a driver passes them on its command line. A
 * TLS server answers a plaintext client with a clear rejection.
 */
public final class Tls {
  public static final String CERT_PROPERTY = "weft.tls.cert";
  public static final String KEY_PROPERTY = "weft.tls.key";
  public static final String CA_PROPERTY = "weft.tls.ca";

  private static volatile Tls fromProperties;
  private static volatile boolean propertiesRead;

  private final Path cert;
  private final Path key;
  private final Path ca;
  private final SslContext server;
  private final SslContext client;

  private Tls(Path cert, Path key, Path ca) throws SSLException {
    this.cert = cert;
    this.key = key;
    this.ca = ca;
    this.server = SslContextBuilder.forServer(cert.toFile(), key.toFile()).build();
    this.client =
        SslContextBuilder.forClient()
            .trustManager(ca.toFile())
            .endpointIdentificationAlgorithm(null)
            .build();
  }

  /**
   * TLS with these PEM files; {@code ca} null trusts {@code cert} itself. Throws {@link
   * IllegalArgumentException} saying which file is missing or unreadable.
   */
  public static Tls of(Path cert, Path key, Path ca) {
    Path trust = ca != null ? ca : cert;
    for (Path[] f : new Path[][] {{cert}, {key}, {trust}}) {
      if (!Files.isReadable(f[0])) {
        throw new IllegalArgumentException(
            "TLS file " + f[0] + " does not exist or is not readable");
      }
    }
    try {
      return new Tls(cert, key, trust);
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot set up TLS with certificate "
              + cert
              + ", key "
              + key
              + " and CA "
              + trust
              + ": "
              + e.getMessage()
              + " (PEM files; the key unencrypted PKCS#8, e.g. from `openssl pkcs8 -topk8"
              + " -nocrypt`)",
          e);
    }
  }

  /**
   * The TLS of this process, from {@code -Dweft.tls.cert}, {@code -Dweft.tls.key} and optionally
   * {@code -Dweft.tls.ca}; null when {@code weft.tls.cert} is not set (plaintext).
   */
  public static Tls fromSystemProperties() {
    if (!propertiesRead) {
      synchronized (Tls.class) {
        if (!propertiesRead) {
          fromProperties = readProperties();
          propertiesRead = true;
        }
      }
    }
    return fromProperties;
  }

  private static Tls readProperties() {
    String cert = System.getProperty(CERT_PROPERTY);
    String key = System.getProperty(KEY_PROPERTY);
    String ca = System.getProperty(CA_PROPERTY);
    if (blank(cert) && blank(key)) {
      if (!blank(ca)) {
        throw new IllegalArgumentException(
            "-D"
                + CA_PROPERTY
                + " is set but -D"
                + CERT_PROPERTY
                + " and -D"
                + KEY_PROPERTY
                + " are not: every Weft process also listens, so a TLS cluster needs all three"
                + " (or the certificate and key alone, when they are the cluster's own CA)");
      }
      return null;
    }
    if (blank(cert) || blank(key)) {
      throw new IllegalArgumentException(
          "TLS needs both -D" + CERT_PROPERTY + " and -D" + KEY_PROPERTY + " (one is missing)");
    }
    return of(Path.of(cert), Path.of(key), blank(ca) ? null : Path.of(ca));
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  /** The system properties that give another JVM this same TLS setup. */
  public List<String> jvmOptions() {
    return List.of(
        "-D" + CERT_PROPERTY + "=" + cert,
        "-D" + KEY_PROPERTY + "=" + key,
        "-D" + CA_PROPERTY + "=" + ca);
  }

  ChannelHandler clientHandler(ByteBufAllocator alloc, String host, int port) {
    return client.newHandler(alloc, host, port);
  }

  /**
   * First handler of a TLS server's connection: a TLS client gets the SslHandler; a plaintext one
   * gets a rejection frame it can read, then the connection closes.
   */
  ChannelHandler serverDetector() {
    return new Detector();
  }

  private final class Detector extends ByteToMessageDecoder {
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
      if (in.readableBytes() < 5) {
        return; // a TLS record header is 5 bytes
      }
      if (SslHandler.isEncrypted(in, false)) {
        ctx.pipeline().replace(this, "tls", server.newHandler(ctx.alloc()));
        return;
      }
      in.skipBytes(in.readableBytes());
      org.slf4j.LoggerFactory.getLogger(Tls.class)
          .warn(
              "rejected a plaintext connection from {}: this server requires TLS",
              ctx.channel().remoteAddress());
      byte[] why =
          ("this Weft server requires TLS: start the client with -D"
                  + CERT_PROPERTY
                  + ", -D"
                  + KEY_PROPERTY
                  + " and -D"
                  + CA_PROPERTY
                  + " of the cluster")
              .getBytes(StandardCharsets.UTF_8);
      ByteBuf b = Unpooled.buffer(13 + why.length);
      b.writeInt(9 + why.length).writeByte(Connection.REJECTED).writeLong(0).writeBytes(why);
      ctx.writeAndFlush(b).addListener(x -> ctx.close());
    }
  }
}
