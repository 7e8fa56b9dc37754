package dev.weft.shuffle.sort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecordChecksumTest {
  private static byte[] records(int n, long seed) {
    byte[] b = new byte[n * Records.RECORD];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void update_sameRecordsAnyWay_sameChecksum() {
    byte[] b = records(50, 1);
    RecordChecksum whole = new RecordChecksum().update(b, 0, b.length);

    RecordChecksum parts =
        new RecordChecksum()
            .update(ByteBuffer.wrap(b, 0, 2000))
            .add(
                new RecordChecksum()
                    .update(ByteBuffer.allocateDirect(3000).put(b, 2000, 3000).flip()));
    RecordChecksum segment;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment s = arena.allocate(b.length);
      s.copyFrom(MemorySegment.ofArray(b));
      segment = new RecordChecksum().update(s);
    }
    RecordChecksum littleEndianBuffer =
        new RecordChecksum().update(ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN));

    assertThat(whole.records()).isEqualTo(50);
    assertThat(parts.matches(whole)).isTrue();
    assertThat(segment.matches(whole)).isTrue();
    assertThat(littleEndianBuffer.matches(whole)).isTrue();
    assertThat(parts.toHex()).isEqualTo(whole.toHex()).hasSize(32);
  }

  @Test
  void update_reorderedRecords_sameChecksum() {
    byte[] b = records(3, 2);
    byte[] r = new byte[b.length];
    System.arraycopy(b, 200, r, 0, 100);
    System.arraycopy(b, 0, r, 100, 100);
    System.arraycopy(b, 100, r, 200, 100);

    assertThat(new RecordChecksum().update(r, 0, 300).toHex())
        .isEqualTo(new RecordChecksum().update(b, 0, 300).toHex());
  }

  @Test
  void update_anySingleBitFlipped_bothSumsChange() {
    byte[] b = records(2, 3);
    RecordChecksum base = new RecordChecksum().update(b, 0, b.length);
    for (int i = 0; i < b.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        b[i] ^= (byte) (1 << bit);
        String hex = new RecordChecksum().update(b, 0, b.length).toHex();
        assertThat(hex.substring(0, 16)).isNotEqualTo(base.toHex().substring(0, 16));
        assertThat(hex.substring(16)).isNotEqualTo(base.toHex().substring(16));
        b[i] ^= (byte) (1 << bit);
      }
    }
  }

  @Test
  void update_payloadsSwappedBetweenRecords_changes() {
    byte[] b = records(2, 4);
    RecordChecksum base = new RecordChecksum().update(b, 0, b.length);
    byte[] s = b.clone();
    System.arraycopy(b, 110, s, 10, 90);
    System.arraycopy(b, 10, s, 110, 90);

    assertThat(new RecordChecksum().update(s, 0, s.length).matches(base)).isFalse();
  }

  @Test
  void update_positionUnchanged_andPartialRecordRejected() {
    ByteBuffer b = ByteBuffer.wrap(records(2, 5));
    new RecordChecksum().update(b);
    assertThat(b.position()).isZero();
    assertThat(b.limit()).isEqualTo(200);

    assertThatThrownBy(() -> new RecordChecksum().update(ByteBuffer.allocate(150)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("50 bytes left over");
  }
}
