package dev.weft.internal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weft.ObjectRef;
import dev.weft.TaskOptions;
import dev.weft.WorkerCrashedException;
import dev.weft.function.Fn1;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import dev.weft.internal.rpc.MessageHandler;
import dev.weft.internal.rpc.Rpc;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The submission logic of {@link TaskSubmitter} against narrow fakes of a node manager and of
 * workers, over real loopback connections: which tasks go to which lease, when leases are asked for
 * and returned, and what a dead worker does to its tasks.
 */
class TaskSubmitterTest {
  static final String TOKEN = "test-token";

  static int square(int x) {
    return x * x;
  }

  /** A node manager that grants leases only when the test says so. */
  static final class TestingNode implements MessageHandler {
    record Pending(Connection conn, long reqId, Msg.RequestLease req) {}

    final List<Pending> requests = new CopyOnWriteArrayList<>();
    final List<Long> returned = new CopyOnWriteArrayList<>();
    long nextLease = 1;

    /** When set, every request after the first is granted at once, on this worker. */
    volatile TestingWorker autoGrant;

    /** Requests that came while a lease granted before was not yet returned. */
    final java.util.concurrent.atomic.AtomicInteger whileHeld =
        new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public void onMessage(Connection c, long reqId, Msg msg) {
      if (msg instanceof Msg.RequestLease r) {
        requests.add(new Pending(c, reqId, r));
        TestingWorker w = autoGrant;
        if (w != null && requests.size() > 1) {
          synchronized (this) {
            if (nextLease - 1 > returned.size()) {
              whileHeld.incrementAndGet();
            }
            grant(requests.size() - 1, w);
          }
        }
      } else if (msg instanceof Msg.ReturnLease r) {
        returned.add(r.leaseId());
      }
    }

    synchronized long grant(int requestIndex, TestingWorker w) {
      Pending p = requests.get(requestIndex);
      long id = nextLease++;
      p.conn.reply(p.reqId, new Msg.LeaseGranted(id, id, w.address, w.address));
      return id;
    }
  }

  /** A worker that records pushed tasks and answers only when the test says so. */
  static final class TestingWorker implements MessageHandler {
    record Pushed(Connection conn, long reqId, Msg.TaskSpec spec) {}

    final List<Pushed> pushed = new CopyOnWriteArrayList<>();
    final Rpc.Server server = Rpc.listen("127.0.0.1", 0, TOKEN, this);
    final String address = "127.0.0.1:" + server.port();

    /** Answer each task as it comes. */
    volatile boolean autoAnswer;

    @Override
    public void onMessage(Connection c, long reqId, Msg msg) {
      if (msg instanceof Msg.PushTask p) {
        pushed.add(new Pushed(c, reqId, p.spec()));
        if (autoAnswer) {
          answer(pushed.size() - 1);
        }
      }
    }

    void answer(int i) {
      Pushed p = pushed.get(i);
      int arg = (Integer) Serde.deserialize(p.spec().args().get(0).value(), "arg");
      p.conn.reply(
          p.reqId,
          new Msg.TaskReply(
              p.spec().taskHi(),
              p.spec().taskLo(),
              Msg.TaskStatus.OK,
              List.of(Serde.serialize(arg * arg, "result")),
              null,
              null,
              List.of()));
    }

    void crash() {
      pushed.get(0).conn.close();
    }
  }

