package dev.weft.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BenchProgressTest {
  @Test
  void onATerminal_drawsABarInPlaceAndClearsItBeforeResults() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    try (BenchProgress bar = new BenchProgress(err, true, 4)) {
      bar.start("tasks_sync");
      await("the ticker redraws the bar")
          .atMost(Duration.ofSeconds(10))
          .until(() -> bytes.toString(StandardCharsets.UTF_8).split("tasks_sync").length > 2);
      bar.finish();
      bar.start("actor_calls_sync");
    }
    String s = bytes.toString(StandardCharsets.UTF_8);
    assertThat(s)
        .contains("\r\033[K[--------------------] 1/4 tasks_sync")
        .contains("\r\033[K[#####---------------] 2/4 actor_calls_sync")
        .as("closing clears the line")
        .endsWith("\r\033[K");
  }

  @Test
  void elsewhere_printsNothing() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    try (BenchProgress bar = new BenchProgress(err, false, 4)) {
      bar.start("tasks_sync");
      bar.finish();
      bar.clear();
    }
    assertThat(bytes.size()).isZero();
  }
}
