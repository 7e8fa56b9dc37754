package dev.weft.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class WorkloadsTest {
  @Test
  void treeReduce_sumsEveryLeafOnce_withLeavesMinusOneAdditions() {
    for (int leaves : new int[] {1, 2, 3, 7, 100, 10_000}) {
      List<Integer> adds = new ArrayList<>();
      long root =
          Workloads.treeReduce(
              leaves,
              i -> (long) i,
              (a, b) -> {
                adds.add(1);
                return a + b;
              });
      assertThat(root).as("leaves=" + leaves).isEqualTo(Workloads.dagExpected(leaves));
      assertThat(adds).hasSize(leaves - 1);
      assertThat(Workloads.dagTasks(leaves)).isEqualTo(leaves + adds.size());
    }
  }

  @Test
  void treeReduce_levelsConsumeThePreviousLevel_withoutWaiting() {
    List<CompletableFuture<Long>> leaves = new ArrayList<>();
    CompletableFuture<Long> root =
        Workloads.treeReduce(
            4,
            i -> {
              CompletableFuture<Long> f = new CompletableFuture<>();
              leaves.add(f);
              return f;
            },
            (a, b) -> a.thenCombine(b, Long::sum));
    assertThat(root).isNotDone(); // the whole graph exists before any leaf finished
    for (int i = 0; i < 4; i++) {
      leaves.get(i).complete((long) i);
    }
    assertThat(root.join()).isEqualTo(6L);
  }

  @Test
  void unit_everyWorkloadHasOne_unknownNamesFail() {
    for (String w : Workloads.ALL) {
      assertThat(Workloads.unit(w)).endsWith("/s");
    }
    assertThatThrownBy(() -> Workloads.unit("x")).hasMessageContaining("unknown workload");
    assertThatThrownBy(() -> Workloads.treeReduce(0, i -> i, Integer::sum))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void largeData_isDeterministicAndNotUniform() {
    byte[] a = LargeData.make(1003, 5);
    byte[] b = LargeData.make(1003, 5);
    assertThat(a).isEqualTo(b);
    assertThat(LargeData.crc(a)).isEqualTo(LargeData.crc(b));
    assertThat(LargeData.crc(LargeData.make(1003, 6))).isNotEqualTo(LargeData.crc(a));
    assertThat(new java.util.HashSet<>(java.util.Arrays.asList(box(a)))).hasSizeGreaterThan(200);
  }

  @Test
  void largeData_sizeMustFitAnArray() {
    assertThat(LargeData.arrayLength(1 << 20)).isEqualTo(1 << 20);
    assertThatThrownBy(() -> LargeData.arrayLength(3L << 30))
        .hasMessageContaining("one Java array");
    assertThatThrownBy(() -> LargeData.arrayLength(0)).isInstanceOf(IllegalArgumentException.class);
  }

  private static Byte[] box(byte[] a) {
    Byte[] b = new Byte[a.length];
    for (int i = 0; i < a.length; i++) {
      b[i] = a[i];
    }
    return b;
  }
}
