package dev.weft.internal.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real JVM told to stop with SIGTERM, as a cluster stops its service processes. */
class QuickExitTest {
  @TempDir Path dir;

  /**
   * The child: registers {@link QuickExit#onTerm} with a clean-up that writes {@code cleaned}, and
   * (with {@code withUserHook}) a hook of its own that writes {@code user-hook}; says ready; waits.
   */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      Path dir = Path.of(args[0]);
      boolean withUserHook = Boolean.parseBoolean(args[2]);
      QuickExit.onTerm(
          "weft-test-stop",
          QuickExit.once(
              () -> {
                try {
                  Thread.sleep(300); // long enough for a second SIGTERM to come meanwhile
                  Files.writeString(dir.resolve("cleaned"), "yes");
                } catch (java.io.IOException | InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              }));
      if (withUserHook) {
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      try {
                        Files.writeString(dir.resolve("user-hook"), "ran");
                      } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                      }
                    },
                    "a-user-hook"));
      }
      System.out.println("ready");
      Thread.sleep(120_000);
    }
  }

  private Process start(boolean withUserHook) throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process p =
        new ProcessBuilder(
                List.of(
                    java,
                    "--enable-native-access=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang=ALL-UNNAMED",
                    "-cp",
                    System.getProperty("java.class.path"),
                    Child.class.getName(),
                    dir.toString(),
                    "unused",
                    Boolean.toString(withUserHook)))
            .redirectErrorStream(true)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null && !line.equals("ready")) {
      // JVM warnings before the child is up
    }
    assertThat(line).as("the child said it is ready").isEqualTo("ready");
    return p;
  }

  private static int stop(Process p) throws Exception {
    p.destroy(); // SIGTERM
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the child ended").isTrue();
    return p.exitValue();
  }

  @Test
  void onSigterm_theCleanUpRuns_andTheProcessEndsWith143() throws Exception {
    Process p = start(false);
    assertThat(stop(p)).isEqualTo(QuickExit.TERMINATED);
    assertThat(dir.resolve("cleaned")).hasContent("yes");
    assertThat(QuickExit.perfDataFile(p.pid()))
        .as("the JVM's perf-data file goes as at a normal exit")
        .doesNotExist();
  }

  @Test
  void aProcessWhereSomethingElseRegisteredAHook_endsThroughTheJvmsExit_andTheHookRuns()
      throws Exception {
    Process p = start(true);
    assertThat(stop(p)).isEqualTo(QuickExit.TERMINATED);
    assertThat(dir.resolve("cleaned")).hasContent("yes");
    assertThat(dir.resolve("user-hook")).hasContent("ran");
  }

  @Test
  void aSecondSigtermDuringTheCleanUp_waitsForIt() throws Exception {
    Process p = start(false);
    p.destroy(); // the clean-up takes 300 ms: the second comes while it runs
    assertThat(stop(p)).isEqualTo(QuickExit.TERMINATED);
    assertThat(dir.resolve("cleaned")).as("the clean-up finished").hasContent("yes");
  }

  @Test
  void theCleanUpRunsOnce_fromTheHookOnOtherExits() throws Exception {
    int[] runs = new int[1];
    Runnable once = QuickExit.once(() -> runs[0]++);
    once.run();
    once.run();
    assertThat(runs[0]).isEqualTo(1);
  }
}
