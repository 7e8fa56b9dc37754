package dev.weft.internal.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The collections a process runs when its store is short are paced by their cost where {@code
 * System.gc()} stops the world (a user's driver on default flags), and run as often as the node
 * asks (every 20 ms at most) where it starts a concurrent cycle. Which of the two a JVM has is read
 * from the JVM itself: checked here in child JVMs started with each collector.
 */
class StoreClientGcPaceTest {

  /** Prints whether this JVM's System.gc() stops the world, as StoreClient judges it. */
  public static void main(String[] args) {
    System.out.print(StoreClient.FULL_GC_STOPS_THE_WORLD);
  }

  @ParameterizedTest
  @CsvSource({
    "-XX:+UseG1GC, true",
    "-XX:+UseG1GC -XX:+ExplicitGCInvokesConcurrent, false",
    "-XX:+UseSerialGC, true",
    "-XX:+UseParallelGC, true",
    "-XX:+UseZGC, false",
  })
  void explicitCollection_isJudgedStopTheWorldOrConcurrent_fromTheJvmsOwnFlags(
      String flags, boolean stopsTheWorld) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of(flags.split(" ")));
    cmd.addAll(List.of("-Xmx128m", "-cp", System.getProperty("java.class.path")));
    cmd.add(StoreClientGcPaceTest.class.getName());
    assertThat(run(cmd)).isEqualTo(Boolean.toString(stopsTheWorld));
  }

  @Test
  void spacing_followsAFullCollectionsCost_butNotAConcurrentCycles() {
    long ms = 1_000_000L;
    assertThat(StoreClient.gcSpacingAfter(true, 100 * ms)).isEqualTo(900 * ms);
    assertThat(StoreClient.gcSpacingAfter(false, 100 * ms)).isEqualTo(20 * ms);
    assertThat(StoreClient.gcSpacingAfter(true, ms)).isEqualTo(20 * ms); // never under 20 ms
    assertThat(StoreClient.gcSpacingAfter(false, 0)).isEqualTo(20 * ms);
  }

  private static String run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("child JVM exits").isTrue();
    assertThat(p.exitValue()).as("child JVM's exit code; its stderr: %s", err).isZero();
    return out;
  }
}
