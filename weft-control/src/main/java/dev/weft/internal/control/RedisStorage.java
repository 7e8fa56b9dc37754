package dev.weft.internal.control;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The control store's tables on a Redis server ({@code --storage redis://host:port[/db]}), through
 * Lettuce: each table is one Redis hash from key to value, so a control store started again, here
 * or on another head, reads back what the last one wrote.
 *
 * <pre>
 *  weft:control:tables    set    the names of the tables ever written
 *  weft:control:TABLE     hash   key → value (the record, as its table serialized it)
 *
 *  put(t, k, v)   SADD weft:control:tables t, then HSET weft:control:t k v
 *  delete(t, k)   HDEL weft:control:t k
 *  load()         SMEMBERS weft:control:tables, then HGETALL weft:control:t for each
 * </pre>
 *
 * <h2>Implementation notes</h2>
 *
 * The set of table names is there so that {@link #load} reads exactly our keys, without KEYS or
 * SCAN over a server that may hold other data. Its name is the prefix plus {@code tables}, so no
 * table may be called {@code tables} (refused with an {@link IllegalArgumentException}). A put adds
 * the table name first, every time: if the control store dies between the two commands the name is
 * listed with no entry (harmless, {@link #load} skips empty tables), never an entry unlisted; and a
 * Redis that lost its data while this storage ran (one without persistence, restarted) gets the
 * name back with the next write of the table. Two control stores sharing one server use two
 * database numbers.
 *
 * <p>The synchronous API is used from the control store's loop thread, so a write returns once
 * Redis has acknowledged it. How durable an acknowledged write is across a crash of Redis itself is
 * Redis's configuration (append-only file and its fsync policy), not this class's.
 *
 * <p>Failures. Every command is bounded by {@link #COMMAND_TIMEOUT}, so a Redis that stops
 * answering fails the caller instead of blocking the loop. When the connection drops, Lettuce
 * reconnects in the background (retrying at most every second); meanwhile commands are refused at
 * once rather than queued, so a write the caller was told failed is not sent later behind its back.
 * A command that was already on the wire when the connection dropped may still have been applied;
 * both commands are idempotent, so writing it again is safe. Any failure is an {@link
 * IllegalStateException} naming the server, the table and key, and Redis's or the socket's reason.
 *
 * <p>This class owns its Lettuce client and that client's event loops (a handful of threads, shut
 * down by {@link #close}); it is not meant to be called from several threads at once.
 */
final class RedisStorage implements ControlStorage {
  /** How long one command (or the connection at construction) may take before it fails. */
  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

  private static final String PREFIX = "weft:control:";
  private static final String TABLES = PREFIX + "tables";

  private final String described;
  private final ClientResources resources;
  private final RedisClient client;
  private final StatefulRedisConnection<String, byte[]> connection;
  private final RedisCommands<String, byte[]> redis;
  private boolean closed;

  /**
   * Connects to {@code uri}, {@code redis://[[user]:password@]host:port[/db]}; an {@link
   * IllegalStateException} saying what to do if the server cannot be reached.
   */
  public RedisStorage(String uri) {
    RedisURI parsed = parse(uri);
    parsed.setTimeout(COMMAND_TIMEOUT);
    described = describe(parsed);
    resources =
        ClientResources.builder()
            .reconnectDelay(
                Delay.exponential(
                    Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
            .build();
    client = RedisClient.create(resources, parsed);
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
            .socketOptions(SocketOptions.builder().connectTimeout(COMMAND_TIMEOUT).build())
            .build());
    try {
      connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
    } catch (RuntimeException e) {
      shutDown();
      throw new IllegalStateException(
          "control-store storage "
              + described
              + ": cannot reach Redis at "
              + address(parsed)
              + " ("
              + reason(e)
              + "): start redis-server there (e.g. redis-server --port "
              + parsed.getPort()
              + " --appendonly yes), or use --storage file:DIR to keep the tables in a local"
              + " folder",
          e);
    }
    redis = connection.sync();
  }

  @Override
  public void put(String table, String key, byte[] value) {
    String hash = hashOf(table);
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    try {
      redis.sadd(TABLES, table.getBytes(UTF_8));
      redis.hset(hash, key, value);
    } catch (RedisException e) {
      throw failed("write", table, key, e);
    }
  }

  @Override
  public void delete(String table, String key) {
    String hash = hashOf(table);
    Objects.requireNonNull(key, "key");
    try {
      redis.hdel(hash, key);
    } catch (RedisException e) {
      throw failed("delete", table, key, e);
    }
  }

  @Override
  public Map<String, Map<String, byte[]>> load() {
    Set<byte[]> names;
    try {
      names = redis.smembers(TABLES);
    } catch (RedisException e) {
      throw new IllegalStateException(
          "control-store storage "
              + described
              + ": cannot read the table names from "
              + TABLES
              + " ("
              + reason(e)
              + ")",
          e);
    }
    Map<String, Map<String, byte[]>> out = new HashMap<>();
    for (byte[] raw : names) {
      String table = new String(raw, UTF_8);
      Map<String, byte[]> entries;
      try {
        entries = redis.hgetall(PREFIX + table);
      } catch (RedisException e) {
        throw new IllegalStateException(
            "control-store storage "
                + described
                + ": cannot read table "
                + table
                + " from "
                + PREFIX
                + table
                + " ("
                + reason(e)
                + ")",
            e);
      }
      if (!entries.isEmpty()) {
        out.put(table, new HashMap<>(entries));
      }
    }
    return out;
  }

  @Override
  public String describe() {
    return described;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      connection.close();
    } finally {
      shutDown();
    }
  }

  private void shutDown() {
    try {
      client.shutdown();
    } finally {
      resources.shutdown();
    }
  }

  private static RedisURI parse(String uri) {
    if (uri == null || !uri.startsWith("redis://")) {
      throw new IllegalArgumentException(
          "--storage " + uri + " is not a Redis address: give redis://host:port[/db]");
    }
    try {
      return RedisURI.create(uri);
    } catch (IllegalArgumentException e) {
      // the message may quote the URI, password included: give only the reason's shape
      throw new IllegalArgumentException(
          "--storage redis://…: not a valid Redis address ("
              + e.getClass().getSimpleName()
              + "): give redis://host:port[/db], e.g. redis://127.0.0.1:6379/0",
          e);
    }
  }

  /** {@code redis://host:port/db}: what was given, less any user name and password. */
  private static String describe(RedisURI uri) {
    return "redis://" + address(uri) + "/" + uri.getDatabase();
  }

  private static String address(RedisURI uri) {
    String host = uri.getHost();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + uri.getPort();
  }

  private static String hashOf(String table) {
    Objects.requireNonNull(table, "table");
    if (TABLES.equals(PREFIX + table)) {
      throw new IllegalArgumentException(
          "table name \"tables\" is reserved by the Redis storage (its key "
              + TABLES
              + " lists the tables): give the table another name");
    }
    return PREFIX + table;
  }

  private IllegalStateException failed(String what, String table, String key, RedisException e) {
    return new IllegalStateException(
        "control-store storage "
            + described
            + ": cannot "
            + what
            + " key "
            + key
            + " of table "
            + table
            + " ("
            + reason(e)
            + ")",
        e);
  }

  /** The innermost message of {@code e}'s causes: the socket's or Redis's own words. */
  private static String reason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
  }
}
