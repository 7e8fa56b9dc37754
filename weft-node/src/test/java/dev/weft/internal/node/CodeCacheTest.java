package dev.weft.internal.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.internal.core.JobCode;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import dev.weft.internal.rpc.MessageHandler;
import dev.weft.internal.rpc.Rpc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's code cache against a driver that is a plain RPC server serving FetchCode from bytes
 * the test chooses (the right ones, other ones, or a refusal).
 */
class CodeCacheTest {
  static final String TOKEN = "code-cache-test";
  @TempDir Path tmp;

  private Rpc.Server driver;
  private final AtomicInteger fetches = new AtomicInteger();

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.close();
    }
  }

  /** A driver that serves {@code served} for every hash, or refuses with {@code refusal}. */
  private String driver(byte[] served, String refusal) {
    driver =
        Rpc.listen(
            "127.0.0.1",
            0,
            TOKEN,
            new MessageHandler() {
              @Override
              public void onMessage(Connection c, long reqId, Msg msg) {
                if (msg instanceof Msg.FetchCode f) {
                  fetches.incrementAndGet();
                  if (refusal != null) {
                    c.replyFailure(reqId, refusal);
                    return;
                  }
                  int from = (int) f.offset();
                  int n = Math.min(f.maxBytes(), served.length - from);
                  byte[] chunk = java.util.Arrays.copyOfRange(served, from, from + n);
                  c.reply(reqId, new Msg.CodeChunk(f.sha256(), f.offset(), served.length, chunk));
                }
              }

              @Override
              public void onClose(Connection c) {}
            });
    return "127.0.0.1:" + driver.port();
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static Msg.JobCode codeOf(String path, byte[] content) {
    String sha = HexFormat.of().formatHex(JobCode.sha256().digest(content));
    return new Msg.JobCode(
        List.of(new Msg.CodeEntry(path, sha, content.length), new Msg.CodeEntry("/gone", "", 0)),
        List.of());
  }

  private static String await(CompletableFuture<String> f) throws Exception {
    return f.get(30, TimeUnit.SECONDS);
  }

  private List<Path> filesIn(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  @Test
  void classpathFor_entryTheNodeLacks_isFetchedInChunksAndCachedUnderItsHash() throws Exception {
    byte[] jar = random(3 * JobCode.CHUNK_BYTES + 12345, 1);
    String address = driver(jar, null);
    Msg.JobCode code = codeOf("/on/the/driver/app.jar", jar);
    Path dir = tmp.resolve("cache");
    CodeCache cache = new CodeCache(dir, "node-a", TOKEN);

    String cp = await(cache.classpathFor(1, address, code, false));

    Path cached = JobCode.cached(dir, code.classpath().get(0).sha256());
    assertThat(cp)
        .as("only the entry with content; the missing one is left out")
        .isEqualTo(cached.toString());
    assertThat(Files.readAllBytes(cached)).isEqualTo(jar);
    assertThat(fetches.get()).as("chunks of 1 MiB").isEqualTo(4);
    assertThat(filesIn(dir)).as("no temporary file left").containsExactly(cached);

    fetches.set(0);
    assertThat(await(new CodeCache(dir, "node-b", TOKEN).classpathFor(2, address, code, false)))
        .as("another node of the machine finds it cached")
        .isEqualTo(cp);
    assertThat(fetches.get()).isZero();
  }

  @Test
  void classpathFor_contentThatDoesNotMatchItsHash_failsNamingEntryNodeAndDriver()
      throws Exception {
    byte[] published = random(100_000, 2);
    byte[] changed = random(100_000, 3);
    String address = driver(changed, null);
    Path dir = tmp.resolve("cache");

    CompletableFuture<String> f =
        new CodeCache(dir, "node-a", TOKEN)
            .classpathFor(7, address, codeOf("/d/app.jar", published), false);

    assertThatThrownBy(() -> await(f))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .hasMessageContainingAll(
            "node node-a", "/d/app.jar", "job 7", address, "SHA-256", "restart the driver");
    assertThat(filesIn(dir)).as("nothing cached, no temporary file").isEmpty();
  }

  @Test
  void classpathFor_entryTheDriverCannotServe_failsWithTheDriversReason() throws Exception {
    String address = driver(null, "the driver cannot read /d/app.jar: NoSuchFileException");

    CompletableFuture<String> f =
        new CodeCache(tmp.resolve("cache"), "node-a", TOKEN)
            .classpathFor(7, address, codeOf("/d/app.jar", random(10, 4)), false);

    assertThatThrownBy(() -> await(f))
        .cause()
        .hasMessageContainingAll("node node-a", "/d/app.jar", "NoSuchFileException");
  }

  @Test
  void classpathFor_driverGone_failsAtOnce() throws Exception {
    String address = driver(new byte[0], null);
    driver.close();

    CompletableFuture<String> f =
        new CodeCache(tmp.resolve("cache"), "node-a", TOKEN)
            .classpathFor(7, address, codeOf("/d/app.jar", random(10, 5)), false);

    assertThatThrownBy(() -> await(f))
        .cause()
        .hasMessageContainingAll("node node-a", "/d/app.jar", "cannot reach the driver");
  }

  @Test
  void classpathFor_twoNodesOfOneMachineFetchingOneEntryAtOnce_bothGetTheWholeFile()
      throws Exception {
    byte[] jar = random(2 * JobCode.CHUNK_BYTES + 7, 6);
    String address = driver(jar, null);
    Msg.JobCode code = codeOf("/d/app.jar", jar);
    Path dir = tmp.resolve("cache");

    CompletableFuture<String> a =
        new CodeCache(dir, "node-a", TOKEN).classpathFor(1, address, code, false);
    CompletableFuture<String> b =
        new CodeCache(dir, "node-b", TOKEN).classpathFor(1, address, code, false);

    assertThat(await(a)).isEqualTo(await(b));
    assertThat(Files.readAllBytes(Path.of(await(a)))).isEqualTo(jar);
    assertThat(filesIn(dir)).hasSize(1);
  }

  @Test
  void classpathFor_attachedDriverWhosePathsAreHere_usesThemAsTheyAre() throws Exception {
    byte[] jar = random(1000, 7);
    Path local = tmp.resolve("app.jar");
    Files.write(local, jar);
    Msg.JobCode code = codeOf(local.toString(), jar);
    CodeCache cache = new CodeCache(tmp.resolve("cache"), "node-a", TOKEN);

    assertThat(await(cache.classpathFor(1, "127.0.0.1:1", code, true)))
        .isEqualTo(local + java.io.File.pathSeparator + "/gone");

    Files.write(local, random(999, 8)); // not what was published: fetched instead
    String address = driver(jar, null);
    assertThat(await(cache.classpathFor(1, address, code, true)))
        .isEqualTo(
            JobCode.cached(tmp.resolve("cache"), code.classpath().get(0).sha256()).toString());
  }
}