  TestingNode node;
  Rpc.Server nodeServer;
  CoreWorker cw;
  final List<TestingWorker> workers = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    node = new TestingNode();
    nodeServer = Rpc.listen("127.0.0.1", 0, TOKEN, node);
    cw = new CoreWorker("127.0.0.1", TOKEN);
    cw.jobId = 1;
    cw.node = Rpc.connect("127.0.0.1:" + nodeServer.port(), TOKEN, cw, Duration.ofSeconds(5));
  }

  @AfterEach
  void tearDown() {
    cw.shutdown();
    nodeServer.close();
    workers.forEach(w -> w.server.close());
  }

  TestingWorker worker() {
    TestingWorker w = new TestingWorker();
    workers.add(w);
    return w;
  }

  List<ObjectRef<Object>> submit(int arg, int maxRetries) {
    Fn1<Integer, Integer> f = TaskSubmitterTest::square;
    TaskOptions o = new TaskOptions(null, 1.0, 0, 0, Map.of(), maxRetries, false);
    return cw.submitter.submit(
        FunctionDescriptor.describe(f, new java.util.ArrayList<>()),
        new Object[] {arg},
        o,
        0,
        List.of());
  }

  @Test
  void submit_oneTask_leasesAWorkerPushesItAndReturnsTheLeaseWhenIdle() {
    ObjectRef<Object> r = submit(7, 3).get(0);
    await().atMost(Duration.ofSeconds(10)).until(() -> node.requests.size() == 1);
    assertThat(node.requests.get(0).req().resources()).containsEntry("CPU", 1.0);
    TestingWorker w = worker();
    long lease = node.grant(0, w);
    await().atMost(Duration.ofSeconds(10)).until(() -> w.pushed.size() == 1);
    w.answer(0);
    assertThat(cw.get(r, Duration.ofSeconds(10))).isEqualTo(49);
    await().atMost(Duration.ofSeconds(10)).until(() -> node.returned.contains(lease));
  }

  @Test
  void syncLoop_keepsToOneLease() {
    // a caller that gets each result before it submits the next never has two tasks out: it needs
    // one lease. The lease's count of tasks in flight used to drop after the result was handed
    // over, so the caller's next task, submitted in between, found the lease busy, queued, and
    // asked for a second lease; its worker (often a fresh JVM) then took a share of the loop at a
    // fraction of the speed.
    TestingWorker w = worker();
    w.autoAnswer = true;
    node.autoGrant = w; // a lease returned idle (a stall of 200 ms on a loaded machine) comes back
    ObjectRef<Object> first = submit(1, 3).get(0);
    await().atMost(Duration.ofSeconds(10)).until(() -> node.requests.size() == 1);
    node.grant(0, w);
    assertThat(cw.get(first, Duration.ofSeconds(10))).isEqualTo(1);
    for (int i = 0; i < 3000; i++) {
      assertThat(cw.get(submit(i, 3).get(0), Duration.ofSeconds(10))).isEqualTo(i * i);
    }
    assertThat(node.whileHeld.get()).as("lease requests while a lease was held").isZero();
    assertThat(w.pushed).hasSize(3001);
  }

  @Test
  void submit_fewTasksAndOneLease_keepsTheRestQueuedForAnotherLease() {
    for (int i = 0; i < 3; i++) {
      submit(i, 3);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> node.requests.size() == 1);
    TestingWorker w1 = worker();
    node.grant(0, w1);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> w1.pushed.size() == 1 && node.requests.size() == 2);
    // a shallow backlog is not piled behind a busy worker: it waits for the second lease
    assertThat(w1.pushed).hasSize(1);
    TestingWorker w2 = worker();
    node.grant(1, w2);
    await().atMost(Duration.ofSeconds(10)).until(() -> w2.pushed.size() == 1);
  }

  @Test
  void submit_deepBacklogOfTasksNotYetTimed_queuesOneBehindTheRunningOne() {
    for (int i = 0; i < 100; i++) {
      submit(i, 3);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> node.requests.size() == 1);
    TestingWorker w = worker();
    node.grant(0, w);
    // how long the tasks take is not known yet: one queued behind the running one at most
    await().atMost(Duration.ofSeconds(10)).until(() -> w.pushed.size() == 2);
    assertThat(w.pushed).hasSize(2);
  }

  @Test
  void pipelineDepth_followsTheShapesTaskTimes() {
    TaskSubmitter.KeyState ks =
        cw.submitter.new KeyState("s", "s", Map.of("CPU", 1.0), 1, null, null);
    TaskSubmitter.Lease l = new TaskSubmitter.Lease(1, "w", null, null, null);
    assertThat(ks.pipelineDepth()).as("nothing timed yet").isEqualTo(2);
    long t0 = 1_000_000_000L;
    // tasks of 100 us, back to back on one lease: short, a deep pipeline hides the round trips
    for (int i = 0; i < 20; i++) {
      ks.finished(l, dispatchedAt(t0 + i * 100_000L), t0 + (i + 1) * 100_000L);
    }
    assertThat(ks.pipelineDepth()).isEqualTo(TaskSubmitter.MAX_IN_FLIGHT);
    // queued behind the one before: timed from that one's reply, not from their own push
    ks.finished(l, dispatchedAt(t0), t0 + 2_200_000L);
    assertThat(ks.taskNanosAvg).isLessThan(TaskSubmitter.SHORT_TASK_NANOS);
    // a run of 50 ms tasks: none queued behind a busy lease
    long at = t0 + 2_200_000L;
    for (int i = 0; i < 20; i++) {
      ks.finished(l, dispatchedAt(at), at + 50_000_000L);
      at += 50_000_000L;
    }
    assertThat(ks.pipelineDepth()).isEqualTo(1);
    // 5 ms tasks: one queued, enough to hide the round trip
    for (int i = 0; i < 30; i++) {
      ks.finished(l, dispatchedAt(at), at + 5_000_000L);
      at += 5_000_000L;
    }
    assertThat(ks.pipelineDepth()).isEqualTo(2);
  }

  private static TaskSubmitter.PendingTask dispatchedAt(long nanos) {
    TaskSubmitter.PendingTask t =
        new TaskSubmitter.PendingTask(
            null, new TaskOptions(null, 1.0, 0, 0, Map.of(), 0, false), new Object[0]);
    t.dispatchedNanos = nanos;
    return t;
  }

  @Test
  void submit_deepBacklogOfLongTasks_neverQueuesBehindABusyLease() throws Exception {
    java.util.concurrent.atomic.AtomicLong skipped = new java.util.concurrent.atomic.AtomicLong();
    cw.submitter.taskClock = () -> System.nanoTime() + skipped.get();
    for (int i = 0; i < 20; i++) {
      submit(i, 3);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> node.requests.size() == 1);
    TestingWorker w1 = worker();
    node.grant(0, w1);
    await().atMost(Duration.ofSeconds(10)).until(() -> w1.pushed.size() == 2);
    // the first task takes longer than TaskSubmitter.LONG_TASK_NANOS (by the submitter's clock)
    skipped.addAndGet(TaskSubmitter.LONG_TASK_NANOS * 2);
    w1.answer(0);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> cw.submitter.keyStates().iterator().next().pipelineDepth() == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> node.requests.size() == 2);
    TestingWorker w2 = worker();
    node.grant(1, w2);
    await().atMost(Duration.ofSeconds(10)).until(() -> w2.pushed.size() == 1);
    // long tasks: each lease runs one, the rest wait at the owner for whichever frees first
    // (piled behind the first lease granted, they would leave the later ones idle at the end)
    w1.answer(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> w1.pushed.size() == 3);
    assertThat(w2.pushed).hasSize(1);
    w2.answer(0);
    await().atMost(Duration.ofSeconds(10)).until(() -> w2.pushed.size() == 2);
    assertThat(w1.pushed).hasSize(3);
  }

  @Test
  void workerDies_taskIsRetriedOnANewLeaseThenFailsWhenRetriesAreUsedUp() {
    ObjectRef<Object> r = submit(3, 1).get(0);
    await().atMost(Duration.ofSeconds(10)).until(() -> node.requests.size() == 1);
    TestingWorker w1 = worker();
    node.grant(0, w1);
    await().atMost(Duration.ofSeconds(10)).until(() -> w1.pushed.size() == 1);
    w1.crash();
    await().atMost(Duration.ofSeconds(10)).until(() -> node.requests.size() == 2);
    TestingWorker w2 = worker();
    node.grant(1, w2);
    await().atMost(Duration.ofSeconds(10)).until(() -> w2.pushed.size() == 1);
    assertThat(w2.pushed.get(0).spec().attempt()).isEqualTo(1);
    w2.crash();
    assertThatThrownBy(() -> cw.get(r, Duration.ofSeconds(10)))
        .isInstanceOf(WorkerCrashedException.class)
        .hasMessageContaining("attempt 2 of 2");
  }

  @Test
  void nodeRefusesTheDemand_tasksFailWithTheNodesReason() {
    ObjectRef<Object> r = submit(3, 3).get(0);
    await().atMost(Duration.ofSeconds(10)).until(() -> node.requests.size() == 1);
    TestingNode.Pending p = node.requests.get(0);
    p.conn().replyFailure(p.reqId(), "the demand {CPU=1.0} can never be met");
    assertThatThrownBy(() -> cw.get(r, Duration.ofSeconds(10)))
        .hasMessageContaining("can never be met");
  }
}
