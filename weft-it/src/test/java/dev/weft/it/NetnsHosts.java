package dev.weft.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Separate network hosts on this machine, for tests where addresses matter: one network namespace
 * per host, each with an {@code eth0} on its own address, all joined by a bridge in this (the root)
 * namespace, which has the subnet's first address and so reaches every host. Needs root and {@code
 * ip} (Debian's iproute2); {@link #unavailable()} says why a machine cannot make them.
 *
 * <p>Names carry a random tag, so parallel runs on one machine do not collide; {@link #close}
 * removes the namespaces and the bridge (the veth pairs go with their namespace). Processes must be
 * stopped before: a namespace is only unlinked while processes still hold it.
 */
final class NetnsHosts implements AutoCloseable {
  private final String tag;
  private final String subnet;
  private final List<String> namespaces = new ArrayList<>();
  private boolean bridgeMade;

  private NetnsHosts() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    tag = Integer.toString(r.nextInt(36 * 36 * 36), 36);
    subnet = "10." + (200 + r.nextInt(50)) + "." + r.nextInt(256) + ".";
  }

  /**
   * Why this machine cannot make network namespaces (not root, no {@code ip}, or the kernel
   * refuses), or null when it can.
   */
  static String unavailable() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return "network namespaces need root (this runs as " + System.getProperty("user.name") + ")";
    }
    String probe = "weft-probe-" + ProcessHandle.current().pid();
    try {
      Result add = run("ip", "netns", "add", probe);
      if (add.code != 0) {
        return "`ip netns add` failed: " + add.out.strip();
      }
      run("ip", "netns", "del", probe);
      return null;
    } catch (IOException e) {
      return "cannot run `ip` (install Debian's iproute2): " + e.getMessage();
    }
  }

  /** {@code n} hosts; host i has address {@link #address(int)}. */
  static NetnsHosts create(int n) throws IOException {
    NetnsHosts h = new NetnsHosts();
    try {
      h.make(n);
    } catch (IOException | RuntimeException e) {
      h.close();
      throw e;
    }
    return h;
  }

  private void make(int n) throws IOException {
    String bridge = "wbr" + tag;
    check("ip", "link", "add", bridge, "type", "bridge");
    bridgeMade = true;
    check("ip", "addr", "add", subnet + "1/24", "dev", bridge);
    check("ip", "link", "set", bridge, "up");
    for (int i = 0; i < n; i++) {
      String ns = "weft-" + tag + "-" + i;
      String veth = "wv" + tag + i;
      check("ip", "netns", "add", ns);
      namespaces.add(ns);
      check("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
      check("ip", "link", "set", veth, "master", bridge, "up");
      check("ip", "netns", "exec", ns, "ip", "addr", "add", address(i) + "/24", "dev", "eth0");
      check("ip", "netns", "exec", ns, "ip", "link", "set", "eth0", "up");
      check("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
      check("ip", "netns", "exec", ns, "ip", "route", "add", "default", "via", subnet + "1");
    }
  }

  /** The address of host {@code i} (0-based). */
  String address(int i) {
    return subnet + (i + 2);
  }

  /** {@code command} run inside host {@code i}'s namespace. */
  List<String> inHost(int i, List<String> command) {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespaces.get(i)));
    cmd.addAll(command);
    return cmd;
  }

  @Override
  public void close() {
    for (String ns : namespaces) {
      quietly("ip", "netns", "del", ns);
    }
    namespaces.clear();
    if (bridgeMade) {
      quietly("ip", "link", "del", "wbr" + tag);
      bridgeMade = false;
    }
  }

  private static void quietly(String... cmd) {
    try {
      Result r = run(cmd);
      if (r.code != 0) {
        System.err.println(String.join(" ", cmd) + " failed: " + r.out.strip());
      }
    } catch (IOException e) {
      System.err.println(String.join(" ", cmd) + " failed: " + e);
    }
  }

  private static void check(String... cmd) throws IOException {
    Result r = run(cmd);
    if (r.code != 0) {
      throw new IOException(
          String.join(" ", cmd) + " failed with exit code " + r.code + ": " + r.out.strip());
    }
  }

  private record Result(int code, String out) {}

  private static Result run(String... cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + " did not end within 30 s");
      }
      return new Result(p.exitValue(), out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + String.join(" ", cmd), e);
    }
  }
}
