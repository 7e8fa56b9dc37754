package dev.weft.internal.node;

import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * This node's log files, for {@code weft logs} on any machine (issue 12 item 1): the {@code *.log}
 * files of its session folder (its own, and one per worker), listed with whose they are, and read a
 * chunk at a time. Only plain names of files in that folder are read. The list is taken on the node
 * loop (the registry lives there); the file system is touched on a virtual thread.
 */
final class NodeLogs {
  /** The most one ReadLog returns. */
  static final int MAX_CHUNK = 1 << 20;

  private final String nodeId;
  private final Path sessionDir;
  private final WorkerRegistry workers;

  NodeLogs(String nodeId, Path sessionDir, WorkerRegistry workers) {
    this.nodeId = nodeId;
    this.sessionDir = sessionDir;
    this.workers = workers;
  }

  /** ListLogs, called on the loop. */
  void list(Connection c, long reqId) {
    Map<String, Msg.LogFile> known = new HashMap<>();
    for (WorkerRegistry.Registered r : workers.history()) {
      Worker w = workers.get(r.id());
      boolean alive = w != null && w.state != Worker.State.DEAD;
      List<String> actors = new ArrayList<>();
      if (alive) {
        w.actors.forEach(a -> actors.add(a.toString()));
      }
      String name = workers.logOf(r.id(), r.kind()).getFileName().toString();
      known.put(
          name, new Msg.LogFile(name, 0, r.id(), r.pid(), r.address(), alive, List.copyOf(actors)));
    }
    Thread.startVirtualThread(
        () -> {
          List<Msg.LogFile> files = new ArrayList<>();
          try (Stream<Path> s = Files.list(sessionDir)) {
            for (Path p : s.sorted().toList()) {
              String name = p.getFileName().toString();
              if (!name.endsWith(".log") || !Files.isRegularFile(p)) {
                continue;
              }
              long size = Files.size(p);
              Msg.LogFile k = known.get(name);
              files.add(
                  k == null
                      ? new Msg.LogFile(name, size, 0, 0, null, false, List.of())
                      : new Msg.LogFile(
                          name,
                          size,
                          k.workerId(),
                          k.pid(),
                          k.workerAddress(),
                          k.alive(),
                          k.actors()));
            }
            c.reply(reqId, new Msg.LogFiles(nodeId, files));
          } catch (IOException | RuntimeException e) {
            c.replyFailure(reqId, "node " + nodeId + " cannot list " + sessionDir + ": " + e);
          }
        });
  }

  /** ReadLog. */
  void read(Connection c, long reqId, Msg.ReadLog r) {
    Thread.startVirtualThread(
        () -> {
          String name = r.file();
          Path p;
          try {
            p = name == null ? null : sessionDir.resolve(name).normalize();
          } catch (java.nio.file.InvalidPathException e) {
            p = null;
          }
          if (name == null
              || p == null
              || name.contains("/")
              || name.contains("\\")
              || !name.endsWith(".log")
              || !p.getParent().equals(sessionDir.normalize())
              || !Files.isRegularFile(p)) {
            c.replyFailure(
                reqId,
                "node "
                    + nodeId
                    + " has no log file '"
                    + name
                    + "'; `weft logs --node "
                    + nodeId
                    + "` lists the files there are");
            return;
          }
          try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "r")) {
            long size = f.length();
            long from =
                r.offset() < 0 ? Math.max(0, size + r.offset()) : Math.min(r.offset(), size);
            int n = (int) Math.min(Math.min(Math.max(0, r.maxBytes()), MAX_CHUNK), size - from);
            byte[] data = new byte[n];
            f.seek(from);
            f.readFully(data);
            c.reply(reqId, new Msg.LogChunk(name, from, data, size));
          } catch (IOException | RuntimeException e) {
            c.replyFailure(reqId, "node " + nodeId + " cannot read " + p + ": " + e);
          }
        });
  }
}
