package dev.weft.bench;

import dev.weft.bench.peers.PeerProtocol;
import dev.weft.bench.peers.RunResult;
import dev.weft.bench.peers.RunSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A peer's driver JVM, started with the peer's own class path ({@code peers/<name>/lib/*}) and JVM
 * flags by the java of this process; it starts the peer's other members itself. Commands go to its
 * standard input, results come back as protocol lines on its standard output ({@link
 * PeerProtocol}); its standard error (and every library's log) goes to {@code
 * <logDir>/<name>-driver.log}.
 */
final class PeerProcess implements AutoCloseable {
  private static final Map<String, Object> EOF = Map.of("event", "eof");

  private final PeerInfo peer;
  private final Process process;
  private final Writer stdin;
  private final Path log;
  private final BlockingQueue<Map<String, Object>> messages = new LinkedBlockingQueue<>();
  private String system;
  private double startupMs;

  private PeerProcess(PeerInfo peer, Process process, Path log) {
    this.peer = peer;
    this.process = process;
    this.log = log;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread t = new Thread(this::readStdout, "peer-" + peer.name() + "-stdout");
    t.setDaemon(true);
    t.start();
  }

  /** The command line that starts the peer's driver. */
  static List<String> command(PeerInfo peer, long largeBytes, Path logDir) {
    List<String> cmd = new ArrayList<>();
    cmd.add(PeerProtocol.javaBinary());
    cmd.addAll(peer.jvmFlags());
    long heapMb = peer.heapMb();
    if (peer.runs(dev.weft.bench.peers.Workloads.LARGE)
        || peer.runs(dev.weft.bench.peers.Workloads.LARGE_VIEW)) {
      heapMb += 2 * ((largeBytes + (1 << 20) - 1) >> 20); // the object and the copy being read
    }
    cmd.add("-Xmx" + heapMb + "m");
    cmd.add("-D" + PeerProtocol.LOG_DIR_PROPERTY + "=" + logDir);
    cmd.add("-cp");
    cmd.add(peer.dir().resolve("lib") + "/*"); // the java launcher expands the wildcard
    cmd.add(peer.mainClass());
    return cmd;
  }

  /**
   * Starts the peer and waits until it says it is ready.
   *
   * @throws IOException when it fails to start or is not ready in time (the message names the log)
   */
  static PeerProcess start(PeerInfo peer, long largeBytes, Path logDir, Duration timeout)
      throws IOException, InterruptedException {
    Path log = logDir.resolve(peer.name() + "-driver.log");
    ProcessBuilder pb = new ProcessBuilder(command(peer, largeBytes, logDir));
    pb.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    PeerProcess p = new PeerProcess(peer, pb.start(), log);
    Map<String, Object> m = p.messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (m == null || !"ready".equals(m.get("event"))) {
      String why =
          m == null
              ? "not ready within " + timeout.toSeconds() + " s"
              : m == EOF
                  ? "it exited (status " + p.exitStatus() + ")"
                  : String.valueOf(m.get("error"));
      p.close();
      throw new IOException(
          peer.title() + " did not start: " + firstLines(why, 3) + " (log: " + log + ")");
    }
    p.system = String.valueOf(m.get("system"));
    p.startupMs = m.get("startup_ms") instanceof Number n ? n.doubleValue() : Double.NaN;
    return p;
  }

  private void readStdout() {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        try {
          Map<String, Object> m = PeerProtocol.parse(line);
          if (m != null) {
            messages.add(m);
          }
        } catch (IllegalArgumentException e) {
          messages.add(Map.of("event", "garbled", "error", e.getMessage()));
        }
      }
    } catch (IOException e) {
      // the process is gone
    }
    messages.add(EOF);
  }

  /** Runs one spec in the peer; never throws: a dead or silent peer gives a failed result. */
  RunResult run(RunSpec spec, Duration timeout) {
    try {
      stdin.write(spec.toCommand() + "\n");
      stdin.flush();
      Map<String, Object> m = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (m == null) {
        return new RunResult(
            spec.workload(),
            null,
            peer.title()
                + " gave no result within "
                + timeout.toSeconds()
                + " s (log: "
                + log
                + ")");
      }
      if (m == EOF) {
        messages.add(EOF);
        return new RunResult(
            spec.workload(),
            null,
            peer.title() + "'s driver exited (status " + exitStatus() + "; log: " + log + ")");
      }
      if (!"result".equals(m.get("event"))) {
        return new RunResult(spec.workload(), null, peer.title() + " answered " + m);
      }
      RunResult r = RunResult.fromJson(m);
      return r.ok() ? r : new RunResult(r.workload(), null, r.error() + "\n(log: " + log + ")");
    } catch (IOException e) {
      return new RunResult(
          spec.workload(),
          null,
          "could not talk to " + peer.title() + ": " + e + " (log: " + log + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new RunResult(spec.workload(), null, "interrupted");
    }
  }

  String system() {
    return system;
  }

  double startupMs() {
    return startupMs;
  }

  Path log() {
    return log;
  }

  private String exitStatus() {
    try {
      return process.waitFor(5, TimeUnit.SECONDS) ? String.valueOf(process.exitValue()) : "running";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "?";
    }
  }

  /** Asks the driver to quit (it stops its members), waits up to 30 s, then kills its tree. */
  @Override
  public void close() {
    try {
      stdin.write("quit\n");
      stdin.close();
    } catch (IOException e) {
      // already gone
    }
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static String firstLines(String s, int n) {
    return String.join(" | ", s.lines().limit(n).toList());
  }
}
