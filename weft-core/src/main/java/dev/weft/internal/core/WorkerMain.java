package dev.weft.internal.core;

import dev.weft.Weft;
import dev.weft.WeftConfig;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import java.time.Duration;

/**
 * Entry point of a worker JVM, started by a node manager with the job's class path. Registers with
 * its node, then serves tasks and hosts actors until the node goes away.
 *
 * <p>Arguments: {@code --node host:port --worker-id N --node-pid P --host H}; the token comes in
 * {@code WEFT_TOKEN}.
 */
public final class WorkerMain {
  private WorkerMain() {}

  public static void main(String[] args) {
    try {
      run(args);
    } catch (Throwable t) {
      // a failed start must end this JVM: its other threads would keep it alive, and its starter
      // waiting
      System.err.println("WorkerMain failed: " + t);
      t.printStackTrace();
      System.exit(1);
    }
  }

  private static void run(String[] args) throws Exception {
    // first: what tasks print or log to the console goes to their drivers too (issue 12 item 1)
    WorkerOutput output =
        Boolean.parseBoolean(System.getProperty("weft.output.toDriver", "true"))
            ? WorkerOutput.install()
            : null;
    StartupTrace.mark("worker: main");
    String nodeAddr = null;
    String controlAddr = null;
    String host = null;
    String bindHost = null;
    long workerId = 0;
    long nodePid = 0;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--node" -> nodeAddr = args[i + 1];
        case "--worker-id" -> workerId = Long.parseLong(args[i + 1]);
        case "--node-pid" -> nodePid = Long.parseLong(args[i + 1]);
        case "--host" -> host = args[i + 1];
        case "--bind-host" -> bindHost = args[i + 1];
        case "--control" -> controlAddr = args[i + 1];
        default -> throw new IllegalArgumentException("unknown worker argument " + args[i]);
      }
    }
    String token = System.getenv("WEFT_TOKEN");
    if (nodeAddr == null || controlAddr == null || host == null || token == null) {
      System.err.println(
          "WorkerMain is started by a Weft node manager (needs --node, --control, --host and"
              + " WEFT_TOKEN)");
      System.exit(2);
    }
    controlAddr = ProcessLauncher.argOrStdin(controlAddr, "the control store's address");
    nodeAddr = ProcessLauncher.argOrStdin(nodeAddr, "the node manager's address");
    ProcessLauncher.exitWhenGone(nodePid, "the node manager");
    Serde.warmUpAsync();
    CoreWorker cw = new CoreWorker(bindHost != null ? bindHost : host, host, token);
    StartupTrace.mark("worker: core worker listening");
    cw.workerId = workerId;
    cw.executor =
        new TaskExecutor(
            cw,
            Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader()
                : WorkerMain.class.getClassLoader());
    CoreWorker.setCurrent(cw);
    // Everything a task may need is set up before the node learns of this worker (and leases it).
    cw.controlLink = new ControlLink(cw, controlAddr, null);
    cw.controlLink.attach(
        CoreRuntimeFactory.connectWithRetry(
            cw, controlAddr, "the control store", Duration.ofSeconds(30)));
    StartupTrace.mark("worker: control connected");
    cw.node =
        CoreRuntimeFactory.connectWithRetry(
            cw, nodeAddr, "the node manager", Duration.ofSeconds(30));
    StartupTrace.mark("worker: node connected");
    cw.node
        .closeFuture()
        .thenRun(() -> ProcessLauncher.exitNow("lost the connection to the node manager"));
    Weft.init(
        WeftConfig.defaults()); // installs this worker's runtime behind the facade for nested calls
    StartupTrace.mark("worker: facade installed");
    Msg reply =
        cw.await(
            cw.node.call(
                new Msg.RegisterWorker(
                    workerId,
                    cw.address,
                    ProcessHandle.current().pid(),
                    cw.executor.taskAddress())),
            Duration.ofSeconds(30),
            "registering with the node manager");
    if (!(reply instanceof Msg.WorkerConfig wc)) {
      System.err.println("node manager refused this worker: " + reply);
      System.exit(3);
      return;
    }
    cw.workerId =
        wc.workerId(); // assigned by the node when it adopted a worker started by the driver
    cw.nodeId = wc.nodeId();
    long delay = Long.getLong("weft.test.workerSetUpDelayMillis", 0);
    if (delay > 0) {
      Thread.sleep(delay); // fault injection for tests: widens the window a leased task may hit
    }
    cw.store.open(wc.storePath());
    if (output != null) {
      output.start(cw);
    }
    // a worker the node stops (its job ended) tells what it did to its last second first
    dev.weft.internal.rpc.QuickExit.onTerm(
        "weft-worker-last-report",
        dev.weft.internal.rpc.QuickExit.once(
            () -> {
              try {
                if (output != null) {
                  output.flushNow();
                }
                cw.flushTaskCounts();
                Connection n = cw.node;
                if (n != null && n.isOpen()) {
                  // answered after what was sent before it: then the node has it
                  n.call(new Msg.Ping()).get(1, java.util.concurrent.TimeUnit.SECONDS);
                }
              } catch (Exception | Error e) {
                // the node is gone or slow: what was not sent is in this worker's log only
              }
            })); // tasks' own shutdown hooks, if any, make it the JVM's exit: they run
    cw.executor.setUpDone(); // tasks that arrived meanwhile run now
    // Borrowed refs that user code drops without release() are noticed at a GC; an idle worker
    // may not collect for a long time, keeping other processes' objects alive. The runtime's own
    // copies are released at once and users can release() theirs, so this is a slow backstop
    // (a concurrent cycle with G1, see ProcessLauncher.JVM_FLAGS); 0 turns it off.
    long gcMillis = Long.getLong("weft.borrowerGcIntervalMillis", 30_000);
    if (gcMillis > 0) {
      cw.timer.scheduleWithFixedDelay(
          () -> {
            if (cw.borrows.size() > 0) {
              System.gc();
            }
          },
          gcMillis,
          gcMillis,
          java.util.concurrent.TimeUnit.MILLISECONDS);
    }
    System.out.println(ProcessLauncher.READY + cw.server.port());
    StartupTrace.mark("worker: ready");
    Thread.currentThread().join(); // serve until the node goes away
  }
}
