package dev.weft.internal.metrics;

import dev.weft.internal.rpc.Connection;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The Prometheus endpoint of a Weft service process, a node manager or the control store (issue 12
 * item 2): {@code http://HOST:PORT/metrics} in Prometheus text (the Prometheus Java client's HTTP
 * server on the JDK's, one virtual thread per scrape), with the process's JVM metrics and the
 * latency of the requests it serves and makes ({@code weft_rpc_server_seconds}, {@code
 * weft_rpc_client_seconds}, by message type). The owner registers its own metrics in {@link
 * #registry}. Unauthenticated, as Prometheus expects: it binds where the service listens, and shows
 * counts and names of functions, never data.
 */
public final class MetricsEndpoint implements AutoCloseable {
  /** Bounds of the latency histograms, in seconds: 50 µs to 10 s. */
  static final double[] LATENCY_BOUNDS = {
    0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
    2.5, 10
  };

  public final PrometheusRegistry registry = new PrometheusRegistry();
  private final HTTPServer server;
  private final ExecutorService threads;
  private final String host;

  private MetricsEndpoint(String bindHost, String host, int port) throws IOException {
    this.host = host;
    registry.register(new LazyJvmMetrics());
    Histogram server =
        Histogram.builder()
            .name("weft_rpc_server_seconds")
            .help("Requests this process served, from their arrival to the reply, by message type")
            .labelNames("method", "outcome")
            .classicUpperBounds(LATENCY_BOUNDS)
            .classicOnly()
            .register(registry);
    Histogram client =
        Histogram.builder()
            .name("weft_rpc_client_seconds")
            .help("Requests this process made, from sending to the reply, by message type")
            .labelNames("method", "outcome")
            .classicUpperBounds(LATENCY_BOUNDS)
            .classicOnly()
            .register(registry);
    Connection.observeLatency(
        (method, outgoing, nanos, ok) ->
            (outgoing ? client : server)
                .labelValues(method, ok ? "ok" : "failure")
                .observe(nanos / 1e9));
    this.threads =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("weft-metrics-", 0).factory());
    this.server =
        HTTPServer.builder()
            .hostname(bindHost)
            .port(port)
            .registry(registry)
            .executorService(threads)
            .buildAndStart();
  }

  /**
   * The JVM's metrics, registered on the first scrape rather than at start: registering them loads
   * the JDK's management beans, 270-300 ms of CPU in a node manager's and the control store's
   * start-up (a standalone measurement, C1 as they run), which on a 2-CPU machine is taken from the
   * other processes starting beside them; a cluster nobody scrapes never pays it.
   */
  private static final class LazyJvmMetrics
      implements io.prometheus.metrics.model.registry.MultiCollector {
    private PrometheusRegistry jvm;

    @Override
    public synchronized io.prometheus.metrics.model.snapshots.MetricSnapshots collect() {
      if (jvm == null) {
        PrometheusRegistry r = new PrometheusRegistry();
        JvmMetrics.builder().register(r);
        jvm = r;
      }
      return jvm.scrape();
    }
  }

  /**
   * Starts the endpoint on {@code bindHost:port} (0: a free port, the one got is {@link
   * #address()}); {@code host} is how others reach it.
   */
  public static MetricsEndpoint start(String bindHost, String host, int port) throws IOException {
    try {
      return new MetricsEndpoint(bindHost, host, port);
    } catch (IOException e) {
      throw new IOException(
          "cannot serve metrics on "
              + bindHost
              + ":"
              + port
              + " ("
              + e.getMessage()
              + "): choose another --metrics-port, or 0 for any free one",
          e);
    }
  }

  /** {@code http://host:port/metrics}. */
  public String url() {
    return "http://" + address() + "/metrics";
  }

  public String address() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + server.getPort();
  }

  @Override
  public void close() {
    Connection.observeLatency(null);
    server.close();
    threads.shutdownNow();
  }
}
