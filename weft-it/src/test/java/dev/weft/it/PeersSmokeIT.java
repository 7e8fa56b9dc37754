package dev.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.bench.BenchMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code weft bench --peers --quick}: every workload on a real embedded Weft cluster and on every
 * peer (Hazelcast, Apache Ignite, Apache Pekko, loopback TCP, each in JVMs of its own with its own
 * class path), tiny sizes, results checked, so the side-by-side benchmarks keep working. The peers'
 * folders are unpacked from their zips into target/peers by this module's pom (property
 * weft.peers.dir). The figures of a smoke run mean nothing; only that every system ran every
 * workload correctly.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class PeersSmokeIT {
  @TempDir Path tmp;

  @AfterEach
  void tearDown() {
    Weft.shutdown();
  }

  @Test
  void everyWorkloadRunsCorrectlyOnWeftAndEveryPeer() throws Exception {
    String peersDir = System.getProperty("weft.peers.dir");
    assertThat(peersDir).as("system property weft.peers.dir (set by weft-it's pom)").isNotNull();
    for (String peer : new String[] {"hazelcast", "ignite", "pekko", "tcp"}) {
      assertThat(Path.of(peersDir, peer, "peer.properties"))
          .as("peer folder of " + peer)
          .isRegularFile();
    }
    Path json = tmp.resolve("peers.json");
    Path md = tmp.resolve("BENCHMARKS.md");
    Files.writeString(
        md,
        "# before\n<!-- weft-bench-peers:begin -->\nold\n<!-- weft-bench-peers:end -->\n# after\n");

    int rc =
        BenchMain.run(
            "--peers",
            "--quick",
            "--peers-dir",
            peersDir,
            "--json",
            json.toString(),
            "--markdown",
            md.toString());

    assertThat(rc).as("weft bench --peers --quick exit code (see its output above)").isZero();
    String doc = Files.readString(json);
    for (String w :
        new String[] {
          "tasks_sync",
          "tasks_async",
          "dag_tree",
          "actor_calls_sync",
          "actor_calls_async",
          "large_object"
        }) {
      assertThat(doc).contains("\"name\": \"" + w + "\"");
    }
    for (String sys :
        new String[] {"\"weft\"", "\"hazelcast\"", "\"ignite\"", "\"pekko\"", "\"tcp\""}) {
      assertThat(doc).contains(sys);
    }
    assertThat(doc).doesNotContain("\"status\": \"failed\"");
    assertThat(doc).contains("\"weft_over_peer\"");
    String table = Files.readString(md);
    assertThat(table)
        .startsWith("# before\n")
        .endsWith("# after\n")
        .doesNotContain("\nold\n")
        .contains("| tasks_sync ", "Hazelcast", "Apache Ignite", "Apache Pekko", "loopback TCP");
  }

  @Test
  void peersOfAnotherClassPathNeverReachWeftsClassPath() {
    String cp = System.getProperty("java.class.path");
    assertThat(cp).doesNotContain("hazelcast-5", "ignite-core", "pekko-actor", "scala-library");
  }
}
