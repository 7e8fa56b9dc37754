package dev.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.ObjectRef;
import dev.weft.Weft;
import dev.weft.WorkerCrashedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Worker processes that die in the middle of a task: retried, then WorkerCrashedException. */
@ExtendWith(ClusterSupport.Logs.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FaultToleranceIT {
  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    ClusterSupport.start(FaultToleranceIT.class, 2);
  }

  @AfterAll
  static void stop() {
    Weft.shutdown();
  }

  /** Dies the first {@code deaths} times it runs (counted in a file), then returns 42. */
  public static int dieThenSucceed(String counterFile, int deaths, String how)
      throws IOException, InterruptedException {
    Path f = Path.of(counterFile);
    int n = Files.exists(f) ? Integer.parseInt(Files.readString(f).trim()) : 0;
    Files.writeString(f, Integer.toString(n + 1));
    if (n < deaths) {
      die(how);
    }
    return 42;
  }

  public static int alwaysDie(String how) throws IOException, InterruptedException {
    die(how);
    return 0;
  }

  static void die(String how) throws IOException, InterruptedException {
    if (how.equals("exit")) {
      System.exit(13);
    }
    new ProcessBuilder("kill", "-9", Long.toString(ProcessHandle.current().pid()))
        .start()
        .waitFor();
    new java.util.concurrent.CountDownLatch(1).await(); // SIGKILL arrives
  }

  public static int square(int x) {
    return x * x;
  }

  @Test
  void shouldRetryATaskWhoseWorkerCalledSystemExit() {
    Path counter = tmp.resolve("exit-count");
    ObjectRef<Integer> r =
        Weft.task(FaultToleranceIT::dieThenSucceed, counter.toString(), 2, "exit").remote();
    assertThat(Weft.get(r, Duration.ofSeconds(120))).isEqualTo(42);
  }

  @Test
  void shouldRetryATaskWhoseWorkerWasKilledWithSigkill() throws IOException {
    Path counter = tmp.resolve("kill-count");
    ObjectRef<Integer> r =
        Weft.task(FaultToleranceIT::dieThenSucceed, counter.toString(), 1, "kill").remote();
    assertThat(Weft.get(r, Duration.ofSeconds(120))).isEqualTo(42);
    assertThat(Files.readString(counter).trim()).isEqualTo("2");
  }

  @Test
  void shouldGiveWorkerCrashedExceptionWhenRetriesAreUsedUp() {
    ObjectRef<Integer> r = Weft.task(FaultToleranceIT::alwaysDie, "kill").maxRetries(1).remote();
    assertThatThrownBy(() -> Weft.get(r, Duration.ofSeconds(120)))
        .isInstanceOf(WorkerCrashedException.class)
        .hasMessageContaining("FaultToleranceIT.alwaysDie")
        .hasMessageContaining("attempt 2 of 2")
        .hasMessageContaining("maxRetries");
    ObjectRef<Integer> none = Weft.task(FaultToleranceIT::alwaysDie, "exit").maxRetries(0).remote();
    assertThatThrownBy(() -> Weft.get(none, Duration.ofSeconds(120)))
        .isInstanceOf(WorkerCrashedException.class);
    // the cluster still works afterwards, on fresh workers
    assertThat(Weft.get(Weft.task(FaultToleranceIT::square, 9).remote(), Duration.ofSeconds(60)))
        .isEqualTo(81);
  }
}
