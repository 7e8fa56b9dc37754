package dev.weft.bench;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * One peer's folder in the distribution, {@code peers/<name>/}: {@code peer.properties} (main
 * class, JVM flags, workloads, heap) and {@code lib/*.jar}, the peer's own class path. Built by the
 * weft-bench-peers modules; nothing from it is on Weft's class path.
 */
record PeerInfo(
    String name,
    String title,
    Path dir,
    String mainClass,
    List<String> workloads,
    List<String> jvmFlags,
    int heapMb) {

  /** The peers under {@code peersDir}, by name, in a fixed order (the order of the report). */
  static List<PeerInfo> discover(Path peersDir) throws IOException {
    if (!Files.isDirectory(peersDir)) {
      throw new IOException(
          "the peers folder "
              + peersDir
              + " does not exist. It is built with the"
              + " distribution (./mvnw install -DskipTests leaves it in weft-dist/target/weft/peers);"
              + " run weft-dist/target/weft/bin/weft bench --peers, or pass --peers-dir");
    }
    List<PeerInfo> peers = new ArrayList<>();
    try (Stream<Path> s = Files.list(peersDir)) {
      for (Path d : s.sorted().toList()) {
        if (Files.isRegularFile(d.resolve("peer.properties"))) {
          peers.add(load(d));
        }
      }
    }
    if (peers.isEmpty()) {
      throw new IOException(
          "no peer in " + peersDir + " (expected <peer>/peer.properties folders)");
    }
    List<String> order = List.of("hazelcast", "ignite", "pekko", "tcp");
    peers.sort((a, b) -> Integer.compare(rank(order, a.name()), rank(order, b.name())));
    return peers;
  }

  private static int rank(List<String> order, String name) {
    int i = order.indexOf(name);
    return i < 0 ? order.size() : i;
  }

  static PeerInfo load(Path dir) throws IOException {
    Properties p = new Properties();
    try (Reader r =
        Files.newBufferedReader(dir.resolve("peer.properties"), StandardCharsets.UTF_8)) {
      p.load(r);
    }
    String name = need(p, "name", dir);
    Path lib = dir.resolve("lib");
    if (!Files.isDirectory(lib)) {
      throw new IOException("peer " + name + " has no lib folder: " + lib);
    }
    int heap;
    try {
      heap = Integer.parseInt(p.getProperty("heap.mb", "1024").trim());
    } catch (NumberFormatException e) {
      throw new IOException("peer " + name + ": heap.mb is not a number in " + dir, e);
    }
    String flags = p.getProperty("jvm.flags", "").trim();
    return new PeerInfo(
        name,
        p.getProperty("title", name).trim(),
        dir,
        need(p, "main", dir),
        List.of(need(p, "workloads", dir).split("\\s*,\\s*")),
        flags.isEmpty() ? List.of() : Arrays.asList(flags.split("\\s+")),
        heap);
  }

  private static String need(Properties p, String key, Path dir) throws IOException {
    String v = p.getProperty(key);
    if (v == null || v.isBlank()) {
      throw new IOException("'" + key + "' missing in " + dir.resolve("peer.properties"));
    }
    return v.trim();
  }

  boolean runs(String workload) {
    return workloads.contains(workload);
  }
}
