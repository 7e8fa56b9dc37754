package dev.weft.it;

import dev.weft.Weft;
import dev.weft.WeftConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Test support: starts an embedded cluster whose logs go to target/it-logs/&lt;class&gt;, and
 * prints every process log of that cluster when a test fails.
 */
public final class ClusterSupport {
  private ClusterSupport() {}

  public static Path logDir(Class<?> testClass) {
    return Path.of(
            "target", "it-logs", testClass.getSimpleName() + "-" + System.currentTimeMillis())
        .toAbsolutePath();
  }

  /** Starts Weft on an embedded cluster with {@code cpus} CPUs for {@code testClass}. */
  public static Path start(Class<?> testClass, int cpus) {
    return start(testClass, WeftConfig.builder().numCpus(cpus));
  }

  /** Starts Weft with {@code config}, logging to target/it-logs/&lt;class&gt;. */
  public static Path start(Class<?> testClass, WeftConfig.Builder config) {
    Path logs = logDir(testClass);
    Weft.init(config.jobName(testClass.getSimpleName()).logDir(logs.toString()).build());
    current = logs;
    return logs;
  }

  static volatile Path current;

  /**
   * Register with {@code @ExtendWith(ClusterSupport.Logs.class)}: dumps process logs on failure.
   */
  public static final class Logs implements TestWatcher {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      dump(current);
    }
  }

  public static void dump(Path dir) {
    if (dir == null || !Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.list(dir)) {
      files
          .sorted()
          .forEach(
              f -> {
                System.err.println("===== " + f + " =====");
                try {
                  System.err.println(Files.readString(f));
                } catch (IOException e) {
                  System.err.println("(unreadable: " + e + ")");
                }
              });
    } catch (IOException e) {
      System.err.println("cannot list " + dir + ": " + e);
    }
  }
}
