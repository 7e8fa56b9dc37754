package dev.weft.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every JMH benchmark runs (in this JVM, briefly) and pairs with its baseline. */
class JmhSmokeTest {
  @Test
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
  }
}
