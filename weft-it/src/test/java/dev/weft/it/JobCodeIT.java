package dev.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.ActorHandle;
import dev.weft.Weft;
import dev.weft.internal.core.ClusterFiles;
import dev.weft.internal.core.JobCode;
import dev.weft.internal.core.ProcessLauncher;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import dev.weft.internal.rpc.Rpc;
import dev.weft.testing.LocalCluster;
import dev.weft.testing.NodeHandle;
import dev.weft.testing.NodeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Job code reaches nodes by itself (issue 9 item 5), on real processes: a {@link LocalCluster} with
 * a head and a node B that the driver never attached to. Node B serves the driver's job anyway: an
 * actor placed there submits a task to its own node, and a plain process asks node B for a lease of
 * the driver's job; node B fetches the job's definition from the control store first.
 */
@ExtendWith(JobCodeIT.DumpLogs.class)
class JobCodeIT {
  private static final Duration SLOW = Duration.ofSeconds(60);

  private static LocalCluster current;

  /** The pid of the node manager whose worker runs this: the worker's parent. */
  public static long nodePid() {
    return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
  }

  /** An actor on node B that submits a task from there. */
  public static class OnB {
    public long nodePid() {
      return JobCodeIT.nodePid();
    }

    /** Submits a task from this actor: its node is asked for a lease of the driver's job. */
    public long nestedTaskNodePid() {
      return Weft.get(Weft.task(JobCodeIT::nodePid).remote(), SLOW);
    }
  }

  @AfterEach
  void closeCluster() {
    Weft.shutdown();
    if (current != null) {
      current.close();
    }
  }

  @Test
  void shouldServeTheDriversJobOnANodeItNeverAttachedTo() throws Exception {
    LocalCluster cluster = LocalCluster.start(NodeOptions.builder().cpus(1).build());
    current = cluster;
    NodeHandle b = cluster.addNode(NodeOptions.builder().cpus(2).resource("b", 1).build());
    cluster.connect();
    int jobId = Integer.parseInt(Weft.context().jobId());

    assertThat(Weft.get(Weft.task(JobCodeIT::nodePid).remote(), SLOW))
        .as("the driver's task runs on the head's node, which it attached to")
        .isEqualTo(cluster.head().pid());
    ActorHandle<OnB> onB = Weft.actor(OnB::new).resource("b", 1).remote();
    assertThat(Weft.get(onB.task(OnB::nodePid).remote(), SLOW)).isEqualTo(b.pid());
    assertThat(Weft.get(onB.task(OnB::nestedTaskNodePid).remote(), SLOW))
        .as("a task submitted from the actor on B runs on B, leased there for the driver's job")
        .isEqualTo(b.pid());

    // a process that is neither the driver nor one of B's workers asks B for a lease of the job
    // (marked spilled: B was chosen, so it grants or queues here instead of passing it on)
    String token = ClusterFiles.tokenFor(cluster.address());
    Connection c = Rpc.connect(b.address(), token, (conn, id, m) -> {}, Duration.ofSeconds(10));
    try {
      Msg reply =
          c.call(
                  new Msg.RequestLease(
                      jobId, Map.of("CPU", 1.0), "probe", Msg.Scheduling.DEFAULT, true))
              .get(SLOW.toSeconds(), TimeUnit.SECONDS);
      assertThat(reply)
          .as("node B leases a worker for job %d though the driver never attached to it", jobId)
          .isInstanceOf(Msg.LeaseGranted.class);
      c.send(new Msg.ReturnLease(((Msg.LeaseGranted) reply).leaseId()));

      Msg unknown =
          c.call(
                  new Msg.RequestLease(
                      jobId + 1000, Map.of("CPU", 1.0), "probe", Msg.Scheduling.DEFAULT, true))
              .get(SLOW.toSeconds(), TimeUnit.SECONDS);
      assertThat(unknown)
          .as("a job the control store does not know")
          .isInstanceOfSatisfying(
              Msg.Failure.class,
              f -> assertThat(f.text()).contains("job " + (jobId + 1000), b.nodeId()));
    } finally {
      c.close();
    }
    assertThat(Weft.get(Weft.task(JobCodeIT::nodePid).remote(), SLOW))
        .isEqualTo(cluster.head().pid());
  }

  // ------------------------------------------------------------------ code only the driver has

  /**
   * The driver of {@link #shouldShipAJarThatOnlyTheDriverHasToTheNodeThatRunsItsActor}: places an
   * actor that needs {@code b} (only node B has it) and prints where its class came from. {@code
   * delete} first removes the driver's own jar, so that it cannot serve it.
   */
  private static final String PROBE =
"""
      package shipped;

      import dev.weft.ActorHandle;
      import dev.weft.Weft;
      import java.io.BufferedReader;
      import java.io.InputStreamReader;
      import java.nio.file.Files;
      import java.nio.file.Path;
      import dev.weft.internal.core.JobCode;
import dev.weft.internal.core.ProcessLauncher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

      public class Probe {
        public static final String STAMP = "%s";

        public String where() throws Exception {
          return ProcessHandle.current().pid()
              + " " + Path.of(Probe.class.getProtectionDomain().getCodeSource().getLocation().toURI())
              + " " + STAMP;
        }

        public static void main(String[] args) throws Exception {
          Weft.init(args[0]);
          if (args[1].equals("delete")) {
            Files.delete(
                Path.of(Probe.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
          }
          try {
            ActorHandle<Probe> p = Weft.actor(Probe::new).resource("b", 1).remote();
            System.out.println("WHERE " + Weft.get(p.task(Probe::where).remote(), Duration.ofSeconds(120)));
          } catch (RuntimeException e) {
            System.out.println("FAILED " + e.getMessage().replace('\\n', ' '));
          }
          new BufferedReader(new InputStreamReader(System.in)).readLine(); // until the test says
          Weft.shutdown();
        }
      }
      """;

