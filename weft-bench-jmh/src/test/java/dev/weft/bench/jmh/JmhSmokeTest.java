package dev.weft.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.bench.peers.PeerJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every JMH benchmark runs (in this JVM, briefly) and pairs with its baseline. */
class JmhSmokeTest {
  @TempDir Path tmp;

  @Test
  @SuppressWarnings("unchecked")
  void everyBenchmarkRunsAndHasItsBaseline() throws Exception {
    List<JmhMain.Pair> pairs = JmhMain.run(".*", true);
    assertThat(pairs)
        .extracting(JmhMain.Pair::name)
        .contains(
            "CodecBench.pushTask",
            "CodecBench.taskReply",
            "SerdeBench.record",
            "SerdeBench.boxedInt");
    for (JmhMain.Pair p : pairs) {
      assertThat(p.weft()).as(p.name() + " (weft)").isPositive();
      assertThat(p.baseline()).as(p.name() + " (baseline)").isPositive();
    }
    Path json = tmp.resolve("jmh.json");
    JmhMain.write(pairs, json);
    Map<String, Object> doc =
        PeerJson.parse(Files.readString(json)) instanceof Map<?, ?> m
            ? (Map<String, Object>) m
            : Map.of();
    assertThat(doc).containsEntry("unit", "ops/us");
    assertThat((List<?>) doc.get("pairs")).hasSize(pairs.size());
  }
}
