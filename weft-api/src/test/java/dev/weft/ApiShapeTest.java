package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;

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

  @Test
  void clusterView_namesAndTypesAsApiMdWritesThem() throws Exception {
    // compile-time: the names and types programs outside the repository compile against
    ThrowingSupplier<RuntimeContext> ctx = Weft::context;
    ThrowingSupplier<List<NodeInfo>> nodes = Weft::nodes;
    ThrowingSupplier<Map<String, Double>> cluster = Weft::clusterResources;
    ThrowingSupplier<Map<String, Double>> available = Weft::availableResources;
    assertThat(List.of(ctx, nodes, cluster, available)).hasSize(4);
    assertThat(RuntimeContext.class.getMethod("nodeId").getReturnType()).isEqualTo(String.class);
    assertThat(RuntimeContext.class.getMethod("jobId").getReturnType()).isEqualTo(String.class);
    assertThat(RuntimeContext.class.getMethod("workerId").getReturnType()).isEqualTo(String.class);

    assertThat(NodeInfo.class.isRecord()).isTrue();
    assertThat(Arrays.stream(NodeInfo.class.getRecordComponents()).map(RecordComponent::getName))
        .containsExactly("nodeId", "address", "alive", "total", "available");
    NodeInfo n = new NodeInfo("n-1", "10.0.0.1:7000", true, Map.of("CPU", 2.0), Map.of("CPU", 1.5));
    assertThat(n.total()).containsEntry("CPU", 2.0);
    assertThat(n.available()).containsEntry("CPU", 1.5);
  }

  @Test
  void clusterView_withoutInit_saysToCallInit() {
    List<ThrowingSupplier<?>> calls =
        List.of(Weft::context, Weft::nodes, Weft::clusterResources, Weft::availableResources);
    for (ThrowingSupplier<?> call : calls) {
      assertThatThrownBy(call::get)
          .isInstanceOf(WeftException.class)
          .hasMessageContaining("Weft is not initialized")
          .hasMessageContaining("Weft.init()");
    }
  }

  @Test
  void scheduling_strategies_reachTheOptions_andBadOnesSayWhatToDo() {
    assertThat(Weft.task(ApiShapeTest::square, 3).options().scheduling())
        .isEqualTo(SchedulingStrategy.DEFAULT);
    assertThat(
            Weft.task(ApiShapeTest::square, 3)
                .scheduling(SchedulingStrategy.nodeAffinity("node-2", true))
                .options()
                .scheduling())
        .isEqualTo(new SchedulingStrategy.NodeAffinity("node-2", true));
    assertThat(
            Weft.actor(Counter::new, 1L)
                .scheduling(SchedulingStrategy.SPREAD)
                .options()
                .scheduling())
        .isEqualTo(SchedulingStrategy.SPREAD);
    assertThat(new TaskOptions(null, 1, 0, 0, Map.of(), 3, false).scheduling())
        .isEqualTo(SchedulingStrategy.DEFAULT);
    assertThatThrownBy(() -> SchedulingStrategy.nodeAffinity(" ", false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Weft.nodes()");

    PlacementGroup pg =
        new PlacementGroup(
            "pg-1", List.of(Map.of("CPU", 1.0), Map.of("CPU", 1.0)), PlacementStrategy.PACK);
    assertThat(SchedulingStrategy.placementGroup(pg, -1)).isNotNull();
    assertThatThrownBy(() -> SchedulingStrategy.placementGroup(pg, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("out of range for group pg-1 with 2 bundle(s)");
  }

  @Test
  void placementGroup_badBundles_areRefusedBeforeAnyRuntimeIsNeeded() {
    assertThatThrownBy(() -> Weft.placementGroup(List.of(), PlacementStrategy.PACK))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one bundle");
    assertThatThrownBy(
            () ->
                Weft.placementGroup(List.of(Map.of("CPU", 1.0), Map.of()), PlacementStrategy.PACK))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bundle 1 is empty");
    assertThatThrownBy(
            () -> Weft.placementGroup(List.of(Map.of("CPU", -1.0)), PlacementStrategy.SPREAD))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("amounts must be finite and > 0");
    assertThatThrownBy(() -> Weft.placementGroup(List.of(Map.of("CPU", 1.0)), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("STRICT_PACK");
  }
}
