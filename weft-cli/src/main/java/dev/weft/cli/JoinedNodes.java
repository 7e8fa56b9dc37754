package dev.weft.cli;

import dev.weft.WeftConfig;
import dev.weft.internal.core.ClusterFiles;
import dev.weft.internal.core.EmbeddedCluster;
import dev.weft.internal.core.HostAddresses;
import dev.weft.internal.core.ProcessLauncher;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import dev.weft.internal.rpc.Rpc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Nodes joined to a head with {@code weft start --address}: each is a detached node manager with a
 * folder of its own under {@link ClusterFiles#nodesDir()} ({@code node-<millis>-<n>/}) holding
 * {@code pid}, {@code head} (the address it joined), {@code node.log} and its spill files. {@code
 * weft stop} stops those whose {@code pid} is alive and removes the {@code pid} file; the folders
 * of stopped nodes stay for their logs, the oldest pruned beyond {@link #KEEP_STOPPED}.
 */
final class JoinedNodes {
  static final int KEEP_STOPPED = 20;

  private JoinedNodes() {}

  /** A joined node's folder, its process (when alive) and the head it joined. */
  record Node(Path dir, Optional<ProcessHandle> process, String head) {}

  /** Joins a node manager to the head at {@code headAddress}; the exit code of the command. */
  static int join(WeftCli.Start opts, String headAddress) throws Exception {
    if (!headAddress.matches("[^\\s]+:\\d{1,5}")) {
      System.err.println("--address wants HOST:PORT of a running head (got '" + headAddress + "')");
      return 2;
    }
    Path nodes = Files.createDirectories(ClusterFiles.nodesDir());
    pruneStopped(nodes);
    Path dir = newFolder(nodes);
    WeftConfig cfg = opts.config(dir.toString());
    if (cfg == null) {
      Files.deleteIfExists(dir);
      return 2;
    }
    String token;
    try {
      token = ClusterFiles.tokenFor(headAddress);
    } catch (IOException e) {
      Files.deleteIfExists(dir);
      System.err.println("cannot join the Weft head at " + headAddress + ": " + e.getMessage());
      return 1;
    }
    WeftCli.Head.useTlsOfHead(headAddress);
    // Ask the head first: a wrong token or an unreachable head fails here in seconds, with the
    // reason, instead of in the node's log after its connection retries.
    try {
      Connection c = Rpc.connect(headAddress, token, (conn, id, m) -> {}, Duration.ofSeconds(5));
      try {
        Msg reply = c.call(new Msg.ClusterStatus()).get(10, TimeUnit.SECONDS);
        if (!(reply instanceof Msg.StatusReply)) {
          throw new IOException("unexpected reply to ClusterStatus: " + reply);
        }
      } finally {
        c.close();
      }
    } catch (Exception e) {
      Files.deleteIfExists(dir);
      System.err.println(
          "cannot join the Weft head at "
              + headAddress
              + ": "
              + e.getMessage()
              + " (is it running, with `weft start --head`, and is WEFT_TOKEN the token it"
              + " printed?)");
      return 1;
    }
    String host = opts.advertisedHost(HostAddresses.towards(headAddress));
    String bind = opts.bindAddress != null ? opts.bindAddress : host;
    ProcessLauncher.Started node;
    try {
      node =
          EmbeddedCluster.startNode(
              cfg, bind, host, opts.port != null ? opts.port : 0, headAddress, token, dir);
    } catch (IOException e) {
      System.err.println(
          "the node manager joining the Weft head at "
              + headAddress
              + " failed to start: "
              + e.getMessage());
      return 1;
    }
    Files.writeString(dir.resolve("head"), headAddress + "\n");
    Files.writeString(dir.resolve("pid"), node.process().pid() + "\n");
    String address = host + ":" + node.ready().join();
    System.out.println("Weft node started at " + address + " (pid " + node.process().pid() + ")");
    System.out.println("  joined:  the head at " + headAddress);
    System.out.println("  logs:    " + dir);
    System.out.println("  stop:    weft stop   (stops every Weft process started on this machine)");
    return 0;
  }

  private static Path newFolder(Path nodes) throws IOException {
    for (int i = 0; ; i++) {
      Path dir = nodes.resolve("node-" + System.currentTimeMillis() + "-" + i);
      try {
        return Files.createDirectory(dir);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // another start in the same millisecond: next number
      }
    }
  }

  /** The joined nodes recorded on this machine, running or not. */
  static List<Node> list() throws IOException {
    Path nodes = ClusterFiles.nodesDir();
    List<Node> out = new ArrayList<>();
    if (!Files.isDirectory(nodes)) {
      return out;
    }
    try (Stream<Path> s = Files.list(nodes)) {
      for (Path dir : s.sorted().toList()) {
        Path pid = dir.resolve("pid");
        if (!Files.exists(pid)) {
          continue;
        }
        Optional<ProcessHandle> p =
            ProcessHandle.of(Long.parseLong(Files.readString(pid).trim()))
                .filter(ProcessHandle::isAlive);
        Path head = dir.resolve("head");
        out.add(new Node(dir, p, Files.exists(head) ? Files.readString(head).trim() : "(unknown)"));
      }
    }
    return out;
  }

  /** Removes the folders of stopped nodes beyond the {@link #KEEP_STOPPED} newest. */
  static void pruneStopped(Path nodes) {
    try (Stream<Path> s = Files.list(nodes)) {
      List<Path> stopped =
          s.filter(d -> Files.isDirectory(d) && !Files.exists(d.resolve("pid")))
              .sorted(Comparator.comparing(Path::getFileName).reversed())
              .toList();
      for (Path old : stopped.subList(Math.min(KEEP_STOPPED, stopped.size()), stopped.size())) {
        try (Stream<Path> w = Files.walk(old)) {
          for (Path f : w.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(f);
          }
        }
      }
    } catch (IOException e) {
      System.err.println("cannot prune old node folders in " + nodes + ": " + e.getMessage());
    }
  }
}
