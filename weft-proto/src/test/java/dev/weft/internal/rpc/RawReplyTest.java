package dev.weft.internal.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.internal.proto.Msg;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Raw replies (object chunks between node managers): many in flight at once on one connection, each
 * answered from a direct buffer and delivered into its own sink at its own place, mixed with
 * ordinary message replies; a Failure reply instead of bytes leaves the sink alone; a connection
 * that closes fails the raw calls still pending.
 */
class RawReplyTest {
  private static final String TOKEN = "test-token";

  @Test
  void aReplyTheCodecCannotWrite_reachesTheCallerAsAFailure_notSilence() throws Exception {
    java.util.Map<String, Double> badKey = new java.util.HashMap<>();
    badKey.put(null, 1.0); // no codec writes a null map key
    MessageHandler server =
        (c, reqId, msg) -> c.reply(reqId, new Msg.RequestLease(1, badKey, "shape"));
    try (Rpc.Server s = Rpc.listen("127.0.0.1", 0, TOKEN, server)) {
      Connection c =
          Rpc.connect("127.0.0.1:" + s.port(), TOKEN, (x, y, z) -> {}, Duration.ofSeconds(10));
      assertThat(c.call(new Msg.Ping()).get(30, TimeUnit.SECONDS))
          .isInstanceOfSatisfying(
              Msg.Failure.class,
              f -> assertThat(f.text()).contains("cannot encode the reply RequestLease"));
      c.close();
    }
  }

  @Test
  void callRaw_manyChunksInFlight_eachLandsInItsSink() throws Exception {
    int chunk = 1 << 20;
    int chunks = 24;
    byte[] source = new byte[chunk * chunks];
    new Random(7).nextBytes(source);
    ByteBuffer direct = ByteBuffer.allocateDirect(source.length).put(source).flip();
    MessageHandler server =
        (c, reqId, msg) -> {
          if (msg instanceof Msg.PullChunk p) {
            if (p.offset() < 0) {
              c.replyFailure(reqId, "no such chunk");
              return;
            }
            c.replyRaw(reqId, Unpooled.wrappedBuffer(direct.slice((int) p.offset(), p.length())));
          } else {
            c.reply(reqId, msg);
          }
        };
    try (Rpc.Server s = Rpc.listen("127.0.0.1", 0, TOKEN, server)) {
      Connection c =
          Rpc.connect("127.0.0.1:" + s.port(), TOKEN, (x, y, z) -> {}, Duration.ofSeconds(10));
      ByteBuffer dest = ByteBuffer.allocateDirect(source.length);
      List<CompletableFuture<Msg>> calls = new ArrayList<>();
      for (int i = chunks - 1; i >= 0; i--) { // any order: each chunk knows its place
        int off = i * chunk;
        calls.add(
            c.callRaw(
                new Msg.PullChunk(1, 2, off, chunk),
                data -> data.getBytes(data.readerIndex(), dest.slice(off, chunk))));
        calls.add(c.call(new Msg.Failure("echo " + i)));
      }
      for (CompletableFuture<Msg> f : calls) {
        assertThat(f.get(30, TimeUnit.SECONDS)).isNotNull();
      }
      byte[] got = new byte[source.length];
      dest.get(0, got);
      assertThat(got).isEqualTo(source);

      boolean[] called = new boolean[1];
      Msg failed =
          c.callRaw(new Msg.PullChunk(1, 2, -1, 10), data -> called[0] = true)
              .get(10, TimeUnit.SECONDS);
      assertThat(failed).isEqualTo(new Msg.Failure("no such chunk"));
      assertThat(called[0]).as("the sink of a call answered with a Failure").isFalse();
      c.close();
    }
  }

  @Test
  void callRawInto_chunksStreamIntoTheirTargets_mixedWithMessagesAndFailures() throws Exception {
    int chunk = 3 << 20; // several socket reads each: the reader streams a chunk in pieces
    int chunks = 8;
    byte[] source = new byte[chunk * chunks];
    new Random(11).nextBytes(source);
    ByteBuffer direct = ByteBuffer.allocateDirect(source.length).put(source).flip();
    MessageHandler server =
        (c, reqId, msg) -> {
          if (msg instanceof Msg.PullChunk p) {
            if (p.offset() < 0) {
              c.replyFailure(reqId, "no such chunk");
              return;
            }
            c.replyRaw(reqId, Unpooled.wrappedBuffer(direct.slice((int) p.offset(), p.length())));
          } else {
            c.reply(reqId, msg);
          }
        };
    try (Rpc.Server s = Rpc.listen("127.0.0.1", 0, TOKEN, server)) {
      Connection c =
          Rpc.connect("127.0.0.1:" + s.port(), TOKEN, (x, y, z) -> {}, Duration.ofSeconds(10));
      ByteBuffer dest = ByteBuffer.allocateDirect(source.length);
      List<CompletableFuture<Msg>> calls = new ArrayList<>();
      for (int i = 0; i < chunks; i++) {
        int off = i * chunk;
        calls.add(c.callRawInto(new Msg.PullChunk(1, 2, off, chunk), dest.slice(off, chunk)));
        calls.add(c.call(new Msg.Failure("echo " + i)));
      }
      for (int i = 0; i < calls.size(); i++) {
        assertThat(calls.get(i).get(30, TimeUnit.SECONDS))
            .isEqualTo(i % 2 == 0 ? new Msg.Ack() : new Msg.Failure("echo " + i / 2));
      }
      byte[] got = new byte[source.length];
      dest.get(0, got);
      assertThat(got).isEqualTo(source);

      assertThat(
              c.callRawInto(new Msg.PullChunk(1, 2, -1, 10), ByteBuffer.allocate(10))
                  .get(10, TimeUnit.SECONDS))
          .isEqualTo(new Msg.Failure("no such chunk"));
      // a reply of another size than the target: a clear failure, the connection still works
      assertThat(c.callRawInto(new Msg.PullChunk(1, 2, 0, 100), ByteBuffer.allocate(50)))
          .failsWithin(Duration.ofSeconds(10))
          .withThrowableThat()
          .withMessageContaining("expected 50");
      assertThat(c.call(new Msg.Failure("still open")).get(10, TimeUnit.SECONDS))
          .isEqualTo(new Msg.Failure("still open"));
      c.close();
    }
  }

  @Test
  void callRaw_connectionClosed_failsPendingCalls() throws Exception {
    MessageHandler server = (c, reqId, msg) -> c.close(); // never answers
    try (Rpc.Server s = Rpc.listen("127.0.0.1", 0, TOKEN, server)) {
      Connection c =
          Rpc.connect("127.0.0.1:" + s.port(), TOKEN, (x, y, z) -> {}, Duration.ofSeconds(10));
      CompletableFuture<Msg> f = c.callRaw(new Msg.PullChunk(1, 2, 0, 10), data -> {});
      assertThat(f).failsWithin(Duration.ofSeconds(10));
    }
  }
}
