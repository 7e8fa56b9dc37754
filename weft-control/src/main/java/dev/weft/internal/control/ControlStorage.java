package dev.weft.internal.control;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the control store keeps its tables so that a control store started again (after a crash, or
 * on another head) recovers them (issue 11, item 6): every table is a map from a string key to an
 * opaque value (the record, serialized by its table), behind this one interface.
 *
 * <p>Backends, chosen by {@code --storage}:
 *
 * <ul>
 *   <li>{@code file:DIR}, the default on a head: an append-only log with snapshots in DIR ({@link
 *       FileLogStorage});
 *   <li>{@code redis://host:port[/db]}: a Redis server, through Lettuce ({@link RedisStorage});
 *   <li>{@code memory}: nothing kept (a control store that dies loses its tables), for tests.
 * </ul>
 *
 * <p>Contract. Calls come from the control store's one loop thread, in order; a write returns once
 * it survives a crash of the control store's process right after (the file log wrote it to the OS
 * and forces it to disk within milliseconds; Redis acknowledged it), so what a caller was told
 * happened is recovered by the control store started next. {@link #load} is called once, before any
 * write, and returns what the last writes left: for each table its live keys (a key written then
 * deleted is absent). A backend that cannot read what it finds fails with an {@link
 * IllegalStateException} that says what and where (never starts empty over a damaged store).
 */
public interface ControlStorage extends AutoCloseable {
  /** Writes {@code value} under {@code key} in {@code table}, replacing what was there. */
  void put(String table, String key, byte[] value);

  /** Removes {@code key} from {@code table} (no-op if absent). */
  void delete(String table, String key);

  /** Every table's live entries: table → key → value. Tables with no entries may be absent. */
  Map<String, Map<String, byte[]>> load();

  /** What and where, for logs and {@code weft status}: e.g. {@code file:/var/weft/control}. */
  String describe();

  @Override
  void close();

  /** Keeps nothing: for tests and single-use clusters. */
  final class Memory implements ControlStorage {
    private final Map<String, Map<String, byte[]>> tables = new java.util.HashMap<>();

    @Override
    public void put(String table, String key, byte[] value) {
      tables.computeIfAbsent(table, t -> new java.util.HashMap<>()).put(key, value.clone());
    }

    @Override
    public void delete(String table, String key) {
      Map<String, byte[]> t = tables.get(table);
      if (t != null) {
        t.remove(key);
      }
    }

    @Override
    public Map<String, Map<String, byte[]>> load() {
      Map<String, Map<String, byte[]>> out = new java.util.HashMap<>();
      tables.forEach((t, m) -> out.put(t, new java.util.HashMap<>(m)));
      return out;
    }

    @Override
    public String describe() {
      return "memory";
    }

    @Override
    public void close() {}
  }

  /**
   * Opens the backend named by {@code spec}: {@code file:DIR}, {@code redis://host:port[/db]} or
   * {@code memory}; an {@link IllegalArgumentException} saying what is accepted for anything else.
   */
  static ControlStorage open(String spec) {
    return open(spec, FileLogStorage.SYNC_MILLIS);
  }

  /**
   * As {@link #open(String)}, a {@code file:} storage forcing its writes to disk within {@code
   * syncMillis} (0: each before it returns; negative: never). Never is for a cluster that ends with
   * the process that started it (a driver's embedded cluster, a test's): a crash of its control
   * store alone loses nothing (the OS has each write, and its restart reads them back), and a crash
   * of the machine ends the driver and the cluster with it, so a forced write would protect
   * nothing. It also keeps the disk's flushes out of such a cluster's path: at the end of a sort
   * that had just written gigabytes, the control store's last flush held its exit ~1 s.
   */
  static ControlStorage open(String spec, long syncMillis) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException(
          "--storage needs a value: file:DIR, redis://host:port[/db] or memory");
    }
    if (spec.equals("memory")) {
      return new Memory();
    }
    if (spec.startsWith("file:")) {
      String dir = spec.substring("file:".length());
      if (dir.isBlank()) {
        throw new IllegalArgumentException(
            "--storage " + spec + " names no folder: give file:DIR, e.g. file:/var/lib/weft");
      }
      return new FileLogStorage(Path.of(dir), FileLogStorage.COMPACT_BYTES, syncMillis);
    }
    if (spec.startsWith("redis://")) {
      return new RedisStorage(spec);
    }
    throw new IllegalArgumentException(
        "--storage "
            + spec
            + " is not a storage this control store knows: give file:DIR (an append-only log with"
            + " snapshots in DIR), redis://host:port[/db] (a Redis server) or memory (nothing"
            + " kept)");
  }
}
