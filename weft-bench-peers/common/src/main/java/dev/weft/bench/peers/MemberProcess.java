package dev.weft.bench.peers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Another JVM of the same peer: same java, same JVM flags, same class path as this process, its
 * standard error in {@code <log dir>/<name>.log}. It announces itself with a ready line ({@link
 * #announce}) and exits when its standard input closes ({@link #close}, or this process dying).
 */
public final class MemberProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;
  private final CompletableFuture<Map<String, Object>> ready = new CompletableFuture<>();

  private MemberProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code mainClass} in a new JVM and waits for its ready line.
   *
   * @throws IOException when it cannot start, exits, or is not ready within {@code timeout} (the
   *     message names its log)
   */
  public static MemberProcess start(
      String name, String mainClass, List<String> args, Duration timeout)
      throws IOException, InterruptedException {
    Path log = PeerProtocol.logDir().resolve(name + ".log");
    List<String> cmd = new ArrayList<>();
    cmd.add(PeerProtocol.javaBinary());
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    MemberProcess m = new MemberProcess(name, pb.start(), log);
    Thread reader = new Thread(m::readStdout, "member-" + name + "-stdout");
    reader.setDaemon(true);
    reader.start();
    try {
      m.ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return m;
    } catch (ExecutionException | TimeoutException e) {
      m.close();
      throw new IOException(
          "member "
              + name
              + " ("
              + mainClass
              + ") was not ready within "
              + timeout.toSeconds()
              + " s: "
              + (e instanceof ExecutionException ? e.getCause().getMessage() : "timed out")
              + "; see its log "
              + log,
          e);
    }
  }

  private void readStdout() {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        Map<String, Object> msg;
        try {
          msg = PeerProtocol.parse(line);
        } catch (IllegalArgumentException e) {
          continue;
        }
        if (msg != null && "ready".equals(msg.get("event"))) {
          ready.complete(msg);
        } else if (msg != null && "fatal".equals(msg.get("event"))) {
          ready.completeExceptionally(new IOException(String.valueOf(msg.get("error"))));
        }
      }
    } catch (IOException e) {
      // the process is gone
    }
    ready.completeExceptionally(new IOException("it exited (status " + exitStatus() + ")"));
  }

  private String exitStatus() {
    try {
      return process.waitFor(2, TimeUnit.SECONDS) ? String.valueOf(process.exitValue()) : "?";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "?";
    }
  }

  /** The member's ready message (e.g. the port it listens on). */
  public Map<String, Object> readyMessage() {
    return ready.getNow(Map.of());
  }

  public String name() {
    return name;
  }

  public Path log() {
    return log;
  }

  /** Closes its input (it exits), waits up to 10 s, then kills it. */
  @Override
  public void close() {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // already gone
    }
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * In a member: prints the ready line with {@code info}, then blocks until standard input closes.
   */
  public static void announceAndAwaitEof(Map<String, Object> info) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event", "ready");
    m.putAll(info);
    PeerProtocol.emit(m);
    PeerProtocol.awaitStdinEof();
  }

  /** In a member: reports a failed start and exits with status 1. */
  public static void fatal(Throwable e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event", "fatal");
    m.put("error", RunResult.stackTrace(e));
    PeerProtocol.emit(m);
    e.printStackTrace();
    Runtime.getRuntime().halt(1);
  }
}
