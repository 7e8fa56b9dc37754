package dev.weft.it;

import static org.awaitility.Awaitility.await;

import dev.weft.ActorHandle;
import dev.weft.ObjectRef;
import dev.weft.Weft;
import dev.weft.WeftConfig;
import dev.weft.internal.core.ProcessLauncher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * A driver program that integration tests run as a separate JVM (see {@link #launch}), so they can
 * kill it, let it exit, or give it an environment.
 *
 * <p>Modes (first argument):
 *
 * <ul>
 *   <li>{@code block <logDir>}: starts an embedded cluster (logs in logDir), runs a task and an
 *       actor call, prints {@code PIDS <pid>...} (every descendant process), then blocks forever.
 *   <li>{@code shutdown <logDir>}: the same, then {@code Weft.shutdown()}, prints {@code DONE} and
 *       returns from main (the JVM must then exit by itself).
 *   <li>{@code exit <logDir>}: the same, then returns from main without calling shutdown (the
 *       shutdown hook must clean up).
 *   <li>{@code plain}: what a user's first program does (a task, an actor call, a 4 MiB put read by
 *       a task), then {@code Weft.shutdown()} and {@code DONE}; run without JVM flags by {@link
 *       PlainJavaDriverIT}.
 *   <li>{@code address}: {@code Weft.init()} with no argument (connects to {@code WEFT_ADDRESS}),
 *       prints {@code CHILDREN <n>} (processes this JVM started) and {@code RESULT <square(7)>}.
 *   <li>{@code nested-actor <name>}: connects to {@code WEFT_ADDRESS}, runs a task that creates an
 *       actor named {@code name} and hands its handle back, prints {@code RESULT created <name>},
 *       then blocks, holding the handle, until killed.
 *   <li>{@code hand-over <name>}: connects to {@code WEFT_ADDRESS}, creates a detached actor named
 *       {@code name} ({@link DetachedObjectIT.Keeper}), hands it a detached and a plain 2 MiB
 *       object it put, prints {@code RESULT kept}, shuts down and prints {@code DONE}.
 *   <li>{@code kv-get <key>}: connects to {@code WEFT_ADDRESS}, prints {@code RESULT <value>} of
 *       the key in the cluster's key-value table (UTF-8), and shuts down.
 *   <li>{@code print <tag>}: connects to {@code WEFT_ADDRESS}, prints {@code JOB <id>}, puts a 2
 *       MiB array and runs a task on every node that reads it and prints {@code <tag> out <node>}
 *       and {@code <tag> err <node>} (stderr), runs a task {@code fail} that throws (and expects it
 *       to), creates an actor named {@code <tag>-greeter} whose call prints {@code <tag> actor
 *       hello}, prints {@code RESULT printed}; then for each line read from standard input runs a
 *       task that prints {@code <tag> late <line>} and prints {@code RESULT late}; shuts down at
 *       EOF.
 * </ul>
 */
public final class DriverProgram {
  private DriverProgram() {}

  public static int square(int x) {
    return x * x;
  }

  public static int length(byte[] b) {
    return b.length;
  }

  /** Prints to both streams of its worker (see the "print" mode). */
  public static String shout(String tag, byte[] blob) {
    String node = Weft.context().nodeId();
    System.out.println(tag + " out " + node);
    System.err.println(tag + " err " + node);
    return node;
  }

  /** Fails on purpose (see the "print" mode). */
  public static String fail(String tag) {
    throw new IllegalStateException(tag + " fails on purpose");
  }

  /** An actor whose call prints (see the "print" mode). */
  public static class Greeter {
    public String greet(String tag) {
      System.out.println(tag + " actor hello");
      return "hello";
    }
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

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "";
    switch (mode) {
      case "block", "shutdown", "exit" -> {
        Weft.init(
            WeftConfig.builder()
                .numCpus(2)
                .jobName("driver-program-" + mode)
                .logDir(args[1])
                .build());
        runTaskAndActor();
        System.out.println(
            "PIDS "
                + ProcessHandle.current()
                    .descendants()
                    .map(h -> Long.toString(h.pid()))
                    .collect(Collectors.joining(" ")));
        if (mode.equals("block")) {
          Thread.currentThread().join(); // until killed
        } else if (mode.equals("shutdown")) {
          Weft.shutdown();
          System.out.println("DONE");
        } else {
          System.out.println("RETURNING");
        }
      }
      case "plain" -> {
        // what a user's first program does, started with plain `java -cp` and no flags
        Weft.init(WeftConfig.builder().numCpus(2).jobName("driver-program-plain").build());
        runTaskAndActor();
        ObjectRef<byte[]> big = Weft.put(new byte[4 << 20]); // through the node's store
        System.out.println(
            "BIG "
                + Weft.get(Weft.task(DriverProgram::length, big).remote(), Duration.ofSeconds(60)));
        // a zero-copy view of it, closed: reads after close fail, and no JDK warning is printed
        dev.weft.ObjectBuffer view = Weft.getBuffer(big);
        long size = view.segment().byteSize();
        view.close();
        String afterClose;
        try {
          view.segment().get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0);
          afterClose = "readable";
        } catch (IllegalStateException e) {
          afterClose = "closed";
        }
        System.out.println("VIEW " + size + " " + afterClose);
        Weft.shutdown();
        System.out.println("DONE");
      }
      case "address" -> {
        Weft.init();
        System.out.println("CHILDREN " + ProcessHandle.current().children().count());
        int r = Weft.get(Weft.task(DriverProgram::square, 7).remote(), Duration.ofSeconds(60));
        System.out.println("RESULT " + r);
        Weft.shutdown();
      }
      case "nested-actor" -> {
        // a job of its own on the cluster at WEFT_ADDRESS, whose task creates a named actor
        Weft.init();
        // the handle the task hands back keeps the actor alive (a name alone does not)
        ActorHandle<CoreHardeningIT.Holder> h =
            Weft.get(
                Weft.task(CoreHardeningIT::createNamed, args[1]).remote(), Duration.ofSeconds(60));
        System.out.println("RESULT created " + h.name());
        Thread.currentThread().join(); // until killed: then the job ends
        Reference.reachabilityFence(h);
      }
      case "hand-over" -> {
        // a job of its own that puts objects, hands them to a detached actor, and ends
        Weft.init();
        ActorHandle<DetachedObjectIT.Keeper> k =
            Weft.actor(DetachedObjectIT.Keeper::new).name(args[1]).detached().remote();
        ObjectRef<byte[]> detached = Weft.putDetached(DetachedObjectIT.filled(2 << 20, 11));
        ObjectRef<byte[]> plain = Weft.put(DetachedObjectIT.filled(2 << 20, 12));
        String r =
            Weft.get(
                k.task(DetachedObjectIT.Keeper::keep, List.of(detached, plain)).remote(),
                Duration.ofSeconds(60));
        System.out.println("RESULT " + r);
        Weft.shutdown();
        System.out.println("DONE");
      }
      case "print" -> {
        String tag = args[1];
        Weft.init();
        System.out.println("JOB " + Weft.context().jobId());
        List<ObjectRef<String>> ran = new ArrayList<>();
        // read by a task on every node: the other nodes pull it from the driver's
        ObjectRef<byte[]> blob = Weft.put(new byte[2 << 20]);
        for (dev.weft.NodeInfo n : Weft.nodes()) {
          if (!n.alive()) {
            continue;
          }
          ran.add(
              Weft.task(DriverProgram::shout, tag, blob)
                  .scheduling(dev.weft.SchedulingStrategy.nodeAffinity(n.nodeId(), false))
                  .remote());
        }
        for (ObjectRef<String> r : ran) {
          Weft.get(r, Duration.ofSeconds(60));
        }
        try {
          Weft.get(Weft.task(DriverProgram::fail, tag).remote(), Duration.ofSeconds(60));
          throw new AssertionError("the failing task did not fail");
        } catch (dev.weft.TaskFailedException expected) {
          // it shows in weft list tasks and weft summary tasks
        }
        ActorHandle<Greeter> g = Weft.actor(Greeter::new).name(tag + "-greeter").remote();
        Weft.get(g.task(Greeter::greet, tag).remote(), Duration.ofSeconds(60));
        System.out.println("RESULT printed");
        BufferedReader in =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
          Weft.get(
              Weft.task(DriverProgram::shout, tag + " late " + line, blob).remote(),
              Duration.ofSeconds(60));
          System.out.println("RESULT late");
        }
        Weft.shutdown();
      }
      case "kv-get" -> {
        Weft.init();
        System.out.println(
            "RESULT "
                + Weft.kv()
                    .get(args[1])
                    .map(b -> new String(b, StandardCharsets.UTF_8))
                    .orElse("(none)"));
        Weft.shutdown();
      }
      default -> {
        System.err.println(
            "usage: DriverProgram block|shutdown|exit <logDir> | address | nested-actor <name>"
                + " | hand-over <name> | kv-get <key>");
        System.exit(2);
      }
    }
  }

  private static void runTaskAndActor() {
    ObjectRef<Integer> sq = Weft.task(DriverProgram::square, 6).remote();
    System.out.println("TASK " + Weft.get(sq, Duration.ofSeconds(60)));
    ActorHandle<Counter> c = Weft.actor(Counter::new, 10L).remote();
    System.out.println(
        "ACTOR " + Weft.get(c.task(Counter::add, 5L).remote(), Duration.ofSeconds(60)));
  }

  // ------------------------------------------------------------------ for the tests

  /**
   * Starts {@code DriverProgram} in a new JVM with this JVM's class path; its output is collected.
   */
  public static Launched launch(Map<String, String> env, String... args) throws IOException {
    return launch(ProcessLauncher.JVM_FLAGS, env, args);
  }

  /**
   * A driver of another job on the cluster this JVM is connected to ({@code WEFT_ADDRESS} and
   * {@code WEFT_TOKEN} set to it).
   */
  public static Launched launchOnThisCluster(String... args) throws IOException {
    Map<String, String> access = dev.weft.internal.core.CoreWorker.clusterAccess();
    return launch(
        Map.of("WEFT_ADDRESS", access.get("address"), "WEFT_TOKEN", access.get("token")), args);
  }

  /** The same with these JVM flags instead of Weft's own (none: a plain {@code java -cp}). */
  public static Launched launch(List<String> jvmFlags, Map<String, String> env, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessLauncher.javaBinary());
    cmd.addAll(jvmFlags);
    cmd.add("-Xmx256m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(DriverProgram.class.getName());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("WEFT_ADDRESS");
    pb.environment().putAll(env);
    return start(pb, String.join(" ", args));
  }

  /** Starts any driver command; its output (with errors merged) is collected as for ours. */
  public static Launched start(ProcessBuilder pb, String what) throws IOException {
    Process p = pb.redirectErrorStream(true).start();
    Launched l = new Launched(p, what);
    Thread.ofVirtual().name("driver-program-output").start(l::pump);
    return l;
  }

  /** A running DriverProgram: its process and every line it printed so far. */
  public static final class Launched {
    public final Process process;
    private final String what;
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<Void> eof = new CompletableFuture<>();

    Launched(Process process, String what) {
      this.process = process;
      this.what = what;
    }

    private void pump() {
      try (BufferedReader r =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          lines.add(line);
          System.err.println("[driver " + process.pid() + "] " + line);
        }
      } catch (IOException e) {
        lines.add("(output unreadable: " + e + ")");
      } finally {
        eof.complete(null);
      }
    }

    public List<String> lines() {
      synchronized (lines) {
        return List.copyOf(lines);
      }
    }

    /** Waits for a line starting with {@code prefix} and returns the rest of it. */
    public String awaitLine(String prefix, Duration timeout) {
      await("line '" + prefix + "...' from DriverProgram " + what + " (pid " + process.pid() + ")")
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> find(prefix) != null || eof.isDone());
      String rest = find(prefix);
      if (rest == null) {
        throw new AssertionError(
            "DriverProgram "
                + what
                + " ended its output (alive: "
                + process.isAlive()
                + ") before printing '"
                + prefix
                + "'; its output:\n"
                + output());
      }
      return rest;
    }

    private String find(String prefix) {
      for (String l : lines()) {
        if (l.startsWith(prefix)) {
          return l.substring(prefix.length()).trim();
        }
      }
      return null;
    }

    public String output() {
      return String.join("\n", lines());
    }
  }
}
