package dev.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.ActorHandle;
import dev.weft.Weft;
import dev.weft.internal.core.ProcessLauncher;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three nodes at three addresses: each in a network namespace of its own (see {@link NetnsHosts}),
 * so that nothing can reach another node over loopback. A head in host 0 started with {@code
 * --node-ip}, two nodes in hosts 1 and 2 joined with {@code weft start --address}, each picking its
 * own address on the route to the head; a driver in host 0 runs a task and actors on the other two
 * hosts. Skipped, saying why, where this machine cannot make network namespaces (not root, or no
 * {@code ip}).
 */
class NetnsClusterIT {
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper()
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_LONG_FOR_INTS);
  private static final Duration SLOW = Duration.ofSeconds(90);
  private static final int PORT = 7380;

  private static NetnsHosts hosts;
  private static Path tmp;
  private static String head;
  private static final List<String> nodeAddresses = new ArrayList<>();

  /** An actor that tells where it runs. */
  public static class Where {
    public String where() throws IOException {
      return Weft.context().nodeId() + " " + ownAddress();
    }
  }

  /** The first IPv4 address of this process's namespace that is not loopback. */
  static String ownAddress() throws IOException {
    for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      for (InetAddress a : Collections.list(nif.getInetAddresses())) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
          return a.getHostAddress();
        }
      }
    }
    return "none";
  }

  public static String square(int x) throws IOException {
    return (x * x) + " " + Weft.context().nodeId() + " " + ownAddress();
  }

  /** The driver, run in host 0: {@code Driver HEAD_ADDRESS}. */
  public static final class Driver {
    public static void main(String[] args) throws Exception {
      Weft.init(args[0]);
      try {
        System.out.println("DRIVER " + Weft.context().nodeId() + " " + ownAddress());
        System.out.println("TASK " + Weft.get(Weft.task(NetnsClusterIT::square, 7).remote(), SLOW));
        for (String r : List.of("host1", "host2")) {
          ActorHandle<Where> a = Weft.actor(Where::new).resource(r, 1).remote();
          System.out.println("ACTOR " + r + " " + Weft.get(a.task(Where::where).remote(), SLOW));
        }
      } finally {
        Weft.shutdown();
      }
      System.out.println("DONE");
    }
  }

  /** Reads and makes large values for {@link NodelessDriver}. */
  public static class Reader {
    public String where() throws IOException {
      return Weft.context().nodeId() + " " + ownAddress();
    }

    public long checksum(byte[] data) {
      return crc(data);
    }

    /** A large result: it stays in this actor's node's store. */
    public byte[] make(int sizeBytes, long seed) {
      return bytes(sizeBytes, seed);
    }
  }

  public static long checksum(byte[] data) {
    return crc(data);
  }

  /** A 16 MiB result: it stays in the store of the node that ran the task. */
  public static byte[] make16(long seed) {
    return bytes(16 << 20, seed);
  }

  static long crc(byte[] data) {
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(data);
    return crc.getValue();
  }

  static byte[] bytes(int n, long seed) {
    byte[] out = new byte[n];
    new java.util.Random(seed).nextBytes(out);
    return out;
  }

  /**
   * A driver run in the root namespace, where no node runs: {@code NodelessDriver HEAD_ADDRESS}.
   * Prints one line per check, {@code NAME expected actual ...}.
   */
  public static final class NodelessDriver {
    public static void main(String[] args) throws Exception {
      Weft.init(args[0]);
      try {
        System.out.println("DRIVER " + Weft.context().nodeId() + " " + ownAddress());
        // a large put stays in the driver's heap; tasks on two hosts read it from the driver
        byte[] big = bytes(8 << 20, 1);
        dev.weft.ObjectRef<byte[]> ref = Weft.put(big);
        System.out.println(
            "PUT_TASK "
                + crc(big)
                + " "
                + Weft.get(Weft.task(NetnsClusterIT::checksum, ref).remote(), SLOW));
        ActorHandle<Reader> a = Weft.actor(Reader::new).resource("host1", 1).remote();
        System.out.println("ACTOR_AT " + Weft.get(a.task(Reader::where).remote(), SLOW));
        System.out.println(
            "PUT_ACTOR " + crc(big) + " " + Weft.get(a.task(Reader::checksum, ref).remote(), SLOW));
        // a 16 MiB task result lives in a node's store: read over the network by get/getBuffer
        dev.weft.ObjectRef<byte[]> made = Weft.task(NetnsClusterIT::make16, 2L).remote();
        long expected = crc(bytes(16 << 20, 2));
        System.out.println("RESULT_GET " + expected + " " + crc(Weft.get(made, SLOW)));
        try (dev.weft.ObjectBuffer buf = Weft.getBuffer(made, SLOW)) {
          byte[] copy = new byte[(int) buf.sizeBytes()];
          buf.buffer().get(copy);
          System.out.println("RESULT_BUFFER " + expected + " " + crc(copy));
        }
        // an actor's large result (host 1), passed on to a task (on the head's node: tasks run on
        // the node the driver attached to until spillback)
        dev.weft.ObjectRef<byte[]> fromActor = a.task(Reader::make, 12 << 20, 3L).remote();
        long expected3 = crc(bytes(12 << 20, 3));
        System.out.println("ACTOR_RESULT_GET " + expected3 + " " + crc(Weft.get(fromActor, SLOW)));
        System.out.println(
            "ACTOR_RESULT_TASK "
                + expected3
                + " "
                + Weft.get(Weft.task(NetnsClusterIT::checksum, fromActor).remote(), SLOW));
        // beyond the frame limit: a clear error at once
        try {
          Weft.put(new byte[70 << 20]);
          System.out.println("TOO_LARGE none");
        } catch (dev.weft.WeftException e) {
          System.out.println("TOO_LARGE " + e.getMessage().replace('\n', ' '));
        }
      } finally {
        Weft.shutdown();
      }
      System.out.println("DONE");
    }
  }

  @BeforeAll
  static void startNodesInThreeHosts() throws Exception {
    String why = NetnsHosts.unavailable();
    assumeTrue(why == null, "skipped: this machine cannot make network namespaces: " + why);
    assumeTrue(System.getenv("WEFT_TOKEN") == null, "WEFT_TOKEN is set in the environment");
    tmp = Files.createTempDirectory("weft-netns-it-");
    hosts = NetnsHosts.create(3);
    head = hosts.address(0) + ":" + PORT;

    Run h =
        run(
            0,
            cli(
                "start",
                "--head",
                "--node-ip",
                hosts.address(0),
                "--port",
                Integer.toString(PORT),
                "--num-cpus",
                "1",
                "--object-store-memory",
                Long.toString(64L << 20)));
    assertThat(h.code).as("weft start --head in host 0:\n" + h.out).isZero();
    assertThat(h.out).contains("Weft head started at " + head);
    for (int i = 1; i <= 2; i++) {
      Run j =
          run(
              i,
              cli(
                  "start",
                  "--address",
                  head,
                  "--num-cpus",
                  "1",
                  "--resources",
                  "host" + i + "=1",
                  "--object-store-memory",
                  Long.toString(64L << 20)));
      assertThat(j.code).as("weft start --address in host " + i + ":\n" + j.out).isZero();
      Matcher m = Pattern.compile("Weft node started at (\\S+):(\\d+) ").matcher(j.out);
      assertThat(m.find()).as("the join's output:\n" + j.out).isTrue();
      assertThat(m.group(1)).as("the address node " + i + " picked").isEqualTo(hosts.address(i));
      nodeAddresses.add(m.group(1) + ":" + m.group(2));
    }
  }

  @AfterAll
  static void stopEverything() throws Exception {
    if (hosts == null) {
      return;
    }
    try {
      Run stop = run(-1, cli("stop"));
      System.out.println(stop.out);
    } finally {
      hosts.close();
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void shouldRunADriverTaskAndActorsAcrossThreeAddresses() throws Exception {
    // weft status from the root namespace, which reaches the hosts over their bridge
    await("three alive nodes at the three hosts' addresses")
        .atMost(SLOW)
        .pollInterval(Duration.ofMillis(300))
        .untilAsserted(
            () -> {
              Run s = run(-1, cli("status", "--address", head, "--json"));
              assertThat(s.code).as("weft status --json:\n" + s.out).isZero();
              Map<String, Object> root =
                  (Map<String, Object>) JSON.readValue(lastLine(s.out), Object.class);
              List<Map<String, Object>> nodes = (List<Map<String, Object>>) root.get("nodes");
              assertThat(nodes)
                  .hasSize(3)
                  .allSatisfy(n -> assertThat(n.get("alive")).isEqualTo(true));
              assertThat(nodes.stream().map(n -> hostOf((String) n.get("address"))).toList())
                  .containsExactlyInAnyOrder(hosts.address(0), hosts.address(1), hosts.address(2));
            });

    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessLauncher.javaBinary());
    cmd.addAll(ProcessLauncher.JVM_FLAGS);
    cmd.addAll(
        List.of(
            "-Xmx256m",
            "-Djava.io.tmpdir=" + tmp,
            "-cp",
            System.getProperty("java.class.path"),
            Driver.class.getName(),
            head));
    Run d = run(0, cmd);
    assertThat(d.code).as("the driver in host 0:\n" + d.out).isZero();
    assertThat(d.out).contains("DONE");
    String driverNode = field(d.out, "DRIVER", 1);
    assertThat(field(d.out, "DRIVER", 2)).as("the driver's address").isEqualTo(hosts.address(0));
    assertThat(field(d.out, "TASK", 1)).isEqualTo("49");
    assertThat(field(d.out, "TASK", 3))
        .as("the task runs on the driver's node, in host 0")
        .isEqualTo(hosts.address(0));
    assertThat(field(d.out, "ACTOR host1", 2)).as("actor 1's host").isEqualTo(hosts.address(1));
    assertThat(field(d.out, "ACTOR host2", 2)).as("actor 2's host").isEqualTo(hosts.address(2));
    assertThat(List.of(driverNode, field(d.out, "ACTOR host1", 1), field(d.out, "ACTOR host2", 1)))
        .as("node ids of the driver and the two actors")
        .doesNotHaveDuplicates();
  }

  @Test
  void shouldRunADriverOnAMachineWithoutANode() throws Exception {
    // The root namespace reaches the hosts over the bridge and runs no node. A mount namespace of
    // its own with an empty /dev/shm hides the nodes' store files, as on another machine (without
    // it the driver could map a store file of a node in another network namespace: one machine).
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "unshare",
                "-m",
                "--propagation",
                "private",
                "sh",
                "-c",
                "mount -t tmpfs none /dev/shm && exec \"$@\"",
                "sh"));
    cmd.add(ProcessLauncher.javaBinary());
    cmd.addAll(ProcessLauncher.JVM_FLAGS);
    cmd.addAll(
        List.of(
            "-Xmx512m",
            "-Djava.io.tmpdir=" + tmp,
            "-cp",
            System.getProperty("java.class.path"),
            NodelessDriver.class.getName(),
            head));
    Run d = run(-1, cmd);
    assertThat(d.code).as("the driver in the root namespace:\n" + d.out).isZero();
    assertThat(d.out).contains("DONE");
    assertThat(field(d.out, "DRIVER", 2))
        .as("the driver's address: the bridge's, on no host")
        .isNotIn(hosts.address(0), hosts.address(1), hosts.address(2));
    for (String check :
        List.of(
            "PUT_TASK",
            "PUT_ACTOR",
            "RESULT_GET",
            "RESULT_BUFFER",
            "ACTOR_RESULT_GET",
            "ACTOR_RESULT_TASK")) {
      assertThat(field(d.out, check, 2)).as(check).isEqualTo(field(d.out, check, 1));
    }
    assertThat(field(d.out, "ACTOR_AT", 2)).as("the actor's host").isEqualTo(hosts.address(1));
    assertThat(d.out)
        .as("a put beyond the frame limit fails clearly")
        .contains("TOO_LARGE cannot keep the value given to Weft.put")
        .contains("maps no object store");
  }

  // ------------------------------------------------------------------ helpers

  private static String hostOf(String hostPort) {
    return hostPort.substring(0, hostPort.lastIndexOf(':'));
  }

  private static String lastLine(String out) {
    String[] lines = out.strip().split("\n");
    return lines[lines.length - 1];
  }

  /** Word {@code i} (0 = first after the prefix) of the line that starts with {@code prefix}. */
  private static String field(String out, String prefix, int i) {
    for (String line : out.split("\n")) {
      if (line.startsWith(prefix + " ")) {
        return line.substring(prefix.length() + 1).strip().split(" ")[i - 1];
      }
    }
    throw new AssertionError("no line starting with " + prefix + " in:\n" + out);
  }

  private static List<String> cli(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessLauncher.javaBinary());
    cmd.addAll(ProcessLauncher.JVM_FLAGS);
    cmd.add("-Djava.io.tmpdir=" + tmp);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.weft.cli.WeftCli"));
    cmd.addAll(List.of(args));
    return cmd;
  }

  private record Run(int code, String out) {}

  /** {@code cmd} in host {@code host}'s namespace ({@code -1}: here), with its output. */
  private static Run run(int host, List<String> cmd) throws Exception {
    List<String> full = host < 0 ? cmd : hosts.inHost(host, cmd);
    ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true);
    pb.environment().remove("WEFT_ADDRESS");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", full) + " did not end:\n" + out);
    }
    System.out.println("$ " + (host < 0 ? "" : "[host " + host + "] ") + tail(cmd) + "\n" + out);
    return new Run(p.exitValue(), out);
  }

  private static String tail(List<String> cmd) {
    int i = cmd.indexOf("dev.weft.cli.WeftCli");
    return String.join(
        " ", i >= 0 ? cmd.subList(i, cmd.size()) : cmd.subList(cmd.size() - 2, cmd.size()));
  }

  static List<Path> logs() throws IOException {
    try (Stream<Path> s = Files.walk(tmp)) {
      return s.filter(f -> f.toString().endsWith(".log")).toList();
    }
  }
}
