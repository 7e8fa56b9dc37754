package dev.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.ActorHandle;
import dev.weft.Weft;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import dev.weft.internal.rpc.Rpc;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Weft's RPC endpoints (control store, node manager) authenticate every connection with a mutual
 * challenge-response over the cluster token before deserializing anything: garbage, oversized
 * frames (before and after authentication) and wrong tokens get the connection closed, a server
 * without the token is detected by the client, and the cluster keeps working for its legitimate
 * clients.
 */
@ExtendWith(ClusterSupport.Logs.class)
class RpcSecurityIT {
  private static final Duration CLOSE_WITHIN = Duration.ofSeconds(10);
  private static final byte AUTH_FAILED = 9;
  private static final int MAGIC = 0x57454654; // "WEFT", as in Rpc

  private static Path logs;

  public static int square(int x) {
    return x * x;
  }

  /** An actor: creating one goes through the control store, so it proves the store still serves. */
  public static class Counter {
    private long n;

    public Counter(long start) {
      n = start;
    }

    public long add(long d) {
      n += d;
      return n;
    }
  }

  @BeforeAll
  static void startCluster() {
    // every process of the cluster (the property is passed on) closes a connection that has not
    // completed its handshake after 3 s instead of 10: the deadline tests wait that long
    System.setProperty("weft.rpc.handshakeTimeoutMillis", "3000");
    logs = ClusterSupport.start(RpcSecurityIT.class, 2);
  }

  @AfterAll
  static void stopCluster() {
    Weft.shutdown();
    System.clearProperty("weft.rpc.handshakeTimeoutMillis"); // the next class in this JVM
  }

  /** The two servers a stranger can reach: the control store and the node manager. */
  static Stream<String> servers() {
    return Stream.of("control", "node");
  }

