package dev.weft.shuffle.sort.bench;

import dev.weft.bench.peers.PeerJson;
import java.io.IOException;
import java.io.Reader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The Spark baseline of {@code weft sort bench}: Apache Spark ({@code local[2]}) sorting the same
 * gensort-format files in a JVM of its own, with its own class path: the distribution's {@code
 * peers/spark/} folder ({@code peer.properties} and {@code lib/*.jar}, built by the
 * weft-bench-peers/spark module). Nothing of Spark is on Weft's class path.
 *
 * <pre>{@code
 * SparkBaseline.Result r = SparkBaseline.find().run(input, output, 64, Duration.ofMinutes(30));
 * }</pre>
 */
public final class SparkBaseline {
  /** The system property naming the peers' folder (as {@code weft bench --peers} reads it). */
  public static final String PEERS_DIR_PROPERTY = "weft.peers.dir";

  /** The prefix of the peer's result line (dev.weft.bench.peers.spark.SparkSort). */
  static final String RESULT_PREFIX = "SPARK_SORT ";

  private static final int TAIL_LINES = 20;

  /**
   * One Spark sort.
   *
   * @param records records sorted and written
   * @param seconds wall time around the whole process, JVM and Spark start-up included
   * @param sparkSeconds Spark's own time for the job: reading, sorting, writing (no start-up)
   * @param contextSeconds the time Spark took to start its context
   * @param json the peer's whole result object, as printed
   * @param log the file holding the peer's output (deleted after a success unless given)
   */
  public record Result(
      long records,
      double seconds,
      double sparkSeconds,
      double contextSeconds,
      String json,
      Path log) {}

  private final Path dir;
  private final String title;
  private final String mainClass;
  private final List<String> jvmFlags;
  private final int heapMb;
  private final String master;
  private final Path log;

  private SparkBaseline(
      Path dir,
      String title,
      String mainClass,
      List<String> jvmFlags,
      int heapMb,
      String master,
      Path log) {
    this.dir = dir;
    this.title = title;
    this.mainClass = mainClass;
    this.jvmFlags = List.copyOf(jvmFlags);
    this.heapMb = heapMb;
    this.master = master;
    this.log = log;
  }

  /**
   * Finds the spark peer folder: {@code <weft.peers.dir>/spark} when that system property is set,
   * else {@code $WEFT_HOME/peers/spark} (set by the distribution's bin/weft), else {@code
   * peers/spark} beside the {@code lib/} folder this class was loaded from.
   *
   * @throws IOException when none holds the peer, saying how to build it
   */
  public static SparkBaseline find() throws IOException {
    return find(System.getProperty(PEERS_DIR_PROPERTY), System.getenv("WEFT_HOME"), codeSource());
  }

  static SparkBaseline find(String peersDirProperty, String weftHome, Path codeSource)
      throws IOException {
    List<Path> tried = new ArrayList<>();
    if (peersDirProperty != null && !peersDirProperty.isBlank()) {
      // an explicit choice: no fallback to another folder
      return at(Path.of(peersDirProperty, "spark"), "-D" + PEERS_DIR_PROPERTY);
    }
    if (weftHome != null && !weftHome.isBlank()) {
      tried.add(Path.of(weftHome, "peers", "spark"));
    }
    if (codeSource != null
        && Files.isRegularFile(codeSource)
        && codeSource.getParent() != null
        && codeSource.getParent().getParent() != null) {
      tried.add(codeSource.getParent().getParent().resolve("peers").resolve("spark"));
    }
    for (Path p : tried) {
      if (Files.isRegularFile(p.resolve("peer.properties"))) {
        return at(p, p.toString());
      }
    }
    throw new IOException(
        "the Spark baseline (peers/spark) was not found"
            + (tried.isEmpty() ? "" : " in " + tried)
            + ". It is built with the distribution: run ./mvnw package (it leaves"
            + " weft-dist/target/weft/peers/spark) and use weft-dist/target/weft/bin/weft, or pass"
            + " -D"
            + PEERS_DIR_PROPERTY
            + "=<folder holding spark/>");
  }

  /** The peer in {@code dir} ({@code peer.properties} and {@code lib/}). */
  static SparkBaseline at(Path dir, String from) throws IOException {
    Path props = dir.resolve("peer.properties");
    if (!Files.isRegularFile(props) || !Files.isDirectory(dir.resolve("lib"))) {
      throw new IOException(
          "no Spark baseline in "
              + dir
              + " (from "
              + from
              + "): expected peer.properties and lib/ there. Build the distribution with ./mvnw"
              + " package (it leaves weft-dist/target/weft/peers/spark)");
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(props, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    String main = p.getProperty("main", "").trim();
    if (main.isEmpty()) {
      throw new IOException("'main' missing in " + props);
    }
    int heap;
    try {
      heap = Integer.parseInt(p.getProperty("heap.mb", "4096").trim());
    } catch (NumberFormatException e) {
      throw new IOException("heap.mb is not a number in " + props, e);
    }
    String flags = p.getProperty("jvm.flags", "").trim();
    return new SparkBaseline(
        dir,
        p.getProperty("title", "Apache Spark").trim(),
        main,
        flags.isEmpty() ? List.of() : Arrays.asList(flags.split("\\s+")),
        heap,
        "local[2]",
        null);
  }

  /** This baseline with another driver heap (Spark's driver memory; local mode: one JVM). */
  public SparkBaseline withHeapMb(int mb) {
    if (mb < 256) {
      throw new IllegalArgumentException(
          "the Spark driver heap must be at least 256 MB, not " + mb);
    }
    return new SparkBaseline(dir, title, mainClass, jvmFlags, mb, master, log);
  }

  /** This baseline with another Spark master, e.g. {@code local[4]} (default {@code local[2]}). */
  public SparkBaseline withMaster(String m) {
    return new SparkBaseline(dir, title, mainClass, jvmFlags, heapMb, m, log);
  }

  /** This baseline writing the peer's output to {@code file} (kept) instead of a temp file. */
  public SparkBaseline withLog(Path file) {
    return new SparkBaseline(dir, title, mainClass, jvmFlags, heapMb, master, file);
  }

  /** The peer's folder. */
  public Path dir() {
    return dir;
  }

  /** The peer's name and version, e.g. "Apache Spark 4.2.0". */
  public String title() {
    return title;
  }

  /** The command line that sorts {@code input} into {@code output}. */
  List<String> command(Path input, Path output, int partitions) {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBinary());
    cmd.addAll(jvmFlags);
    cmd.add("-Xmx" + heapMb + "m");
    cmd.add("-cp");
    cmd.add(dir.resolve("lib") + "/*"); // the java launcher expands the wildcard
    cmd.add(mainClass);
    cmd.addAll(
        List.of(
            "--input",
            input.toAbsolutePath().toString(),
            "--output",
            output.toAbsolutePath().toString(),
            "--partitions",
            Integer.toString(partitions),
            "--master",
            master));
    return cmd;
  }

  /**
   * Sorts every regular file of {@code input} into {@code output/part-%05d} ({@code partitions}
   * files; {@code output} must be empty or absent) and waits for it.
   *
   * @throws IOException when the peer fails, exits without a result, or runs past {@code timeout}
   *     (then its process tree is killed); the message holds the last lines of its log
   */
  public Result run(Path input, Path output, int partitions, Duration timeout)
      throws IOException, InterruptedException {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, not " + partitions);
    }
    Path logFile = log != null ? log : Files.createTempFile("weft-sort-spark-", ".log");
    ProcessBuilder pb = new ProcessBuilder(command(input, output, partitions));
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()));
    long t0 = System.nanoTime();
    Process p = pb.start();
    p.getOutputStream().close(); // it reads nothing
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        kill(p);
        throw new IOException(
            title
                + " did not finish sorting "
                + input
                + " within "
                + timeout.toSeconds()
                + " s and was killed; give more time or a smaller input (log: "
                + logFile
                + ")"
                + tail(logFile));
      }
    } catch (InterruptedException e) {
      kill(p);
      throw e;
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(
          title
              + " failed (exit status "
              + p.exitValue()
              + "; log: "
              + logFile
              + ")"
              + tail(lines));
    }
    String json = null;
    for (String l : lines) {
      if (l.startsWith(RESULT_PREFIX)) {
        json = l.substring(RESULT_PREFIX.length()).trim();
      }
    }
    if (json == null) {
      throw new IOException(
          title
              + " exited without its result line ("
              + RESULT_PREFIX.trim()
              + " {...}; log: "
              + logFile
              + ")"
              + tail(lines));
    }
    Result r =
        new Result(
            (long) number(json, "records", logFile),
            seconds,
            number(json, "seconds", logFile),
            number(json, "context_seconds", logFile),
            json,
            log != null ? logFile : null);
    if (log == null) {
      Files.deleteIfExists(logFile);
    }
    return r;
  }

  static double number(String json, String key, Path logFile) throws IOException {
    Object v;
    try {
      v = PeerJson.parse(json) instanceof Map<?, ?> m ? m.get(key) : null;
    } catch (IllegalArgumentException e) {
      v = null;
    }
    if (!(v instanceof Number n)) {
      throw new IOException(
          "the Spark baseline's result has no number \""
              + key
              + "\": "
              + json
              + " (log: "
              + logFile
              + ")");
    }
    return n.doubleValue();
  }

  private static void kill(Process p) throws InterruptedException {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    p.waitFor(10, TimeUnit.SECONDS);
  }

  private static String tail(Path file) {
    try {
      return tail(Files.readAllLines(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return "";
    }
  }

  private static String tail(List<String> lines) {
    List<String> last = lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
    return last.isEmpty() ? " (no output)" : ", last lines:\n  " + String.join("\n  ", last);
  }

  /** The java of this process (so the peer runs on the same JDK). */
  static String javaBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  private static Path codeSource() {
    try {
      var cs = SparkBaseline.class.getProtectionDomain().getCodeSource();
      return cs == null ? null : Path.of(cs.getLocation().toURI());
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }
}
