package dev.weft.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AllocatorTest {
  @Test
  void allocate_untilFull_thenRefusesWithMinusOne() {
    Allocator a = new Allocator(1024);
    assertThat(a.allocate(500)).isZero();
    assertThat(a.allocate(500)).isEqualTo(512);
    assertThat(a.allocate(1)).isEqualTo(-1);
    assertThat(a.usedBytes()).isEqualTo(1024);
  }

  @Test
  void release_neighbours_coalesceIntoOneBlock() {
    Allocator a = new Allocator(64 * 10);
    long x = a.allocate(64);
    long y = a.allocate(64 * 3);
    long z = a.allocate(64);
    a.release(y, 64 * 3);
    a.release(x, 64);
    a.release(z, 64);
    assertThat(a.usedBytes()).isZero();
    assertThat(a.largestFree()).isEqualTo(64 * 10);
  }

  @Test
  void release_twice_isRefused() {
    Allocator a = new Allocator(1024);
    long x = a.allocate(64);
    a.allocate(64);
    a.release(x, 64);
    assertThatThrownBy(() -> a.release(x, 64)).hasMessageContaining("double free");
  }

  @Test
  void randomAllocationsAndReleases_neverOverlapAndAllComeBack() {
    Allocator a = new Allocator(1 << 20);
    Random r = new Random(42);
    List<long[]> live = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      if (r.nextBoolean() || live.isEmpty()) {
        long size = 1 + r.nextInt(8192);
        long off = a.allocate(size);
        if (off >= 0) {
          for (long[] b : live) {
            assertThat(
                    off + Allocator.aligned(size) <= b[0] || b[0] + Allocator.aligned(b[1]) <= off)
                .isTrue();
          }
          live.add(new long[] {off, size});
        }
      } else {
        long[] b = live.remove(r.nextInt(live.size()));
        a.release(b[0], b[1]);
      }
    }
    for (long[] b : live) {
      a.release(b[0], b[1]);
    }
    assertThat(a.usedBytes()).isZero();
    assertThat(a.largestFree()).isEqualTo(1 << 20);
  }
}
