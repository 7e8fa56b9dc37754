package dev.weft.shuffle.sort.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SparkBaseline against fake peers: real JVMs started from a peer folder built here. */
class SparkBaselineTest {
  @TempDir Path tmp;

  @Test
  void parsesTheResultLineAndPassesTheArguments() throws Exception {
    SparkBaseline b = SparkBaseline.find(peers("ok").toString(), null, null);
    Path log = tmp.resolve("spark.log");

    SparkBaseline.Result r =
        b.withLog(log).run(tmp.resolve("in"), tmp.resolve("out"), 7, Duration.ofSeconds(60));

    assertThat(r.records()).isEqualTo(42);
    assertThat(r.sparkSeconds()).isEqualTo(1.5);
    assertThat(r.contextSeconds()).isEqualTo(0.25);
    assertThat(r.seconds()).isPositive();
    assertThat(r.json())
        .contains("--input " + tmp.resolve("in"))
        .contains("--output " + tmp.resolve("out"))
        .contains("--partitions 7 --master local[2]");
    assertThat(r.log()).isEqualTo(log);
    assertThat(Files.readString(log)).contains("some log line");
  }

  @Test
  void aFailedPeerIsAnErrorWithItsLastLines() throws Exception {
    SparkBaseline b = SparkBaseline.find(peers("fail").toString(), null, null);

    keptLogOf(
        assertThatThrownBy(() -> b.run(tmp, tmp.resolve("out"), 2, Duration.ofSeconds(60)))
            .isInstanceOf(IOException.class)
            .hasMessageContaining("exit status 3")
            .hasMessageContaining("boom: the input is broken")
            .hasMessageContaining("log: "));
  }

  @Test
  void aPeerWithoutItsResultLineIsAnError() throws Exception {
    SparkBaseline b = SparkBaseline.find(peers("silent").toString(), null, null);

    keptLogOf(
        assertThatThrownBy(() -> b.run(tmp, tmp.resolve("out"), 2, Duration.ofSeconds(60)))
            .isInstanceOf(IOException.class)
            .hasMessageContaining("without its result line")
            .hasMessageContaining("finished, but said nothing"));
  }

  @Test
  void aPeerPastItsTimeoutIsKilled() throws Exception {
    SparkBaseline b = SparkBaseline.find(peers("hang").toString(), null, null);

    long t0 = System.nanoTime();
    keptLogOf(
        assertThatThrownBy(() -> b.run(tmp, tmp.resolve("out"), 2, Duration.ofSeconds(3)))
            .isInstanceOf(IOException.class)
            .hasMessageContaining("did not finish")
            .hasMessageContaining("within 3 s and was killed"));
    assertThat((System.nanoTime() - t0) / 1e9).isLessThan(60);
    assertThat(
            ProcessHandle.current()
                .descendants()
                .filter(ProcessHandle::isAlive)
                .filter(
                    h -> h.info().commandLine().orElse("").contains(FakeSparkPeer.class.getName())))
        .as("fake peer processes still alive")
        .isEmpty();
  }

  @Test
  void aMissingPeerSaysHowToBuildIt() {
    Path empty = tmp.resolve("peers");
    assertThatThrownBy(() -> SparkBaseline.find(empty.toString(), null, null))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(empty.resolve("spark").toString())
        .hasMessageContaining("./mvnw package");
    assertThatThrownBy(() -> SparkBaseline.find(null, tmp.toString(), tmp.resolve("lib/x.jar")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("was not found in [" + tmp.resolve("peers/spark"))
        .hasMessageContaining("./mvnw package");
  }

  @Test
  void findsThePeerBesideTheLibFolderOfItsJar() throws Exception {
    Path home = tmp.resolve("weft");
    Path jar = home.resolve("lib").resolve("weft-shuffle.jar");
    Files.createDirectories(jar.getParent());
    Files.writeString(jar, "not really a jar");
    Files.createDirectories(home.resolve("peers"));
    Files.move(peers("ok").resolve("spark"), home.resolve("peers").resolve("spark"));

    SparkBaseline b = SparkBaseline.find(null, null, jar);

    assertThat(b.dir()).isEqualTo(home.resolve("peers").resolve("spark"));
    assertThat(b.title()).isEqualTo("Fake Spark");
  }

  /** A peers folder holding spark/ whose lib/ runs {@link FakeSparkPeer} in {@code mode}. */
  private Path peers(String mode) throws IOException {
    Path peers = Files.createTempDirectory(tmp, "peers-");
    Path spark = peers.resolve("spark");
    Files.createDirectories(spark.resolve("lib"));
    Files.writeString(
        spark.resolve("peer.properties"),
        "name=spark\ntitle=Fake Spark\nmain="
            + FakeSparkPeer.class.getName()
            + "\njvm.flags=-Dfake.mode="
            + mode
            + " -Xshare:auto\nheap.mb=256\n");
    String entry = FakeSparkPeer.class.getName().replace('.', '/') + ".class";
    try (OutputStream os = Files.newOutputStream(spark.resolve("lib").resolve("fake.jar"));
        JarOutputStream jar = new JarOutputStream(os);
        InputStream in = FakeSparkPeer.class.getClassLoader().getResourceAsStream(entry)) {
      jar.putNextEntry(new JarEntry(entry));
      in.transferTo(jar);
      jar.closeEntry();
    }
    return peers;
  }

  /**
   * A failed run keeps its log (a temporary file, named in the error) for the user to read: check
   * that it is there, then remove it.
   */
  private static void keptLogOf(org.assertj.core.api.AbstractThrowableAssert<?, ?> failure)
      throws IOException {
    String message = failure.actual().getMessage();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("log: (\\S+?\\.log)").matcher(message);
    assertThat(m.find()).as("the error names its log: %s", message).isTrue();
    Path log = Path.of(m.group(1));
    assertThat(log).as("the log of a failed run is kept").exists();
    Files.delete(log);
  }
}
