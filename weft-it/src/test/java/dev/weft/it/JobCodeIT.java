package dev.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.ActorHandle;
import dev.weft.Weft;
import dev.weft.internal.core.ClusterFiles;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import dev.weft.internal.rpc.Rpc;
import dev.weft.testing.LocalCluster;
import dev.weft.testing.NodeHandle;
import dev.weft.testing.NodeOptions;
import java.time.Duration;
import java.util.Map;
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
    String token = ClusterFiles.tokenFor(cluster.address());
    Connection c = Rpc.connect(b.address(), token, (conn, id, m) -> {}, Duration.ofSeconds(10));
    try {
      Msg reply =
          c.call(new Msg.RequestLease(jobId, Map.of("CPU", 1.0), "probe"))
              .get(SLOW.toSeconds(), TimeUnit.SECONDS);
      assertThat(reply)
          .as("node B leases a worker for job %d though the driver never attached to it", jobId)
          .isInstanceOf(Msg.LeaseGranted.class);
      c.send(new Msg.ReturnLease(((Msg.LeaseGranted) reply).leaseId()));

      Msg unknown =
          c.call(new Msg.RequestLease(jobId + 1000, Map.of("CPU", 1.0), "probe"))
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
