package dev.weft.internal.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.internal.proto.Msg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Frames written straight from sending threads (native epoll, no TLS): they keep each sender's
 * order when mixed with frames the event loop writes (large ones, and the remainders of direct
 * writes the socket could not take whole), and the duplicate descriptor they use never outlives its
 * connection. The build also runs this class on NIO, where nothing is written directly and the same
 * order holds.
 */
class DirectWritesTest {
  private static final String TOKEN = "test-token";

  private static boolean directExpected() {
    return Rpc.transport().equals("epoll") && Connection.DIRECT_WRITES;
  }

  @Test
  void shouldWriteASmallRequestStraightFromTheCallingThread() throws Exception {
    MessageHandler server = (c, reqId, msg) -> c.reply(reqId, msg);
    try (Rpc.Server s = Rpc.listen("127.0.0.1", 0, TOKEN, server)) {
      Connection c =
          Rpc.connect("127.0.0.1:" + s.port(), TOKEN, (x, y, z) -> {}, Duration.ofSeconds(10));
      for (int i = 0; i < 10; i++) {
        assertThat(c.call(new Msg.Failure("ping" + i)).get(10, TimeUnit.SECONDS))
            .isEqualTo(new Msg.Failure("ping" + i));
      }
      assertThat(c.directWrites()).isEqualTo(directExpected() ? 10 : 0);
      c.close();
    }
  }

  @Test
  void shouldKeepEachSendersOrderWhenSendersWriteDirectlyAndTheLoopWritesTheRest()
      throws Exception {
    int senders = 4;
    int perSender = 1500;
    CountDownLatch go = new CountDownLatch(1);
    CountDownLatch all = new CountDownLatch(senders * perSender);
    Map<Integer, List<Integer>> seen = new ConcurrentHashMap<>();
    List<String> corrupt = new CopyOnWriteArrayList<>();
    MessageHandler server =
        (c, reqId, msg) -> {
          try {
            // hold the reader until everything is sent: the socket fills, so later direct writes
            // are partial or refused and their bytes wait behind the loop's
            go.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          String t = ((Msg.Failure) msg).text();
          String[] parts = t.split(":", 3);
          int sender = Integer.parseInt(parts[0]);
          int seq = Integer.parseInt(parts[1]);
          if (!parts[2].equals(padding(sender, seq))) {
            corrupt.add(sender + ":" + seq);
          }
          seen.computeIfAbsent(sender, k -> new CopyOnWriteArrayList<>()).add(seq);
          all.countDown();
        };
    try (Rpc.Server s = Rpc.listen("127.0.0.1", 0, TOKEN, server)) {
      Connection c =
          Rpc.connect("127.0.0.1:" + s.port(), TOKEN, (x, y, z) -> {}, Duration.ofSeconds(10));
      List<Thread> threads = new ArrayList<>();
      for (int k = 0; k < senders; k++) {
        int sender = k;
        threads.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      for (int i = 0; i < perSender; i++) {
                        c.send(new Msg.Failure(sender + ":" + i + ":" + padding(sender, i)));
                      }
                    }));
      }
      for (Thread t : threads) {
        t.join(60_000);
      }
      go.countDown();
      assertThat(all.await(60, TimeUnit.SECONDS)).as("every message arrived").isTrue();
      assertThat(corrupt).as("messages whose bytes were mixed up").isEmpty();
      for (int k = 0; k < senders; k++) {
        List<Integer> got = seen.get(k);
        for (int i = 0; i < perSender; i++) {
          assertThat(got.get(i)).as("sender %d, message %d", k, i).isEqualTo(i);
        }
      }
      if (!directExpected()) {
        assertThat(c.directWrites()).isZero();
      }
      c.close();
    }
  }

  /** Every 10th message is over the direct-write limit, the others small; all carry a pattern. */
  private static String padding(int sender, int seq) {
    int len = seq % 10 == 0 ? Connection.DIRECT_MAX_BYTES + 1000 : 20 + seq % 300;
    StringBuilder b = new StringBuilder(len);
    for (int i = 0; i < len; i++) {
      b.append((char) ('a' + (sender * 7 + seq + i) % 26));
    }
    return b.toString();
  }

  @Test
  void shouldCloseTheSocketForThePeerAndLeakNoDescriptorWhenAConnectionCloses() throws Exception {
    AtomicInteger serverCloses = new AtomicInteger();
    MessageHandler server =
        new MessageHandler() {
          @Override
          public void onMessage(Connection c, long reqId, Msg msg) {
            c.reply(reqId, msg);
          }

          @Override
          public void onClose(Connection c) {
            serverCloses.incrementAndGet();
          }
        };
    try (Rpc.Server s = Rpc.listen("127.0.0.1", 0, TOKEN, server)) {
      // warm up whatever the first connection loads or caches, then count descriptors
      Connection first =
          Rpc.connect("127.0.0.1:" + s.port(), TOKEN, (x, y, z) -> {}, Duration.ofSeconds(10));
      first.call(new Msg.Failure("warm")).get(10, TimeUnit.SECONDS);
      first.close();
      await().atMost(Duration.ofSeconds(10)).until(() -> serverCloses.get() == 1);
      long before = openDescriptors();
      int n = 20;
      for (int i = 0; i < n; i++) {
        Connection c =
            Rpc.connect("127.0.0.1:" + s.port(), TOKEN, (x, y, z) -> {}, Duration.ofSeconds(10));
        assertThat(c.call(new Msg.Failure("x" + i)).get(10, TimeUnit.SECONDS))
            .isEqualTo(new Msg.Failure("x" + i));
        c.close();
        c.closeFuture().get(10, TimeUnit.SECONDS);
      }
      // the server sees every close: our duplicate did not keep a socket open
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(serverCloses.get()).isEqualTo(n + 1));
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(openDescriptors())
                      .as("descriptors after %d connections opened and closed", n)
                      .isLessThanOrEqualTo(before + 2));
    }
  }

  @Test
  void shouldFailCallsAndKeepSendersSafeWhenThePeerClosesMidStream() throws Exception {
    CountDownLatch got = new CountDownLatch(100);
    MessageHandler server =
        (c, reqId, msg) -> {
          got.countDown();
          if (got.getCount() == 0) {
            c.close(); // the server drops the connection while the client still sends
          }
        };
    try (Rpc.Server s = Rpc.listen("127.0.0.1", 0, TOKEN, server)) {
      Connection c =
          Rpc.connect("127.0.0.1:" + s.port(), TOKEN, (x, y, z) -> {}, Duration.ofSeconds(10));
      for (int i = 0; i < 100; i++) {
        c.send(new Msg.Failure("m" + i));
      }
      assertThat(got.await(10, TimeUnit.SECONDS)).isTrue();
      c.closeFuture().get(10, TimeUnit.SECONDS);
      for (int i = 0; i < 100; i++) {
        c.send(new Msg.Failure("late" + i)); // dropped, never thrown
      }
      assertThat(c.call(new Msg.Failure("after close")))
          .failsWithin(Duration.ofSeconds(10))
          .withThrowableThat()
          .withMessageContaining("closed");
    }
  }

  private static long openDescriptors() throws Exception {
    try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
      return s.count();
    }
  }
}
