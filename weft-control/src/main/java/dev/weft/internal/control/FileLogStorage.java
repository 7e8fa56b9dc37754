package dev.weft.internal.control;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control store's tables in a folder of its own: an append-only log of writes, compacted into a
 * snapshot once it grows (the default storage, {@code --storage file:DIR}).
 *
 * <h2>Implementation notes</h2>
 *
 * <pre>
 *  DIR/lock      held (an OS file lock) while a control store uses DIR: a second one is refused
 *  DIR/snapshot  "WEFTSNP1", entry count, entries (table, key, value), CRC32C of all before it;
 *                written to snapshot.tmp, forced, then renamed over the old one (atomic)
 *  DIR/log       "WEFTLOG1", then records: length, CRC32C of the body, body = op (PUT | DELETE),
 *                table, key[, value]; each write appended before it returns (in the OS: it
 *                survives a crash of this process at once), and forced to disk by a flusher
 *                within {@link #SYNC_MILLIS} ({@code -Dweft.control.syncMillis}, default 20 ms;
 *                0 forces every write before it returns; a negative value never forces,
 *                as for a cluster that ends with its driver)
 * </pre>
 *
 * Why a flusher: forcing each write costs ~0.3 ms of disk here, and creating an actor writes its
 * record three times, so a cluster creating thousands of actors would wait on the disk; the control
 * store's restart after a crash of its process (the case it is built for) needs only the OS to have
 * the write. A crash of the whole machine loses at most the last {@link #SYNC_MILLIS} of writes,
 * and with it the head's node and everything the lost writes described.
 *
 * <p>Opening: the snapshot is read (a damaged one is an error: never start empty over it), then the
 * log replayed over it. A record cut short or failing its check at the very end of the log is a
 * write torn by a crash (never acknowledged): the log is cut back to the record before, with a
 * warning; a bad record with more after it is damage, and an error. Compaction, once the log is
 * over {@link #COMPACT_BYTES} ({@code -Dweft.control.compactBytes}) and larger than the snapshot: a
 * new snapshot of the current tables (kept in memory as a mirror), then a fresh log. A crash
 * between the two replays the old log over the new snapshot, which changes nothing: the last write
 * of each key in the log is already its value in the snapshot.
 */
final class FileLogStorage implements ControlStorage {
  private static final Logger log = LoggerFactory.getLogger(FileLogStorage.class);

  static final byte[] LOG_MAGIC = "WEFTLOG1".getBytes(StandardCharsets.US_ASCII);
  static final byte[] SNAPSHOT_MAGIC = "WEFTSNP1".getBytes(StandardCharsets.US_ASCII);
  static final long COMPACT_BYTES = Long.getLong("weft.control.compactBytes", 4L << 20);

  /** How soon a write is forced to disk by default; 0: before it returns; negative: never. */
  static final long SYNC_MILLIS = Long.getLong("weft.control.syncMillis", 20);

  /** {@link #SYNC_MILLIS} for this storage ({@code --storage-sync}). */
  private final long syncMillis;

  /** The largest record accepted when reading: a length beyond it is damage, not a record. */
  static final int MAX_RECORD = 256 << 20;

  private static final byte PUT = 1;
  private static final byte DELETE = 2;

  private final Path dir;
  private final Path logFile;
  private final Path snapshotFile;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Map<String, Map<String, byte[]>> tables = new HashMap<>();
  private FileChannel logChannel;
  private final long compactBytes;
  private long snapshotBytes;

  /** Written to the log and not forced to disk yet. */
  private boolean dirty;

  private final java.util.concurrent.ScheduledExecutorService flusher;

  FileLogStorage(Path dir) {
    this(dir, COMPACT_BYTES, SYNC_MILLIS);
  }

  /** As above, compacting once the log is over {@code compactBytes} (tests use a small one). */
  FileLogStorage(Path dir, long compactBytes) {
    this(dir, compactBytes, SYNC_MILLIS);
  }

  /**
   * As above, forcing writes to disk within {@code syncMillis} (0: each before it returns;
   * negative: never, for a cluster that ends with the process that started it: see {@link
   * ControlStorage#open(String, long)}).
   */
  FileLogStorage(Path dir, long compactBytes, long syncMillis) {
    this.compactBytes = compactBytes;
    this.syncMillis = syncMillis;
    this.dir = dir.toAbsolutePath();
    this.logFile = this.dir.resolve("log");
    this.snapshotFile = this.dir.resolve("snapshot");
    try {
      Files.createDirectories(this.dir);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot make the control store's storage folder "
              + this.dir
              + ": "
              + e
              + " (give --storage file:DIR a folder this user may write)",
          e);
    }
    try {
      lockChannel =
          FileChannel.open(
              this.dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock l;
      try {
        l = lockChannel.tryLock();
      } catch (OverlappingFileLockException e) {
        l = null;
      }
      if (l == null) {
        lockChannel.close();
        throw new IllegalStateException(
            "another control store is using "
                + this.dir
                + " (its lock file is held): stop it first, or give this one another folder");
      }
      lock = l;
      try {
        readSnapshot();
        replayLog();
      } catch (IOException | RuntimeException e) {
        // refused: the folder is free again for whoever repairs it
        lock.release();
        lockChannel.close();
        throw e;
      }
      if (syncMillis > 0) {
        flusher =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("weft-control-sync").daemon().factory());
        flusher.scheduleWithFixedDelay(
            this::sync, syncMillis, syncMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
      } else {
        flusher = null;
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot open the control store's storage in " + this.dir + ": " + e, e);
    }
  }

  @Override
  public String describe() {
    return "file:" + dir;
  }

  @Override
  public synchronized Map<String, Map<String, byte[]>> load() {
    Map<String, Map<String, byte[]>> out = new HashMap<>();
    tables.forEach((t, m) -> out.put(t, new HashMap<>(m)));
    return out;
  }

  @Override
  public synchronized void put(String table, String key, byte[] value) {
    append(PUT, table, key, value);
    tables.computeIfAbsent(table, t -> new HashMap<>()).put(key, value.clone());
    maybeCompact();
  }

  @Override
  public synchronized void delete(String table, String key) {
    Map<String, byte[]> t = tables.get(table);
    if (t == null || !t.containsKey(key)) {
      return;
    }
    append(DELETE, table, key, null);
    t.remove(key);
    if (t.isEmpty()) {
      tables.remove(table);
    }
    maybeCompact();
  }

  /** Forces what was written to disk (the flusher calls it every {@link #SYNC_MILLIS}). */
  void sync() {
    FileChannel ch;
    synchronized (this) {
      if (!dirty || syncMillis < 0 || logChannel == null || !logChannel.isOpen()) {
        return;
      }
      dirty = false;
      ch = logChannel;
    }
    try {
      ch.force(false); // outside the lock: writes go on meanwhile
    } catch (java.nio.channels.ClosedChannelException e) {
      // swapped by a compaction meanwhile, which forced a snapshot of everything
    } catch (IOException e) {
      synchronized (this) {
        dirty = true;
      }
      log.error("cannot force the control store's log {} to disk: {}", logFile, e.toString());
    }
  }

  @Override
  public synchronized void close() {
    if (flusher != null) {
      flusher.shutdownNow();
    }
    sync();
    try {
      if (logChannel != null) {
        logChannel.close();
      }
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      log.warn("closing the control store's storage in {}: {}", dir, e.toString());
    }
  }

  /** Bytes in the log now (for tests). */
  synchronized long logBytes() throws IOException {
    return logChannel.size();
  }

  // ------------------------------------------------------------------ writing

  private void append(byte op, String table, String key, byte[] value) {
    byte[] body = body(op, table, key, value);
    CRC32C crc = new CRC32C();
    crc.update(body);
    ByteBuffer b = ByteBuffer.allocate(8 + body.length);
    b.putInt(body.length).putInt((int) crc.getValue()).put(body).flip();
    try {
      while (b.hasRemaining()) {
        logChannel.write(b);
      }
      if (syncMillis != 0) {
        dirty = true;
      } else {
        logChannel.force(false);
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot write "
              + table
              + "/"
              + key
              + " to the control store's log "
              + logFile
              + ": "
              + e
              + " (is the disk full?)",
          e);
    }
  }

  private static byte[] body(byte op, String table, String key, byte[] value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(op);
      out.writeUTF(table);
      out.writeUTF(key);
      if (op == PUT) {
        out.writeInt(value.length);
        out.write(value);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private void maybeCompact() {
    long size;
    try {
      size = logChannel.size();
    } catch (IOException e) {
      return;
    }
    if (size > compactBytes && size > snapshotBytes) {
      try {
        compact();
      } catch (IOException e) {
        // the log still holds everything: carry on with it, and try again at the next write
        log.warn("compacting the control store's log in {} failed: {}", dir, e.toString());
        try {
          if (!logChannel.isOpen()) {
            logChannel = FileChannel.open(logFile, StandardOpenOption.WRITE);
            logChannel.position(logChannel.size());
          }
        } catch (IOException again) {
          throw new IllegalStateException(
              "cannot reopen the control store's log " + logFile + ": " + again, again);
        }
      }
    }
  }

  /** A snapshot of the tables now, then a fresh log. */
  synchronized void compact() throws IOException {
    writeSnapshot();
    logChannel.close();
    logChannel = newLog();
  }

  private void writeSnapshot() throws IOException {
    CRC32C crc = new CRC32C();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(SNAPSHOT_MAGIC);
      int n = tables.values().stream().mapToInt(Map::size).sum();
      out.writeInt(n);
      for (Map.Entry<String, Map<String, byte[]>> t : tables.entrySet()) {
        for (Map.Entry<String, byte[]> e : t.getValue().entrySet()) {
          out.writeUTF(t.getKey());
          out.writeUTF(e.getKey());
          out.writeInt(e.getValue().length);
          out.write(e.getValue());
        }
      }
    }
    byte[] all = bytes.toByteArray();
    crc.update(all);
    ByteBuffer b = ByteBuffer.allocate(all.length + 4);
    b.put(all).putInt((int) crc.getValue()).flip();
    writeReplacing(snapshotFile, b);
    snapshotBytes = all.length + 4L;
  }

  /** A fresh log, holding only its header, forced with its folder entry. */
  private FileChannel newLog() throws IOException {
    writeReplacing(logFile, ByteBuffer.wrap(LOG_MAGIC));
    FileChannel c = FileChannel.open(logFile, StandardOpenOption.WRITE);
    c.position(c.size());
    return c;
  }

  /**
   * Writes {@code content} to TARGET.tmp, forced, then renames it over {@code target} (atomically
   * where the file system can) and forces the folder: a crash leaves the old file or the new one.
   */
  private void writeReplacing(Path target, ByteBuffer content) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try (FileChannel c =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      while (content.hasRemaining()) {
        c.write(content);
      }
      if (syncMillis >= 0) {
        c.force(true);
      }
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
    forceDir();
  }

  private void forceDir() {
    if (syncMillis < 0) {
      return;
    }
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // some file systems cannot open or force a folder: the rename is still atomic there
      log.debug("forcing folder {}: {}", dir, e.toString());
    }
  }

  // ------------------------------------------------------------------ reading

  private void readSnapshot() throws IOException {
    if (!Files.exists(snapshotFile)) {
      return;
    }
    byte[] all = Files.readAllBytes(snapshotFile);
    if (all.length < SNAPSHOT_MAGIC.length + 8
        || !java.util.Arrays.equals(all, 0, SNAPSHOT_MAGIC.length, SNAPSHOT_MAGIC, 0, 8)) {
      throw damaged(snapshotFile, "it does not start as a Weft control-store snapshot");
    }
    CRC32C crc = new CRC32C();
    crc.update(all, 0, all.length - 4);
    int stored = ByteBuffer.wrap(all, all.length - 4, 4).getInt();
    if (stored != (int) crc.getValue()) {
      throw damaged(snapshotFile, "its checksum does not match its content");
    }
    try (DataInputStream in =
        new DataInputStream(
            new java.io.ByteArrayInputStream(
                all, SNAPSHOT_MAGIC.length, all.length - 4 - SNAPSHOT_MAGIC.length))) {
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        String table = in.readUTF();
        String key = in.readUTF();
        byte[] v = new byte[in.readInt()];
        in.readFully(v);
        tables.computeIfAbsent(table, t -> new HashMap<>()).put(key, v);
      }
    } catch (IOException | RuntimeException e) {
      throw damaged(snapshotFile, "its entries cannot be read (" + e + ")");
    }
    snapshotBytes = all.length;
  }

  private void replayLog() throws IOException {
    if (!Files.exists(logFile)) {
      logChannel = newLog();
      return;
    }
    byte[] all = Files.readAllBytes(logFile);
    if (all.length < LOG_MAGIC.length
        || !java.util.Arrays.equals(all, 0, LOG_MAGIC.length, LOG_MAGIC, 0, LOG_MAGIC.length)) {
      if (all.length < LOG_MAGIC.length
          && java.util.Arrays.equals(all, 0, all.length, LOG_MAGIC, 0, all.length)) {
        // a crash while the fresh log's header was written: nothing in it yet
        logChannel = newLog();
        return;
      }
      throw damaged(logFile, "it does not start as a Weft control-store log");
    }
    int pos = LOG_MAGIC.length;
    int records = 0;
    while (pos < all.length) {
      String bad = null;
      int len = 0;
      if (all.length - pos < 8) {
        bad = "a record header cut short";
      } else {
        ByteBuffer h = ByteBuffer.wrap(all, pos, 8);
        len = h.getInt();
        int sum = h.getInt();
        if (len < 0 || len > MAX_RECORD) {
          bad = "a record length of " + len;
        } else if (all.length - pos - 8 < len) {
          bad = "a record cut short";
        } else {
          CRC32C crc = new CRC32C();
          crc.update(all, pos + 8, len);
          if ((int) crc.getValue() != sum) {
            bad = "a record failing its checksum";
          }
        }
      }
      if (bad != null) {
        boolean atTail = bad.contains("cut short") || pos + 8L + Math.max(0, len) >= all.length;
        if (!atTail) {
          throw damaged(logFile, bad + " at byte " + pos + ", with more records after it");
        }
        log.warn(
            "the control store's log {} ends with {} at byte {} (a write cut by a crash, never"
                + " acknowledged): cut back to the {} records before it",
            logFile,
            bad,
            pos,
            records);
        try (FileChannel c = FileChannel.open(logFile, StandardOpenOption.WRITE)) {
          c.truncate(pos);
          c.force(true);
        }
        break;
      }
      apply(all, pos + 8, len);
      records++;
      pos += 8 + len;
    }
    logChannel = FileChannel.open(logFile, StandardOpenOption.WRITE);
    logChannel.position(logChannel.size());
  }

  private void apply(byte[] all, int off, int len) throws IOException {
    try (DataInputStream in =
        new DataInputStream(new java.io.ByteArrayInputStream(all, off, len))) {
      byte op = in.readByte();
      String table = in.readUTF();
      String key = in.readUTF();
      if (op == PUT) {
        byte[] v = new byte[in.readInt()];
        in.readFully(v);
        tables.computeIfAbsent(table, t -> new HashMap<>()).put(key, v);
      } else if (op == DELETE) {
        Map<String, byte[]> t = tables.get(table);
        if (t != null) {
          t.remove(key);
          if (t.isEmpty()) {
            tables.remove(table);
          }
        }
      } else {
        throw damaged(logFile, "a record with an unknown operation " + op + " at byte " + off);
      }
    } catch (EOFException e) {
      throw damaged(logFile, "a record whose body is shorter than it says at byte " + off);
    }
  }

  private IllegalStateException damaged(Path file, String what) {
    return new IllegalStateException(
        "the control store's storage file "
            + file
            + " is damaged: "
            + what
            + ". Refusing to start on it (its tables would be lost): restore the folder from a"
            + " backup, or move it aside to start a new cluster state");
  }
}
