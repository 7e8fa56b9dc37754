package dev.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A user's program runs with plain {@code java -cp} and no JVM flags: it works, and says at most
 * one line about flags (no JDK warning blocks about Unsafe or native access).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PlainJavaDriverIT {
  @Test
  void shouldRunAFlaglessDriverWithAtMostOneLineAboutFlags() throws Exception {
    DriverProgram.Launched d = DriverProgram.launch(List.of(), Map.of(), "plain");
    assertThat(d.awaitLine("TASK", Duration.ofSeconds(120))).isEqualTo("36");
    assertThat(d.awaitLine("ACTOR", Duration.ofSeconds(60))).isEqualTo("15");
    assertThat(d.awaitLine("BIG", Duration.ofSeconds(60))).isEqualTo(Integer.toString(4 << 20));
    // getBuffer without native access maps a view of its own (no restricted call, no warning)
    assertThat(d.awaitLine("VIEW", Duration.ofSeconds(60))).isEqualTo((4 << 20) + " closed");
    d.awaitLine("DONE", Duration.ofSeconds(60));
    assertThat(d.process.waitFor(60, TimeUnit.SECONDS)).as("the driver exits").isTrue();
    assertThat(d.process.exitValue()).isZero();

    List<String> out = d.lines(); // standard output and error together
    assertThat(out)
        .as("no JDK warning lines (Unsafe, restricted methods); the output:\n" + d.output())
        .noneMatch(l -> l.startsWith("WARNING:"));
    assertThat(out.stream().filter(PlainJavaDriverIT::aboutFlags).toList())
        .as("at most one line about JVM flags; the output:\n" + d.output())
        .hasSizeLessThanOrEqualTo(1)
        .allMatch(l -> l.startsWith("weft: ") && l.contains("weft java"));
  }

  @Test
  void shouldPrintNothingAboutFlagsWhenTheDriverHasThem() throws Exception {
    DriverProgram.Launched d = DriverProgram.launch(Map.of(), "plain");
    d.awaitLine("DONE", Duration.ofSeconds(180));
    assertThat(d.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(d.lines())
        .as("the output:\n" + d.output())
        .noneMatch(l -> l.startsWith("WARNING:") || aboutFlags(l));
  }

  private static boolean aboutFlags(String line) {
    return line.contains("--enable-native-access")
        || line.contains("--sun-misc-unsafe-memory-access")
        || line.contains("--add-opens");
  }
}
