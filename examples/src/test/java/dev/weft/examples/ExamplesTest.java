package dev.weft.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Runs the examples against {@link InProcessRuntime}: their answers and checks, not Weft itself. */
class ExamplesTest {
  @Test
  void demoPassesAllItsChecks() {
    assertThat(Demo.run()).isZero();
  }

  @Test
  void quickStartRuns() {
    QuickStart.main(new String[0]);
  }

  @Test
  void remoteFunctionsComputeLocally() {
    assertThat(Demo.samplePi(1, 10_000)).isBetween(7_600L, 8_100L);
    assertThat(Demo.add(Demo.square(3), 4)).isEqualTo(13);
    assertThat(Demo.checksum(new byte[] {1, 2, 3})).isEqualTo(Demo.checksum(new byte[] {1, 2, 3}));
  }
}
