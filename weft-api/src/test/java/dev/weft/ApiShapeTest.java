package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Checks that the typed overloads resolve as users write them, and the facade's own errors. */
class ApiShapeTest {
  static int square(int x) {
    return x * x;
  }

  static int add(int a, int b) {
    return a + b;
  }

  static void log(String s) {}

  static List<String> split3(String s) {
    return List.of(s, s, s);
  }

  static int six(int a, int b, int c, int d, int e, long f) {
    return a + b + c + d + e + (int) f;
  }

  public static class Counter {
    long n;

    public Counter(long start) {
      n = start;
    }

    public long add(long d) {
      n += d;
      return n;
    }

    public void reset() {
      n = 0;
    }
  }

  @Test
  void remote_withoutInit_saysToCallInit() {
    TaskCall<Integer> call = Weft.task(ApiShapeTest::square, 3).cpus(0.5).maxRetries(1);
    assertThat(call.options().cpus()).isEqualTo(0.5);
    assertThat(call.options().maxRetries()).isEqualTo(1);
    assertThatThrownBy(call::remote)
        .isInstanceOf(WeftException.class)
        .hasMessageContaining("Weft.init()");
  }

  @Test
  void overloads_acceptValuesRefsVoidAndActors() {
    // compile-time shape checks: each line must resolve to the intended overload
    TaskCall<Integer> a = Weft.task(ApiShapeTest::add, 1, 2);
    TaskCall<Void> v = Weft.task(ApiShapeTest::log, "x");
    TaskCall<List<String>> l = Weft.task(ApiShapeTest::split3, "s");
    TaskCall<Integer> s = Weft.task(ApiShapeTest::six, 1, 2, 3, 4, 5, 6L);
    ActorCreator<Counter> c = Weft.actor(Counter::new, 10L).name("c").maxConcurrency(2);
    assertThat(c.options().name()).isEqualTo("c");
    assertThat(c.options().maxConcurrency()).isEqualTo(2);
    assertThat(List.of(a, v, l, s)).hasSize(4);
  }

  @Test
  void options_rejectNonsenseWithTheValue() {
    assertThatThrownBy(() -> Weft.task(ApiShapeTest::square, 1).cpus(-1).options())
        .hasMessageContaining("cpus=-1.0");
    assertThatThrownBy(() -> Weft.actor(Counter::new, 1L).maxConcurrency(0).options())
        .hasMessageContaining("maxConcurrency must be >= 1");
    assertThatThrownBy(() -> WeftConfig.builder().address("nohostport").build())
        .hasMessageContaining("host:port");
  }
}
