package dev.weft.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The distribution's {@code bin/weft} gives each command's JVM a class-data archive in the user's
 * private folder, and none where that folder is not private, where {@code WEFT_CDS=false}, or for
 * {@code --help}. Runs the real script, which runs the real JVM.
 */
class LauncherClassDataIT {
  private static final Path DIST = Path.of(System.getProperty("weft.dist.dir", "target/weft"));

  /** The folder the script uses (and Weft's JVMs: ClusterFiles.root()). */
  private static final Path ROOT = Path.of("/tmp", "weft-" + System.getProperty("user.name"));

  private static final Path CDS = ROOT.resolve("cds");

  @Test
  void eachCommandGetsAnArchive_butNotWhenTurnedOff_forHelp_orInAFolderOthersMayWrite()
      throws Exception {
    String address = "127.0.0.1:" + freePort();

    removeStatusArchives();
    Run status = weft(Map.of(), "status", "--address", address);
    assertThat(status.code).as("weft status with no cluster there; stderr:\n" + status.err).isOne();
    assertThat(statusArchives())
        .as("the archive the JVM of `weft status` dumped on its exit, in " + CDS)
        .hasSize(1);
    assertThat(Files.size(statusArchives().get(0))).isPositive();

    removeStatusArchives();
    weft(Map.of("WEFT_CDS", "false"), "status", "--address", address);
    assertThat(statusArchives()).as("WEFT_CDS=false").isEmpty();

    Run help = weft(Map.of(), "status", "--help");
    assertThat(help.code).as("weft status --help; stderr:\n" + help.err).isZero();
    assertThat(statusArchives()).as("a run for --help").isEmpty();

    // a folder that others may write to: the JVM would run whatever classes they put there
    var before = Files.getPosixFilePermissions(ROOT);
    Files.setPosixFilePermissions(ROOT, PosixFilePermissions.fromString("rwxr-xr-x"));
    try {
      weft(Map.of(), "status", "--address", address);
      assertThat(statusArchives()).as("a root folder of mode 755").isEmpty();
    } finally {
      Files.setPosixFilePermissions(ROOT, before);
    }
  }

  record Run(int code, String out, String err) {}

  private static Run weft(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(DIST.resolve("bin/weft").toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("WEFT_CDS");
    pb.environment().remove("WEFT_ADDRESS");
    pb.environment().putAll(env);
    Path out = Files.createTempFile("weft-out", ".txt");
    Path err = Files.createTempFile("weft-err", ".txt");
    try {
      Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("bin/weft " + String.join(" ", args) + " ran over 120 s");
      }
      return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static List<Path> statusArchives() throws IOException {
    if (!Files.isDirectory(CDS)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(CDS)) {
      return s.filter(f -> f.getFileName().toString().startsWith("WeftCli-status-")).toList();
    }
  }

  private static void removeStatusArchives() throws IOException {
    for (Path f : statusArchives()) {
      Files.deleteIfExists(f);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
