package dev.weft.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a node reads from {@code nvidia-smi --query-gpu=index --format=csv,noheader}. */
class NodeMainTest {
  @Test
  void countGpuLines_oneIndexALine_countsThem() {
    assertThat(NodeMain.countGpuLines("0\n1\n2\n3\n")).isEqualTo(4);
    assertThat(NodeMain.countGpuLines(" 0\r\n")).isEqualTo(1);
  }

  @Test
  void countGpuLines_noDevicesOrAnError_countsNone() {
    assertThat(NodeMain.countGpuLines("")).isZero();
    assertThat(NodeMain.countGpuLines("No devices were found\n")).isZero();
  }

  @Test
  void defaultMemory_isPhysicalMemoryLessTheStore() {
    long all = NodeMain.defaultMemory(0);
    assertThat(all).isPositive();
    assertThat(NodeMain.defaultMemory(1L << 30)).isEqualTo(Math.max(0, all - (1L << 30)));
  }
}
