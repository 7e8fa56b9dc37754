package dev.weft.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.internal.store.ObjectDirectory.Key;
import org.junit.jupiter.api.Test;

class ObjectDirectoryTest {
  final ObjectDirectory dir = new ObjectDirectory(4096);
  final Key a = new Key(1, 1);
  final Key b = new Key(1, 2);

  @Test
  void pin_beforeSeal_waitsForTheSeal() {
    dir.create(a, 100, "owner");
    var early = dir.pin(a);
    assertThat(early).as("the writer has not sealed it yet").isNotDone();
    dir.seal(a);
    assertThat(early.join()).isNotNull();
    assertThat(dir.pin(a).join()).isNotNull();
    dir.delete(a);
    dir.unpin(a);
    assertThat(dir.usedBytes()).as("the seal's waiter holds a pin of its own").isPositive();
    dir.unpin(a);
    assertThat(dir.usedBytes()).isZero();
  }

  @Test
  void pin_beforeSeal_givenUp_findsNothingAndHoldsNoPin() {
    dir.create(a, 100, "owner");
    var early = dir.pin(a);
    dir.cancelSealWait(a, early);
    assertThat(early.join()).as("a writer stuck mid-write: not here").isNull();
    dir.seal(a);
    dir.delete(a);
    assertThat(dir.usedBytes()).as("the pin given up holds nothing").isZero();
  }

  @Test
  void pin_beforeSeal_findsNothingWhenTheBlockIsDroppedUnsealed() {
    Object writer = new Object();
    dir.create(a, 100, "owner", writer);
    var early = dir.pin(a);
    assertThat(dir.dropUnsealedOf(writer)).isOne();
    assertThat(early.join()).as("its writer went away: never sealed, not here").isNull();
    assertThat(dir.usedBytes()).isZero();
    dir.create(b, 100, "owner");
    var another = dir.pin(b);
    dir.delete(b);
    assertThat(another.join()).as("deleted by its owner before the seal").isNull();
  }

  @Test
  void delete_whilePinned_freesAtTheLastUnpin() {
    dir.create(a, 1000, "owner");
    dir.seal(a);
    dir.pin(a);
    dir.pin(a);
    dir.delete(a);
    assertThat(dir.pin(a).join()).as("a deleted object takes no new readers").isNull();
    dir.unpin(a);
    assertThat(dir.usedBytes()).isPositive();
    dir.unpin(a);
    assertThat(dir.usedBytes()).isZero();
    assertThat(dir.objects()).isZero();
  }

  @Test
  void create_whenFull_returnsNullAndSpaceComesBackAfterDelete() {
    assertThat(dir.create(a, 3000, "o")).isNotNull();
    assertThat(dir.create(b, 3000, "o")).isNull();
    dir.seal(a);
    dir.delete(a);
    assertThat(dir.create(b, 3000, "o")).isNotNull();
  }

  @Test
  void deleteOwnedBy_removesOnlyThatOwnersObjects() {
    dir.create(a, 100, "dead");
    dir.create(b, 100, "alive");
    assertThat(dir.deleteOwnedBy("dead")).isEqualTo(1);
    assertThat(dir.objects()).isEqualTo(1);
  }

  @Test
  void create_whenFull_evictsAnUnpinnedPulledCopyInsteadOfFailing() {
    Key c = new Key(1, 3);
    assertThat(dir.createSecondary(a, 2000, "o")).isNotNull();
    dir.seal(a);
    assertThat(dir.create(b, 1000, "o")).isNotNull();
    dir.seal(b);
    assertThat(dir.create(c, 2000, "o")).as("room made by evicting the pulled copy").isNotNull();
    assertThat(dir.contains(a)).isFalse();
    assertThat(dir.contains(b)).as("a primary is never evicted").isTrue();
    assertThat(dir.evictions()).isEqualTo(1);
  }

  @Test
  void create_whenFull_neverEvictsAPinnedPulledCopy() {
    assertThat(dir.createSecondary(a, 3000, "o")).isNotNull();
    dir.seal(a);
    assertThat(dir.pin(a).join()).isNotNull();
    assertThat(dir.create(b, 2000, "o")).isNull();
    assertThat(dir.contains(a)).isTrue();
    assertThat(dir.pinnedOffset(a)).isGreaterThanOrEqualTo(0);
    assertThat(dir.pinnedBlockSize(a)).isEqualTo(3000);
  }
}
