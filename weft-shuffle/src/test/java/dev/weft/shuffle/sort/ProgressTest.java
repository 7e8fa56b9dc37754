package dev.weft.shuffle.sort;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {
  private static String drive(boolean terminal) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    Progress p = new Progress(out, terminal, new long[] {100_000_000, 100_000_000});
    p.phaseStarted("map");
    p.mapDone(0, 2);
    p.phaseStarted("merge"); // overlaps the map phase (push strategy)
    p.mergeDone(1, 4, 4);
    p.mapDone(1, 2);
    p.phaseEnded("map");
    p.mergeDone(1, 4, 4);
    p.phaseEnded("merge");
    p.phaseStarted("reduce");
    p.reduceDone(0, 1, 2);
    p.reduceDone(1, 2, 2);
    p.phaseEnded("reduce");
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aTerminalShouldGetBarsRedrawnInPlaceAndALinePerPhase() {
    String s = drive(true);
    assertThat(s).contains("\r\033[K").contains("map [").contains("merge [").contains("/200.0 MB");
    assertThat(s).contains("map [############------------] 100.0 MB/200.0 MB");
    for (String phase : new String[] {"map", "merge", "reduce"}) {
      assertThat(s)
          .containsPattern("(?m)" + phase + " +200\\.0 MB in [0-9.]+ s \\([0-9]+ MB/s\\)$");
    }
  }

  @Test
  void aPipeShouldGetOnlyTheLinePerPhase() {
    String s = drive(false);
    assertThat(s).doesNotContain("\r").doesNotContain("[#");
    assertThat(s.lines().toList()).hasSize(3);
    assertThat(s.lines().toList().get(0)).startsWith("map ");
    assertThat(s.lines().toList().get(2)).startsWith("reduce ");
  }
}
