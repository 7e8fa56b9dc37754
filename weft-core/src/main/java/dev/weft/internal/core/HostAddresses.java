package dev.weft.internal.core;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;

/**
 * Which address a Weft process gives others to reach it. Each process has two: the one it listens
 * on (bind) and the one it advertises (what other processes connect to); they differ when it
 * listens on {@code 0.0.0.0} or behind a NAT. Nothing else in Weft picks an address: the CLI's
 * {@code --node-ip}/{@code --bind-address} set them, and without them these defaults apply.
 */
public final class HostAddresses {
  private HostAddresses() {}

  /** This machine's loopback address: the default of a head, reachable from this machine only. */
  public static String loopback() {
    return InetAddress.getLoopbackAddress().getHostAddress();
  }

  /**
   * The address of this machine that packets to {@code hostPort} leave from (the kernel's route
   * choice; nothing is sent): what a process that joins a cluster there advertises by default.
   */
  public static String towards(String hostPort) {
    String host = hostOf(hostPort);
    try {
      InetAddress target = InetAddress.getByName(host);
      if (target.isLoopbackAddress()) {
        return target.getHostAddress();
      }
      try (DatagramSocket s = new DatagramSocket()) {
        s.connect(new InetSocketAddress(target, 9)); // a UDP "connect" only picks the route
        InetAddress local = s.getLocalAddress();
        if (local != null && !local.isAnyLocalAddress()) {
          return local.getHostAddress();
        }
      }
      return InetAddress.getLocalHost().getHostAddress();
    } catch (IOException e) {
      return loopback(); // unresolvable: the connection will fail with a clearer message anyway
    }
  }

  /** Whether {@code host} names this machine: a loopback address or one of its interfaces'. */
  public static boolean isLocal(String host) {
    try {
      InetAddress a = InetAddress.getByName(host);
      return a.isLoopbackAddress()
          || a.isAnyLocalAddress()
          || NetworkInterface.getByInetAddress(a) != null;
    } catch (UnknownHostException e) {
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /** The host part of {@code host:port} (IPv6 literals in brackets lose them). */
  public static String hostOf(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    String h = colon < 0 ? hostPort : hostPort.substring(0, colon);
    return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
  }
}