  /** Bytes that are not a Weft handshake, with what the rejection should say (null: anything). */
  static Stream<Arguments> garbage() {
    byte[] random = new byte[64];
    new Random(20240611L).nextBytes(random);
    byte[] smallRandom = new byte[64];
    new Random(7L).nextBytes(smallRandom);
    ByteBuffer.wrap(smallRandom).putInt(60); // a plausible frame length, random content: bad magic
    byte[] http = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    byte[] badMagic =
        frame(
            out -> {
              out.writeInt(0xCAFEBABE);
              out.writeShort(1);
              out.writeShort(0);
            });
    byte[] badVersion =
        frame(
            out -> {
              out.writeInt(MAGIC);
              out.writeShort(99);
              out.writeShort(0);
            });
    byte[] malformed =
        frame(
            out -> {
              out.writeInt(MAGIC);
              out.writeShort(Rpc.VERSION);
              out.writeShort(200); // claims a 200-byte token, has 3
              out.write(new byte[] {1, 2, 3});
            });
    byte[] tooShort = frame(out -> out.writeShort(1));
    List<Arguments> cases =
        List.of(
            Arguments.of("64 random bytes", random, null),
            Arguments.of("64 random bytes after a plausible length", smallRandom, "bad magic"),
            Arguments.of("an HTTP request", http, null),
            Arguments.of("a frame with a bad magic", badMagic, "bad magic"),
            Arguments.of("a handshake of protocol version 99", badVersion, "protocol version 99"),
            Arguments.of("a handshake whose token length lies", malformed, "malformed handshake"),
            Arguments.of("a 2-byte frame", tooShort, "too short"));
    return servers()
        .flatMap(s -> cases.stream().map(a -> Arguments.of(s, a.get()[0], a.get()[1], a.get()[2])));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("garbage")
  void shouldCloseAConnectionThatSendsGarbage(
      String server, String what, byte[] bytes, String reason) throws Exception {
    String rejection = sendAndAwaitClose(port(server), bytes, what);

    if (reason != null && rejection != null) {
      assertThat(rejection).as("why the " + server + " rejected " + what).contains(reason);
    }
    assertClusterWorks("after " + what + " to the " + server);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void shouldCloseAConnectionThatDeclaresAHugeFrameBeforeAuthenticating(String server)
      throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(b);
    out.writeInt(0x7fffffff);
    out.write(new byte[4096]);

    String rejection =
        sendAndAwaitClose(port(server), b.toByteArray(), "a frame declared 2 GiB long");

    if (rejection != null) {
      assertThat(rejection).contains("frame too long before authentication");
    }
    assertClusterWorks("after a 2 GiB frame header to the " + server);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void shouldCloseAConnectionThatDeclaresANegativeFrameLength(String server) throws Exception {
    sendAndAwaitClose(
        port(server), new byte[] {(byte) 0x80, 0, 0, 0, 1, 2, 3, 4}, "a negative frame length");

    assertClusterWorks("after a negative frame length to the " + server);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void shouldRejectAWrongToken(String server) throws Exception {
    assertThatThrownBy(
            () ->
                Rpc.connect(
                    "127.0.0.1:" + port(server),
                    "wrong-token",
                    (conn, id, m) -> {},
                    Duration.ofSeconds(5)))
        .as("connecting to the " + server + " with a wrong token")
        .isInstanceOf(IOException.class)
        .hasMessageContaining("wrong cluster token");
    assertClusterWorks("after a wrong token to the " + server);
  }

  /**
   * A client with the real token that reaches a server which does not know it (another cluster, or
   * an impostor on the address) refuses it: the handshake is mutual.
   */
  @Test
  void shouldDetectAServerThatDoesNotKnowTheToken() {
    String token = realToken();
    try (Rpc.Server impostor =
        Rpc.listen(
            "127.0.0.1",
            0,
            "not-" + token,
            (c, id, m) -> {
              throw new AssertionError("the impostor was sent " + m);
            })) {
      assertThatThrownBy(
              () ->
                  Rpc.connect(
                      "127.0.0.1:" + impostor.port(),
                      token,
                      (conn, id, m) -> {},
                      Duration.ofSeconds(5)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("did not prove it knows this client's token");
    }
  }

  /**
   * After authenticating with the real token, a frame declared larger than the cap closes that
   * connection (with a reason), and the server goes on serving.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void shouldCloseAnAuthenticatedConnectionThatSendsAnOversizedFrame(String server)
      throws Exception {
    String token = realToken();
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port(server))) {
      s.setSoTimeout((int) CLOSE_WITHIN.toMillis());
      authenticate(s, token);
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeInt(Rpc.maxFrameBytes() + 1); // the header alone: nothing left unread to reset
      out.flush();
      byte[] got;
      try {
        got = drain(s.getInputStream());
      } catch (SocketTimeoutException e) {
        throw new AssertionError(
            "the " + server + " kept a connection open after an oversized frame", e);
      }
      assertThat(rejectionReason(got))
          .as("why the " + server + " closed the connection")
          .contains("frame too long")
          .contains("weft.rpc.maxFrameBytes");
    }
    assertClusterWorks("after an oversized frame to the " + server);
  }

  @Test
  void shouldServeAConnectionWithTheRightToken() throws Exception {
    // The driver API does not expose the token; the control store got it in its environment.
    Optional<String> token = tokenOfControlStore();
    assumeTrue(
        token.isPresent(),
        "cannot read the control store's WEFT_TOKEN from /proc (not Linux?): skipped");

    Connection c =
        Rpc.connect(
            "127.0.0.1:" + port("control"),
            token.get(),
            (conn, id, m) -> {},
            Duration.ofSeconds(5));
    try {
      Msg reply = c.call(new Msg.ClusterStatus()).get(CLOSE_WITHIN.toSeconds(), TimeUnit.SECONDS);

      assertThat(reply).isInstanceOf(Msg.StatusReply.class);
      Msg.StatusReply status = (Msg.StatusReply) reply;
      assertThat(status.nodes()).as("nodes of the cluster").hasSize(1);
      assertThat(status.nodes().getFirst().alive()).as("the node is alive").isTrue();
      assertThat(status.jobs())
          .as("jobs")
          .anySatisfy(j -> assertThat(j).contains("RpcSecurityIT").contains("RUNNING"));
      assertThat(c.isOpen()).as("the authenticated connection stays open").isTrue();
    } finally {
      c.close();
    }

    // The token travels in the environment, never on a command line (which every local user can
    // read
    // with ps) nor in the logs, nor in the control store's storage (the session's control-store/).
    ProcessHandle.current()
        .descendants()
        .forEach(
            h ->
                assertThat(String.join(" ", ProcessLifecycleIT.commandLine(h)))
                    .as("command line of process " + h.pid())
                    .doesNotContain(token.get()));
    try (Stream<Path> files = Files.walk(logs)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        // bytes as Latin-1: the storage's log is binary, and any token in it shows as text
        assertThat(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1))
            .as("file " + f)
            .doesNotContain(token.get());
      }
    }
  }

  /**
   * A client that connects and then sends a partial handshake (or nothing) must not hold a
   * connection, its buffers and a file descriptor of the server forever: unauthenticated
   * connections need a deadline.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void shouldCloseAConnectionThatNeverCompletesItsHandshake(String server) throws Exception {
    byte[] partial = {
      0, 0, 0, 100, 0x57, 0x45
    }; // declares a 100-byte handshake, sends 2 bytes of it
    Duration deadline = Duration.ofSeconds(20);
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port(server))) {
      s.getOutputStream().write(partial);
      s.getOutputStream().flush();
      s.setSoTimeout((int) deadline.toMillis());
      long t0 = System.nanoTime();
      try {
        drain(s.getInputStream());
      } catch (SocketTimeoutException e) {
        fail(
            "the "
                + server
                + " kept an unauthenticated connection with a partial handshake open for "
                + deadline.toSeconds()
                + " s: Rpc has no handshake deadline (an idle or slow client can hold"
                + " server connections forever; close connections that do not authenticate within a few seconds)");
      } catch (SocketException e) {
        // connection reset: closed
      }
      System.err.println(
          "the "
              + server
              + " closed the half-open handshake after "
              + Duration.ofNanos(System.nanoTime() - t0).toMillis()
              + " ms");
    }
    assertClusterWorks("after a partial handshake to the " + server);
  }

  // ------------------------------------------------------------------ helpers

  private static String realToken() {
    Optional<String> token = tokenOfControlStore();
    assumeTrue(
        token.isPresent(),
        "cannot read the control store's WEFT_TOKEN from /proc (not Linux?): skipped");
    return token.get();
  }

  /**
   * The client's half of the handshake, written here from the protocol description in Rpc's
   * javadoc: HMAC-SHA256 keyed by the token over label, version, client nonce, server nonce.
   */
  private static void authenticate(Socket s, String token) throws Exception {
    DataOutputStream out = new DataOutputStream(s.getOutputStream());
    java.io.DataInputStream in = new java.io.DataInputStream(s.getInputStream());
    byte[] clientNonce = new byte[32];
    new java.security.SecureRandom().nextBytes(clientNonce);
    out.writeInt(6 + 32);
    out.writeInt(MAGIC);
    out.writeShort(Rpc.VERSION);
    out.write(clientNonce);
    out.flush();
    assertThat(in.readInt()).as("challenge length").isEqualTo(6 + 64);
    assertThat(in.readInt()).isEqualTo(MAGIC);
    assertThat(in.readShort()).isEqualTo(Rpc.VERSION);
    byte[] serverNonce = in.readNBytes(32);
    byte[] serverProof = in.readNBytes(32);
    assertThat(serverProof)
        .as("the server's proof")
        .isEqualTo(hmac(token, "weft-server", clientNonce, serverNonce));
    out.writeInt(4 + 32);
    out.writeInt(MAGIC);
    out.write(hmac(token, "weft-client", clientNonce, serverNonce));
    out.flush();
    assertThat(in.readInt()).isEqualTo(5);
    assertThat(in.readInt()).isEqualTo(MAGIC);
    assertThat(in.readByte()).as("OK").isEqualTo((byte) 1);
  }

  private static byte[] hmac(String token, String label, byte[] clientNonce, byte[] serverNonce)
      throws Exception {
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(
        new javax.crypto.spec.SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    mac.update(label.getBytes(StandardCharsets.US_ASCII));
    mac.update((byte) (Rpc.VERSION >> 8));
    mac.update((byte) Rpc.VERSION);
    mac.update(clientNonce);
    mac.update(serverNonce);
    return mac.doFinal();
  }

  /**
   * Sends {@code bytes} on a plain socket and waits until the server closes the connection; returns
   * the reason of the AUTH_FAILED frame it sent before closing, or null if it sent none (or reset
   * the connection).
   */
  private static String sendAndAwaitClose(int port, byte[] bytes, String what) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout((int) CLOSE_WITHIN.toMillis());
      try {
        s.getOutputStream().write(bytes);
        s.getOutputStream().flush();
      } catch (SocketException e) {
        return null; // closed while we were still writing
      }
      byte[] got;
      try {
        got = drain(s.getInputStream());
      } catch (SocketTimeoutException e) {
        throw new AssertionError(
            "the server on port "
                + port
                + " did not close the connection within "
                + CLOSE_WITHIN.toSeconds()
                + " s after "
                + what);
      } catch (SocketException e) {
        return null; // reset: closed
      }
      return rejectionReason(got);
    }
  }

  /** Reads until end of stream. */
  private static byte[] drain(InputStream in) throws IOException {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    int n;
    while ((n = in.read(buf)) != -1) {
      got.write(buf, 0, n);
    }
    return got.toByteArray();
  }

  /** The text of the first AUTH_FAILED frame {@code [int len][byte 9][long 0][reason]}, or null. */
  private static String rejectionReason(byte[] got) {
    if (got.length < 13) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(got);
    int len = b.getInt();
    byte kind = b.get();
    b.getLong();
    assertThat(kind)
        .as("kind of the frame the server sent before closing: " + Arrays.toString(got))
        .isEqualTo(AUTH_FAILED);
    int textLen = Math.min(len - 9, b.remaining());
    return new String(got, 13, textLen, StandardCharsets.UTF_8);
  }

  private interface FrameBody {
    void write(DataOutputStream out) throws IOException;
  }

  private static byte[] frame(FrameBody body) {
    try {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(b);
      body.write(out);
      byte[] payload = b.toByteArray();
      ByteBuffer f = ByteBuffer.allocate(4 + payload.length);
      f.putInt(payload.length).put(payload);
      return f.array();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The cluster still runs a task (driver → node → worker) and an actor (through the control
   * store).
   */
  private static void assertClusterWorks(String when) {
    Duration t = Duration.ofSeconds(60);
    assertThat(Weft.get(Weft.task(RpcSecurityIT::square, 12).remote(), t))
        .as("a task " + when)
        .isEqualTo(144);
    ActorHandle<Counter> c = Weft.actor(Counter::new, 1L).remote();
    assertThat(Weft.get(c.task(Counter::add, 2L).remote(), t))
        .as("an actor call " + when)
        .isEqualTo(3L);
    c.kill();
  }

  private static int port(String server) {
    Path log = logs.resolve(server + ".log");
    return ProcessLifecycleIT.readyPort(log)
        .orElseThrow(() -> new AssertionError("no WEFT-READY line in " + log));
  }

  private static Optional<String> tokenOfControlStore() {
    return ProcessHandle.current()
        .children()
        .filter(
            h ->
                ProcessLifecycleIT.commandLine(h).contains("dev.weft.internal.control.ControlMain"))
        .findFirst()
        .flatMap(
            h -> {
              Path environ = Path.of("/proc", Long.toString(h.pid()), "environ");
              try {
                for (String kv :
                    new String(Files.readAllBytes(environ), StandardCharsets.UTF_8).split("\0")) {
                  if (kv.startsWith("WEFT_TOKEN=")) {
                    return Optional.of(kv.substring("WEFT_TOKEN=".length()));
                  }
                }
              } catch (IOException | RuntimeException e) {
                // not Linux, or not readable
              }
              return Optional.empty();
            });
  }
}
