package dev.weft.it;

import static dev.weft.it.CliClusterIT.cli;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.ActorHandle;
import dev.weft.ObjectRef;
import dev.weft.Weft;
import dev.weft.internal.core.ClusterFiles;
import dev.weft.internal.core.ProcessLauncher;
import dev.weft.internal.store.StoreFile;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Three nodes on this machine, built as a user builds them: {@code weft start --head}, then {@code
 * weft start --address} twice; {@code weft status --json} lists them with their own pids, ports and
 * store sizes and with what they have available; a driver ({@code Weft.init(address)}) attaches to
 * a node here and runs tasks and an actor placed on a joined node; {@code weft stop} leaves no
 * process, port or store file behind. Joins with a wrong token or to no head fail clearly.
 *
 * <p>Runs with {@code java.io.tmpdir} set to a folder of its own, so that {@code weft stop} (which
 * stops every head and node of this user) only sees this test's processes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(MultiNodeCliIT.DumpLogs.class)
class MultiNodeCliIT {
  /** JSON as maps, lists, strings, longs, doubles, booleans and nulls; exactly one value. */
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper()
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_LONG_FOR_INTS)
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static final Duration SLOW = Duration.ofSeconds(60);
  private static final long MIB = 1 << 20;

  private static String savedTmpdir;
  private static Path tmp;
  private static int port;
  private static String address;

  /** Node manager pid to the store size it was started with. */
  private static final Map<Long, Long> storeBytesByPid = new java.util.LinkedHashMap<>();

  private static final Set<Long> started = new LinkedHashSet<>();

  /** The job of the "print loud" driver of the logs test (0 until it ran). */
  private static int loudJob;

  public static int square(int x) {
    return x * x;
  }

  public static long pid() {
    return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
  }

  /** An actor that needs the custom resource only the joined nodes offer. */
  public static class Holder {
    /** The pid of the node manager whose worker hosts this actor. */
    public long where() {
      return pid();
    }
  }

  @BeforeAll
  static void startThreeNodes() throws Exception {
    assumeTrue(
        System.getenv("WEFT_TOKEN") == null,
        "WEFT_TOKEN is set in the environment: it would override the head's token");
    savedTmpdir = System.getProperty("java.io.tmpdir");
    tmp = Files.createTempDirectory("weft-multinode-it-");
    System.setProperty("java.io.tmpdir", tmp.toString());
    port = freePort();
    address = "127.0.0.1:" + port;

    CliClusterIT.Cli head =
        cli(
            "start",
            "--head",
            "--port",
            Integer.toString(port),
            "--num-cpus",
            "1",
            "--object-store-memory",
            Long.toString(64 * MIB));
    assertThat(head.code()).as("weft start --head; stderr:\n" + head.err()).isZero();
    assertThat(head.out()).contains("Weft head started at " + address);
    for (String s : Files.readAllLines(ClusterFiles.clusterDir(port).resolve("pids"))) {
      started.add(Long.parseLong(s.trim()));
    }
    long headNode =
        started.stream()
            .filter(p -> commandLineOf(p).contains("dev.weft.internal.node.NodeMain"))
            .findFirst()
            .orElseThrow();
    storeBytesByPid.put(headNode, 64 * MIB);

    for (long size : List.of(80 * MIB, 96 * MIB)) {
      CliClusterIT.Cli join =
          cli(
              "start",
              "--address",
              address,
              "--num-cpus",
              "1",
              "--resources",
              "accel=1",
              "--object-store-memory",
              Long.toString(size));
      assertThat(join.code()).as("weft start --address; stderr:\n" + join.err()).isZero();
      Matcher m =
          Pattern.compile("Weft node started at 127\\.0\\.0\\.1:(\\d+) \\(pid (\\d+)\\)")
              .matcher(join.out());
      assertThat(m.find()).as("the join's output:\n" + join.out()).isTrue();
      long pid = Long.parseLong(m.group(2));
      started.add(pid);
      storeBytesByPid.put(pid, size);
    }
  }

  @AfterAll
  static void stopEverything() throws IOException {
    if (tmp == null) {
      return;
    }
    try {
      Weft.shutdown();
      cli("stop");
    } finally {
      for (long pid : started) {
        ProcessHandle.of(pid)
            .filter(ProcessHandle::isAlive)
            .ifPresent(
                h -> {
                  h.descendants().forEach(ProcessHandle::destroyForcibly);
                  h.destroyForcibly();
                });
      }
      System.setProperty("java.io.tmpdir", savedTmpdir);
    }
  }

  @Test
  @Order(1)
  @SuppressWarnings("unchecked")
  void shouldListThreeAliveNodesWithTheirOwnPidsPortsAndStores() throws Exception {
    List<Map<String, Object>> nodes = statusNodes();

    assertThat(nodes).as("nodes in weft status --json").hasSize(3);
    long controlPid =
        ((Number) ((Map<String, Object>) statusRoot().get("controlStore")).get("pid")).longValue();
    assertThat(ProcessHandle.of(controlPid).flatMap(h -> h.info().commandLine()))
        .as("controlStore.pid in weft status --json: the control store's process")
        .hasValueSatisfying(cmd -> assertThat(cmd).contains("ControlMain"));
    assertThat(nodes).allSatisfy(n -> assertThat(n).containsEntry("alive", true));
    assertThat(nodes.stream().map(n -> n.get("pid")).toList())
        .as("node manager pids")
        .containsExactlyInAnyOrderElementsOf(storeBytesByPid.keySet());
    assertThat(nodes.stream().map(n -> (String) n.get("address")).distinct())
        .as("node addresses: one port each")
        .hasSize(3)
        .allMatch(a -> a.startsWith("127.0.0.1:"));
    for (Map<String, Object> n : nodes) {
      Map<String, Object> total = (Map<String, Object>) n.get("total");
      assertThat(total)
          .as("total of node " + n)
          .containsEntry("CPU", 1L)
          .containsEntry("object_store_memory", storeBytesByPid.get((Long) n.get("pid")));
      assertThat((Map<String, Object>) n.get("available")).as("available of " + n).isNotNull();
    }
    assertThat(
            nodes.stream()
                .filter(n -> ((Map<String, Object>) n.get("total")).containsKey("accel"))
                .count())
        .as("nodes started with --resources accel=1")
        .isEqualTo(2);
    // each node has a store file of its own, named after its node id and pid
    for (long pid : storeBytesByPid.keySet()) {
      assertThat(storeFilesOf(pid)).as("store files of node manager " + pid).hasSize(1);
    }
  }

  @Test
  @Order(2)
  @SuppressWarnings("unchecked")
  void shouldRunTasksFromADriverAttachedToALocalNode() throws Exception {
    Weft.init(address);
    try {
      List<ObjectRef<Integer>> squares = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        squares.add(Weft.task(MultiNodeCliIT::square, i).remote());
      }
      for (int i = 0; i < 8; i++) {
        assertThat(Weft.get(squares.get(i), SLOW)).isEqualTo(i * i);
      }
      // `weft start` ran in this JVM, so the cluster's processes are its children: any other
      // child would be a cluster the driver started for itself
      assertThat(
              ProcessHandle.current()
                  .children()
                  .map(ProcessHandle::pid)
                  .filter(p -> !started.contains(p))
                  .toList())
          .as("processes the driver started: it attaches to a node here, it starts none")
          .isEmpty();
      long workerParent = Weft.get(Weft.task(MultiNodeCliIT::pid).remote(), SLOW);
      assertThat(storeBytesByPid)
          .as("the tasks' node is one of the three")
          .containsKey(workerParent);

      ActorHandle<Holder> holder = Weft.actor(Holder::new).resource("accel", 1).remote();
      long hostNode = Weft.get(holder.task(Holder::where).remote(), SLOW);
      assertThat(storeBytesByPid.get(hostNode))
          .as("store size of the node hosting the accel actor: a joined one")
          .isIn(80 * MIB, 96 * MIB);
      await("the node hosting the actor reports accel 0 available")
          .atMost(SLOW)
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(
              () ->
                  assertThat(statusNodes())
                      .filteredOn(n -> n.get("pid").equals(hostNode))
                      .singleElement()
                      .satisfies(
                          n ->
                              assertThat((Map<String, Object>) n.get("available"))
                                  .containsEntry("accel", 0L)));
      holder.kill();
      await("accel is available again on every node once the actor is gone")
          .atMost(SLOW)
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(
              () ->
                  assertThat(statusNodes())
                      .filteredOn(n -> ((Map<String, Object>) n.get("total")).containsKey("accel"))
                      .hasSize(2)
                      .allSatisfy(
                          n ->
                              assertThat((Map<String, Object>) n.get("available"))
                                  .containsEntry("accel", 1L)));
    } finally {
      Weft.shutdown();
    }
  }

  /**
   * Issue 12 item 1: what a driver's tasks and actors print on every node reaches its console,
   * prefixed with where it ran; {@code weft logs} lists and reads each node's files and follows a
   * job; a driver that turns the forwarding off gets none, and the lines are still kept.
   */
  @Test
  @Order(3)
  void shouldBringWorkerOutputToTheDriverAndServeLogsFromEveryNode() throws Exception {
    Map<String, String> env =
        Map.of("WEFT_ADDRESS", address, "WEFT_TOKEN", ClusterFiles.tokenFor(address));
    List<String> flags = new ArrayList<>(ProcessLauncher.JVM_FLAGS);
    flags.add("-Djava.io.tmpdir=" + tmp);
    DriverProgram.Launched driver = DriverProgram.launch(flags, env, "print", "loud");
    Set<String> nodeIds = new LinkedHashSet<>();
    statusNodes().forEach(n -> nodeIds.add((String) n.get("nodeId")));
    try {
      String job = driver.awaitLine("JOB ", SLOW);
      loudJob = Integer.parseInt(job);
      driver.awaitLine("RESULT printed", SLOW);
      // every node's task printed to both streams, the actor too; each line says where it ran
      Pattern taskLine =
          Pattern.compile("\\(pid=(\\d+), node=(node-\\w+)\\) loud (out|err) (node-\\w+)");
      await("the driver prints its tasks' lines from all three nodes, on both streams")
          .atMost(SLOW)
          .pollInterval(Duration.ofMillis(100))
          .untilAsserted(
              () -> {
                Set<String> seen = new LinkedHashSet<>();
                for (String l : driver.lines()) {
                  Matcher m = taskLine.matcher(l);
                  if (m.matches()) {
                    assertThat(m.group(2))
                        .as("the prefix names the node the task ran on")
                        .isEqualTo(m.group(4));
                    seen.add(m.group(3) + " " + m.group(2));
                  }
                }
                assertThat(seen).as("stream and node of each line").hasSize(6);
              });
      await("the driver prints the actor's line with the actor's class")
          .atMost(SLOW)
          .pollInterval(Duration.ofMillis(100))
          .until(
              () ->
                  driver.lines().stream()
                      .anyMatch(
                          l ->
                              l.matches(
                                  "\\(Greeter pid=\\d+, node=node-\\w+\\) loud actor hello")));
      String workerPid = null;
      String workerNode = null;
      for (String l : driver.lines()) {
        Matcher m = taskLine.matcher(l);
        if (m.matches()) {
          workerPid = m.group(1);
          workerNode = m.group(2);
          break;
        }
      }

      // weft logs: every node's files, with their workers
      CliClusterIT.Cli list = cli("logs", "--address", address);
      assertThat(list.code()).as("weft logs; stderr:\n" + list.err()).isZero();
      for (String id : nodeIds) {
        assertThat(list.out()).contains("node " + id + " (");
      }
      assertThat(list.out())
          .containsPattern(
              "worker-\\d+\\.log +\\d+ bytes  worker \\d+ pid " + workerPid + " alive");

      // one worker's file, found by its pid, on any node or on the named one
      for (String[] args :
          List.of(
              new String[] {"logs", "--address", address, "--worker", workerPid},
              new String[] {
                "logs", "--address", address, "--node", workerNode, "--worker", workerPid
              })) {
        CliClusterIT.Cli one = cli(args);
        assertThat(one.code()).as(String.join(" ", args) + "; stderr:\n" + one.err()).isZero();
        assertThat(one.out()).contains("loud out " + workerNode).contains("loud err " + workerNode);
      }
      CliClusterIT.Cli actor = cli("logs", "--address", address, "--actor", "loud-greeter");
      assertThat(actor.code()).as("weft logs --actor; stderr:\n" + actor.err()).isZero();
      assertThat(actor.out()).contains("loud actor hello");
      CliClusterIT.Cli nodeLog =
          cli(
              "logs",
              "--address",
              address,
              "--node",
              workerNode,
              "--file",
              "node.log",
              "--tail",
              "3");
      assertThat(nodeLog.code())
          .as("weft logs --file node.log; stderr:\n" + nodeLog.err())
          .isZero();
      assertThat(nodeLog.out().lines().count())
          .as("--tail 3 of node.log:\n" + nodeLog.out())
          .isBetween(1L, 3L);

      // what asks for nothing there is says so
      CliClusterIT.Cli noWorker = cli("logs", "--address", address, "--worker", "999999999");
      assertThat(noWorker.code()).isEqualTo(1);
      assertThat(noWorker.err()).contains("no worker '999999999'").contains("weft logs");
      CliClusterIT.Cli noJob = cli("logs", "--address", address, "--job", "4242");
      assertThat(noJob.code()).isEqualTo(1);
      assertThat(noJob.err()).contains("job 4242 is unknown").contains("weft status");
      CliClusterIT.Cli noFile =
          cli("logs", "--address", address, "--node", workerNode, "--file", "../token");
      assertThat(noFile.code()).isEqualTo(1);
      assertThat(noFile.err()).contains("no log file '../token'");

      // a job's lines, then following it: a line printed later comes, and the follow ends
      // by itself when the job does
      CliClusterIT.Cli jobLogs = cli("logs", "--address", address, "--job", job);
      assertThat(jobLogs.code()).as("weft logs --job; stderr:\n" + jobLogs.err()).isZero();
      assertThat(jobLogs.out())
          .containsPattern("\\(pid=\\d+, node=node-\\w+\\) loud out ")
          .contains("loud actor hello");
      List<String> cmd = new ArrayList<>();
      cmd.add(ProcessLauncher.javaBinary());
      cmd.addAll(flags);
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.weft.cli.WeftCli"));
      cmd.addAll(List.of("logs", "--address", address, "--job", job, "--follow"));
      DriverProgram.Launched follow =
          DriverProgram.start(new ProcessBuilder(cmd), "weft logs --job " + job + " --follow");
      try {
        follow.awaitLine("(Greeter pid=", SLOW); // it printed what was there
        driver.process.getOutputStream().write("one\n".getBytes(StandardCharsets.UTF_8));
        driver.process.getOutputStream().flush();
        driver.awaitLine("RESULT late", SLOW);
        await("weft logs --follow prints the line printed after it started")
            .atMost(SLOW)
            .pollInterval(Duration.ofMillis(100))
            .until(() -> follow.output().contains("loud late one out "));
        driver.process.getOutputStream().close(); // the driver shuts down: the job ends
        assertThat(driver.process.waitFor(60, TimeUnit.SECONDS)).as("the driver exits").isTrue();
        assertThat(follow.process.waitFor(60, TimeUnit.SECONDS))
            .as("weft logs --follow ends once the job has ended; it printed:\n" + follow.output())
            .isTrue();
        assertThat(follow.process.exitValue()).isZero();
      } finally {
        follow.process.destroyForcibly();
      }
    } finally {
      driver.process.destroyForcibly();
    }

    // a driver that turns the forwarding off prints none of its workers' lines; they are kept
    flags.add("-Dweft.logToDriver=false");
    DriverProgram.Launched quiet = DriverProgram.launch(flags, env, "print", "hushed");
    try {
      String job = quiet.awaitLine("JOB ", SLOW);
      quiet.awaitLine("RESULT printed", SLOW);
      await("the job's lines reach the control store")
          .atMost(SLOW)
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(
              () ->
                  assertThat(cli("logs", "--address", address, "--job", job).out())
                      .contains("hushed actor hello"));
      quiet.process.getOutputStream().close();
      assertThat(quiet.process.waitFor(60, TimeUnit.SECONDS)).as("the quiet driver exits").isTrue();
      assertThat(quiet.output()).doesNotContain("hushed out").doesNotContain("hushed actor hello");
    } finally {
      quiet.process.destroyForcibly();
    }
  }

  /**
   * Issue 12 item 2: every node and the control store serve Prometheus text at the URL {@code weft
   * status --json} gives; after the drivers of the test before, each node counts the task that ran
   * on it, the driver's node what it submitted, the nodes the 2 MiB array they pulled, the stores
   * their sizes, and each serves RPC latency histograms.
   */
  @Test
  @Order(4)
  @SuppressWarnings("unchecked")
  void shouldServePrometheusMetricsOfEveryNodeAndTheControlStore() throws Exception {
    Map<String, Object> root = statusRoot();
    String controlUrl = (String) ((Map<String, Object>) root.get("controlStore")).get("metrics");
    assertThat(controlUrl)
        .as("controlStore.metrics in weft status --json")
        .startsWith("http://127.0.0.1:");
    // the values are taken every second and processes report every second: they settle
    await("the metrics count what the drivers of the test before did")
        .atMost(SLOW)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertMetrics(controlUrl));
  }

  @SuppressWarnings("unchecked")
  private static void assertMetrics(String controlUrl) throws Exception {
    List<Sample> cs = scrape(controlUrl);
    assertThat(value(cs, "weft_cluster_nodes", Map.of("state", "ALIVE"))).isEqualTo(3);
    assertThat(value(cs, "weft_cluster_jobs", Map.of("state", "RUNNING"))).isZero();
    assertThat(value(cs, "weft_cluster_jobs", Map.of("state", "FINISHED")))
        .isGreaterThanOrEqualTo(3);
    assertThat(cs)
        .anyMatch(
            s ->
                s.name().equals("weft_rpc_server_seconds_count")
                    && "RegisterJob".equals(s.labels().get("method"))
                    && s.value() >= 3);
    assertThat(cs).anyMatch(s -> s.name().equals("jvm_memory_used_bytes"));

    double received = 0;
    double sent = 0;
    double submitted = 0;
    for (Map<String, Object> n : statusNodes()) {
      String node = (String) n.get("nodeId");
      String url = (String) n.get("metrics");
      assertThat(url).as("metrics of node " + node).startsWith("http://127.0.0.1:");
      List<Sample> m = scrape(url);
      Map<String, String> fn = Map.of("node", node, "function", "DriverProgram.shout");
      // "print" ran one task on every node for each of the two drivers, and "late one" anywhere
      assertThat(value(m, "weft_tasks_finished_total", fn))
          .as("shout tasks finished on " + node)
          .isGreaterThanOrEqualTo(2);
      assertThat(value(m, "weft_tasks_failed_total", fn)).isZero();
      assertThat(value(m, "weft_tasks_running", fn)).isZero();
      submitted += value(m, "weft_tasks_submitted_total", fn);
      assertThat(value(m, "weft_object_store_capacity_bytes", Map.of("node", node)))
          .as("store size of node " + node)
          .isEqualTo(storeBytesByPid.get((Long) n.get("pid")).doubleValue());
      received += value(m, "weft_object_transfer_received_bytes_total", Map.of("node", node));
      sent += value(m, "weft_object_transfer_sent_bytes_total", Map.of("node", node));
      assertThat(m)
          .anyMatch(
              s ->
                  s.name().equals("weft_rpc_server_seconds_bucket")
                          && "RequestLease".equals(s.labels().get("method"))
                      || s.name().equals("weft_rpc_server_seconds_bucket")
                          && "AttachJob".equals(s.labels().get("method")));
      assertThat(m).anyMatch(s -> s.name().equals("weft_workers"));
      assertThat(m).anyMatch(s -> s.name().equals("weft_leases_active"));
    }
    assertThat(submitted)
        .as("shout tasks the two drivers submitted (3 nodes each, and one late)")
        .isEqualTo(7);
    assertThat(received)
        .as("bytes the nodes pulled (the 2 MiB array, twice by two nodes)")
        .isGreaterThanOrEqualTo(4 * MIB);
    assertThat(sent).as("bytes the nodes served").isGreaterThanOrEqualTo(4 * MIB);
  }

  record Sample(String name, Map<String, String> labels, double value) {}

  private static final Pattern SAMPLE =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** The samples of a Prometheus text endpoint (fetched with the JDK's HTTP client). */
  static List<Sample> scrape(String url) throws Exception {
    java.net.http.HttpResponse<String> r;
    try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
      r =
          http.send(
              java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
    }
    assertThat(r.statusCode()).as("GET " + url).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    List<Sample> out = new ArrayList<>();
    for (String line : r.body().split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      assertThat(m.matches()).as("a sample line of " + url + ": " + line).isTrue();
      Map<String, String> labels = new java.util.HashMap<>();
      if (m.group(2) != null) {
        Matcher l = LABEL.matcher(m.group(2));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
      }
      out.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
    }
    return out;
  }

  /** The one sample of {@code name} whose labels include {@code labels}. */
  static double value(List<Sample> samples, String name, Map<String, String> labels) {
    List<Sample> hits =
        samples.stream()
            .filter(
                s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
            .toList();
    assertThat(hits).as(name + labels + " among the samples").hasSize(1);
    return hits.getFirst().value();
  }

  /**
   * Issue 12 items 3 and 4: {@code weft list}, {@code weft summary tasks} and {@code weft timeline}
   * show what the drivers of the logs test did, from every node; the same from Java.
   */
  @Test
  @Order(5)
  @SuppressWarnings("unchecked")
  void shouldListTheClusterStateAndWriteATimeline() throws Exception {
    assertThat(loudJob).as("the job of the logs test").isPositive();
    Set<String> nodeIds = new LinkedHashSet<>();
    statusNodes().forEach(n -> nodeIds.add((String) n.get("nodeId")));

    List<Map<String, Object>> nodes = listJson("nodes");
    assertThat(nodes).hasSize(3);
    assertThat(nodes)
        .allSatisfy(n -> assertThat((String) n.get("metricsUrl")).startsWith("http://"));
    assertThat(listJson("jobs"))
        .anySatisfy(
            j ->
                assertThat(j)
                    .containsEntry("jobId", (long) loudJob)
                    .containsEntry("state", "FINISHED"));
    assertThat(listJson("actors"))
        .anySatisfy(
            a ->
                assertThat(a)
                    .containsEntry("name", "loud-greeter")
                    .containsEntry("className", DriverProgram.Greeter.class.getName())
                    .containsEntry("state", "DEAD"));

    List<Map<String, Object>> tasks =
        listJson("tasks", "--job", Integer.toString(loudJob), "--limit", "1000");
    assertThat(tasks).allSatisfy(t -> assertThat(t).containsEntry("jobId", (long) loudJob));
    assertThat(
            tasks.stream()
                .filter(t -> t.get("function").equals("DriverProgram.shout"))
                .map(t -> t.get("nodeId"))
                .collect(java.util.stream.Collectors.toSet()))
        .as("nodes where the job's shout tasks ran")
        .isEqualTo(nodeIds);
    assertThat(tasks)
        .filteredOn(t -> t.get("function").equals("DriverProgram.fail"))
        .singleElement()
        .satisfies(
            t ->
                assertThat(t)
                    .containsEntry("state", "FAILED")
                    .hasEntrySatisfying(
                        "error",
                        e ->
                            assertThat((String) e)
                                .contains("IllegalStateException")
                                .contains("loud fails on purpose")));
    assertThat(tasks)
        .filteredOn(t -> t.get("function").equals("DriverProgram$Greeter.greet"))
        .singleElement()
        .satisfies(t -> assertThat((String) t.get("actorId")).hasSize(32));
    CliClusterIT.Cli table =
        cli("list", "tasks", "--address", address, "--job", Integer.toString(loudJob));
    assertThat(table.code()).as("weft list tasks; stderr:\n" + table.err()).isZero();
    assertThat(table.out())
        .contains("TASK")
        .contains("DriverProgram.fail")
        .contains("FAILED")
        .contains("loud fails on purpose");
    // an object a driver holds: listed with its size, owner and node
    Weft.init(address);
    try {
      ObjectRef<byte[]> held = Weft.put(new byte[3 << 20]);
      String id = held.id().toString();
      List<Map<String, Object>> objects = listJson("objects");
      assertThat(objects)
          .filteredOn(o -> id.equals(o.get("objectId")))
          .singleElement()
          .satisfies(
              o -> {
                assertThat(((Number) o.get("sizeBytes")).longValue())
                    .isGreaterThanOrEqualTo(3 << 20);
                assertThat((String) o.get("nodeId")).isIn(nodeIds);
              });
      assertThat(Weft.get(held)).hasSize(3 << 20);
    } finally {
      Weft.shutdown();
    }
    for (String kind : List.of("objects", "placement-groups", "nodes", "actors", "jobs")) {
      CliClusterIT.Cli c = cli("list", kind, "--address", address);
      assertThat(c.code()).as("weft list " + kind + "; stderr:\n" + c.err()).isZero();
      assertThat(c.out()).contains("(");
    }
    CliClusterIT.Cli bad = cli("list", "widgets", "--address", address);
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("unknown 'widgets'").contains("placement-groups");

    CliClusterIT.Cli summary = cli("summary", "tasks", "--address", address, "--json");
    assertThat(summary.code()).as("weft summary tasks; stderr:\n" + summary.err()).isZero();
    List<Map<String, Object>> sums =
        (List<Map<String, Object>>) JSON.readValue(summary.out().strip(), Object.class);
    // function: submitted, running, finished, failed (both drivers' runs of "print")
    Map<String, List<Long>> byFunction = new java.util.HashMap<>();
    for (Map<String, Object> f : sums) {
      byFunction.put(
          (String) f.get("function"),
          List.of(
              (Long) f.get("submitted"),
              (Long) f.get("running"),
              (Long) f.get("finished"),
              (Long) f.get("failed")));
    }
    assertThat(byFunction)
        .containsEntry("DriverProgram.fail", List.of(2L, 0L, 0L, 2L))
        .containsEntry("DriverProgram.shout", List.of(7L, 0L, 7L, 0L));

    // the same from Java
    try (dev.weft.state.ClusterState state = dev.weft.state.ClusterState.connect(address)) {
      assertThat(state.nodes()).hasSize(3);
      assertThat(state.tasks(loudJob, 0)).hasSameSizeAs(tasks);
      assertThat(state.taskSummary())
          .anyMatch(s -> s.function().equals("DriverProgram.shout") && s.finished() == 7);
    }

    // the timeline: Chrome-trace JSON, one complete event per task of the job
    Path trace = tmp.resolve("timeline.json");
    CliClusterIT.Cli tl =
        cli(
            "timeline",
            "--address",
            address,
            "--job",
            Integer.toString(loudJob),
            "--output",
            trace.toString());
    assertThat(tl.code()).as("weft timeline; stderr:\n" + tl.err()).isZero();
    Map<String, Object> root =
        (Map<String, Object>) JSON.readValue(Files.readString(trace), Object.class);
    List<Map<String, Object>> events = (List<Map<String, Object>>) root.get("traceEvents");
    List<Map<String, Object>> complete =
        events.stream().filter(e -> "X".equals(e.get("ph"))).toList();
    assertThat(complete).hasSameSizeAs(tasks);
    assertThat(complete)
        .allSatisfy(
            e -> {
              assertThat(e.get("pid")).isInstanceOf(Long.class);
              assertThat(e.get("tid")).isInstanceOf(Long.class);
              assertThat((Long) e.get("ts")).isPositive();
              assertThat((Long) e.get("dur")).isPositive();
            });
    assertThat(complete.stream().map(e -> e.get("name")))
        .contains("DriverProgram.shout", "DriverProgram.fail", "DriverProgram$Greeter.greet");
    assertThat(
            events.stream()
                .filter(e -> "process_name".equals(e.get("name")))
                .map(e -> ((Map<String, Object>) e.get("args")).get("name")))
        .as("one process per node, named after it")
        .containsExactlyInAnyOrderElementsOf(nodeIds.stream().map(n -> "node " + n).toList());
    CliClusterIT.Cli all =
        cli("timeline", "--address", address, "--output", tmp.resolve("all.json").toString());
    assertThat(all.code()).isZero();
    assertThat(all.out()).containsPattern("wrote \\d+ tasks");
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> listJson(String... args) throws IOException {
    List<String> a = new ArrayList<>(List.of("list"));
    a.addAll(List.of(args));
    a.addAll(List.of("--address", address, "--json"));
    CliClusterIT.Cli c = cli(a.toArray(String[]::new));
    assertThat(c.code()).as("weft " + a + "; stderr:\n" + c.err()).isZero();
    return (List<Map<String, Object>>) JSON.readValue(c.out().strip(), Object.class);
  }

  /**
   * Issue 12 item 5: the head serves the dashboard at the URL {@code weft status --json} gives; its
   * JSON API shows the cluster, and a real headless browser (Debian's Chromium) renders the page
   * with the nodes, jobs, actors, task counts, failures and a job's output; a screenshot is saved
   * to {@code target/dashboard.png}.
   */
  @Test
  @Order(6)
  @SuppressWarnings("unchecked")
  void shouldServeTheDashboardThatABrowserRenders() throws Exception {
    String url = (String) statusRoot().get("dashboard");
    assertThat(url).as("dashboard in weft status --json").matches("http://127\\.0\\.0\\.1:\\d+/");
    Set<String> nodeIds = new LinkedHashSet<>();
    statusNodes().forEach(n -> nodeIds.add((String) n.get("nodeId")));

    List<Map<String, Object>> nodes = (List<Map<String, Object>>) getJson(url + "api/nodes");
    assertThat(nodes.stream().map(n -> ((Map<String, Object>) n.get("info")).get("nodeId")))
        .containsExactlyInAnyOrderElementsOf(nodeIds);
    assertThat((List<Map<String, Object>>) getJson(url + "api/actors"))
        .anySatisfy(a -> assertThat(a).containsEntry("name", "loud-greeter"));
    assertThat((List<Map<String, Object>>) getJson(url + "api/jobs"))
        .anySatisfy(j -> assertThat(j).containsEntry("jobId", (long) loudJob));
    assertThat((List<Map<String, Object>>) getJson(url + "api/tasks?job=" + loudJob))
        .anySatisfy(
            t ->
                assertThat(t)
                    .containsEntry("function", "DriverProgram.fail")
                    .containsEntry("state", "FAILED"));
    Map<String, Object> logs = (Map<String, Object>) getJson(url + "api/logs?job=" + loudJob);
    assertThat((List<String>) logs.get("lines")).anyMatch(l -> l.endsWith("loud actor hello"));
    java.net.http.HttpResponse<String> missing = get(url + "api/widgets");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("there are nodes");

    // a real browser renders what the API says
    Path profile = tmp.resolve("chromium");
    String dom = HeadlessChromium.dumpDom(url + "?job=" + loudJob, 8000, profile);
    assertThat(dom).as("the page after its scripts ran").contains("updated ");
    Matcher refreshes = Pattern.compile("data-refreshes=\"(\\d+)\"").matcher(dom);
    assertThat(refreshes.find()).as("the page counts its refreshes").isTrue();
    assertThat(Integer.parseInt(refreshes.group(1)))
        .as("refreshes in 8 s of the page's time: it reads the cluster again every 2 s")
        .isGreaterThanOrEqualTo(3);
    for (String id : nodeIds) {
      assertThat(dom).contains(id);
    }
    assertThat(dom)
        .contains("loud-greeter")
        .contains("DriverProgram.fail")
        .contains("loud fails on purpose")
        .contains("loud actor hello")
        .contains("FINISHED")
        .doesNotContain("cannot read the cluster");
    Path png = Path.of("target", "dashboard.png").toAbsolutePath();
    HeadlessChromium.screenshot(url, 8000, profile, png);
    assertThat(Files.size(png)).as("the screenshot's size").isGreaterThan(20_000);
  }

  private static java.net.http.HttpResponse<String> get(String url) throws Exception {
    return get(url, null);
  }

  /** GET {@code url}, with the cluster token when {@code token} is not null. */
  private static java.net.http.HttpResponse<String> get(String url, String token) throws Exception {
    try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
      java.net.http.HttpRequest.Builder b =
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
              .timeout(Duration.ofSeconds(30));
      if (token != null) {
        b.header("Authorization", "Bearer " + token);
      }
      return http.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }
  }

  private static Object getJson(String url) throws Exception {
    return getJson(url, null);
  }

  private static Object getJson(String url, String token) throws Exception {
    java.net.http.HttpResponse<String> r = get(url, token);
    assertThat(r.statusCode()).as("GET " + url + ": " + r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    return JSON.readValue(r.body(), Object.class);
  }

  /**
   * Issue 12 item 6: {@code weft job submit} runs a driver on the head with the working directory
   * sent along and prints its output until it ends; {@code weft job status|logs|stop|list} and the
   * same through the dashboard's REST API.
   */
  @Test
  @Order(7)
  @SuppressWarnings("unchecked")
  void shouldRunSubmittedDriversOnTheHead() throws Exception {
    Path wd = Files.createDirectories(tmp.resolve("submitted-wd"));
    Files.writeString(wd.resolve("notes.txt"), "notes for the head\n");

    // a Weft driver: its tasks run on the cluster, their lines come back prefixed
    CliClusterIT.Cli run =
        cli(
            "job",
            "submit",
            "--address",
            address,
            "--working-dir",
            wd.toString(),
            "--",
            "java",
            "-cp",
            System.getProperty("java.class.path"),
            DriverProgram.class.getName(),
            "print",
            "submitted");
    assertThat(run.code()).as("weft job submit; stderr:\n" + run.err()).isZero();
    assertThat(run.out())
        .contains("JOB ")
        .contains("RESULT printed")
        .containsPattern("\\(pid=\\d+, node=node-\\w+\\) submitted out node-")
        .contains("submitted actor hello");
    Matcher m = Pattern.compile("submitted (submit-\\w+)").matcher(run.err());
    assertThat(m.find()).as("the submission's id in:\n" + run.err()).isTrue();
    String first = m.group(1);
    assertThat(run.err()).contains(first + " SUCCEEDED (exit code 0)");

    // the working directory is where the command runs
    CliClusterIT.Cli cat =
        cli(
            "job",
            "submit",
            "--address",
            address,
            "--working-dir",
            wd.toString(),
            "--",
            "cat",
            "notes.txt");
    assertThat(cat.code()).isZero();
    assertThat(cat.out()).contains("notes for the head");
    CliClusterIT.Cli failed =
        cli("job", "submit", "--address", address, "--", "cat", "no-such-file");
    assertThat(failed.code()).as("a driver that fails").isEqualTo(1);
    assertThat(failed.err()).contains("FAILED (exit code 1)");

    // a long one, stopped
    CliClusterIT.Cli bg =
        cli("job", "submit", "--address", address, "--no-wait", "--", "sleep", "300");
    assertThat(bg.code()).isZero();
    String id = bg.out().strip();
    assertThat(cli("job", "status", id, "--address", address).out()).contains(id + " RUNNING");
    assertThat(cli("job", "stop", id, "--address", address).code()).isZero();
    await("the stopped submission ends")
        .atMost(SLOW)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> cli("job", "status", id, "--address", address).out().contains(id + " STOPPED"));

    CliClusterIT.Cli list = cli("job", "list", "--address", address);
    assertThat(list.out()).containsPattern(first + " +SUCCEEDED").containsPattern(id + " +STOPPED");
    assertThat(cli("job", "logs", first, "--address", address).out()).contains("RESULT printed");
    CliClusterIT.Cli unknown = cli("job", "status", "submit-nothing", "--address", address);
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).contains("no job submission submit-nothing");

    // the same through REST: submissions run commands, so even on loopback they need the token
    String url = (String) statusRoot().get("dashboard");
    assertThat(get(url + "api/submissions").statusCode()).as("without the token").isEqualTo(401);
    String token = ClusterFiles.tokenFor(address);
    List<Map<String, Object>> subs =
        (List<Map<String, Object>>) getJson(url + "api/submissions", token);
    assertThat(subs)
        .anySatisfy(
            s ->
                assertThat(s)
                    .containsEntry("submissionId", first)
                    .containsEntry("state", "SUCCEEDED"))
        .anySatisfy(
            s -> assertThat(s).containsEntry("submissionId", id).containsEntry("state", "STOPPED"));
    Map<String, Object> logs =
        (Map<String, Object>) getJson(url + "api/submissions/" + first + "/logs", token);
    assertThat((String) logs.get("text")).contains("RESULT printed");
  }

  @Test
  @Order(8)
  void shouldRefuseAJoinWithAWrongTokenOrWithoutAHead() throws Exception {
    Result wrong = cliInChild(Map.of("WEFT_TOKEN", "not-the-token"), "start", "--address", address);
    assertThat(wrong.code).as("exit code of a join with a wrong token:\n" + wrong.out).isEqualTo(1);
    assertThat(wrong.out)
        .contains("cannot join the Weft head at " + address)
        .contains("wrong cluster token");

    int nothing = freePort();
    Result none =
        cliInChild(Map.of("WEFT_TOKEN", "whatever"), "start", "--address", "127.0.0.1:" + nothing);
    assertThat(none.code).as("exit code of a join to no head:\n" + none.out).isEqualTo(1);
    assertThat(none.out).contains("cannot join the Weft head at 127.0.0.1:" + nothing);

    CliClusterIT.Cli noToken = cli("start", "--address", "127.0.0.1:" + nothing);
    assertThat(noToken.code()).as("a join without a token").isEqualTo(1);
    assertThat(noToken.err()).contains("no cluster token").contains("WEFT_TOKEN");

    assertThat(statusNodes()).as("nodes after the failed joins").hasSize(3);
  }

  @Test
  @Order(9)
  void shouldStopTheHeadAndEveryJoinedNode() throws Exception {
    List<Integer> ports = new ArrayList<>(List.of(port));
    for (Map<String, Object> n : statusNodes()) {
      String a = (String) n.get("address");
      ports.add(Integer.parseInt(a.substring(a.lastIndexOf(':') + 1)));
    }
    Set<Long> all = new LinkedHashSet<>(started);
    for (long pid : started) {
      ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> all.add(d.pid())));
    }

    CliClusterIT.Cli stop = cli("stop");

    assertThat(stop.code()).as("weft stop; stderr:\n" + stop.err()).isZero();
    assertThat(stop.out())
        .contains("stopped the Weft head on port " + port)
        .containsPattern(
            "(?s)stopped the Weft node joined to "
                + address
                + ".*"
                + "stopped the Weft node joined to "
                + address);
    await("every process started by weft start exits")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(all.stream().filter(p -> ProcessHandle.of(p).isPresent()).toList())
                    .as("processes still running after weft stop")
                    .isEmpty());
    for (int p : ports) {
      assertThat(portIsClosed(p)).as("nothing listens on port " + p + " after weft stop").isTrue();
    }
    for (long pid : storeBytesByPid.keySet()) {
      assertThat(storeFilesOf(pid)).as("store files of node manager " + pid).isEmpty();
    }
    try (Stream<Path> dirs = Files.list(ClusterFiles.nodesDir())) {
      assertThat(dirs.filter(d -> Files.exists(d.resolve("pid"))).toList())
          .as("joined nodes still recorded as running")
          .isEmpty();
    }
    CliClusterIT.Cli again = cli("stop");
    assertThat(again.out()).contains("no Weft head is running").contains("no joined Weft node");
  }

  // ------------------------------------------------------------------ helpers

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> statusNodes() throws IOException {
    return (List<Map<String, Object>>) statusRoot().get("nodes");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> statusRoot() throws IOException {
    CliClusterIT.Cli status = cli("status", "--address", address, "--json");
    assertThat(status.code()).as("weft status --json; stderr:\n" + status.err()).isZero();
    return (Map<String, Object>) JSON.readValue(status.out().strip(), Object.class);
  }

  record Result(int code, String out) {}

  /** {@code weft args...} in a JVM of its own, with {@code env} added: its exit code and output. */
  static Result cliInChild(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessLauncher.javaBinary());
    cmd.addAll(ProcessLauncher.JVM_FLAGS);
    cmd.add("-Djava.io.tmpdir=" + tmp);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.weft.cli.WeftCli"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("weft " + String.join(" ", args) + " did not end:\n" + out);
    }
    System.out.println("$ weft " + String.join(" ", args) + "\n" + out);
    return new Result(p.exitValue(), out);
  }

  static List<Path> storeFilesOf(long pid) throws IOException {
    try (Stream<Path> s = Files.list(StoreFile.defaultDir())) {
      return s.filter(
              f ->
                  f.getFileName().toString().startsWith("weft-store-")
                      && f.getFileName().toString().endsWith("-" + pid))
          .toList();
    }
  }

  static String commandLineOf(long pid) {
    return ProcessHandle.of(pid)
        .map(h -> String.join(" ", ProcessLifecycleIT.commandLine(h)))
        .orElse("");
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

  /** On failure: every log under this test's private folder (head, joined nodes, workers). */
  static final class DumpLogs implements TestWatcher {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      if (tmp == null) {
        return;
      }
      try (Stream<Path> files = Files.walk(tmp)) {
        for (Path f : files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
          System.err.println("===== " + f + " =====");
          System.err.println(Files.readString(f));
        }
      } catch (IOException e) {
        System.err.println("cannot read the logs under " + tmp + ": " + e);
      }
    }
  }
}
