package dev.weft.internal.core;

import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A driver's job code, content-addressed: each class path entry named by the SHA-256 of its
 * content, and served to nodes that lack it.
 *
 * <p>Message flow (see JobCatalog and CodeCache in weft-node for the node's side):
 *
 * <pre>
 *  driver: publish(class path) — each jar hashed as it is; each class folder packed into a jar
 *          deterministically (entries sorted, fixed times) and hashed, the packing written to the
 *          machine's code cache ({@link #cacheDir()}, under its hash) so that it can be served
 *  CW → CS  RegisterJob(…, JobCode)     CW → NM  AttachJob(…, JobCode)
 *  NM → CW  FetchCode(jobId, sha256, offset, maxBytes) → CodeChunk | Failure   (a node that lacks
 *           an entry pulls it from the driver, in chunks, several in flight)
 * </pre>
 *
 * A jar is hashed once per machine while its path, size and modification time stay the same (an
 * index in the cache folder). Entries that do not exist (a class path may name missing folders)
 * travel with an empty hash and no node fetches them. The driver serves only the entries it
 * published, by hash, never a path a node names. Why the driver and not the control store: the
 * driver has the files already, the job's tasks cannot outlive their driver anyway (fate sharing),
 * and the head need not hold every job's jars nor carry them twice.
 */
public final class JobCode {
  /** The size of a chunk a node asks for. */
  public static final int CHUNK_BYTES = 1 << 20;

  private static final LocalDateTime PACKED_TIME = LocalDateTime.of(2000, 1, 1, 0, 0);

  final Msg.JobCode code;

  /** Where each published entry's content is read from, by hash. */
  private final Map<String, Path> sources;

  private JobCode(Msg.JobCode code, Map<String, Path> sources) {
    this.code = code;
    this.sources = sources;
  }

  /** The machine-wide cache of class path entries, by hash: {@code -Dweft.codeCache} or ~/.weft. */
  public static Path cacheDir() {
    String p = System.getProperty("weft.codeCache");
    if (p == null || p.isBlank()) {
      p = System.getenv("WEFT_CODE_CACHE");
    }
    return p != null && !p.isBlank()
        ? Path.of(p)
        : Path.of(System.getProperty("user.home"), ".weft", "code-cache");
  }

  /** Where the entry named {@code sha256} lies in the cache {@code dir}. */
  public static Path cached(Path dir, String sha256) {
    return dir.resolve(sha256 + ".jar");
  }

  /** Hashes and packs {@code classpath}'s entries (see the notes). */
  static JobCode publish(String classpath, List<String> jvmOptions) throws IOException {
    List<Msg.CodeEntry> entries = new ArrayList<>();
    Map<String, Path> sources = new HashMap<>();
    Path indexFile = cacheDir().resolve("jar-hashes");
    Map<String, String> index = readIndex(indexFile);
    boolean indexChanged = false;
    // every element, empty ones too: the entries' paths joined give the class path string back
    for (String p : classpath.split(File.pathSeparator, -1)) {
      Path path = p.isEmpty() ? null : Path.of(p);
      if (path != null && Files.isRegularFile(path)) {
        long size = Files.size(path);
        String key =
            path.toAbsolutePath() + "|" + size + "|" + Files.getLastModifiedTime(path).toMillis();
        String sha = index.get(key);
        if (sha == null) {
          MessageDigest d = sha256();
          try (InputStream in = Files.newInputStream(path)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
              d.update(buf, 0, n);
            }
          }
          sha = HexFormat.of().formatHex(d.digest());
          index.put(key, sha);
          indexChanged = true;
        }
        entries.add(new Msg.CodeEntry(p, sha, size));
        sources.put(sha, path);
      } else if (path != null && Files.isDirectory(path)) {
        byte[] packed = pack(path);
        String sha = HexFormat.of().formatHex(sha256().digest(packed));
        Path target = cached(cacheDir(), sha);
        if (!Files.isRegularFile(target) || Files.size(target) != packed.length) {
          writeAtomically(target, packed);
        }
        entries.add(new Msg.CodeEntry(p, sha, packed.length));
        sources.put(sha, target);
      } else {
        entries.add(new Msg.CodeEntry(p, "", 0)); // missing: nothing to ship
      }
    }
    if (indexChanged) {
      StringBuilder b = new StringBuilder();
      index.forEach((k, v) -> b.append(v).append(' ').append(k).append('\n'));
      writeAtomically(indexFile, b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return new JobCode(new Msg.JobCode(entries, List.copyOf(jvmOptions)), Map.copyOf(sources));
  }

  /**
   * The machine's index of jar hashes, "sha256 path|size|mtimeMillis" a line: a jar whose path,
   * size and modification time are unchanged is not hashed again (the quick check of make and
   * rsync), which keeps a driver's start as fast as before. A damaged index is ignored.
   */
  private static Map<String, String> readIndex(Path indexFile) {
    Map<String, String> index = new java.util.LinkedHashMap<>();
    try {
      if (Files.isRegularFile(indexFile)) {
        for (String line : Files.readAllLines(indexFile)) {
          int sp = line.indexOf(' ');
          if (sp == 64) {
            index.put(line.substring(sp + 1), line.substring(0, sp));
          }
        }
      }
    } catch (IOException | UncheckedIOException e) {
      index.clear(); // rebuilt from the jars themselves
    }
    return index;
  }

  /** A class folder as a jar: entries sorted by name, fixed times, so equal folders pack equal. */
  static byte[] pack(Path folder) throws IOException {
    List<Path> files;
    Path cache = cacheDir().toAbsolutePath();
    try (Stream<Path> s = Files.walk(folder)) {
      // never the code cache itself, should it lie inside a class folder (say "." in ~)
      files = s.filter(f -> !f.equals(folder) && !f.toAbsolutePath().startsWith(cache)).toList();
    }
    List<String> names = new ArrayList<>();
    Map<String, Path> byName = new HashMap<>();
    for (Path f : files) {
      String name = folder.relativize(f).toString().replace(File.separatorChar, '/');
      if (Files.isDirectory(f)) {
        name += "/";
      }
      names.add(name);
      byName.put(name, f);
    }
    names.sort(null);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.setLevel(java.util.zip.Deflater.BEST_SPEED); // cheap: it is packed at every start
      for (String name : names) {
        ZipEntry e = new ZipEntry(name);
        e.setTimeLocal(PACKED_TIME);
        zip.putNextEntry(e);
        if (!name.endsWith("/")) {
          Files.copy(byName.get(name), zip);
        }
        zip.closeEntry();
      }
    }
    return out.toByteArray();
  }

  /** Writes {@code bytes} to {@code target} through a temporary file and an atomic rename. */
  public static void writeAtomically(Path target, byte[] bytes) throws IOException {
    Files.createDirectories(target.getParent());
    Path tmp = target.resolveSibling(target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      try (OutputStream o = Files.newOutputStream(tmp)) {
        o.write(bytes);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  /** Answers a node's FetchCode, reading on {@code io} (never on an event loop). */
  void serve(Connection c, long reqId, Msg.FetchCode f, String driverAddress, Executor io) {
    Path source = sources.get(f.sha256());
    if (source == null) {
      c.replyFailure(
          reqId,
          "the driver at "
              + driverAddress
              + " published no class path entry with SHA-256 "
              + f.sha256());
      return;
    }
    io.execute(
        () -> {
          try (FileChannel ch = FileChannel.open(source, StandardOpenOption.READ)) {
            long total = ch.size();
            int n =
                (int)
                    Math.max(0, Math.min(Math.min(f.maxBytes(), CHUNK_BYTES), total - f.offset()));
            ByteBuffer buf = ByteBuffer.allocate(n);
            while (buf.hasRemaining() && ch.read(buf, f.offset() + buf.position()) > 0) {}
            c.reply(reqId, new Msg.CodeChunk(f.sha256(), f.offset(), total, buf.array()));
          } catch (IOException | UncheckedIOException e) {
            c.replyFailure(
                reqId,
                "the driver at "
                    + driverAddress
                    + " cannot read class path entry "
                    + source
                    + " (SHA-256 "
                    + f.sha256()
                    + "): "
                    + e
                    + "; keep the job's files in place while it runs");
          }
        });
  }
}
