package dev.weft.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import dev.weft.internal.rpc.Rpc;
import dev.weft.internal.store.SpillFiles;
import dev.weft.internal.store.StoreFile;
import java.nio.file.Files;
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
  void aCreateHeldForRoom_tellsItsWriterToCollectAtOnce() throws Exception {
    withNode(
        16 * MIB,
        (nm, addr) -> {
          Connection a = connect(addr);
          assertThat(call(a, new Msg.StoreCreate(3, 1, 12 * MIB, "owner-a")))
              .isInstanceOf(Msg.StoreBlock.class);
          assertThat(call(a, new Msg.StoreSeal(3, 1))).isInstanceOf(Msg.Ack.class);
          // pinned: it cannot be spilled, so only a free would make room
          assertThat(call(a, new Msg.StorePin(3, 1))).isInstanceOf(Msg.StoreBlock.class);
          java.util.concurrent.LinkedBlockingQueue<Msg> toB =
              new java.util.concurrent.LinkedBlockingQueue<>();
          Connection b = Rpc.connect(addr, TOKEN, (x, id, m) -> toB.add(m), Duration.ofSeconds(10));
          assertThat(call(b, new Msg.StoreCreate(3, 2, 4 * MIB, "owner-b")))
              .as("fits beside the first: granted, and nobody is told to collect")
              .isInstanceOf(Msg.StoreBlock.class);
          CompletableFuture<Msg> held = b.call(new Msg.StoreCreate(3, 3, 8 * MIB, "owner-b"));
          assertThat(toB.poll(10, TimeUnit.SECONDS))
              .as("the held create's writer hears at once that it should collect")
              .isEqualTo(new Msg.CollectGarbage(true));
          assertThat(held.get(30, TimeUnit.SECONDS))
              .as("nothing came free: refused, not hung")
              .isInstanceOf(Msg.Failure.class);
          assertThat(toB).doesNotContain(new Msg.CollectGarbage(true));
          a.close();
          b.close();
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

  @Test
  void aReaderOfASpilledCopyHoldsItUntilItEndsTheReadOrItsConnectionCloses() throws Exception {
    withNode(
        16 * MIB,
        (nm, addr) -> {
          Connection writer = connect(addr);
          long[] ids = {1, 2, 3};
          for (long id : ids) {
            // 3 x 6 MiB through 16 MiB: the first spills
            Msg.StoreBlock blk =
                (Msg.StoreBlock) call(writer, new Msg.StoreCreate(9, id, 6 * MIB, "o"));
            var seg = nm.store.file.slice(blk.offset(), blk.sizeBytes());
            dev.weft.internal.store.ObjectLayout.writeHeader(
                seg,
                dev.weft.internal.store.ObjectLayout.RAW,
                dev.weft.internal.store.ObjectLayout.BYTE,
                blk.sizeBytes() - dev.weft.internal.store.ObjectLayout.HEADER);
            seg.asSlice(dev.weft.internal.store.ObjectLayout.HEADER).fill((byte) id);
            assertThat(call(writer, new Msg.StoreSeal(9, id))).isInstanceOf(Msg.Ack.class);
          }
          Connection reader = connect(addr);
          Msg.StorePull pull = new Msg.StorePull(9, 1, "o", List.of(), Msg.PULL_FOR_GET, true);
          Msg m = call(reader, pull);
          assertThat(m).as("object 1 is on disk only").isInstanceOf(Msg.StoreSpilled.class);
          Msg.StoreSpilled at = (Msg.StoreSpilled) m;
          assertThat(at.kind()).isEqualTo(dev.weft.internal.store.ObjectLayout.RAW);
          assertThat(at.payloadLength())
              .isEqualTo(6 * MIB - dev.weft.internal.store.ObjectLayout.HEADER);
          Path file = Path.of(at.path());
          try (var ch = java.nio.channels.FileChannel.open(file)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4096);
            ch.read(b, at.offset() + dev.weft.internal.store.ObjectLayout.HEADER + MIB);
            assertThat(b.array()).containsOnly((byte) 1);
          }
          assertThat(call(reader, new Msg.StorePull(9, 3, "o", List.of(), Msg.PULL_FOR_GET, true)))
              .as("in memory: pinned as before")
              .isInstanceOf(Msg.StoreBlock.class);
          reader.send(new Msg.StoreUnpin(9, 3));

          // the owner frees it while it is read: the copy stays until the reader is done
          writer.send(new Msg.StoreDelete(9, 1));
          assertThat(call(writer, new Msg.StoreStats())).isInstanceOf(Msg.StoreStatsReply.class);
          assertThat(call(nm, () -> nm.store.store.spillReaders())).isEqualTo(1);
          assertThat(Files.exists(file)).isTrue();
          reader.close(); // the reader dies mid-read
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
          while (Files.exists(file) && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
          }
          assertThat(Files.exists(file)).as("its copy goes with the reader").isFalse();
          assertThat(call(nm, () -> nm.store.store.spillReaders())).isZero();

          // a reader that ends its read releases it too
          Connection second = connect(addr);
          Msg.StoreBlock blk =
              (Msg.StoreBlock) call(writer, new Msg.StoreCreate(9, 4, 6 * MIB, "o"));
          assertThat(blk).isNotNull();
          assertThat(call(writer, new Msg.StoreSeal(9, 4))).isInstanceOf(Msg.Ack.class);
          Msg again = call(second, new Msg.StorePull(9, 2, "o", List.of(), Msg.PULL_FOR_GET, true));
          assertThat(again)
              .as("object 2 spilled for object 4")
              .isInstanceOf(Msg.StoreSpilled.class);
          assertThat(call(nm, () -> nm.store.store.spillReaders())).isEqualTo(1);
          second.send(new Msg.StoreEndRead(9, 2, ((Msg.StoreSpilled) again).readId() + 1000));
          assertThat(call(second, new Msg.StoreStats())).isInstanceOf(Msg.StoreStatsReply.class);
          assertThat(call(nm, () -> nm.store.store.spillReaders()))
              .as("a read id it was not given releases nothing")
              .isEqualTo(1);
          second.send(new Msg.StoreEndRead(9, 2, ((Msg.StoreSpilled) again).readId()));
          assertThat(call(second, new Msg.StoreStats())).isInstanceOf(Msg.StoreStatsReply.class);
          assertThat(call(nm, () -> nm.store.store.spillReaders())).isZero();
          assertThat(call(second, new Msg.StorePull(9, 2, "o", List.of(), Msg.PULL_FOR_GET, false)))
              .as("a reader that needs it in memory gets it restored")
              .isInstanceOf(Msg.StoreBlock.class);
          second.close();
          writer.close();
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
