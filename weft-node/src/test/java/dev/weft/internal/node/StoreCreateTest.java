package dev.weft.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import dev.weft.internal.rpc.Rpc;
import dev.weft.internal.store.SpillFiles;
import dev.weft.internal.store.StoreFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node manager's store over real sockets: creates that must wait for a spill, with deadlines that
 * pass while the spill is on disk ({@code weft.store.fullWaitMillis} is 1 ms in this module's
 * tests). Each either gets its block or a clear "full" message, and the retries stay bounded (a
 * retry timer per re-queue once multiplied with every retry and stalled the node).
 */
class StoreCreateTest {
  static final String TOKEN = "store-create-test";
  @TempDir Path tmp;

  @Test
  void createsWaitingForASpillEachGetAnAnswerAndRetriesStayBounded() throws Exception {
    withNode(
        64 * MIB,
        (nm, addr) -> {
          Connection c = connect(addr);
          // one big sealed object nobody pins: the next creates must spill it first
          assertThat(call(c, new Msg.StoreCreate(1, 1, 60 * MIB, "owner-a")))
              .isInstanceOf(Msg.StoreBlock.class);
          assertThat(call(c, new Msg.StoreSeal(1, 1))).isInstanceOf(Msg.Ack.class);

          List<CompletableFuture<Msg>> creates = new ArrayList<>();
          for (int i = 0; i < 8; i++) {
            creates.add(c.call(new Msg.StoreCreate(2, i, 16 * MIB, "owner-b")));
          }
          int granted = 0;
          int full = 0;
          for (CompletableFuture<Msg> f : creates) {
            Msg m = f.get(30, TimeUnit.SECONDS);
            if (m instanceof Msg.StoreBlock) {
              granted++;
            } else {
              assertThat(((Msg.Failure) m).text()).contains("is full");
              full++;
            }
          }
          // the spilled 60 MiB make room for four 16 MiB blocks; the rest are refused, none hangs
          assertThat(granted).isEqualTo(4);
          assertThat(full).isEqualTo(4);
          long retries = call(nm, () -> nm.store.createRetries);
          assertThat(retries).as("retries of waiting creates").isLessThan(1_000);
          assertThat(call(c, new Msg.StoreStats())).isInstanceOf(Msg.StoreStatsReply.class);
          c.close();
        });
  }

  @Test
  void aRetryShouldRewriteAResultSealedByAProcessThatDied() throws Exception {
    withNode(
        16 * MIB,
        (nm, addr) -> {
          Connection first = connect(addr);
          assertThat(call(first, new Msg.StoreCreate(7, 1, MIB, "driver")))
              .isInstanceOf(Msg.StoreBlock.class);
          assertThat(call(first, new Msg.StoreSeal(7, 1))).isInstanceOf(Msg.Ack.class);
          first.close(); // the worker dies after sealing, before its task's reply
          first.closeFuture().get(10, TimeUnit.SECONDS);
          Connection retry = connect(addr);
          Msg m = call(retry, new Msg.StoreCreate(7, 1, MIB, "driver"));
          assertThat(m)
              .as("the retry's create of the same result")
              .isInstanceOf(Msg.StoreBlock.class);
          assertThat(call(retry, new Msg.StoreSeal(7, 1))).isInstanceOf(Msg.Ack.class);
          // a live writer's sealed object is not replaced
          Connection other = connect(addr);
          assertThat(call(other, new Msg.StoreCreate(7, 1, MIB, "driver")))
              .isInstanceOf(Msg.Failure.class);
          retry.close();
          other.close();
        });
  }

  static final long MIB = 1 << 20;

  interface NodeBody {
    void run(NodeManager nm, String address) throws Exception;
  }

  /** A node manager with a store of {@code storeBytes} on a loopback port, stopped after. */
  private void withNode(long storeBytes, NodeBody body) throws Exception {
    try (StoreFile mem = StoreFile.create(tmp.resolve("store"), storeBytes);
        SpillFiles spill = new SpillFiles(tmp.resolve("spill"))) {
      NodeManager nm =
          new NodeManager("n1", "127.0.0.1", TOKEN, tmp, Map.of("CPU", 1.0), mem, spill);
      try (Rpc.Server server = Rpc.listen("127.0.0.1", 0, TOKEN, nm)) {
        body.run(nm, "127.0.0.1:" + server.port());
      } finally {
        nm.stopAll();
      }
    }
  }

  static Connection connect(String address) throws Exception {
    return Rpc.connect(address, TOKEN, (x, y, z) -> {}, Duration.ofSeconds(10));
  }

  static Msg call(Connection c, Msg m) throws Exception {
    return c.call(m).get(30, TimeUnit.SECONDS);
  }

  static <T> T call(NodeManager nm, java.util.concurrent.Callable<T> read) throws Exception {
    return nm.loop.submit(read).get(10, TimeUnit.SECONDS);
  }
}
