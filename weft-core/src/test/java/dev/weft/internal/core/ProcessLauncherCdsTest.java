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
 * does not dump it again), the same jars keep theirs.
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
}
