package dev.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.ActorHandle;
import dev.weft.ObjectRef;
import dev.weft.Weft;
import dev.weft.cli.WeftCli;
import dev.weft.internal.core.ClusterFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@code weft} command against a real head: {@code weft start --head} (in this JVM, which
 * starts the head's control store and node manager as detached processes), drivers that connect by
 * address and by {@code WEFT_ADDRESS}, {@code weft status}, and {@code weft stop}, after which no
 * process of the head is left. The head is stopped in {@link #stopHead()} whatever happened.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(ClusterSupport.Logs.class)
class CliClusterIT {
  private static final Duration SLOW = Duration.ofSeconds(60);

  private static int port;
  private static String address;
  private static final Set<Long> headPids = new LinkedHashSet<>();

  public static int square(int x) {
    return x * x;
  }

  /** An actor for the driver's actor call. */
  public static class Counter {
    private long n;

    public Counter(long start) {
      n = start;
    }

    public long add(long d) {
      n += d;
      return n;
    }
  }

  @BeforeAll
  static void startHead() throws IOException {
    assumeTrue(
        System.getenv("WEFT_TOKEN") == null,
        "WEFT_TOKEN is set in the environment: it would override the head's token");
    port = freePort();
    address = "127.0.0.1:" + port;
    Path logs = ClusterFiles.clusterDir(port).resolve("logs");
    ClusterSupport.current = logs;
    try {
      Cli start = cli("start", "--head", "--port", Integer.toString(port), "--num-cpus", "2");
      assertThat(start.code).as("exit code of weft start; stderr:\n" + start.err).isZero();
      assertThat(start.out).contains("Weft head started at " + address);
      Path pidsFile = ClusterFiles.clusterDir(port).resolve("pids");
      for (String s : Files.readAllLines(pidsFile)) {
        if (!s.isBlank()) {
          headPids.add(Long.parseLong(s.trim()));
        }
      }
      assertThat(headPids)
          .as("pids in " + pidsFile + " (control store and node manager)")
          .hasSize(2);
      Path tokenFile = ClusterFiles.clusterDir(port).resolve("token");
      assertThat(Files.readString(tokenFile).trim()).as("the head's token file").isNotBlank();
      if (Files.getFileStore(tokenFile).supportsFileAttributeView("posix")) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)))
            .as("permissions of " + tokenFile + ": only its owner may read the cluster token")
            .isEqualTo("rw-------");
      }
    } catch (Throwable t) {
      ClusterSupport.dump(logs);
      throw t;
    }
  }

  @AfterAll
  static void stopHead() {
    if (port == 0) {
      return;
    }
    Weft.shutdown();
    try {
      if (Files.exists(ClusterFiles.clusterDir(port).resolve("pids"))) {
        Cli stop = cli("stop", "--port", Integer.toString(port));
        if (stop.code != 0) {
          System.err.println(
              "weft stop --port " + port + " exited with " + stop.code + ": " + stop.err);
        }
      }
    } finally {
      // Whatever happened: no process of this test's head outlives the test.
      for (long pid : headPids) {
        ProcessHandle.of(pid)
            .filter(ProcessHandle::isAlive)
            .ifPresent(
                h -> {
                  h.descendants().forEach(ProcessHandle::destroyForcibly);
                  h.destroyForcibly();
                });
      }
    }
  }

  @Test
  @Order(1)
  void shouldRefuseToStartASecondHeadOnTheSamePort() {
    Cli again = cli("start", "--head", "--port", Integer.toString(port), "--num-cpus", "1");

    assertThat(again.code).as("exit code of a second weft start on port " + port).isEqualTo(1);
    assertThat(again.err).contains("already running on port " + port);
    assertThat(alive(headPids)).as("the first head's processes").isEqualTo(headPids);
  }

  @Test
  @Order(2)
  void shouldFailStatusClearlyWhereNoClusterRuns() throws IOException {
    int nothing = freePort();
    Path dir = ClusterFiles.clusterDir(nothing);
    boolean hadToken = Files.exists(dir.resolve("token"));
    // An earlier head on this port (freePort may hand a port out again) leaves its logs here
    // after `weft stop`: the test removes only what it wrote itself.
    boolean hadDir = Files.exists(dir);

    Cli status = cli("status", "--address", "127.0.0.1:" + nothing);

    assertThat(status.code)
        .as("exit code of weft status against a port with nothing; stderr:\n" + status.err)
        .isEqualTo(1);
    assertThat(status.err)
        .contains("127.0.0.1:" + nothing)
        .containsAnyOf("no Weft cluster known", "cannot reach the Weft head");

    // A head that died without `weft stop` leaves its token behind: still a clear failure.
    if (!hadToken) {
      ClusterFiles.writeToken(nothing, "0123456789abcdef");
      try {
        Cli stale = cli("status", "--address", "127.0.0.1:" + nothing);
        assertThat(stale.code)
            .as("exit code of weft status against a dead head's port; stderr:\n" + stale.err)
            .isEqualTo(1);
        assertThat(stale.err)
            .contains("cannot reach the Weft head at 127.0.0.1:" + nothing)
            .contains("weft start --head");
      } finally {
        Files.deleteIfExists(dir.resolve("token"));
        if (!hadDir) {
          Files.deleteIfExists(dir);
        }
      }
    }
  }

  @Test
  @Order(3)
  void shouldRunTasksAndActorsOnAHeadStartedByTheCli() {
    Weft.init(address);
    ObjectRef<Integer> sq = Weft.task(CliClusterIT::square, 9).remote();
    assertThat(Weft.get(sq, SLOW)).isEqualTo(81);
    ActorHandle<Counter> counter = Weft.actor(Counter::new, 10L).remote();
    assertThat(Weft.get(counter.task(Counter::add, 5L).remote(), SLOW)).isEqualTo(15L);

    Cli status = cli("status", "--address", address);
    assertThat(status.code).as("exit code of weft status; stderr:\n" + status.err).isZero();
    assertThat(status.out)
        .contains("Weft cluster at " + address)
        .contains("nodes (1):")
        .containsPattern("(?m)^\\s+\\S+\\s+127\\.0\\.0\\.1:\\d+\\s+ALIVE\\s")
        .containsPattern("(?m)^\\s+\\d+ job driver=127\\.0\\.0\\.1:\\d+ RUNNING\\s*$")
        .containsPattern("(?m)^\\s+[0-9a-f]{32} ALIVE\\s+\\S*Counter");

    long node = nodeManagerPid();
    Set<Long> workers =
        ProcessHandle.of(node)
            .orElseThrow()
            .descendants()
            .map(ProcessHandle::pid)
            .collect(Collectors.toCollection(LinkedHashSet::new));
    assertThat(workers)
        .as("worker JVMs of the node manager " + node + " while the job runs")
        .isNotEmpty();

    Weft.shutdown();

    await("weft status shows the job finished and its actor dead after Weft.shutdown()")
        .atMost(SLOW)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              Cli after = cli("status", "--address", address);
              assertThat(after.code).isZero();
              assertThat(after.out)
                  .containsPattern("(?m)^\\s+\\d+ job driver=127\\.0\\.0\\.1:\\d+ FINISHED\\s*$")
                  .doesNotContainPattern("(?m) RUNNING\\s*$")
                  .containsPattern("(?m)^\\s+[0-9a-f]{32} DEAD\\s+\\S*Counter");
            });
    await("the finished job's worker JVMs " + workers + " exit while the head stays up")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(alive(workers))
                    .as("workers of the finished job still running")
                    .isEmpty());
    assertThat(alive(headPids)).as("the head's processes after the job ended").isEqualTo(headPids);
  }

  @Test
  @Order(4)
  void shouldConnectToTheClusterInWeftAddress() throws Exception {
    DriverProgram.Launched d = DriverProgram.launch(Map.of("WEFT_ADDRESS", address), "address");
    try {
      assertThat(d.awaitLine("CHILDREN", SLOW))
          .as("processes started by a driver that connects to WEFT_ADDRESS")
          .isEqualTo("0");
      assertThat(d.awaitLine("RESULT", SLOW))
          .as("square(7) computed on the head's cluster")
          .isEqualTo("49");
      await("the WEFT_ADDRESS driver exits")
          .atMost(Duration.ofSeconds(30))
          .until(() -> !d.process.isAlive());
      assertThat(d.process.exitValue())
          .as("exit code of the WEFT_ADDRESS driver; its output:\n" + d.output())
          .isZero();
    } finally {
      d.process.destroyForcibly();
    }
    Cli status = cli("status", "--address", address);
    assertThat(status.out)
        .as("weft status after the WEFT_ADDRESS driver ran")
        .containsPattern("(?m)^\\s+\\d+ job driver=\\S+ (RUNNING|FINISHED)\\s*$");
    long node = nodeManagerPid();
    await("the node manager retires the finished driver's workers")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        ProcessHandle.of(node)
                            .orElseThrow()
                            .descendants()
                            .map(ProcessHandle::pid)
                            .toList())
                    .as("worker JVMs left on the node manager after every job ended")
                    .isEmpty());
  }

  @Test
  @Order(5)
  void shouldListObjectsWithWeftMemory() {
    Weft.init(address);
    try {
      ObjectRef<byte[]> big = Weft.put(new byte[3 << 20]);
      ObjectRef<String> small = Weft.put("tiny");
      ObjectRef<Integer> fromTask = Weft.task(CliClusterIT::square, 12).remote();
      assertThat(Weft.get(fromTask, SLOW)).isEqualTo(144);
      Cli mem = cli("memory", "--address", address);
      assertThat(mem.code).as("exit code of weft memory; stderr:\n" + mem.err).isZero();
      assertThat(mem.out)
          .contains(big.id().hex())
          .contains(small.id().hex())
          .contains(fromTask.id().hex())
          .containsPattern(big.id().hex() + "\\s+STORE\\s+3\\.0 MiB")
          .containsPattern(small.id().hex() + "\\s+INLINE")
          .contains("local=1")
          .containsPattern(
              "3 objects listed: .* held inline by their owners, 3\\.0 MiB in object stores")
          .contains("0 B spilled to disk");
    } finally {
      Weft.shutdown();
    }
  }

  @Test
  @Order(6)
  void shouldKeepDetachedActorsAliveAfterTheirJobEnds() {
    Weft.init(address);
    ActorHandle<Counter> keeper = Weft.actor(Counter::new, 100L).name("keeper").detached().remote();
    ActorHandle<Counter> plain = Weft.actor(Counter::new, 0L).name("plain").remote();
    assertThat(Weft.get(keeper.task(Counter::add, 1L).remote(), SLOW)).isEqualTo(101L);
    assertThat(Weft.get(plain.task(Counter::add, 1L).remote(), SLOW)).isEqualTo(1L);
    Weft.shutdown();
    await("the first job is over")
        .atMost(SLOW)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () ->
                assertThat(cli("status", "--address", address).out)
                    .doesNotContainPattern("(?m) RUNNING\\s*$"));

    Weft.init(address);
    try {
      ActorHandle<Counter> again =
          Weft.<Counter>getActor("keeper")
              .orElseThrow(
                  () ->
                      new AssertionError(
                          "the detached actor 'keeper' is gone after its job ended"));
      assertThat(Weft.get(again.task(Counter::add, 1L).remote(), SLOW))
          .as("state kept across jobs")
          .isEqualTo(102L);
      assertThat(Weft.<Counter>getActor("plain"))
          .as("a non-detached actor dies with its job")
          .isEmpty();
      again.kill();
    } finally {
      Weft.shutdown();
    }
    long node = nodeManagerPid();
    await("no worker left once the detached actor was killed and every job ended")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        ProcessHandle.of(node)
                            .orElseThrow()
                            .descendants()
                            .map(ProcessHandle::pid)
                            .toList())
                    .isEmpty());
  }

  @Test
  @Order(7)
  void shouldStopTheHeadAndEveryProcessOfIt() {
    Set<Long> all = new LinkedHashSet<>(headPids);
    for (long pid : headPids) {
      ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> all.add(d.pid())));
    }

    Cli stop = cli("stop", "--port", Integer.toString(port));

    assertThat(stop.code).as("exit code of weft stop; stderr:\n" + stop.err).isZero();
    assertThat(stop.out).contains("stopped the Weft head on port " + port + " (2 processes)");
    await("every process of the stopped head exits")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(alive(all))
                    .as("processes of the head still running after weft stop")
                    .isEmpty());
    assertThat(ClusterFiles.clusterDir(port).resolve("pids"))
        .as("pids file after stop")
        .doesNotExist();
    assertThat(ClusterFiles.clusterDir(port).resolve("token"))
        .as("token file after stop")
        .doesNotExist();
    assertThat(portIsClosed(port))
        .as("nothing listens on the stopped head's port " + port)
        .isTrue();

    Cli again = cli("stop", "--port", Integer.toString(port));
    assertThat(again.code).isZero();
    assertThat(again.out).contains("no Weft head is running on port " + port);

    Cli status = cli("status", "--address", address);
    assertThat(status.code).as("weft status after stop").isEqualTo(1);
    assertThat(status.err).contains(address);
  }

  // ------------------------------------------------------------------ helpers

  /** What a {@code weft} command printed and returned. */
  record Cli(int code, String out, String err) {}

  /**
   * Runs {@code weft args...} in this JVM, capturing (and still showing) its standard output and
   * error.
   */
  static synchronized Cli cli(String... args) {
    PrintStream realOut = System.out;
    PrintStream realErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(new Tee(out, realOut), true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(new Tee(err, realErr), true, StandardCharsets.UTF_8));
      realOut.println("$ weft " + String.join(" ", args));
      code = WeftCli.run(args);
    } finally {
      System.out.flush();
      System.err.flush();
      System.setOut(realOut);
      System.setErr(realErr);
    }
    return new Cli(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public synchronized void write(int x) throws IOException {
      a.write(x);
      b.write(x);
    }

    @Override
    public synchronized void write(byte[] buf, int off, int len) throws IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }

    @Override
    public void flush() throws IOException {
      a.flush();
      b.flush();
    }
  }

  private static long nodeManagerPid() {
    return headPids.stream()
        .filter(
            pid ->
                ProcessHandle.of(pid)
                    .map(
                        h ->
                            ProcessLifecycleIT.commandLine(h)
                                .contains("dev.weft.internal.node.NodeMain"))
                    .orElse(false))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no node manager among the head's pids " + headPids));
  }

  private static Set<Long> alive(Set<Long> pids) {
    return pids.stream()
        .filter(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false))
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static boolean portIsClosed(int p) {
    try {
      new Socket(InetAddress.getLoopbackAddress(), p).close();
      return false;
    } catch (IOException e) {
      return true;
    }
  }
}
