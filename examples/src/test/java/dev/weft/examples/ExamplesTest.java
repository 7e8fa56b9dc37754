package dev.weft.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The examples' remote functions as plain Java. The programs themselves run on a real cluster in
 * weft-it's ToolsSmokeIT.
 */
class ExamplesTest {
  @Test
  void remoteFunctionsComputeLocally() {
    assertThat(Demo.samplePi(1, 10_000)).isBetween(7_600L, 8_100L);
    assertThat(Demo.add(Demo.square(3), 4)).isEqualTo(13);
    assertThat(Demo.checksum(new byte[] {1, 2, 3}))
        .isNotEqualTo(Demo.checksum(new byte[] {3, 2, 1}));
  }
}
