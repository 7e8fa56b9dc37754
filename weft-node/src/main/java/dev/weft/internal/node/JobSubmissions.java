package dev.weft.internal.node;

import dev.weft.internal.core.ProcessLauncher;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drivers run on the head for {@code weft job submit} and the dashboard's REST API (issue 12 item
 * 6). A submission is a command (typically {@code java … Main args}) run in a folder of its own
 * under the head's session folder, into which the submitted working directory (a zip) was unpacked;
 * its standard output and error go to {@code driver.log} there, and it finds the cluster through
 * {@code WEFT_ADDRESS} and {@code WEFT_TOKEN}. A command that starts with {@code java} runs on the
 * head's JDK with Weft's JVM flags and Weft's jars after the class path it gives, as {@code weft
 * java} does. States: RUNNING, then SUCCEEDED (exit 0), FAILED or STOPPED. The latest {@link #KEPT}
 * submissions are remembered (in memory: a restarted head forgets them; their folders stay).
 */
final class JobSubmissions {
  private static final Logger log = LoggerFactory.getLogger(JobSubmissions.class);
  static final int KEPT = 100;

  /** What the API shows of a submission. */
  record Info(
      String submissionId,
      List<String> entrypoint,
      String state,
      long pid,
      long startMillis,
      long endMillis,
      Integer exitCode,
      String folder) {}

  private static final class Sub {
    final String id;
    final List<String> entrypoint;
    final Path dir;
    final long start = System.currentTimeMillis();
    Process process;
    volatile String state = "RUNNING";
    volatile long end;
    volatile Integer exit;
    volatile boolean stopping;

    Sub(String id, List<String> entrypoint, Path dir) {
      this.id = id;
      this.entrypoint = entrypoint;
      this.dir = dir;
    }

    Info info() {
      return new Info(
          id,
          entrypoint,
          state,
          process == null ? 0 : process.pid(),
          start,
          end,
          exit,
          dir.toString());
    }
  }

  private final Path root;
  private final String controlAddress;
  private final String token;
  private final Map<String, Sub> subs = new LinkedHashMap<>();

  JobSubmissions(Path sessionDir, String controlAddress, String token) {
    this.root = sessionDir.resolve("submissions");
    this.controlAddress = controlAddress;
    this.token = token;
  }

  /**
   * Starts {@code entrypoint} in a fresh folder holding {@code workingDirZip} unpacked (null: an
   * empty folder).
   */
  Info submit(List<String> entrypoint, InputStream workingDirZip) throws IOException {
    if (entrypoint.isEmpty() || entrypoint.getFirst().isBlank()) {
      throw new IllegalArgumentException(
          "a submission needs a command: weft job submit -- java -cp app.jar com.example.Main");
    }
    String id = "submit-" + UUID.randomUUID().toString().substring(0, 8);
    Path dir = Files.createDirectories(root.resolve(id));
    if (workingDirZip != null) {
      try {
        unzip(workingDirZip, dir);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "the working directory's archive cannot be unpacked: " + e.getMessage(), e);
      }
    }
    List<String> cmd = command(entrypoint);
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("driver.log").toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().put("WEFT_ADDRESS", controlAddress);
    pb.environment().put("WEFT_TOKEN", token);
    pb.environment().put("WEFT_SUBMISSION_ID", id);
    Sub s = new Sub(id, List.copyOf(entrypoint), dir);
    try {
      s.process = pb.start();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot start " + String.join(" ", cmd) + " on the head: " + e.getMessage(), e);
    }
    synchronized (this) {
      subs.put(id, s);
      // forget the oldest ended ones beyond KEPT (never one that runs)
      var it = subs.values().iterator();
      while (subs.size() > KEPT && it.hasNext()) {
        if (!it.next().state.equals("RUNNING")) {
          it.remove();
        }
      }
    }
    log.info("job submission {} started: {} (pid {})", id, cmd, s.process.pid());
    s.process
        .onExit()
        .thenAccept(
            p -> {
              s.exit = p.exitValue();
              s.end = System.currentTimeMillis();
              s.state = s.stopping ? "STOPPED" : p.exitValue() == 0 ? "SUCCEEDED" : "FAILED";
              log.info("job submission {} ended: {} (exit {})", id, s.state, s.exit);
            });
    return s.info();
  }

  /** {@code java …} runs as {@code weft java …} would; anything else as given. */
  static List<String> command(List<String> entrypoint) {
    if (!entrypoint.getFirst().equals("java")) {
      return entrypoint;
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessLauncher.javaBinary());
    cmd.addAll(ProcessLauncher.JVM_FLAGS);
    String weftCp = System.getProperty("java.class.path");
    boolean cpGiven = false;
    for (int i = 1; i < entrypoint.size(); i++) {
      String a = entrypoint.get(i);
      if ((a.equals("-cp") || a.equals("-classpath") || a.equals("--class-path"))
          && i + 1 < entrypoint.size()
          && !cpGiven) {
        cmd.add(a);
        cmd.add(entrypoint.get(++i) + java.io.File.pathSeparator + weftCp);
        cpGiven = true;
      } else {
        cmd.add(a);
      }
    }
    if (!cpGiven) {
      cmd.add(1 + ProcessLauncher.JVM_FLAGS.size(), "-cp");
      cmd.add(2 + ProcessLauncher.JVM_FLAGS.size(), "." + java.io.File.pathSeparator + weftCp);
    }
    return cmd;
  }

  private static void unzip(InputStream in, Path dir) throws IOException {
    Path base = dir.toRealPath();
    try (ZipInputStream z = new ZipInputStream(in)) {
      ZipEntry e;
      while ((e = z.getNextEntry()) != null) {
        Path to = base.resolve(e.getName()).normalize();
        if (!to.startsWith(base)) {
          throw new IllegalArgumentException(
              "the working directory's archive has an entry outside it: " + e.getName());
        }
        if (e.isDirectory()) {
          Files.createDirectories(to);
        } else {
          Files.createDirectories(to.getParent());
          Files.copy(z, to);
        }
      }
    }
  }

  synchronized List<Info> list() {
    List<Info> out = new ArrayList<>();
    subs.values().forEach(s -> out.add(s.info()));
    return out;
  }

  synchronized Info get(String id) {
    Sub s = subs.get(id);
    if (s == null) {
      throw new java.util.NoSuchElementException(
          "no job submission " + id + " on this head; `weft job list` lists them");
    }
    return s.info();
  }

  /** Stops a running submission: its driver and whatever it started. */
  Info stop(String id) {
    Sub s;
    synchronized (this) {
      get(id);
      s = subs.get(id);
    }
    if (s.state.equals("RUNNING")) {
      s.stopping = true;
      s.process.descendants().forEach(ProcessHandle::destroy);
      s.process.destroy();
    }
    return s.info();
  }

  /** Up to 1 MiB of the driver's log from {@code offset}. */
  LogPart logs(String id, long offset) throws IOException {
    Info i = get(id);
    Path f = Path.of(i.folder()).resolve("driver.log");
    if (!Files.exists(f)) {
      return new LogPart(0, 0, "", i.state());
    }
    try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "r")) {
      long size = r.length();
      long from = Math.max(0, Math.min(offset, size));
      byte[] b = new byte[(int) Math.min(1 << 20, size - from)];
      r.seek(from);
      r.readFully(b);
      return new LogPart(
          from, from + b.length, new String(b, java.nio.charset.StandardCharsets.UTF_8), i.state());
    }
  }

  /** Bytes {@code offset} to {@code next} of a driver's log, and the submission's state. */
  record LogPart(long offset, long next, String text, String state) {}

  /** Stops every driver still running (the head is going away). */
  synchronized void stopAll() {
    for (Sub s : subs.values()) {
      if (s.state.equals("RUNNING") && s.process != null) {
        s.stopping = true;
        s.process.descendants().forEach(ProcessHandle::destroy);
        s.process.destroy();
      }
    }
  }
}
