package dev.weft.internal.node;

import dev.weft.internal.core.JobCode;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import dev.weft.internal.rpc.Rpc;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This machine's cache of job code, by content: each class path entry a driver published lies in
 * the cache folder ({@link JobCode#cacheDir()}, machine-wide, shared by every node and driver of
 * the machine) as {@code <sha256>.jar}. A node that sets up a job's pool gets the class path to
 * start its workers with from here ({@link #classpathFor}).
 *
 * <p>Flow, for each entry with a hash (entries the driver lacks have none and are left out):
 *
 * <pre>
 *  driver attached to this node and every entry's path readable here with the published size
 *      → the driver's own paths, as they are (the one-node fast path: no copy, no hash)
 *  otherwise, per entry: cache/&lt;sha&gt;.jar present with the published size → used
 *      else NM → driver FetchCode(jobId, sha, offset, 1 MiB) → CodeChunk, {@link #IN_FLIGHT}
 *      chunks in flight, written in order to cache/&lt;sha&gt;.jar.&lt;node&gt;.&lt;uuid&gt;.tmp and
 *      hashed as they come; size and SHA-256 checked; then an atomic rename to cache/&lt;sha&gt;.jar
 *      (two nodes of one machine fetching the same entry each write their own temporary file; the
 *      renames replace equal content, so a reader never sees a partial file)
 * </pre>
 *
 * A fetch that fails (the driver cannot read the file, the content does not match its hash, the
 * driver is gone, a chunk does not come within {@link #CHUNK_TIMEOUT}) fails the job's set-up with
 * a message naming the entry, the node and the driver; the demands waiting for it are answered with
 * that message.
 *
 * <p>Implementation notes. Fetches run on virtual threads, one per job set-up, never on the node
 * loop; the cache folder is the only shared state, and it is only ever changed by atomic renames.
 */
final class CodeCache {
  private static final Logger log = LoggerFactory.getLogger(CodeCache.class);

  /** Chunks of one entry requested ahead of the one being written. */
  static final int IN_FLIGHT = 4;

  static final Duration CHUNK_TIMEOUT = Duration.ofSeconds(60);

  private final Path dir;
  private final String nodeId;
  private final String token;

  CodeCache(Path dir, String nodeId, String token) {
    this.dir = dir;
    this.nodeId = nodeId;
    this.token = token;
  }

  Path dir() {
    return dir;
  }

  /** The class path for the job's workers on this node; see the notes. */
  CompletableFuture<String> classpathFor(
      int jobId, String driverAddress, Msg.JobCode code, boolean attached) {
    if (attached && driversPathsServe(code)) {
      return CompletableFuture.completedFuture(
          String.join(
              File.pathSeparator, code.classpath().stream().map(Msg.CodeEntry::path).toList()));
    }
    CompletableFuture<String> out = new CompletableFuture<>();
    Thread.ofVirtual()
        .name("weft-code-fetch-" + jobId)
        .start(
            () -> {
              try {
                out.complete(fetchAll(jobId, driverAddress, code));
              } catch (Exception e) {
                out.completeExceptionally(e);
              }
            });
    return out;
  }

  /** Whether every entry with a hash lies at the driver's path here with its published size. */
  static boolean driversPathsServe(Msg.JobCode code) {
    for (Msg.CodeEntry e : code.classpath()) {
      if (e.sha256().isEmpty()) {
        continue;
      }
      Path p = Path.of(e.path());
      try {
        if (Files.isDirectory(p)) {
          continue; // a class folder: packed on the driver; its packing is not checked here
        }
        if (!Files.isReadable(p) || Files.size(p) != e.sizeBytes()) {
          return false;
        }
      } catch (IOException | RuntimeException ex) {
        return false;
      }
    }
    return true;
  }

  private String fetchAll(int jobId, String driverAddress, Msg.JobCode code) throws IOException {
    List<String> paths = new ArrayList<>();
    Connection driver = null;
    try {
      for (Msg.CodeEntry e : code.classpath()) {
        if (e.sha256().isEmpty()) {
          continue;
        }
        Path target = JobCode.cached(dir, e.sha256());
        if (!(Files.isRegularFile(target) && Files.size(target) == e.sizeBytes())) {
          if (driver == null) {
            driver = connect(jobId, driverAddress, e);
          }
          fetch(jobId, driverAddress, driver, e, target);
        }
        paths.add(target.toString());
      }
    } finally {
      if (driver != null) {
        driver.close();
      }
    }
    return String.join(File.pathSeparator, paths);
  }

  private Connection connect(int jobId, String driverAddress, Msg.CodeEntry e) throws IOException {
    try {
      return Rpc.connect(driverAddress, token, (c, id, m) -> {}, Duration.ofSeconds(10));
    } catch (IOException ex) {
      throw new IOException(problem(jobId, driverAddress, e, "cannot reach the driver: " + ex), ex);
    }
  }

  private void fetch(
      int jobId, String driverAddress, Connection driver, Msg.CodeEntry e, Path target)
      throws IOException {
    long started = System.nanoTime();
    Files.createDirectories(dir);
    Path tmp =
        target.resolveSibling(
            target.getFileName() + "." + nodeId + "." + UUID.randomUUID() + ".tmp");
    MessageDigest digest = JobCode.sha256();
    try {
      try (FileChannel out =
          FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ArrayDeque<CompletableFuture<Msg>> ahead = new ArrayDeque<>();
        long next = 0;
        long written = 0;
        while (written < e.sizeBytes()) {
          while (ahead.size() < IN_FLIGHT && next < e.sizeBytes()) {
            ahead.add(driver.call(new Msg.FetchCode(jobId, e.sha256(), next, JobCode.CHUNK_BYTES)));
            next += JobCode.CHUNK_BYTES;
          }
          Msg reply;
          try {
            reply = ahead.poll().get(CHUNK_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
          } catch (java.util.concurrent.TimeoutException ex) {
            throw new IOException(
                problem(
                    jobId,
                    driverAddress,
                    e,
                    "no chunk came within " + CHUNK_TIMEOUT.toSeconds() + " s"));
          } catch (java.util.concurrent.ExecutionException ex) {
            throw new IOException(
                problem(jobId, driverAddress, e, "the driver went away: " + ex.getCause()), ex);
          } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IOException(problem(jobId, driverAddress, e, "interrupted"), ex);
          }
          if (reply instanceof Msg.Failure f) {
            throw new IOException(problem(jobId, driverAddress, e, f.text()));
          }
          if (!(reply instanceof Msg.CodeChunk chunk)
              || chunk.offset() != written
              || chunk.data().length == 0
              || chunk.totalBytes() != e.sizeBytes()) {
            throw new IOException(
                problem(
                    jobId,
                    driverAddress,
                    e,
                    "the driver now has "
                        + (reply instanceof Msg.CodeChunk c ? c.totalBytes() + " bytes" : reply)
                        + " where it published "
                        + e.sizeBytes()
                        + " (the file changed after the driver started: restart the driver)"));
          }
          ByteBuffer buf = ByteBuffer.wrap(chunk.data());
          while (buf.hasRemaining()) {
            out.write(buf, written + buf.position());
          }
          digest.update(chunk.data());
          written += chunk.data().length;
        }
        out.force(false);
      }
      String got = HexFormat.of().formatHex(digest.digest());
      if (!got.equals(e.sha256())) {
        throw new IOException(
            problem(
                jobId,
                driverAddress,
                e,
                "the bytes the driver sent have SHA-256 "
                    + got
                    + " (the file changed after the driver started: restart the driver)"));
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      log.info(
          "node {} fetched {} ({} bytes, SHA-256 {}) from driver {} in {} ms",
          nodeId,
          e.path(),
          e.sizeBytes(),
          e.sha256(),
          driverAddress,
          (System.nanoTime() - started) / 1_000_000);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private String problem(int jobId, String driverAddress, Msg.CodeEntry e, String why) {
    return "node "
        + nodeId
        + " cannot fetch class path entry "
        + e.path()
        + " (SHA-256 "
        + e.sha256()
        + ", "
        + e.sizeBytes()
        + " bytes) of job "
        + jobId
        + " from its driver at "
        + driverAddress
        + " into "
        + dir
        + ": "
        + why;
  }
}
