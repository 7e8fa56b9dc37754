package dev.weft.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.KeyValueStore;
import dev.weft.Weft;
import dev.weft.WeftConfig;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The cluster's key-value table ({@code Weft.kv()}, issue 11 item 6) as programs use it: the
 * driver, a task in a worker and a driver of another job see the same keys; bad keys and values
 * fail with a clear error on the caller's side. Its recovery after a control-store restart is
 * HeadRestartIT's (file log and Redis) and ControlStoreRecoveryTest's.
 */
@ExtendWith(ClusterSupport.Logs.class)
class KeyValueIT {
  private static final Duration SLOW = Duration.ofSeconds(120);

  @BeforeAll
  static void start() {
    ClusterSupport.start(KeyValueIT.class, WeftConfig.builder().numCpus(2));
  }

  @AfterAll
  static void stop() {
    Weft.shutdown();
  }

  /** In a worker: reads {@code key} and writes {@code key + "/seen"}. */
  public static String readAndMark(String key) {
    String v = Weft.kv().get(key).map(b -> new String(b, UTF_8)).orElse("(none)");
    Weft.kv().put(key + "/seen", ("by a worker: " + v).getBytes(UTF_8));
    return v;
  }

  @Test
  void driversAndWorkersShouldShareOneTable() throws Exception {
    KeyValueStore kv = Weft.kv();
    kv.put("it/config", "v1".getBytes(UTF_8));
    kv.put("it/config", "v2".getBytes(UTF_8)); // replaced
    assertThat(Weft.get(Weft.task(KeyValueIT::readAndMark, "it/config").remote(), SLOW))
        .isEqualTo("v2");
    assertThat(kv.get("it/config/seen").map(b -> new String(b, UTF_8))).hasValue("by a worker: v2");

    assertThat(kv.putIfAbsent("it/lock", new byte[] {1})).isTrue();
    assertThat(kv.putIfAbsent("it/lock", new byte[] {2})).as("taken").isFalse();
    assertThat(kv.get("it/lock")).hasValueSatisfying(v -> assertThat(v).containsExactly(1));
    assertThat(kv.keys("it/")).containsExactly("it/config", "it/config/seen", "it/lock");
    assertThat(kv.delete("it/lock")).isTrue();
    assertThat(kv.delete("it/lock")).as("gone already").isFalse();
    assertThat(kv.get("it/lock")).isEqualTo(Optional.empty());
    assertThat(kv.keys("nothing-here/")).isEmpty();

    // a driver of another job, started as its own JVM, reads what this one wrote
    DriverProgram.Launched other = DriverProgram.launchOnThisCluster("kv-get", "it/config");
    other.awaitLine("RESULT v2", Duration.ofSeconds(90));
  }

  @Test
  void badKeysAndValuesShouldFailClearly() {
    KeyValueStore kv = Weft.kv();
    assertThatThrownBy(() -> kv.put("", new byte[1]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the key is empty");
    assertThatThrownBy(() -> kv.get(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the key is null");
    assertThatThrownBy(() -> kv.put("k".repeat(KeyValueStore.MAX_KEY_BYTES + 1), new byte[1]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than the " + KeyValueStore.MAX_KEY_BYTES + " allowed");
    assertThatThrownBy(() -> kv.put("big", new byte[KeyValueStore.MAX_VALUE_BYTES + 1]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Weft.putDetached");
    assertThatThrownBy(() -> kv.put("null-value", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("use delete");
    assertThatThrownBy(() -> kv.put("bad\uD800", new byte[1]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unpaired surrogate");
    assertThat(kv.get("big")).as("nothing was written").isEmpty();
  }
}
