package dev.weft.internal.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starts Weft's own JVM processes (control store, node manager, workers) with this JVM's java
 * binary, the standard flags, and a log file each. A process says it is ready by printing {@code
 * WEFT-READY <port>} on standard output.
 */
public final class ProcessLauncher {
  public static final String READY = "WEFT-READY ";

  /**
   * The flags every Weft process gets. No collector is chosen here: workers run the JVM's default
   * (G1), or whatever the user sets in {@code WeftConfig.workerJvmOptions} / {@code WEFT_JAVA_OPTS}
   * (e.g. {@code -XX:+UseZGC}). {@code -XX:+ExplicitGCInvokesConcurrent} makes the rare {@code
   * System.gc()} Weft asks of a worker (to notice dropped refs) a concurrent G1 cycle instead of a
   * stop-the-world full collection; other collectors ignore it.
   *
   * <p>{@code -XX:+PerfDisableSharedMem}: the JVM keeps its performance counters in its own memory
   * instead of a memory-mapped file under {@code /tmp/hsperfdata_<user>}. The JVM's exit deletes
   * that file, and a process ends only once it is freed: on a file system mounted with {@code
   * discard} (this project's VMs: ext4 on a virtual disk) that waits for a discard sent to the
   * disk, queued behind whatever the disk is writing. At the end of a 2 GB sort, with the reduces'
   * output just written, each process's exit waited 0.3-1.7 s in {@code blkdev_issue_discard} for
   * its 32 KiB file. (Writes to that file can also stall a JVM at a safepoint while the disk is
   * busy, a known reason to set this flag on servers.) What it costs: {@code jps} and {@code jcmd
   * -l} do not list Weft's processes, and {@code jstat} cannot read them; {@code jcmd <pid>} works.
   */
  public static final List<String> JVM_FLAGS =
      List.of(
          "--enable-native-access=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--sun-misc-unsafe-memory-access=allow",
          "-XX:+ExplicitGCInvokesConcurrent",
          "-XX:+PerfDisableSharedMem",
          "-Xss2m");

  /**
   * Settings every Weft process of a cluster must share (TLS, frame cap, serialization policy):
   * passed on to the processes this one starts.
   */
  static final List<String> FORWARDED_PROPERTIES =
      List.of(
          "weft.tls.cert",
          "weft.tls.key",
          "weft.tls.ca",
          "weft.rpc.maxFrameBytes",
          "weft.rpc.handshakeTimeoutMillis",
          "weft.serialization.allow");

  /**
   * Options of every worker JVM, before the job's own (which win). The heap never gives memory back
   * to the OS: a worker's memory, once touched, is touched for the next task too. On VMs where a
   * fresh page costs a slow fault (measured here: writing fresh pages at 0.2-0.4 GB/s against 15
   * GB/s for pages touched before), G1 shrinking the heap after a cycle and growing it again made
   * every large task pay those faults anew.
   */
  private static final List<String> WORKER_JVM_FLAGS = List.of("-XX:MaxHeapFreeRatio=100");

  /** A worker JVM's options: {@link #WORKER_JVM_FLAGS}, then the job's own (which win). */
  public static List<String> workerJvmOptions(List<String> jobOptions) {
    List<String> all = new ArrayList<>(WORKER_JVM_FLAGS);
    all.addAll(jobOptions);
    return all;
  }

  /**
   * The collector of the small control-store and node-manager JVMs, which hold no user data: the
   * serial collector starts fastest and needs no GC threads.
   */
  public static final String SMALL_PROCESS_GC = "-XX:+UseSerialGC";

  private ProcessLauncher() {}

  static List<String> forwardedProperties() {
    List<String> out = new ArrayList<>();
    for (String p : FORWARDED_PROPERTIES) {
      String v = System.getProperty(p);
      if (v != null) {
        out.add("-D" + p + "=" + v);
      }
    }
    return out;
  }

  public static String javaBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /**
   * The value of an address argument that the process reads from its standard input instead: its
   * starter learns that address only once another process it starts beside this one reported the
   * port it bound (every Weft process binds port 0 unless told otherwise, so start-up never races
   * another program for a port picked in advance).
   */
  public static final String FROM_STDIN = "-";

  /**
   * {@code value}, or when it is {@link #FROM_STDIN} the next line of standard input: {@code what}
   * names it in the error when the starter went away before telling.
   */
  public static String argOrStdin(String value, String what) throws IOException {
    if (!FROM_STDIN.equals(value)) {
      return value;
    }
    StringBuilder line = new StringBuilder();
    int ch;
    while ((ch = System.in.read()) != -1 && ch != '\n') {
      line.append((char) ch);
    }
    if (line.isEmpty()) {
      throw new IOException(
          what + " was to come on standard input, which closed first: did the starter exit?");
    }
    return line.toString().trim();
  }

  /** A started process and the port it reported when ready. */
  public record Started(Process process, CompletableFuture<Integer> ready, Path log) {
    /** Sends a line to the process's standard input (see {@link #argOrStdin}). */
    public void tell(String line) throws IOException {
      java.io.OutputStream in = process.getOutputStream();
      in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
    }

