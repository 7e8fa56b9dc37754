package dev.weft.internal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weft.ObjectId;
import dev.weft.ObjectRef;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ObjectRef#release()}: the owner frees an object as soon as the last reference is released,
 * with no garbage collection. Every ref the test releases stays strongly reachable until the end of
 * the test ({@link Reference#reachabilityFence}), so the Cleaner cannot be what freed it.
 */
class RefReleaseTest {
  static final String TOKEN = "test-token";

  final List<CoreWorker> workers = new ArrayList<>();

  CoreWorker worker() {
    CoreWorker w = new CoreWorker("127.0.0.1", TOKEN);
    workers.add(w);
    return w;
  }

  @AfterEach
  void tearDown() {
    workers.forEach(CoreWorker::shutdown);
    CoreWorker.setCurrent(null);
  }

  @Test
  void release_ownedRef_freesTheObjectAtOnce() {
    CoreWorker owner = worker();
    ObjectRef<String> ref = owner.put("hello");
    ObjectId id = ref.id();
    assertThat(owner.table.get(id)).isNotNull();

    ref.release();

    assertThat(owner.table.get(id)).as("freed by release(), without a GC").isNull();
    assertThat(ref.isReleased()).isTrue();
    Reference.reachabilityFence(ref);
  }

  @Test
  void release_calledTwice_dropsOnlyThisInstancesCount() {
    CoreWorker owner = worker();
    ObjectRef<String> ref = owner.put("hello");
    RefImpl<?> other =
        owner.refs.copyOf((RefImpl<?>) ref); // a second live instance of the same ref

    ref.release();
    ref.release();

    assertThat(owner.table.get(ref.id())).as("the other instance still holds it").isNotNull();
    assertThat(owner.get(other, Duration.ofSeconds(5))).isEqualTo("hello");
    other.release();
    assertThat(owner.table.get(ref.id())).isNull();
    Reference.reachabilityFence(ref);
    Reference.reachabilityFence(other);
  }

  @Test
  void get_releasedRef_failsWithAClearMessage() {
    CoreWorker owner = worker();
    ObjectRef<String> ref = owner.put("hello");
    ref.release();

    assertThatThrownBy(() -> owner.get(ref, Duration.ofSeconds(5)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(ref.id().toString())
        .hasMessageContaining("released by ObjectRef.release()");
    assertThatThrownBy(ref::toFuture).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> owner.refs.copyOf((RefImpl<?>) ref))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void release_refNestedInAPutValue_keepsItAliveUntilTheContainerIsReleased() {
    CoreWorker owner = worker();
    CoreWorker.setCurrent(owner);
    ObjectRef<String> inner = owner.put("inner");
    ObjectRef<List<ObjectRef<String>>> outer = owner.put(List.of(inner));

    inner.release();
    assertThat(owner.table.get(inner.id()))
        .as("the container holds its own copy of the nested ref")
        .isNotNull();

    outer.release();
    assertThat(owner.table.get(outer.id())).isNull();
    assertThat(owner.table.get(inner.id()))
        .as("freeing the container releases its copy at once, without a GC")
        .isNull();
    Reference.reachabilityFence(inner);
    Reference.reachabilityFence(outer);
  }

  @Test
  void release_borrowedRef_letsTheOwnerFreeTheObjectWithoutAGc() {
    CoreWorker owner = worker();
    CoreWorker borrower = worker();
    ObjectRef<String> ref = owner.put("shared");
    ObjectId id = ref.id();
    List<CompletableFuture<Void>> regs = new ArrayList<>();
    RefImpl<?> borrowed = borrower.refs.adopt(id, owner.address(), regs);
    CompletableFuture.allOf(regs.toArray(CompletableFuture[]::new)).join();
    assertThat(borrower.borrows.size()).isEqualTo(1);

    ref.release();
    assertThat(owner.table.get(id)).as("the borrower still holds it").isNotNull();

    borrowed.release();
    await("the owner frees the object once the borrower released its ref")
        .atMost(Duration.ofSeconds(10))
        .until(() -> owner.table.get(id) == null);
    await("the borrower forgets the object")
        .atMost(Duration.ofSeconds(10))
        .until(() -> borrower.borrows.size() == 0);
    Reference.reachabilityFence(ref);
    Reference.reachabilityFence(borrowed);
  }
}
