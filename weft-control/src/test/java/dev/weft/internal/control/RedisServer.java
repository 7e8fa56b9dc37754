package dev.weft.internal.control;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} (Debian's package) on a free loopback port, keeping nothing on disk
 * ({@code --save "" --appendonly no}), for the Redis storage's tests. {@link #start} returns once
 * it answers PING; {@link #kill} kills it (SIGKILL) to test a Redis that dies, {@link #restart}
 * starts it again on the same port (empty: nothing was saved), {@link #close} stops it and removes
 * its folder. {@link #log} is its output, for a failing test to print.
 *
 * <p>Where {@code redis-server} is missing and this runs as root, it is installed with apt-get once
 * per JVM (the project's tests install the servers they need); otherwise the start fails saying
 * what to install.
 */
public final class RedisServer implements AutoCloseable {
  /** How long a server may take to answer PING after it is started. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);
  private static final Path DEBIAN_BINARY = Path.of("/usr/bin/redis-server");

  private static Path binary;

  private final int port;
  private final Path dir;
  private final Path logFile;
  private final List<String> extraArgs;
  private Process process;
  private String lastLog = "";

  private RedisServer(int port, Path dir, List<String> extraArgs) {
    this.port = port;
    this.dir = dir;
    this.logFile = dir.resolve("redis.log");
    this.extraArgs = extraArgs;
  }

  /** Starts a server on a free loopback port, with {@code extraArgs} (e.g. --requirepass) added. */
  public static RedisServer start(String... extraArgs) throws IOException {
    Path dir = Files.createTempDirectory("weft-redis-");
    RedisServer server = new RedisServer(freePort(), dir, List.of(extraArgs));
    try {
      server.launch();
    } catch (RuntimeException | IOException e) {
      server.close();
      throw e;
    }
    return server;
  }

  public int port() {
    return port;
  }

  /** {@code redis://127.0.0.1:PORT/db}. */
  public String uri(int db) {
    return "redis://127.0.0.1:" + port + "/" + db;
  }

  /** Kills the server with SIGKILL (what {@link Process#destroyForcibly} sends on Linux). */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(
          "redis-server on port " + port + " did not die of SIGKILL within " + STOP_TIMEOUT);
    }
  }

  /** Stops the server if it runs, then starts a new one on the same port (with no data). */
  public void restart() throws IOException, InterruptedException {
    stop();
    launch();
  }

  /** What the server (every run of it so far) wrote. */
  public String log() {
    try {
      return Files.exists(logFile) ? Files.readString(logFile) : lastLog;
    } catch (IOException e) {
      return "(cannot read " + logFile + ": " + e + ")";
    }
  }

  @Override
  public void close() {
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lastLog = log();
      deleteTree(dir);
    }
  }

  private void launch() throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary().toString());
    cmd.addAll(
        List.of(
            "--port",
            Integer.toString(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            dir.toString()));
    cmd.addAll(extraArgs);
    process =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
            .start();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    try {
      while (!answersPing()) {
        // waiting on the process both paces the polling and notices a server that exited
        if (process.waitFor(50, TimeUnit.MILLISECONDS)) {
          throw new IllegalStateException(
              "redis-server on port "
                  + port
                  + " exited with code "
                  + process.exitValue()
                  + " before answering PING; its output:\n"
                  + log());
        }
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException(
              "redis-server on port "
                  + port
                  + " did not answer PING within "
                  + START_TIMEOUT
                  + "; its output:\n"
                  + log());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for redis-server to start", e);
    }
  }

  /** One inline PING on a fresh connection; with --requirepass the NOAUTH error counts as up. */
  private boolean answersPing() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
      s.setSoTimeout(1000);
      s.getOutputStream().write("PING\r\n".getBytes(US_ASCII));
      byte[] reply = new byte[64];
      int n = s.getInputStream().read(reply);
      if (n <= 0) {
        return false;
      }
      String line = new String(reply, 0, n, US_ASCII);
      return line.startsWith("+PONG") || line.startsWith("-NOAUTH");
    } catch (IOException e) {
      return false;
    }
  }

  private void stop() throws InterruptedException {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** A loopback port nothing listens on at the time of the call. */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Debian's {@code redis-server}, found or installed (once per JVM). */
  static synchronized Path binary() {
    if (binary == null) {
      Path found = find();
      if (found == null) {
        install();
        found = find();
        if (found == null) {
          throw new IllegalStateException(
              "apt-get installed redis-server but no redis-server binary is at "
                  + DEBIAN_BINARY
                  + " or on PATH");
        }
      }
      binary = found;
    }
    return binary;
  }

  private static Path find() {
    if (Files.isExecutable(DEBIAN_BINARY)) {
      return DEBIAN_BINARY;
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String entry : path.split(File.pathSeparator)) {
        if (!entry.isEmpty()) {
          Path candidate = Path.of(entry, "redis-server");
          if (Files.isExecutable(candidate)) {
            return candidate;
          }
        }
      }
    }
    return null;
  }

  private static void install() {
    String what =
        "the Redis storage tests need redis-server (Debian's package redis-server, 7.0.15 is the"
            + " checked version), which is not at "
            + DEBIAN_BINARY
            + " nor on PATH";
    String uid = run(List.of("id", "-u")).trim();
    if (!uid.equals("0")) {
      throw new IllegalStateException(
          what
              + ", and this user (uid "
              + uid
              + ") cannot install it: run `sudo apt-get install redis-server` (or put a"
              + " redis-server 7.x on PATH) and run the tests again");
    }
    for (List<String> cmd :
        List.of(
            List.of("apt-get", "update"), List.of("apt-get", "install", "-y", "redis-server"))) {
      try {
        run(cmd);
      } catch (IllegalStateException e) {
        throw new IllegalStateException(
            what
                + ", and installing it failed ("
                + e.getMessage()
                + "): install it with `apt-get install redis-server` and run the tests again",
            e);
      }
    }
  }

  /** Runs {@code cmd} with its output captured; its output, or an exception quoting it. */
  private static String run(List<String> cmd) {
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
      Process p = pb.start();
      p.getOutputStream().close();
      // read in the background so that a chatty command never blocks on a full pipe
      var out = new java.io.ByteArrayOutputStream();
      Thread reader =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try (InputStream in = p.getInputStream()) {
                      in.transferTo(out);
                    } catch (IOException ignored) {
                      // the process is gone; what was read is kept
                    }
                  });
      if (!p.waitFor(INSTALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(
            String.join(" ", cmd) + " did not finish within " + INSTALL_TIMEOUT);
      }
      reader.join(Duration.ofSeconds(10));
      String text = out.toString(UTF_8);
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", cmd) + " exited with code " + p.exitValue() + ":\n" + tail(text));
      }
      return text;
    } catch (IOException e) {
      throw new IllegalStateException(String.join(" ", cmd) + " could not run: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(String.join(" ", cmd) + " was interrupted", e);
    }
  }

  private static String tail(String text) {
    return text.length() <= 4000 ? text : "…" + text.substring(text.length() - 4000);
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + root, e);
    }
  }
}