    public int awaitReady(long timeoutMillis, String what) throws IOException {
      try {
        return ready.get(timeoutMillis, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        String tail = tail(log, 40);
        throw new IOException(
            what
                + " did not start within "
                + timeoutMillis
                + " ms"
                + (process.isAlive() ? "" : " (it exited with code " + process.exitValue() + ")")
                + "; last lines of "
                + log
                + ":\n"
                + tail,
            e);
      }
    }
  }

  public static Started start(
      String mainClass,
      List<String> args,
      String classpath,
      List<String> extraJvm,
      Map<String, String> env,
      Path log)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBinary());
    cmd.addAll(JVM_FLAGS);
    cmd.addAll(cdsFlags(mainClass, classpath, extraJvm));
    cmd.addAll(forwardedProperties());
    cmd.addAll(extraJvm); // after: a job's own options win
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add(mainClass);
    cmd.addAll(args);
    Files.createDirectories(log.getParent());
    // Output goes straight to the log file, so a process outlives its launcher safely (weft start).
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(env);
    long startOffset = Files.exists(log) ? Files.size(log) : 0;
    Process p = pb.start();
    CompletableFuture<Integer> ready = new CompletableFuture<>();
    Thread.ofVirtual().name("weft-ready-watch").start(() -> watchReady(p, log, startOffset, ready));
    return new Started(p, ready, log);
  }

  /**
   * A class-data-sharing archive per (main class, class path and the size and modification time of
   * each of its jars, JVM options), created by the JVM itself on its first exit and mapped on later
   * starts: most of a JVM's start-up is loading and verifying classes. The jars' sizes and times
   * are in the key because the JVM refuses an archive whose jars changed since it was dumped (a
   * rebuilt jar at the same path) and, seen with JDK 25, does not dump it again: every later start
   * would load every class from scratch. Off with {@code -Dweft.cds=false}.
   *
   * <p>Every rebuild and every job class path makes a new key, and an archive is 10–20 MB, so the
   * folder is kept small: an archive in use has its time set to now, and the first launch of each
   * JVM removes those of each main class beyond the {@link #CDS_KEEP_PER_MAIN} used last, and any
   * unused for {@link #CDS_MAX_AGE}. (Removing an archive that another JVM has mapped is harmless
   * on Linux; one removed just before a JVM maps it only costs that JVM its faster start.)
   */
  static List<String> cdsFlags(String mainClass, String classpath, List<String> extraJvm) {
    if (!Boolean.parseBoolean(System.getProperty("weft.cds", "true"))
        || holdsClassFolder(classpath)) {
      return List.of();
    }
    try {
      Path dir = ClusterFiles.root().resolve("cds");
      Files.createDirectories(dir);
      // the flags too: an archive dumped under another collector is refused
      String key =
          Integer.toHexString(
              (mainClass
                      + "\n"
                      + classpath
                      + "\n"
                      + jarStamps(classpath)
                      + "\n"
                      + Runtime.version()
                      + "\n"
                      + extraJvm)
                  .hashCode());
      Path archive =
          dir.resolve(mainClass.substring(mainClass.lastIndexOf('.') + 1) + "-" + key + ".jsa");
      boolean dumpsAtExit = false;
      try {
        Files.setLastModifiedTime(archive, java.nio.file.attribute.FileTime.from(Instant.now()));
      } catch (IOException notYet) {
        // not dumped yet (the JVM creates it on its first exit), or just removed
        dumpsAtExit = true;
      }
      if (CDS_PRUNED.compareAndSet(false, true)) {
        pruneArchives(dir, CDS_KEEP_PER_MAIN, CDS_MAX_AGE, Instant.now());
      }
      List<String> flags =
          new ArrayList<>(
              List.of(
                  "-XX:+AutoCreateSharedArchive",
                  "-XX:SharedArchiveFile=" + archive,
                  "-Xlog:cds=off",
                  "-Xlog:cds+dynamic=off"));
      if (dumpsAtExit) {
        // the JVM writes the archive in its own exit, which a SIGTERM's quick exit skips: without
        // this, a service process stopped that way (every worker) would never get an archive
        flags.add("-D" + dev.weft.internal.rpc.QuickExit.JVM_EXIT_PROPERTY + "=true");
      }
      return flags;
    } catch (IOException e) {
      return List.of();
    }
  }

  /**
   * Whether {@code classpath} names a folder that holds anything (classes from an IDE or a build's
   * {@code target/classes}): the JVM dumps no archive for such a class path ("Cannot have non-empty
   * directory in paths"), so asking it to would only cost each process the slower exit through the
   * JVM that the dump needs, at every stop, for nothing.
   */
  static boolean holdsClassFolder(String classpath) {
    for (String entry : classpath.split(java.io.File.pathSeparator)) {
      Path p = Path.of(entry.isEmpty() ? "." : entry);
      if (Files.isDirectory(p)) {
        try (var s = Files.list(p)) {
          if (s.findAny().isPresent()) {
            return true;
          }
        } catch (IOException | RuntimeException e) {
          return true; // unreadable: the JVM could not dump it either
        }
      }
    }
    return false;
  }

  /** How many archives of each main class {@link #cdsFlags} keeps (the ones used last). */
  static final int CDS_KEEP_PER_MAIN = 6;

  /** Archives unused for longer are removed. */
  static final java.time.Duration CDS_MAX_AGE = java.time.Duration.ofDays(14);

  private static final java.util.concurrent.atomic.AtomicBoolean CDS_PRUNED =
      new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * Removes from {@code dir} the archives ({@code Main-key.jsa}) of each main class beyond the
   * {@code keepPerMain} modified last, and those not modified within {@code maxAge} of {@code now};
   * returns how many it removed. Best effort: a file another process removed first is skipped.
   */
  static int pruneArchives(Path dir, int keepPerMain, java.time.Duration maxAge, Instant now) {
    record Archive(Path path, String main, long modified) {}
    List<Archive> all = new ArrayList<>();
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        int dash = name.lastIndexOf('-');
        if (!name.endsWith(".jsa") || dash <= 0) {
          continue;
        }
        try {
          all.add(new Archive(f, name.substring(0, dash), Files.getLastModifiedTime(f).toMillis()));
        } catch (IOException gone) {
          // removed meanwhile
        }
      }
    } catch (IOException e) {
      return 0;
    }
    all.sort(java.util.Comparator.comparingLong(Archive::modified).reversed());
    java.util.Map<String, Integer> seen = new java.util.HashMap<>();
    long oldest = now.minus(maxAge).toEpochMilli();
    int removed = 0;
    for (Archive a : all) {
      int rank = seen.merge(a.main(), 1, Integer::sum);
      if (rank > keepPerMain || a.modified() < oldest) {
        try {
          if (Files.deleteIfExists(a.path())) {
            removed++;
          }
        } catch (IOException e) {
          // another user's file, or in use where that matters: leave it
        }
      }
    }
    return removed;
  }

  /** The size and modification time of each jar of {@code classpath}, in order. */
  static String jarStamps(String classpath) {
    StringBuilder b = new StringBuilder();
    for (String e : classpath.split(java.io.File.pathSeparator)) {
      if (e.endsWith(".jar")) {
        java.io.File f = new java.io.File(e);
        b.append(f.length()).append('@').append(f.lastModified()).append(';');
      }
    }
    return b.toString();
  }

  /** Follows the log for the READY line, until the process is ready or gone (bounded by both). */
  private static void watchReady(
      Process p, Path log, long offset, CompletableFuture<Integer> ready) {
    long pos = offset;
    StringBuilder partial = new StringBuilder();
    try (java.nio.channels.FileChannel ch =
        java.nio.channels.FileChannel.open(log, StandardOpenOption.READ)) {
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(8192);
      while (!ready.isDone()) {
        buf.clear();
        int n = ch.read(buf, pos);
        if (n > 0) {
          pos += n;
          partial.append(new String(buf.array(), 0, n, StandardCharsets.UTF_8));
          int nl;
          while ((nl = partial.indexOf("\n")) >= 0) {
            String line = partial.substring(0, nl);
            partial.delete(0, nl + 1);
            if (line.startsWith(READY)) {
              ready.complete(Integer.parseInt(line.substring(READY.length()).trim()));
              return;
            }
          }
          continue;
        }
        if (!p.isAlive()) {
          ready.completeExceptionally(
              new IOException(
                  "process exited with code " + p.exitValue() + " before it was ready"));
          return;
        }
        Thread.sleep(3); // poll the log while the process starts; ends when ready or dead
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      ready.completeExceptionally(e);
    }
  }

  static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Exits this JVM when {@code pid} exits (a parent that died, even by SIGKILL). */
  public static void exitWhenGone(long pid, String why) {
    if (pid <= 0) {
      return;
    }
    ProcessHandle.of(pid)
        .ifPresentOrElse(
            h -> h.onExit().thenRun(() -> exitNow(why + " (pid " + pid + ") is gone")),
            () -> exitNow(why + " (pid " + pid + ") is already gone"));
  }

  /** Exits on a fresh thread, so shutdown hooks run even when called from a pool thread. */
  public static void exitNow(String why) {
    System.err.println("exiting: " + why);
    Thread.ofPlatform().start(() -> System.exit(0));
  }

  /** Kills every descendant of this process: first politely, then forcibly. */
  public static void killDescendants(long graceMillis) {
    List<ProcessHandle> kids = ProcessHandle.current().descendants().toList();
    kids.forEach(ProcessHandle::destroy);
    long deadline = System.currentTimeMillis() + graceMillis;
    for (ProcessHandle h : kids) {
      try {
        h.onExit().get(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        h.destroyForcibly();
      }
    }
  }
}
