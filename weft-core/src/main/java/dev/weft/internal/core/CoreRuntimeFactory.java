package dev.weft.internal.core;

import dev.weft.WeftConfig;
import dev.weft.WeftException;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import dev.weft.spi.RuntimeBackend;
import dev.weft.spi.RuntimeFactory;
import java.io.IOException;
import java.time.Duration;

/**
 * Starts this process's core worker for {@code Weft.init}: in a worker process it returns the
 * worker's own; otherwise it starts an embedded cluster (no address) or connects to one, registers
 * the job with the control store and attaches it to the local node manager.
 */
public final class CoreRuntimeFactory implements RuntimeFactory {
  @Override
  public RuntimeBackend start(WeftConfig config) {
    CoreWorker existing = CoreWorker.currentOrNull();
    if (existing != null && existing.executor != null) {
      return existing; // inside a worker: nested Weft calls use the worker's runtime
    }
    EmbeddedCluster cluster = null;
    StartupTrace.mark("driver: init");
    DriverJvmCheck.run(System.err); // before Fory or Netty first load: at most one line
    Serde.configure(config);
    Serde.warmUpAsync();
    // hashed and packed while the cluster's processes boot (or the control store is reached)
    String classpath = System.getProperty("java.class.path");
    java.util.concurrent.CompletableFuture<JobCode> code =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              try {
                return JobCode.publish(classpath, Serde.workerJvmOptions(config));
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            },
            r -> Thread.ofVirtual().name("weft-job-code").start(r));
    try {
      String controlAddress;
      String token;
      // The driver listens where the cluster reaches it: loopback for its own embedded cluster,
      // else the address of this machine on the route to the head.
      String host =
          config.address() == null
              ? HostAddresses.loopback()
              : HostAddresses.towards(config.address());
      CoreWorker[] early = new CoreWorker[1];
      if (config.address() == null) {
        // The driver's own endpoint comes up while the cluster's JVMs boot.
        String newToken = ClusterFiles.newToken();
        cluster =
            EmbeddedCluster.start(
                config,
                host,
                0,
                ProcessHandle.current().pid(),
                System.getProperty("java.class.path"),
                newToken,
                () -> early[0] = new CoreWorker(host, newToken));
        controlAddress = cluster.controlAddress;
        StartupTrace.mark("driver: cluster processes ready");
        token = cluster.token;
      } else {
        controlAddress = config.address();
        token = ClusterFiles.tokenFor(controlAddress);
      }
      CoreWorker cw =
          connectDriver(
              early[0] != null ? early[0] : new CoreWorker(host, token),
              controlAddress,
              config,
              code);
      StartupTrace.mark("driver: attached");
      if (cluster != null) {
        EmbeddedCluster c = cluster;
        cw.onShutdown(c::stop);
      }
      return cw;
    } catch (IOException e) {
      if (cluster != null) {
        cluster.stop();
      }
      throw new WeftException("Weft.init failed: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      if (cluster != null) {
        cluster.stop();
      }
      throw e;
    }
  }

  static CoreWorker connectDriver(
      CoreWorker cw,
      String controlAddress,
      WeftConfig config,
      java.util.concurrent.CompletableFuture<JobCode> published)
      throws IOException {
    String host = cw.host;
    try {
      cw.jvmOptions = Serde.workerJvmOptions(config);
      try {
        cw.code = published.join();
      } catch (java.util.concurrent.CompletionException e) {
        throw new IOException(
            "cannot publish this driver's class path for the cluster's nodes: "
                + e.getCause().getMessage(),
            e.getCause());
      }
      Msg.JobCode code = cw.code.code;
      Connection control =
          connectWithRetry(cw, controlAddress, "the control store", Duration.ofSeconds(30));
      Msg.RegisterJob registration =
          new Msg.RegisterJob(config.jobName(), cw.address, ProcessHandle.current().pid(), code);
      Msg reply;
      try {
        reply =
            cw.await(
                control.call(registration),
                Duration.ofSeconds(60),
                "registering the job with the control store at " + controlAddress);
      } catch (RuntimeException e) {
        control.close();
        throw e;
      }
      if (!(reply instanceof Msg.JobInfo job)) {
        throw new IOException(
            "the control store at " + controlAddress + " refused the job: " + reply);
      }
      cw.jobId = job.jobId();
      // after a restart of the control store, this job goes on under its id (see ControlLink)
      int jobId = job.jobId();
      boolean logToDriver = config.logToDriver();
      cw.controlLink =
          new ControlLink(
              cw,
              controlAddress,
              c ->
                  c.call(new Msg.ResumeJob(jobId, registration))
                      .thenApply(
                          r -> {
                            if (!logToDriver && r instanceof Msg.JobInfo) {
                              c.send(new Msg.JobLogsToDriver(jobId, false));
                            }
                            return r;
                          }));
      cw.controlLink.attach(control);
      if (!logToDriver) {
        control.send(new Msg.JobLogsToDriver(jobId, false));
      }
      // A node on this machine, preferring one at the driver's own address: the driver maps that
      // node's store file, which only exists on its machine. Without one, a remote node (see
      // remoteNode): the driver then maps no store.
      java.util.Optional<Msg.NodeInfo> onThisMachine =
          REMOTE_NODE_FOR_TESTS
              ? java.util.Optional.empty()
              : job.nodes().stream()
                  .filter(n -> n.alive() && n.address().startsWith(host + ":"))
                  .findFirst()
                  .or(
                      () ->
                          job.nodes().stream()
                              .filter(
                                  n ->
                                      n.alive()
                                          && HostAddresses.isLocal(
                                              HostAddresses.hostOf(n.address())))
                              .findFirst());
      Msg.NodeInfo local =
          onThisMachine.orElseGet(() -> remoteNode(job.nodes(), controlAddress).orElse(null));
      if (local == null) {
        throw new IOException("the cluster at " + controlAddress + " has no live node manager");
      }
      boolean mapStore = onThisMachine.isPresent();
      cw.node = connectWithRetry(cw, local.address(), "the node manager", Duration.ofSeconds(30));
      int prestart = config.prestartWorkers() >= 0 ? config.prestartWorkers() : config.numCpus();
      Msg ack =
          cw.await(
              cw.node.call(
                  new Msg.AttachJob(
                      cw.jobId, code, ProcessHandle.current().pid(), prestart, cw.address)),
              Duration.ofSeconds(60),
              "attaching the job to the node manager");
      if (!(ack instanceof Msg.JobAttached attached)) {
        throw new IOException(
            "the node manager refused the job: " + (ack instanceof Msg.Failure f ? f.text() : ack));
      }
      if (mapStore) {
        cw.store.open(attached.storePath());
      } else {
        log.info(
            "no node runs on this machine: the driver attached to node {} at {} and maps no object"
                + " store; its large values stay in its heap (at most the RPC frame limit each),"
                + " and objects in node stores are read over the network",
            attached.nodeId(),
            local.address());
      }
      cw.nodeId = attached.nodeId();
      cw.node.closeFuture().thenRun(() -> cw.onClusterLost("node manager " + local.address()));
      CoreWorker.setCurrent(cw);
      return cw;
    } catch (IOException | RuntimeException e) {
      cw.shutdown();
      throw e;
    }
  }

  /**
   * The node a driver on a machine without a node attaches to: the head's node (the one at the
   * control store's host), else the first live node. The head's host is the one address the user
   * gave and the driver has just reached, so its node is the one most surely reachable from here;
   * the least loaded node of the view might sit behind a route the driver does not have. Leases
   * spill back from it to other nodes like any node's do.
   */
  static java.util.Optional<Msg.NodeInfo> remoteNode(
      java.util.List<Msg.NodeInfo> nodes, String controlAddress) {
    String headHost = HostAddresses.hostOf(controlAddress);
    return nodes.stream()
        .filter(n -> n.alive() && HostAddresses.hostOf(n.address()).equals(headHost))
        .findFirst()
        .or(() -> nodes.stream().filter(Msg.NodeInfo::alive).findFirst());
  }

  /**
   * Test switch ({@code -Dweft.driver.remoteNode=true}): the driver treats every node as remote, as
   * on a machine without a node (attaches to the head's node, maps no store). For tests only.
   */
  static final boolean REMOTE_NODE_FOR_TESTS = Boolean.getBoolean("weft.driver.remoteNode");

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(CoreRuntimeFactory.class);

  static Connection connectWithRetry(CoreWorker cw, String address, String what, Duration timeout)
      throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    IOException last = null;
    long backoff = 10;
    while (System.nanoTime() < deadline) {
      try {
        return cw.peers.connectBlocking(address, Duration.ofSeconds(5));
      } catch (IOException e) {
        last = e;
        try {
          Thread.sleep(
              backoff); // retry backoff while the process comes up, bounded by the deadline
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          break;
        }
        backoff = Math.min(50, backoff * 2);
      }
    }
    throw new IOException(
        "cannot reach "
            + what
            + " at "
            + address
            + " within "
            + timeout.toSeconds()
            + " s: "
            + (last == null ? "interrupted" : last.getMessage())
            + " (is the cluster running? `weft status`; is the address right?)",
        last);
  }
}
