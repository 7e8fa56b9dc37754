package dev.weft.internal.core;

import java.util.List;
import java.util.Map;
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
 * User values through {@link Serde} (Fory with reference tracking and Weft's class policy, plus the
 * error wrapping) against a bare Fory instance with the same settings minus the policy: what Weft's
 * layer over Fory costs per small argument or result.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SerdeBench {
  /** A typical small task argument. */
  public record Order(long id, String customer, List<String> items, Map<String, Double> prices) {}

  Order order;
  Integer small;
  Fory bare;

  @Setup
  public void setUp() {
    order = new Order(7, "ada", List.of("tea", "scone"), Map.of("tea", 2.5, "scone", 3.0));
    small = 1;
    // steady state, as in a process past its first seconds: Fory's generated serializers (a fresh
    // process serializes interpreted for weft.serialization.codegenAfterMillis)
    Serde.codegenFrom(System.nanoTime());
    bare =
        Fory.builder()
            .withXlang(false)
            .withRefTracking(true)
            .requireClassRegistration(false)
            .suppressClassRegistrationWarnings(true)
            .build();
    if (!Serde.deserialize(Serde.serialize(order, "bench"), "bench").equals(order)
        || !bare.deserialize(bare.serialize(order)).equals(order)) {
      throw new IllegalStateException("a serializer did not return the value it was given");
    }
  }

  @Benchmark
  public Object weft_record() {
    return Serde.deserialize(Serde.serialize(order, "bench"), "bench");
  }

  @Benchmark
  public Object baseline_record() {
    return bare.deserialize(bare.serialize(order));
  }

  @Benchmark
  public Object weft_boxedInt() {
    return Serde.deserialize(Serde.serialize(small, "bench"), "bench");
  }

  @Benchmark
  public Object baseline_boxedInt() {
    return bare.deserialize(bare.serialize(small));
  }
}
