package dev.weft.bench.peers;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * How {@code weft bench --peers} talks to a peer's processes. Each process writes protocol messages
 * as single lines, {@link #MARKER} then a JSON object, on its standard output; everything else a
 * library prints is moved to standard error ({@link #takeStdout}), which goes to the process's log
 * file. The driver reads commands (a {@link RunSpec} line, or {@code quit}) on its standard input;
 * every process exits when its standard input closes, so none outlives the one that started it.
 */
public final class PeerProtocol {
  /** Starts every protocol line. */
  public static final String MARKER = "@@weft-peer ";

  /** System property: the folder for the processes' log files. */
  public static final String LOG_DIR_PROPERTY = "weft.peer.logDir";

  private static PrintStream out;

  private PeerProtocol() {}

  /**
   * Keeps this process's standard output for protocol lines and points {@code System.out} at
   * standard error, so that libraries printing banners cannot garble the protocol.
   */
  public static synchronized void takeStdout() {
    if (out == null) {
      out =
          new PrintStream(
              new FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
      System.setOut(System.err);
    }
  }

  /** Writes one protocol line. */
  public static synchronized void emit(Map<String, Object> message) {
    takeStdout();
    out.print(MARKER + PeerJson.write(message) + "\n");
    out.flush();
  }

  /** The JSON object of a protocol line, or null when the line is not one. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parse(String line) {
    if (line == null || !line.startsWith(MARKER)) {
      return null;
    }
    Object v = PeerJson.parse(line.substring(MARKER.length()));
    if (!(v instanceof Map<?, ?>)) {
      throw new IllegalArgumentException("a protocol line is not a JSON object: " + line);
    }
    return (Map<String, Object>) v;
  }

  /** The java binary of this process: every benchmark JVM runs the same JDK. */
  public static String javaBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** The log folder given by {@link #LOG_DIR_PROPERTY}, or a new temporary one. */
  public static Path logDir() {
    String d = System.getProperty(LOG_DIR_PROPERTY);
    try {
      Path p = d != null ? Path.of(d) : Files.createTempDirectory("weft-peer-logs");
      Files.createDirectories(p);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the peer log folder " + d, e);
    }
  }

  /** A TCP port free on 127.0.0.1 right now. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }

  /** Blocks until standard input closes (the parent ended or let go of this process). */
  public static void awaitStdinEof() {
    byte[] buf = new byte[256];
    try {
      while (System.in.read(buf) >= 0) {
        // members ignore their input: it only tells them when to go
      }
    } catch (IOException e) {
      // a broken pipe means the same as end of input
    }
  }
}
