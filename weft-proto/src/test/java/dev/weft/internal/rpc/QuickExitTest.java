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
   * The child: registers {@link QuickExit#onTerm} with a clean-up that writes {@code cleaned} (with
   * {@code holdCleanUp}: after it said "cleaning" and read a line from its stdin), and (with {@code
   * withUserHook}) a hook of its own that writes {@code user-hook}; says ready; waits.
   */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      Path dir = Path.of(args[0]);
      boolean holdCleanUp = Boolean.parseBoolean(args[1]);
      boolean withUserHook = Boolean.parseBoolean(args[2]);
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      QuickExit.onTerm(
          "weft-test-stop",
          QuickExit.once(
              () -> {
                try {
                  if (holdCleanUp) {
                    System.out.println("cleaning");
                    System.out.flush();
                    in.readLine(); // the test sends a second SIGTERM meanwhile, then a line
                  }
                  Files.writeString(dir.resolve("cleaned"), "yes");
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
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
      System.out.flush();
      Thread.currentThread().join(); // until a signal ends the process
    }
  }

  private BufferedReader out;

  private Process start(boolean withUserHook) throws Exception {
    return start(false, withUserHook);
  }

  private Process start(boolean holdCleanUp, boolean withUserHook) throws Exception {
    return start(holdCleanUp, withUserHook, List.of(), System.getProperty("java.class.path"));
  }

  private Process start(
      boolean holdCleanUp, boolean withUserHook, List<String> jvmOptions, String classpath)
      throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> cmd = new java.util.ArrayList<>(List.of(java));
    cmd.addAll(jvmOptions);
    cmd.addAll(
        List.of(
            "--enable-native-access=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "-cp",
            classpath,
            Child.class.getName(),
            dir.toString(),
            Boolean.toString(holdCleanUp),
            Boolean.toString(withUserHook)));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    awaitLine("ready");
    return p;
  }

  private void awaitLine(String expected) throws java.io.IOException {
    String line;
    while ((line = out.readLine()) != null && !line.equals(expected)) {
      // JVM warnings
    }
    assertThat(line).as("the child said %s", expected).isEqualTo(expected);
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
    Process p = start(true, false);
    // SIGTERM through the handle: Process.destroy() would close the streams this test talks on
    p.toHandle().destroy(); // the clean-up starts and holds
    awaitLine("cleaning");
    p.toHandle().destroy(); // a second one while it runs: it must not end the process meanwhile
    assertThat(p.waitFor(500, TimeUnit.MILLISECONDS))
        .as("the process ended before its clean-up finished")
        .isFalse();
    try (var stdin = p.getOutputStream()) {
      stdin.write("go\n".getBytes(StandardCharsets.UTF_8)); // the clean-up goes on
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the child ended").isTrue();
    assertThat(p.exitValue()).isEqualTo(QuickExit.TERMINATED);
    assertThat(dir.resolve("cleaned")).as("the clean-up finished").hasContent("yes");
  }

  /**
   * The child's classes in a jar of their own: the JVM writes no class-data archive for a class
   * path with a folder of classes on it, as a test's class path has.
   */
  private Path childJar() throws Exception {
    Path jar = dir.resolve("child.jar");
    try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
      for (Class<?> c : List.of(Child.class, QuickExit.class)) {
        String name = c.getName().replace('.', '/') + ".class";
        try (var in = c.getClassLoader().getResourceAsStream(name)) {
          out.putNextEntry(new java.util.jar.JarEntry(name));
          in.transferTo(out);
          out.closeEntry();
        }
      }
    }
    return jar;
  }

  private boolean archiveWrittenOnSigterm(boolean viaJvm) throws Exception {
    Path archive = dir.resolve(viaJvm ? "via-jvm.jsa" : "quick.jsa");
    List<String> options =
        new java.util.ArrayList<>(
            List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + archive));
    if (viaJvm) {
      options.add("-D" + QuickExit.JVM_EXIT_PROPERTY + "=true");
    }
    Process p = start(false, false, options, childJar().toString());
    assertThat(stop(p)).isEqualTo(QuickExit.TERMINATED);
    assertThat(dir.resolve("cleaned")).hasContent("yes");
    Files.delete(dir.resolve("cleaned"));
    return Files.exists(archive);
  }

  /**
   * A process whose JVM writes its class-data archive at exit (its first run) is started with
   * {@link QuickExit#JVM_EXIT_PROPERTY}: its SIGTERM takes the JVM's exit, which writes it. Without
   * the property the quick exit skips the archive, and every later run would start without one.
   */
  @Test
  void aFirstRunThatWritesItsClassDataArchive_endsThroughTheJvmsExit() throws Exception {
    assertThat(archiveWrittenOnSigterm(false)).as("the quick exit writes no archive").isFalse();
    assertThat(archiveWrittenOnSigterm(true)).as("the JVM's exit wrote the archive").isTrue();
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
