package dev.weft.internal.control;

import dev.weft.internal.core.ProcessLauncher;
import dev.weft.internal.rpc.Rpc;

/**
 * Entry point of the control store process: {@code --host H --port P [--parent-pid PID]
 * [--node-timeout-ms MS] [--storage file:DIR|redis://HOST:PORT[/DB]|memory]}, token in {@code
 * WEFT_TOKEN}. Recovers the tables the storage holds (see {@link ControlStorage}), then prints
 * {@code WEFT-READY <port>} once it listens.
 */
public final class ControlMain {
  private ControlMain() {}

  public static void main(String[] args) {
    try {
      run(args);
    } catch (Throwable t) {
      // a failed start must end this JVM: its other threads would keep it alive, and its starter
      // waiting
      System.err.println("ControlMain failed: " + t);
      t.printStackTrace();
      System.exit(1);
    }
  }

  /**
   * {@code --storage-sync}: {@code never}, or how many milliseconds a file storage's write may wait
   * to be forced to disk (0: each before it returns).
   */
  static long storageSync(String v) {
    if (v.equals("never")) {
      return -1;
    }
    try {
      long ms = Long.parseLong(v);
      if (ms >= 0) {
        return ms;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException(
        "--storage-sync "
            + v
            + " is neither never nor a number of milliseconds (0 or more): e.g. --storage-sync 20");
  }

  private static void run(String[] args) throws Exception {
    dev.weft.internal.core.StartupTrace.mark("control: main");
    String host = null;
    int port = 7380;
    long parentPid = 0;
    long nodeTimeoutMillis = ControlStore.DEFAULT_NODE_TIMEOUT_MILLIS;
    String storageSpec = "memory";
    long syncMillis = FileLogStorage.SYNC_MILLIS;
    int metricsPort = 0;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--host" -> host = args[i + 1];
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        case "--parent-pid" -> parentPid = Long.parseLong(args[i + 1]);
        case "--node-timeout-ms" -> nodeTimeoutMillis = Long.parseLong(args[i + 1]);
        case "--storage" -> storageSpec = args[i + 1];
        case "--metrics-port" -> metricsPort = Integer.parseInt(args[i + 1]);
        case "--storage-sync" -> syncMillis = storageSync(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown control store argument " + args[i]);
      }
    }
    String token = System.getenv("WEFT_TOKEN");
    if (host == null) {
      System.err.println("the control store needs --host (the address it listens on)");
      System.exit(2);
    }
    if (token == null || token.isBlank()) {
      System.err.println("the control store needs the cluster token in WEFT_TOKEN");
      System.exit(2);
    }
    ProcessLauncher.exitWhenGone(parentPid, "the driver that started this cluster");
    ControlStorage storage = ControlStorage.open(storageSpec, syncMillis);
    ControlStore store = new ControlStore(nodeTimeoutMillis, storage);
    if (metricsPort >= 0) {
      store.metricsUrl =
          new ControlMetrics(
                  store, dev.weft.internal.metrics.MetricsEndpoint.start(host, host, metricsPort))
              .url();
    }
    // stopped with SIGTERM (its cluster stops): at once, nothing to close. Every write of its
    // storage is in the page cache as it returns, which outlives the process (only a crash of the
    // machine within weft.control.syncMillis of a write could lose it, as before)
    dev.weft.internal.rpc.QuickExit.onTerm("weft-control-stop", () -> {});
    Rpc.Server server = Rpc.listen(host, port, token, store);
    System.out.println(ProcessLauncher.READY + server.port());
    dev.weft.internal.core.StartupTrace.mark("control: ready");
    Thread.currentThread().join();
  }
}
