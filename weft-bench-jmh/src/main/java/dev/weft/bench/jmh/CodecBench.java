package dev.weft.bench.jmh;

import dev.weft.internal.proto.Codec;
import dev.weft.internal.proto.Msg;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.fory.Fory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The protocol codec on the messages of every task: a {@code PushTask} out and a {@code TaskReply}
 * back, each encoded and decoded. Baseline: Apache Fory (JVM mode, generated serializers, class
 * registration off) on the same records in the same run. Weft uses its own codec because Fory's
 * code generation costs 130–190 ms per message type at the start of every process (see
 * BENCHMARKS.md); this shows what that choice costs at steady state.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CodecBench {
  Msg.PushTask push;
  Msg.TaskReply reply;
  Fory fory;

  @Setup
  public void setUp() {
    Msg.FunctionDesc fn =
        new Msg.FunctionDesc(
            "com.example.Pipeline", "score", "(Ljava/lang/String;I)I", 1, new byte[0]);
    push =
        new Msg.PushTask(
            new Msg.TaskSpec(
                0x1234_5678_9abcL,
                42,
                "Pipeline.score",
                "127.0.0.1:40123",
                fn,
                List.of(
                    new Msg.Arg(new byte[] {2, 0, 5, 'h', 'e', 'l', 'l', 'o'}, 0, 0, null),
                    new Msg.Arg(null, 0x1234_5678_9abcL, 17, "127.0.0.1:40123")),
                0x1234_5678_9abcL,
                43,
                0,
                0,
                0,
                0,
                0,
                0),
            7,
            3);
    reply =
        new Msg.TaskReply(
            0x1234_5678_9abcL,
            42,
            Msg.TaskStatus.OK,
            List.of(new byte[] {2, 0, 1, 0, 0, 0}),
            null,
            null,
            List.of());
    fory = Fory.builder().withXlang(false).requireClassRegistration(false).build();
    // same bytes back on both sides, or the comparison is void
    check(sameTask(Codec.decode(Codec.encode(push))));
    check(fory.deserialize(fory.serialize(push)) instanceof Msg m && sameTask(m));
  }

  private boolean sameTask(Msg m) {
    return m instanceof Msg.PushTask p
        && p.spec().name().equals(push.spec().name())
        && p.spec().args().size() == 2;
  }

  private static void check(boolean ok) {
    if (!ok) {
      throw new IllegalStateException("a codec did not return the message it was given");
    }
  }

  @Benchmark
  public Msg weft_pushTask() {
    return Codec.decode(Codec.encode(push));
  }

  @Benchmark
  public Object baseline_pushTask() {
    return fory.deserialize(fory.serialize(push));
  }

  @Benchmark
  public Msg weft_taskReply() {
    return Codec.decode(Codec.encode(reply));
  }

  @Benchmark
  public Object baseline_taskReply() {
    return fory.deserialize(fory.serialize(reply));
  }
}
