package dev.weft.internal.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-data-sharing archive a Weft process starts with is named after its jars' sizes and
 * times too: a jar rebuilt at the same path gets a new archive (the JVM refuses the old one and
 * does not dump it again), the same jars keep theirs. Old archives are removed: the folder keeps
 * the few of each main class used last, and none unused for two weeks.
 */
class ProcessLauncherCdsTest {
  @TempDir Path dir;

  private static String archive(String classpath) {
    return ProcessLauncher.cdsFlags("dev.weft.Main", classpath, List.of()).stream()
        .filter(f -> f.startsWith("-XX:SharedArchiveFile="))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void archiveName_changesWhenAJarIsRebuiltAtTheSamePath_andOnlyThen() throws Exception {
    Path a = Files.write(dir.resolve("a.jar"), new byte[] {1, 2, 3});
    Path classes = Files.createDirectories(dir.resolve("classes"));
    String cp = a + File.pathSeparator + classes;
    assertThat(a.toFile().setLastModified(1_700_000_000_000L)).isTrue();

    String first = archive(cp);
    assertThat(archive(cp)).as("same jars, same archive").isEqualTo(first);

    assertThat(a.toFile().setLastModified(1_700_000_060_000L)).isTrue(); // rebuilt a minute later
    String rebuilt = archive(cp);
    assertThat(rebuilt).as("a rebuilt jar").isNotEqualTo(first);

    Files.write(a, new byte[] {1, 2, 3, 4}); // and grown
    assertThat(a.toFile().setLastModified(1_700_000_060_000L)).isTrue();
    assertThat(archive(cp)).as("a jar of another size").isNotEqualTo(rebuilt);
  }

  @Test
  void noArchiveIsAskedFor_whenTheClassPathHoldsAFolderOfClasses() throws Exception {
    Path a = Files.write(dir.resolve("a.jar"), new byte[] {1, 2, 3});
    Path classes = Files.createDirectories(dir.resolve("classes"));
    String cp = a + File.pathSeparator + classes;
    assertThat(ProcessLauncher.cdsFlags("dev.weft.Main", cp, List.of()))
        .as("an empty folder does not stop the JVM's dump")
        .anyMatch(f -> f.startsWith("-XX:SharedArchiveFile="));
    Files.write(classes.resolve("Main.class"), new byte[] {1});
    assertThat(ProcessLauncher.cdsFlags("dev.weft.Main", cp, List.of()))
        .as("the JVM dumps no archive for it: no flags, and no slow exit to dump one")
        .isEmpty();
  }

  @Test
  void pruneArchives_keepsTheLastUsedOfEachMainClass_andNoneTooOld() throws Exception {
    Path cds = Files.createDirectories(dir.resolve("cds"));
    java.time.Instant now = java.time.Instant.parse("2026-12-05T00:00:00Z");
    List<Path> workers = new java.util.ArrayList<>();
    for (int i = 0; i < 9; i++) { // WorkerMain-0 is the newest
      Path f = Files.write(cds.resolve("WorkerMain-" + i + ".jsa"), new byte[] {1});
      Files.setLastModifiedTime(
          f, java.nio.file.attribute.FileTime.from(now.minus(java.time.Duration.ofHours(i))));
      workers.add(f);
    }
    Path node = Files.write(cds.resolve("NodeMain-a.jsa"), new byte[] {1});
    Files.setLastModifiedTime(
        node, java.nio.file.attribute.FileTime.from(now.minus(java.time.Duration.ofDays(1))));
    Path stale = Files.write(cds.resolve("ControlMain-b.jsa"), new byte[] {1});
    Files.setLastModifiedTime(
        stale, java.nio.file.attribute.FileTime.from(now.minus(java.time.Duration.ofDays(15))));
    Path other = Files.write(cds.resolve("notes.txt"), new byte[] {1});

    int removed = ProcessLauncher.pruneArchives(cds, 6, java.time.Duration.ofDays(14), now);

    assertThat(removed).isEqualTo(4);
    assertThat(workers.subList(0, 6)).allMatch(Files::exists);
    assertThat(workers.subList(6, 9)).noneMatch(Files::exists);
    assertThat(node).as("the only NodeMain archive, a day old").exists();
    assertThat(stale).as("unused for 15 days").doesNotExist();
    assertThat(other).as("not an archive").exists();
  }

  /**
   * The JVM writes a missing archive in its own exit, which a service process's quick exit on
   * SIGTERM skips (QuickExit): a process started without its archive is told to take the JVM's
   * exit, one started with it is not.
   */
  @Test
  void cdsFlags_askForTheJvmsExit_onlyWhereTheArchiveIsYetToBeWritten() throws Exception {
    Path a = Files.write(dir.resolve("c.jar"), new byte[] {5});
    String viaJvm = "-D" + dev.weft.internal.rpc.QuickExit.JVM_EXIT_PROPERTY + "=true";
    List<String> first = ProcessLauncher.cdsFlags("dev.weft.Main", a.toString(), List.of());
    Path file =
        Path.of(
            first.stream()
                .filter(f -> f.startsWith("-XX:SharedArchiveFile="))
                .findFirst()
                .orElseThrow()
                .substring("-XX:SharedArchiveFile=".length()));
    try {
      assertThat(file).doesNotExist();
      assertThat(first).contains(viaJvm);
      Files.write(file, new byte[] {1}); // as the JVM's exit would
      assertThat(ProcessLauncher.cdsFlags("dev.weft.Main", a.toString(), List.of()))
          .contains("-XX:SharedArchiveFile=" + file)
          .doesNotContain(viaJvm);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Test
  void cdsFlags_marksTheArchiveInUseAsUsedNow() throws Exception {
    Path a = Files.write(dir.resolve("b.jar"), new byte[] {4});
    String flag = archive(a.toString());
    Path file = Path.of(flag.substring("-XX:SharedArchiveFile=".length()));
    Files.write(file, new byte[] {1});
    try {
      Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(0));
      archive(a.toString());
      assertThat(Files.getLastModifiedTime(file).toMillis())
          .as("used now: pruning keeps it")
          .isGreaterThan(System.currentTimeMillis() - 60_000);
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