  /** Compiles {@link #PROBE} with a stamp of its own into a jar in {@code dir}. */
  private static Path probeJar(Path dir, String stamp) throws Exception {
    Path src = dir.resolve("src/shipped/Probe.java");
    Path classes = dir.resolve("classes");
    Files.createDirectories(src.getParent());
    Files.createDirectories(classes);
    Files.writeString(src, PROBE.formatted(stamp));
    javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
    int rc =
        javac.run(
            null,
            null,
            null,
            "-d",
            classes.toString(),
            "-cp",
            System.getProperty("java.class.path"),
            src.toString());
    assertThat(rc).as("javac of the probe").isZero();
    Path jar = dir.resolve("probe-" + stamp + ".jar");
    try (java.util.jar.JarOutputStream out =
        new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
      try (java.util.stream.Stream<Path> files = Files.walk(classes)) {
        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
          out.putNextEntry(
              new java.util.jar.JarEntry(classes.relativize(f).toString().replace('\\', '/')));
          Files.copy(f, out);
          out.closeEntry();
        }
      }
    }
    return jar;
  }

  private static DriverProgram.Launched probeDriver(Path jar, String address, String mode)
      throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessLauncher.javaBinary());
    cmd.addAll(ProcessLauncher.JVM_FLAGS);
    cmd.addAll(
        List.of(
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path") + java.io.File.pathSeparator + jar,
            "shipped.Probe",
            address,
            mode));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("WEFT_ADDRESS");
    return DriverProgram.start(pb, "probe " + jar.getFileName() + " " + mode);
  }

  @Test
  void shouldShipAJarThatOnlyTheDriverHasToTheNodeThatRunsItsActor() throws Exception {
    LocalCluster cluster = LocalCluster.start(NodeOptions.builder().cpus(1).build());
    current = cluster;
    NodeHandle b = cluster.addNode(NodeOptions.builder().cpus(2).resource("b", 3).build());
    Path dir = Files.createTempDirectory("weft-jobcode-it-");
    String stamp = UUID.randomUUID().toString().replace("-", "");
    Path jar = probeJar(dir.resolve("first"), stamp);
    byte[] content = Files.readAllBytes(jar);
    String sha = HexFormat.of().formatHex(JobCode.sha256().digest(content));
    Path cached = JobCode.cached(JobCode.cacheDir(), sha);
    assertThat(cached).as("a jar no node has seen").doesNotExist();

    List<DriverProgram.Launched> drivers = new ArrayList<>();
    try {
      DriverProgram.Launched first = probeDriver(jar, cluster.address(), "keep");
      drivers.add(first);
      String[] where = first.awaitLine("WHERE", SLOW.multipliedBy(2)).split(" ");
      long workerPid = Long.parseLong(where[0]);
      assertThat(ProcessHandle.of(workerPid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid))
          .as("the actor's worker is node B's")
          .contains(b.pid());
      assertThat(Path.of(where[1]))
          .as("the actor's class loads from node B's code cache, under its hash")
          .isEqualTo(cached);
      assertThat(where[2]).isEqualTo(stamp);
      assertThat(Files.readAllBytes(cached))
          .as("the cached entry is the driver's jar")
          .isEqualTo(content);

      // the same code at another path: another job, the same pool (the same actor host JVM)
      Path copy = Files.createDirectories(dir.resolve("second")).resolve("renamed.jar");
      Files.copy(jar, copy);
      DriverProgram.Launched second = probeDriver(copy, cluster.address(), "keep");
      drivers.add(second);
      String[] where2 = second.awaitLine("WHERE", SLOW.multipliedBy(2)).split(" ");
      assertThat(Long.parseLong(where2[0]))
          .as("the second driver's actor runs in the first one's warm worker: pools by content")
          .isEqualTo(workerPid);
      assertThat(Path.of(where2[1])).isEqualTo(cached);

      // an entry the driver cannot serve: a clear error, no hang
      Path gone = probeJar(dir.resolve("third"), UUID.randomUUID().toString().replace("-", ""));
      DriverProgram.Launched third = probeDriver(gone, cluster.address(), "delete");
      drivers.add(third);
      assertThat(third.awaitLine("FAILED", SLOW.multipliedBy(2)))
          .contains("node " + b.nodeId(), "cannot fetch class path entry", gone.toString())
          .contains("NoSuchFileException");
    } finally {
      for (DriverProgram.Launched d : drivers) {
        d.process.getOutputStream().close(); // the probe's readLine ends: it shuts down
      }
      for (DriverProgram.Launched d : drivers) {
        if (!d.process.waitFor(30, TimeUnit.SECONDS)) {
          d.process.destroyForcibly();
        }
      }
    }
  }

  /** On failure: the logs of every process the test's cluster started. */
  static final class DumpLogs implements TestWatcher {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      if (current != null) {
        current.printLogs(System.err);
      }
    }
  }
}
