package dev.weft.internal.control;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/** {@link RedisStorage} against a real redis-server on loopback, one fresh server per test. */
class RedisStorageTest {
  /** How long a test waits for the storage to get its connection back. */
  private static final Duration T = Duration.ofSeconds(20);

  private static final byte[] BINARY = {0, (byte) 0xFF, 1, (byte) 0x80, 0, '\r', '\n'};
  private static final byte[] EMPTY = {};

  private RedisServer server;
  private final List<AutoCloseable> opened = new ArrayList<>();

  @RegisterExtension
  final TestWatcher printServerLog =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          if (server != null) {
            System.err.println(
                "redis-server output for " + context.getDisplayName() + ":\n" + server.log());
          }
        }
      };

  @BeforeEach
  void start() throws IOException {
    server = RedisServer.start();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      for (AutoCloseable c : opened.reversed()) {
        c.close();
      }
    } finally {
      server.close();
    }
  }

  private RedisStorage open(String uri) {
    RedisStorage storage = new RedisStorage(uri);
    opened.add(storage);
    return storage;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  @Test
  void putDeleteLoad_twoTablesWithBinaryValues_loadsTheLiveEntriesByteForByte() {
    RedisStorage storage = open(server.uri(0));
    storage.put("nodes", "n-1", BINARY);
    storage.put("nodes", "n-2", bytes("two"));
    storage.put("actors", "a-1", EMPTY);
    storage.put("actors", "a-2", new byte[] {7});
    storage.put("jobs", "j-1", bytes("gone"));
    storage.delete("nodes", "n-2");
    storage.delete("actors", "a-2");
    storage.delete("jobs", "j-1");

    Map<String, Map<String, byte[]>> loaded = storage.load();

    assertThat(loaded).containsOnlyKeys("nodes", "actors");
    assertThat(loaded.get("nodes")).containsOnlyKeys("n-1");
    assertThat(loaded.get("nodes").get("n-1")).containsExactly(BINARY);
    assertThat(loaded.get("actors")).containsOnlyKeys("a-1");
    assertThat(loaded.get("actors").get("a-1")).isEmpty();
  }

  @Test
  void load_secondStorageOnTheSameServer_readsWhatTheFirstWrote() {
    RedisStorage first = open(server.uri(0));
    first.put("nodes", "n-1", BINARY);
    first.put("actors", "a-1", bytes("actor one"));
    first.put("actors", "a-2", EMPTY);
    first.close();

    Map<String, Map<String, byte[]>> loaded = open(server.uri(0)).load();

    assertThat(loaded).containsOnlyKeys("nodes", "actors");
    assertThat(loaded.get("nodes").get("n-1")).containsExactly(BINARY);
    assertThat(loaded.get("actors")).containsOnlyKeys("a-1", "a-2");
    assertThat(loaded.get("actors").get("a-1")).containsExactly(bytes("actor one"));
    assertThat(loaded.get("actors").get("a-2")).isEmpty();
  }

  @Test
  void put_sameKeyTwice_keepsTheLastValue() {
    RedisStorage storage = open(server.uri(0));
    storage.put("nodes", "n-1", bytes("first, and longer than the second"));
    storage.put("nodes", "n-1", BINARY);

    assertThat(open(server.uri(0)).load().get("nodes").get("n-1")).containsExactly(BINARY);
  }

  @Test
  void delete_absentKeyOrTable_isANoOp() {
    RedisStorage storage = open(server.uri(0));
    storage.put("nodes", "n-1", BINARY);

    storage.delete("nodes", "ghost");
    storage.delete("never-written", "ghost");

    Map<String, Map<String, byte[]>> loaded = storage.load();
    assertThat(loaded).containsOnlyKeys("nodes");
    assertThat(loaded.get("nodes")).containsOnlyKeys("n-1");
    assertThat(loaded.get("nodes").get("n-1")).containsExactly(BINARY);
  }

  @Test
  void load_twoDatabaseNumbers_doNotSeeEachOthersTables() {
    RedisStorage one = open(server.uri(1));
    RedisStorage two = open(server.uri(2));
    one.put("nodes", "n-1", bytes("in db 1"));
    two.put("nodes", "n-9", bytes("in db 2"));
    two.put("jobs", "j-1", bytes("only in db 2"));

    Map<String, Map<String, byte[]>> fromOne = one.load();
    Map<String, Map<String, byte[]>> fromTwo = two.load();

    assertThat(fromOne).containsOnlyKeys("nodes");
    assertThat(fromOne.get("nodes")).containsOnlyKeys("n-1");
    assertThat(fromTwo).containsOnlyKeys("nodes", "jobs");
    assertThat(fromTwo.get("nodes")).containsOnlyKeys("n-9");
    assertThat(one.describe()).isEqualTo("redis://127.0.0.1:" + server.port() + "/1");
    assertThat(two.describe()).isEqualTo("redis://127.0.0.1:" + server.port() + "/2");
  }

  @Test
  void layout_oneHashPerTableAndASetOfNames_otherKeysOnTheServerIgnored() {
    RedisStorage storage = open(server.uri(0));
    storage.put("nodes", "n-1", bytes("one"));
    RedisClient raw = RedisClient.create(server.uri(0));
    opened.add(raw::shutdown);
    StatefulRedisConnection<String, String> conn = raw.connect();
    opened.add(conn);
    RedisCommands<String, String> redis = conn.sync();
    redis.set("someone-else:key", "not ours");

    assertThat(redis.type("weft:control:nodes")).isEqualTo("hash");
    assertThat(redis.hgetall("weft:control:nodes")).isEqualTo(Map.of("n-1", "one"));
    assertThat(redis.smembers("weft:control:tables")).containsExactly("nodes");
    assertThat(storage.load()).containsOnlyKeys("nodes");
  }

  @Test
  void constructor_serverNotRunning_failsNamingTheAddressAndWhatToDo() throws IOException {
    int port = RedisServer.freePort();

    assertThatThrownBy(() -> open("redis://127.0.0.1:" + port + "/0"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("127.0.0.1:" + port)
        .hasMessageContaining("refused")
        .hasMessageContaining("start redis-server there")
        .hasMessageContaining("--storage file:DIR");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void put_serverKilledUnderAnOpenStorage_failsWithTheTableAndKey() throws Exception {
    RedisStorage storage = open(server.uri(0));
    storage.put("nodes", "n-1", BINARY);

    server.kill();

    assertThatThrownBy(() -> storage.put("nodes", "n-2", BINARY))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("127.0.0.1:" + server.port())
        .hasMessageContaining("table nodes")
        .hasMessageContaining("key n-2");
  }

  @Test
  void put_afterTheServerRestarts_succeedsAgainOnTheSameStorage() throws Exception {
    RedisStorage storage = open(server.uri(0));
    storage.put("nodes", "n-1", BINARY);
    server.kill();
    server.restart();

    await("a put on the storage after redis-server restarted")
        .atMost(T)
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptionsInstanceOf(IllegalStateException.class)
        .until(
            () -> {
              storage.put("nodes", "n-2", bytes("after"));
              return true;
            });

    // the restarted server kept nothing (--save ""), so only the new write is there, and listed
    Map<String, Map<String, byte[]>> loaded = storage.load();
    assertThat(loaded).containsOnlyKeys("nodes");
    assertThat(loaded.get("nodes")).containsOnlyKeys("n-2");
  }

  @Test
  void describe_uriWithAPassword_leavesThePasswordOut() throws Exception {
    RedisServer guarded = RedisServer.start("--requirepass", "s3cret");
    opened.add(guarded);
    String base = "127.0.0.1:" + guarded.port() + "/3";

    RedisStorage storage = open("redis://:s3cret@" + base);
    storage.put("nodes", "n-1", BINARY);

    assertThat(storage.describe()).isEqualTo("redis://" + base);
    assertThat(storage.load().get("nodes").get("n-1")).containsExactly(BINARY);
    assertThatThrownBy(() -> open("redis://:wrong-secret@" + base))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("redis://" + base)
        .hasMessageContaining("WRONGPASS")
        .hasMessageNotContaining("wrong-secret");
  }

  @Test
  void put_tableNamedTables_isRefusedAsReserved() {
    RedisStorage storage = open(server.uri(0));

    assertThatThrownBy(() -> storage.put("tables", "k", BINARY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reserved");
    assertThat(storage.load()).isEmpty();
  }
}
