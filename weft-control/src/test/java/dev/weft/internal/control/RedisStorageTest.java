package dev.weft.internal.control;

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

/**
 * {@link RedisStorage} against a real redis-server on loopback, one fresh server per test: the
 * shared contract on database 0, and what only Redis has (databases, the key layout, a server that
 * dies or restarts, passwords).
 */
class RedisStorageTest extends ControlStorageContractTest {
  /** How long a test waits for the storage to get its connection back. */
  private static final Duration T = Duration.ofSeconds(20);

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

  @Override
  protected ControlStorage open() {
    return new RedisStorage(server.uri(0));
  }

  @Override
  protected String description() {
    return "redis://127.0.0.1:" + server.port() + "/0";
  }

  private RedisStorage open(String uri) {
    RedisStorage storage = new RedisStorage(uri);
    opened.add(storage);
    return storage;
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
