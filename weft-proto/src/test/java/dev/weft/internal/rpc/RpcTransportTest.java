package dev.weft.internal.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.internal.proto.Msg;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Requests, replies and one-way messages over real sockets, on the transport this JVM picked. The
 * build runs this class twice: with the default (native epoll on Linux, checked through {@code
 * weft.expectTransport}) and with {@code -Dweft.rpc.transport=nio}, so the fallback keeps working.
 */
class RpcTransportTest {
  private static final String TOKEN = "test-token";

  @Test
  void shouldUseTheTransportTheBuildExpects() {
    String expected = System.getProperty("weft.expectTransport");
    if (expected != null) {
      assertThat(Rpc.transport())
          .as("transport of this JVM (a missing native epoll library falls back to NIO)")
          .isEqualTo(expected);
    }
  }

  @Test
  void shouldAnswerRequestsAndDeliverOneWayMessagesInOrder() throws Exception {
    List<String> oneWays = new CopyOnWriteArrayList<>();
    CountDownLatch all = new CountDownLatch(1000);
    MessageHandler server =
        (c, reqId, msg) -> {
          if (reqId != 0) {
            c.reply(reqId, new Msg.Failure("echo " + ((Msg.Failure) msg).text()));
          } else {
            oneWays.add(((Msg.Failure) msg).text());
            all.countDown();
          }
        };
    try (Rpc.Server s = Rpc.listen("127.0.0.1", 0, TOKEN, server)) {
      Connection c =
          Rpc.connect("127.0.0.1:" + s.port(), TOKEN, (x, y, z) -> {}, Duration.ofSeconds(10));
      assertThat(c.call(new Msg.Failure("hi")).get(10, TimeUnit.SECONDS))
          .isEqualTo(new Msg.Failure("echo hi"));
      for (int i = 0; i < 1000; i++) {
        c.send(new Msg.Failure("m" + i));
      }
      assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < 1000; i++) {
        assertThat(oneWays.get(i)).isEqualTo("m" + i);
      }
      c.close();
    }
  }

  /**
   * A dedicated loop may block in its handler (a worker runs tasks there): other connections keep
   * being served by the shared group meanwhile, and replies written from the dedicated loop's own
   * thread go out at once and in order with replies sent from other threads.
   */
  @Test
  void shouldServeADedicatedLoopThatBlocksWithoutStallingOtherServers() throws Exception {
    EventLoopGroup loop = Rpc.dedicatedLoop("test-task");
    CountDownLatch release = new CountDownLatch(1);
    MessageHandler slow =
        (c, reqId, msg) -> {
          String text = ((Msg.Failure) msg).text();
          if (text.equals("block")) {
            try {
              release.await(20, TimeUnit.SECONDS); // like a long task on the task loop
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          if (text.startsWith("later")) {
            Thread.ofPlatform()
                .start(
                    () ->
                        c.reply(
                            reqId,
                            new Msg.Failure(text + " from " + Thread.currentThread().getName())));
          } else {
            c.reply(reqId, new Msg.Failure(text + " on " + Thread.currentThread().getName()));
          }
        };
    MessageHandler fast = (c, reqId, msg) -> c.reply(reqId, new Msg.Ack());
    try (Rpc.Server dedicated = Rpc.listen("127.0.0.1", 0, TOKEN, slow, loop);
        Rpc.Server shared = Rpc.listen("127.0.0.1", 0, TOKEN, fast)) {
      Connection toDedicated =
          Rpc.connect(
              "127.0.0.1:" + dedicated.port(), TOKEN, (x, y, z) -> {}, Duration.ofSeconds(10));
      Connection toShared =
          Rpc.connect("127.0.0.1:" + shared.port(), TOKEN, (x, y, z) -> {}, Duration.ofSeconds(10));
      var blocked = toDedicated.call(new Msg.Failure("block"));
      var queued = toDedicated.call(new Msg.Failure("after"));
      // the dedicated loop is stuck in its handler; the shared group still answers
      for (int i = 0; i < 100; i++) {
        assertThat(toShared.call(new Msg.Ack()).get(10, TimeUnit.SECONDS)).isEqualTo(new Msg.Ack());
      }
      assertThat(blocked.isDone()).isFalse();
      release.countDown();
      assertThat(((Msg.Failure) blocked.get(20, TimeUnit.SECONDS)).text())
          .startsWith("block on test-task");
      assertThat(((Msg.Failure) queued.get(20, TimeUnit.SECONDS)).text())
          .startsWith("after on test-task");
      for (int i = 0; i < 200; i++) {
        String t = (i % 2 == 0 ? "now" : "later") + i;
        assertThat(
                ((Msg.Failure) toDedicated.call(new Msg.Failure(t)).get(10, TimeUnit.SECONDS))
                    .text())
            .startsWith(t);
      }
      toDedicated.close();
      toShared.close();
    } finally {
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }
}
