package dev.weft.it;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Before any test of a fork runs: the processes the tests start (control stores, node managers,
 * workers, drivers) get this module's test classes as the jar Maven built of them ({@code
 * weft.it.testJar}, set by the failsafe configuration) instead of the {@code target/test-classes}
 * folder, the same bytes. The JVM keeps no class-data archive for a class path with a folder of
 * classes, so each of those processes would load and verify every class from scratch at each start
 * (about a second more per cluster on 2 CPUs). Without the jar (a run from an IDE), nothing
 * changes.
 */
public final class JarClassPath implements LauncherSessionListener {
  @Override
  public void launcherSessionOpened(LauncherSession session) {
    String jar = System.getProperty("weft.it.testJar");
    String folder = System.getProperty("weft.it.testClasses");
    if (jar == null || folder == null || !Files.isRegularFile(Path.of(jar))) {
      return;
    }
    Path classes = Path.of(folder).toAbsolutePath().normalize();
    List<String> entries = new ArrayList<>();
    boolean swapped = false;
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!e.isEmpty() && Path.of(e).toAbsolutePath().normalize().equals(classes)) {
        entries.add(jar);
        swapped = true;
      } else {
        entries.add(e);
      }
    }
    if (swapped) {
      System.setProperty("java.class.path", String.join(File.pathSeparator, entries));
    }
  }
}
