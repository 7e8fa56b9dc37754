package dev.weft.internal.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import dev.weft.internal.rpc.MessageHandler;
import dev.weft.internal.rpc.Rpc;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real control store listening on a loopback port, and the plain connections a test opens to it
 * as drivers and node managers (closed with it). Shared by the control store's socket tests.
 */
final class ControlStoreFixture implements AutoCloseable {
  static final String TOKEN = "control-store-test";

  /** How long a test waits for any answer. */
  static final Duration T = Duration.ofSeconds(20);

  /** The code of the jobs {@link #driver} registers. */
  static final Msg.JobCode CODE =
      new Msg.JobCode(
          List.of(new Msg.CodeEntry("/app/job.jar", "ab".repeat(32), 1234)), List.of("-Xmx1g"));

  final ControlStore cs;
  private final Rpc.Server server;
  private final String address;
  private final List<Connection> conns = new ArrayList<>();

  /**
   * A store whose node timeout (an hour) never fires during a test: the test's nodes send no
   * heartbeats.
   */
  ControlStoreFixture() {
    this(3_600_000);
  }

  /** A store that declares a node silent for {@code nodeTimeoutMillis} dead. */
  ControlStoreFixture(long nodeTimeoutMillis) {
    this(nodeTimeoutMillis, new ControlStorage.Memory());
  }

  /** As above, keeping its tables in {@code storage} and recovering what it holds. */
  ControlStoreFixture(long nodeTimeoutMillis, ControlStorage storage) {
    cs = new ControlStore(nodeTimeoutMillis, storage);
    server = Rpc.listen("127.0.0.1", 0, TOKEN, cs);
    address = "127.0.0.1:" + server.port();
  }

  /** A connection to the store whose incoming messages go to {@code h}. */
  Connection connect(MessageHandler h) throws IOException {
    Connection c = Rpc.connect(address, TOKEN, h, T);
    conns.add(c);
    return c;
  }

  /** A node manager's connection, registered as node {@code id} with {@code cpus} CPUs. */
  Connection registerNode(MessageHandler h, String id, double cpus) throws Exception {
    Connection c = connect(h);
    assertThat(
            get(c.call(new Msg.RegisterNode(id, id + "-addr", Map.of("CPU", cpus), 1, null, null))))
        .isInstanceOf(Msg.Ack.class);
    return c;
  }

  /**
   * A driver's connection, registered as job {@code name} (job 1 for the first) with {@link #CODE}.
   */
  Connection driver(String name) throws Exception {
    Connection d = connect((c, r, m) -> {});
    assertThat(get(d.call(new Msg.RegisterJob(name, name + "-addr", 1, CODE))))
        .isInstanceOf(Msg.JobInfo.class);
    return d;
  }

  /** The answer of {@code f}, waited for at most {@link #T}. */
  static Msg get(CompletableFuture<Msg> f) throws Exception {
    return f.get(T.toSeconds(), TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    conns.forEach(Connection::close);
    server.close();
    cs.loop.shutdownNow();
  }
}
