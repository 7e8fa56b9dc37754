package dev.weft.internal.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.internal.proto.Msg;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The mutual challenge-response of {@link Rpc} and the frame cap, over real sockets: a wrong token
 * is refused, a server that does not know the token is detected by the client, the token itself
 * never crosses the wire, and a frame over the cap closes only its own connection.
 */
class RpcHandshakeTest {
  private static final String TOKEN = "the-cluster-token-0123456789";
  private static final Duration T = Duration.ofSeconds(10);
  private static final MessageHandler ECHO =
      (c, reqId, msg) -> {
        if (reqId != 0) {
          c.reply(reqId, msg);
        }
      };

  @Test
  void connect_wrongToken_failsWithTheServersReason() {
    try (Rpc.Server s = Rpc.listen("127.0.0.1", 0, TOKEN, ECHO)) {
      assertThatThrownBy(
              () -> Rpc.connect("127.0.0.1:" + s.port(), "not-the-token", (c, r, m) -> {}, T))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("wrong cluster token")
          .hasMessageContaining("did not prove it knows this client's token");
      assertServes(s);
    }
  }

  /**
   * A process of an older protocol version (say, one started before an upgrade) is told which
   * versions meet and what to do, and the server goes on serving current clients.
   */
  @Test
  void handshake_clientOfAnotherProtocolVersion_isRejectedWithBothVersions() throws Exception {
    try (Rpc.Server s = Rpc.listen("127.0.0.1", 0, TOKEN, ECHO)) {
      try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), s.port())) {
        raw.setSoTimeout(10_000);
        DataOutputStream out = new DataOutputStream(raw.getOutputStream());
        out.writeInt(6 + 32);
        out.writeInt(Rpc.MAGIC);
        out.writeShort(Rpc.VERSION - 1);
        out.write(Rpc.nonce());
        out.flush();
        assertThat(rejection(drain(raw.getInputStream())))
            .contains("the client speaks Weft protocol version " + (Rpc.VERSION - 1))
            .contains("this process speaks version " + Rpc.VERSION)
            .contains("run the same Weft version everywhere");
      }
      assertServes(s);
    }
  }

  /** A server with another token (say, another cluster at the same address) is not trusted. */
  @Test
  void connect_serverWithoutTheToken_isDetectedByTheClient() {
    MessageHandler impostor =
        (c, reqId, msg) -> {
          throw new AssertionError("the impostor got a message: " + msg);
        };
    try (Rpc.Server s = Rpc.listen("127.0.0.1", 0, "another-token", impostor)) {
      assertThatThrownBy(() -> Rpc.connect("127.0.0.1:" + s.port(), TOKEN, (c, r, m) -> {}, T))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("did not prove it knows this client's token");
    }
  }

  /**
   * A fake server that records everything a client sends and answers with a well-formed challenge
   * whose proof it cannot compute: the client refuses, and the token never appeared on the wire.
   */
  @Test
  void connect_fakeServer_neverSeesTheTokenAndIsRefused() throws Exception {
    try (ServerSocket fake = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<byte[]> received = new CompletableFuture<>();
      Thread.ofPlatform()
          .daemon()
          .start(
              () -> {
                try (Socket s = fake.accept()) {
                  s.setSoTimeout(10_000);
                  DataInputStream in = new DataInputStream(s.getInputStream());
                  int len = in.readInt();
                  byte[] hello = new byte[len];
                  in.readFully(hello);
                  DataOutputStream out = new DataOutputStream(s.getOutputStream());
                  out.writeInt(6 + 64);
                  out.writeInt(Rpc.MAGIC);
                  out.writeShort(Rpc.VERSION);
                  out.write(new byte[64]); // a nonce and a guessed proof
                  out.flush();
                  ByteArrayOutputStream rest = new ByteArrayOutputStream();
                  rest.write(hello);
                  rest.write(in.readAllBytes()); // until the client closes
                  received.complete(rest.toByteArray());
                } catch (IOException e) {
                  received.completeExceptionally(e);
                }
              });

      assertThatThrownBy(
              () -> Rpc.connect("127.0.0.1:" + fake.getLocalPort(), TOKEN, (c, r, m) -> {}, T))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("did not prove it knows this client's token");

      byte[] wire = received.get(10, TimeUnit.SECONDS);
      assertThat(new String(wire, StandardCharsets.ISO_8859_1))
          .as("what the client sent the fake server")
          .doesNotContain(TOKEN);
      assertThat(wire.length).as("bytes the client sent").isGreaterThanOrEqualTo(6 + 32);
    }
  }

  /**
   * A client that ignores the server's proof and answers with a proof it cannot compute (or one
   * replayed from an earlier connection) is rejected by the server before anything is decoded.
   */
  @Test
  void handshake_clientProofWithoutTheToken_orReplayed_isRejectedByTheServer() throws Exception {
    try (Rpc.Server s = Rpc.listen("127.0.0.1", 0, TOKEN, ECHO)) {
      byte[] earlierProof;
      try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), s.port())) {
        raw.setSoTimeout(10_000);
        earlierProof = authenticate(raw, TOKEN);
      }
      for (byte[] proof : new byte[][] {earlierProof, null}) {
        try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), s.port())) {
          raw.setSoTimeout(10_000);
          DataOutputStream out = new DataOutputStream(raw.getOutputStream());
          DataInputStream in = new DataInputStream(raw.getInputStream());
          byte[] clientNonce = Rpc.nonce();
          out.writeInt(6 + 32);
          out.writeInt(Rpc.MAGIC);
          out.writeShort(Rpc.VERSION);
          out.write(clientNonce);
          out.flush();
          in.readNBytes(4 + 6 + 64); // the challenge
          byte[] serverNonce = Rpc.nonce(); // a guess: the client cannot know it without the token
          out.writeInt(4 + 32);
          out.writeInt(Rpc.MAGIC);
          out.write(
              proof != null
                  ? proof
                  : Rpc.proof("guessed-token", Rpc.CLIENT_LABEL, clientNonce, serverNonce));
          out.flush();

          assertThat(rejection(drain(in)))
              .as(proof != null ? "a replayed proof" : "a proof made with another token")
              .contains("wrong cluster token");
        }
      }
      assertServes(s);
    }
  }

  @Test
  void handshake_freshNonces_makeEachProofDifferent() {
    byte[] c1 = Rpc.nonce();
    byte[] c2 = Rpc.nonce();
    byte[] s = Rpc.nonce();
    assertThat(c1).isNotEqualTo(c2);
    assertThat(Rpc.proof(TOKEN, Rpc.CLIENT_LABEL, c1, s))
        .isNotEqualTo(Rpc.proof(TOKEN, Rpc.CLIENT_LABEL, c2, s))
        .isNotEqualTo(Rpc.proof(TOKEN, Rpc.SERVER_LABEL, c1, s))
        .isNotEqualTo(Rpc.proof("other", Rpc.CLIENT_LABEL, c1, s))
        .isEqualTo(Rpc.proof(TOKEN, Rpc.CLIENT_LABEL, c1, s));
  }

  /**
   * After authenticating, a peer declares a frame over the cap: the server closes that connection
   * with a reason, and keeps serving others.
   */
  @Test
  void frame_overTheCapAfterAuthentication_closesThatConnectionOnly() throws Exception {
    try (Rpc.Server s = Rpc.listen("127.0.0.1", 0, TOKEN, ECHO)) {
      try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), s.port())) {
        raw.setSoTimeout(10_000);
        authenticate(raw, TOKEN);
        DataOutputStream out = new DataOutputStream(raw.getOutputStream());
        out.writeInt(Rpc.maxFrameBytes() + 1); // the header alone: nothing left unread to reset
        out.flush();

        String reason = rejection(drain(raw.getInputStream()));
        assertThat(reason).contains("frame too long").contains("weft.rpc.maxFrameBytes");
      }
      assertServes(s);
    }
  }

  @Test
  void send_overTheCap_failsAtTheSenderAndKeepsTheConnection() throws Exception {
    try (Rpc.Server s = Rpc.listen("127.0.0.1", 0, TOKEN, ECHO)) {
      Connection c = Rpc.connect("127.0.0.1:" + s.port(), TOKEN, (x, y, z) -> {}, T);
      Msg big = new Msg.Arg(new byte[Rpc.maxFrameBytes()], 0, 0, null);

      assertThat(c.call(big))
          .failsWithin(T)
          .withThrowableOfType(ExecutionException.class)
          .withCauseInstanceOf(FrameTooLargeException.class)
          .withMessageContaining("weft.rpc.maxFrameBytes");
      assertThatThrownBy(() -> c.send(big)).isInstanceOf(FrameTooLargeException.class);
      assertThat(c.call(new Msg.Ack()).get(10, TimeUnit.SECONDS)).isEqualTo(new Msg.Ack());
      c.close();
    }
  }

  /** A reply over the cap reaches the requester as a failure that says why. */
  @Test
  void reply_overTheCap_becomesAFailureForTheRequester() throws Exception {
    MessageHandler huge =
        (c, reqId, msg) -> c.reply(reqId, new Msg.Arg(new byte[Rpc.maxFrameBytes()], 0, 0, null));
    try (Rpc.Server s = Rpc.listen("127.0.0.1", 0, TOKEN, huge)) {
      Connection c = Rpc.connect("127.0.0.1:" + s.port(), TOKEN, (x, y, z) -> {}, T);
      Msg reply = c.call(new Msg.Ack()).get(10, TimeUnit.SECONDS);
      assertThat(reply).isInstanceOf(Msg.Failure.class);
      assertThat(((Msg.Failure) reply).text()).contains("frame limit");
      c.close();
    }
  }

  // ------------------------------------------------------------------ helpers

  private static void assertServes(Rpc.Server s) {
    try {
      Connection c = Rpc.connect("127.0.0.1:" + s.port(), TOKEN, (x, y, z) -> {}, T);
      assertThat(c.call(new Msg.Failure("ping")).get(10, TimeUnit.SECONDS))
          .isEqualTo(new Msg.Failure("ping"));
      c.close();
    } catch (Exception e) {
      throw new AssertionError("the server no longer serves a client with the right token", e);
    }
  }

  /** The client's side of the handshake, written out by hand. */
  static byte[] authenticate(Socket raw, String token) throws IOException {
    DataOutputStream out = new DataOutputStream(raw.getOutputStream());
    DataInputStream in = new DataInputStream(raw.getInputStream());
    byte[] clientNonce = Rpc.nonce();
    out.writeInt(6 + 32);
    out.writeInt(Rpc.MAGIC);
    out.writeShort(Rpc.VERSION);
    out.write(clientNonce);
    out.flush();
    assertThat(in.readInt()).isEqualTo(6 + 64);
    assertThat(in.readInt()).isEqualTo(Rpc.MAGIC);
    assertThat(in.readShort()).isEqualTo(Rpc.VERSION);
    byte[] serverNonce = in.readNBytes(32);
    byte[] serverProof = in.readNBytes(32);
    assertThat(serverProof).isEqualTo(Rpc.proof(token, Rpc.SERVER_LABEL, clientNonce, serverNonce));
    byte[] proof = Rpc.proof(token, Rpc.CLIENT_LABEL, clientNonce, serverNonce);
    out.writeInt(4 + 32);
    out.writeInt(Rpc.MAGIC);
    out.write(proof);
    out.flush();
    assertThat(in.readInt()).isEqualTo(5);
    assertThat(in.readInt()).isEqualTo(Rpc.MAGIC);
    assertThat(in.readByte()).isEqualTo((byte) 1);
    return proof;
  }

  static byte[] drain(InputStream in) throws IOException {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    try {
      int n;
      while ((n = in.read(buf)) != -1) {
        got.write(buf, 0, n);
      }
    } catch (SocketException e) {
      // reset after the close: what arrived before counts
    }
    return got.toByteArray();
  }

  /** The reason in a REJECTED frame {@code [int len][byte 9][long 0][reason]}. */
  static String rejection(byte[] got) {
    assertThat(got.length).as("bytes before the close").isGreaterThanOrEqualTo(13);
    ByteBuffer b = ByteBuffer.wrap(got);
    int len = b.getInt();
    assertThat(b.get()).as("frame kind").isEqualTo(Connection.REJECTED);
    return new String(got, 13, Math.min(len - 9, got.length - 13), StandardCharsets.UTF_8);
  }
}
