package dev.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium, headless, for the dashboard's browser test: installed with apt-get when it is
 * missing and this runs as root (as the Redis tests install redis-server), else the test says what
 * to install. Each call is a fresh browser with an empty profile and no network of its own (the
 * flags keep it from calling home, which this machine refuses).
 */
final class HeadlessChromium {
  static final Path BINARY = Path.of("/usr/bin/chromium");

  private HeadlessChromium() {}

  static synchronized Path binary() throws Exception {
    if (!Files.isExecutable(BINARY)) {
      String uid =
          new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes()).trim();
      if (!uid.equals("0")) {
        throw new IllegalStateException(
            "the dashboard test needs Debian's chromium at "
                + BINARY
                + " and this user (uid "
                + uid
                + ") cannot install it: run `sudo apt-get install chromium` and the tests again");
      }
      for (List<String> cmd :
          List.of(
              List.of("apt-get", "update", "-q"),
              List.of("apt-get", "install", "-y", "-q", "chromium"))) {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
          throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
        }
      }
      assertThat(BINARY).as("chromium after apt-get install chromium").isExecutable();
    }
    return BINARY;
  }

  /** Loads {@code url}, lets its scripts run {@code millis} of virtual time, returns the DOM. */
  static String dumpDom(String url, int millis, Path profile) throws Exception {
    return new String(
        run(profile, "--virtual-time-budget=" + millis, "--dump-dom", url), StandardCharsets.UTF_8);
  }

  /** The same, then saves a screenshot of the page at {@code png}. */
  static void screenshot(String url, int millis, Path profile, Path png) throws Exception {
    run(
        profile,
        "--virtual-time-budget=" + millis,
        "--window-size=1400,1100",
        "--screenshot=" + png,
        url);
    assertThat(png).as("chromium's screenshot").isNotEmptyFile();
  }

  private static byte[] run(Path profile, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary().toString());
    cmd.addAll(
        List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--user-data-dir=" + Files.createDirectories(profile)));
    cmd.addAll(List.of(args));
    Path err = Files.createTempFile(profile, "chromium-", ".log");
    Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(
          "chromium did not end in 120 s: " + cmd + "\n" + Files.readString(err));
    }
    if (p.exitValue() != 0) {
      throw new AssertionError(
          "chromium exited with " + p.exitValue() + ": " + cmd + "\n" + Files.readString(err));
    }
    return out;
  }
}
