package dev.weft.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.WeftConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeOptionsTest {
  @Test
  void defaults_areOneCpuNoGpuAndASmallStore() {
    NodeOptions o = NodeOptions.defaults();

    assertThat(o.cpus()).isEqualTo(1);
    assertThat(o.gpus()).isZero();
    assertThat(o.resources()).isEmpty();
    assertThat(o.objectStoreBytes()).isEqualTo(128L << 20);
    assertThat(o.port()).isZero();
  }

  @Test
  void toConfig_carriesEveryOptionAndTheFolder() {
    NodeOptions o =
        NodeOptions.builder()
            .cpus(3)
            .gpus(2)
            .resource("accel", 1)
            .resources(Map.of("disk", 0.5))
            .objectStoreBytes(64L << 20)
            .build();

    WeftConfig cfg = o.toConfig(Path.of("/tmp/x/node-1"));

    assertThat(cfg.numCpus()).isEqualTo(3);
    assertThat(cfg.numGpus()).isEqualTo(2);
    assertThat(cfg.resources())
        .containsExactlyInAnyOrderEntriesOf(Map.of("accel", 1.0, "disk", 0.5));
    assertThat(cfg.objectStoreBytes()).isEqualTo(64L << 20);
    assertThat(cfg.logDir()).isEqualTo("/tmp/x/node-1");
  }

  @Test
  void toBuilder_copiesAndLaterSettersReplace() {
    NodeOptions a = NodeOptions.builder().cpus(2).resource("accel", 1).build();

    NodeOptions b = a.toBuilder().resource("accel", 3).port(4242).build();

    assertThat(a.resources()).containsEntry("accel", 1.0);
    assertThat(b.resources()).containsEntry("accel", 3.0);
    assertThat(b.cpus()).isEqualTo(2);
    assertThat(b.port()).isEqualTo(4242);
    assertThat(a.toBuilder().build()).isEqualTo(a).hasSameHashCodeAs(a);
  }

  @Test
  void build_wrongValue_namesIt() {
    assertThatThrownBy(() -> NodeOptions.builder().cpus(0).build())
        .hasMessageContaining("NodeOptions.cpus must be >= 1 (got 0)");
    assertThatThrownBy(() -> NodeOptions.builder().gpus(-1).build())
        .hasMessageContaining("NodeOptions.gpus");
    assertThatThrownBy(() -> NodeOptions.builder().objectStoreBytes(1000).build())
        .hasMessageContaining("NodeOptions.objectStoreBytes must be at least 1 MiB (got 1000)");
    assertThatThrownBy(() -> NodeOptions.builder().port(70000).build())
        .hasMessageContaining("NodeOptions.port");
    assertThatThrownBy(() -> NodeOptions.builder().resource("a b", 1).build())
        .hasMessageContaining("'a b' is not a resource name");
    assertThatThrownBy(() -> NodeOptions.builder().resource("CPU", 1).build())
        .hasMessageContaining("give CPU with cpus(n)");
    assertThatThrownBy(() -> NodeOptions.builder().resource("accel", -1).build())
        .hasMessageContaining("the amount of 'accel' must be >= 0");
    assertThatThrownBy(() -> NodeOptions.builder().resource("accel", Double.NaN).build())
        .hasMessageContaining("the amount of 'accel' must be >= 0");
  }

  @Test
  void resources_areUnmodifiable() {
    NodeOptions o = NodeOptions.builder().resource("accel", 1).build();

    assertThatThrownBy(() -> o.resources().put("x", 1.0))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
