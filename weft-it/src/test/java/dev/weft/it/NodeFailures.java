package dev.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.NodeInfo;
import dev.weft.Weft;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the node-failure tests share: signals the JDK cannot send, and the driver's cluster view.
 */
final class NodeFailures {
  private NodeFailures() {}

  /** Sends SIGSTOP or SIGCONT ({@code sig}) to each of {@code pids}; gone ones are skipped. */
  static void signal(String sig, List<Long> pids) {
    if (pids.isEmpty()) {
      return;
    }
    List<String> cmd = new ArrayList<>(List.of("kill", "-" + sig));
    pids.forEach(p -> cmd.add(Long.toString(p)));
    try {
      // some may have exited already: kill reports them and signals the rest
      new ProcessBuilder(cmd).redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + cmd + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + cmd, e);
    }
  }

  /** A process and every process under it, by pid. */
  static List<Long> withDescendants(long pid) {
    List<Long> pids = new ArrayList<>(List.of(pid));
    ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> pids.add(d.pid())));
    return pids;
  }

  /** What node {@code nodeId} has free of {@code resource} in the view; -1 when not listed. */
  static double available(String nodeId, String resource) {
    for (NodeInfo n : Weft.nodes()) {
      if (n.nodeId().equals(nodeId)) {
        return n.available().getOrDefault(resource, 0.0);
      }
    }
    return -1;
  }

  /** Whether the view lists node {@code nodeId} as alive. */
  static boolean aliveInView(String nodeId) {
    return Weft.nodes().stream().anyMatch(n -> n.nodeId().equals(nodeId) && n.alive());
  }

  /** Waits until the view lists node {@code gone} dead and the cluster's CPUs are {@code cpus}. */
  static void awaitGone(String gone, double cpus, Duration within) {
    await("the view marks " + gone + " dead and the cluster's CPUs drop to " + cpus)
        .atMost(within)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              assertThat(Weft.nodes())
                  .filteredOn(n -> n.nodeId().equals(gone))
                  .singleElement()
                  .satisfies(n -> assertThat(n.alive()).isFalse());
              assertThat(Weft.clusterResources()).containsEntry("CPU", cpus);
            });
  }
}
