package dev.weft.internal.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.internal.proto.Msg;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS links with a self-signed certificate made in the test by the JDK's keytool (Netty's
 * SelfSignedCertificate needs BouncyCastle or JDK internals): a TLS client and server talk, and a
 * plaintext client (or a TLS client of another CA) is refused with a clear reason.
 */
class RpcTlsTest {
  private static final String TOKEN = "tls-test-token";
  private static final Duration T = Duration.ofSeconds(10);
  private static final MessageHandler ECHO = (c, reqId, msg) -> c.reply(reqId, msg);

  @TempDir static Path dir;
  private static Tls tls;
  private static Tls otherCa;

  @BeforeAll
  static void makeCertificates() throws Exception {
    tls = selfSigned(dir.resolve("cluster"), "weft-test-cluster");
    otherCa = selfSigned(dir.resolve("other"), "another-cluster");
  }

  @Test
  void tls_clientAndServer_talk() throws Exception {
    try (Rpc.Server s = Rpc.listen("127.0.0.1", 0, TOKEN, ECHO, null, tls)) {
      Connection c = Rpc.connect("127.0.0.1:" + s.port(), TOKEN, (x, y, z) -> {}, T, tls);
      for (int i = 0; i < 50; i++) {
        assertThat(c.call(new Msg.Failure("over tls " + i)).get(10, TimeUnit.SECONDS))
            .isEqualTo(new Msg.Failure("over tls " + i));
      }
      Msg big = new Msg.Arg(new byte[4 << 20], 1, 2, "x"); // many TLS records
      assertThat(c.call(big).get(10, TimeUnit.SECONDS)).isInstanceOf(Msg.Arg.class);
      // plaintext never bypasses TLS: frames from this thread went through the SslHandler
      assertThat(c.directWrites()).isZero();
      c.close();
    }
  }

  @Test
  void tls_plaintextClient_isRefusedWithAClearReason() {
    try (Rpc.Server s = Rpc.listen("127.0.0.1", 0, TOKEN, ECHO, null, tls)) {
      assertThatThrownBy(
              () -> Rpc.connect("127.0.0.1:" + s.port(), TOKEN, (x, y, z) -> {}, T, null))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("requires TLS");
    }
  }

  @Test
  void tls_clientAgainstAPlaintextServer_failsClearly() {
    try (Rpc.Server s = Rpc.listen("127.0.0.1", 0, TOKEN, ECHO, null, null)) {
      assertThatThrownBy(() -> Rpc.connect("127.0.0.1:" + s.port(), TOKEN, (x, y, z) -> {}, T, tls))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("127.0.0.1:" + s.port());
    }
  }

  @Test
  void tls_serverOfAnotherCa_isNotTrusted() {
    try (Rpc.Server s = Rpc.listen("127.0.0.1", 0, TOKEN, ECHO, null, otherCa)) {
      assertThatThrownBy(() -> Rpc.connect("127.0.0.1:" + s.port(), TOKEN, (x, y, z) -> {}, T, tls))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("TLS handshake");
    }
  }

  @Test
  void tls_missingFile_saysWhichOne() {
    Path missing = dir.resolve("nope.pem");
    assertThatThrownBy(() -> Tls.of(missing, missing, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(missing.toString());
  }

  /** A key pair and self-signed certificate by keytool, written out as PEM cert and PKCS#8 key. */
  static Tls selfSigned(Path base, String cn) throws Exception {
    Files.createDirectories(base);
    Path p12 = base.resolve("keystore.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process p =
        new ProcessBuilder(
                keytool,
                "-genkeypair",
                "-alias",
                "weft",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=" + cn,
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                p12.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("keytool finished: " + out).isTrue();
    assertThat(p.exitValue()).as("keytool exit code: " + out).isZero();

    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      ks.load(in, "changeit".toCharArray());
    }
    PrivateKey key = (PrivateKey) ks.getKey("weft", "changeit".toCharArray());
    Certificate cert = ks.getCertificate("weft");
    Path certPem = base.resolve("cert.pem");
    Path keyPem = base.resolve("key.pem");
    Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()));
    Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));
    return Tls.of(certPem, keyPem, null);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
