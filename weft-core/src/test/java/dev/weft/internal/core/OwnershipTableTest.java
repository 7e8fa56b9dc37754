package dev.weft.internal.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.ObjectId;
import dev.weft.internal.core.OwnershipTable.ErrorInfo;
import dev.weft.internal.proto.Msg.ErrorKind;
import org.junit.jupiter.api.Test;

class OwnershipTableTest {
  private final OwnershipTable table = new OwnershipTable(77L);

  @Test
  void reserve_consecutiveCalls_giveDisjointRangesUnderTheProcessId() {
    long a = table.reserve(3);
    long b = table.reserve(1);
    assertThat(b).isEqualTo(a + 3);
    assertThat(table.idAt(a)).isEqualTo(new ObjectId(77L, a));
    assertThat(table.owns(new ObjectId(77L, 5))).isTrue();
    assertThat(table.owns(new ObjectId(78L, 5))).isFalse();
  }

  @Test
  void dropLocationsOn_aDeadNode_marksLostOnlyWhatHadNoOtherCopy() {
    OwnershipTable.Entry onlyA = table.create(table.idAt(table.reserve(1)));
    OwnershipTable.Entry aAndB = table.create(table.idAt(table.reserve(1)));
    OwnershipTable.Entry onlyB = table.create(table.idAt(table.reserve(1)));
    var a = new dev.weft.internal.proto.Msg.ObjectLocation("node-a", "a:1");
    var b = new dev.weft.internal.proto.Msg.ObjectLocation("node-b", "b:1");
    OwnershipTable.addLocation(onlyA, a);
    OwnershipTable.addLocation(aAndB, a);
    OwnershipTable.addLocation(aAndB, b);
    OwnershipTable.addLocation(onlyB, b);

    assertThat(table.dropLocationsOn("node-a")).isEqualTo(1);

    assertThat(OwnershipTable.lostMessage(onlyA))
        .contains(onlyA.id.toString(), "node node-a, which died");
    assertThat(aAndB.locations).containsExactly(b);
    assertThat(OwnershipTable.lostMessage(aAndB)).isNull();
    assertThat(OwnershipTable.lostMessage(onlyB)).isNull();
    OwnershipTable.addLocation(onlyA, b); // a copy made again somewhere
    assertThat(OwnershipTable.lostMessage(onlyA)).isNull();
  }

  @Test
  void complete_pendingEntry_completesItsFutureOnce() {
    ObjectId id = table.idAt(table.reserve(1));
    OwnershipTable.Entry e = table.create(id);
    assertThat(e.ready).isNotDone();
    table.complete(id, new byte[] {1});
    table.fail(id, new ErrorInfo(ErrorKind.TASK_FAILED, "late", null)); // ignored: already complete
    assertThat(e.ready.join().value()).containsExactly(1);
    assertThat(e.ready.join().failed()).isFalse();
  }

  @Test
  void fail_pendingEntry_keepsTheError() {
    ObjectId id = table.idAt(table.reserve(1));
    table.create(id);
    table.fail(id, new ErrorInfo(ErrorKind.WORKER_CRASHED, "worker died", null));
    OwnershipTable.Stored s = table.get(id).ready.join();
    assertThat(s.failed()).isTrue();
    assertThat(s.error().message()).isEqualTo("worker died");
  }

  @Test
  void releaseLocalRef_lastReference_dropsTheEntry() {
    ObjectId id = table.idAt(table.reserve(1));
    OwnershipTable.Entry e = table.create(id);
    table.addLocalRef(e);
    table.addLocalRef(e);
    table.releaseLocalRef(id);
    assertThat(table.get(id)).isNotNull();
    table.releaseLocalRef(id);
    assertThat(table.get(id)).isNull();
  }

  @Test
  void releaseLocalRef_withABorrower_keepsTheEntryUntilTheBorrowerLeaves() {
    ObjectId id = table.idAt(table.reserve(1));
    OwnershipTable.Entry e = table.create(id);
    table.addLocalRef(e);
    assertThat(table.addBorrower(id, "10.0.0.2:5000")).isTrue();
    table.releaseLocalRef(id);
    assertThat(table.get(id)).isSameAs(e);
    table.removeBorrower(id, "10.0.0.2:5000");
    assertThat(table.get(id)).isNull();
    assertThat(table.addBorrower(id, "10.0.0.3:5000"))
        .as("a freed object takes no new borrower")
        .isFalse();
  }

  @Test
  void completeOrFail_unknownId_isIgnored() {
    table.complete(new ObjectId(77L, 999_999), new byte[0]);
    table.fail(new ObjectId(77L, 999_998), new ErrorInfo(ErrorKind.TASK_FAILED, "x", null));
    assertThat(table.size()).isZero();
  }
}
