package dev.weft.internal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weft.ObjectLostException;
import dev.weft.ObjectRef;
import dev.weft.TaskOptions;
import dev.weft.function.Fn1;
import dev.weft.internal.core.TaskSubmitterTest.TestingNode;
import dev.weft.internal.core.TaskSubmitterTest.TestingWorker;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Rpc;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Lineage} in an owner, against the narrow fakes of {@link TaskSubmitterTest} (a node
 * manager that grants leases when told, workers that answer when told) over real loopback
 * connections: what is recorded, the bound on its bytes, and what a lost object does with and
 * without lineage.
 */
class LineageTest {
  private static final Duration T = Duration.ofSeconds(10);
  private static final long MAX = 4000;
  private static final Msg.ObjectLocation N1 = new Msg.ObjectLocation("n1", "127.0.0.1:1");
  private static final Msg.ObjectLocation N2 = new Msg.ObjectLocation("n2", "127.0.0.1:2");

  static int square(int x) {
    return x * x;
  }

  TestingNode node;
  Rpc.Server nodeServer;
  CoreWorker cw;
  TestingWorker worker;

  @BeforeEach
  void setUp() throws Exception {
    System.setProperty("weft.lineage.maxBytes", Long.toString(MAX));
    try {
      node = new TestingNode();
      nodeServer = Rpc.listen("127.0.0.1", 0, TaskSubmitterTest.TOKEN, node);
      cw = new CoreWorker("127.0.0.1", TaskSubmitterTest.TOKEN);
    } finally {
      System.clearProperty("weft.lineage.maxBytes");
    }
    cw.jobId = 1;
    cw.node =
        Rpc.connect(
            "127.0.0.1:" + nodeServer.port(), TaskSubmitterTest.TOKEN, cw, Duration.ofSeconds(5));
    worker = new TestingWorker();
  }

  @AfterEach
  void tearDown() {
    cw.shutdown();
    nodeServer.close();
    worker.server.close();
  }

  private ObjectRef<Object> submit(int arg, int maxRetries) {
    Fn1<Integer, Integer> f = LineageTest::square;
    TaskOptions o = new TaskOptions(null, 1.0, 0, 0, Map.of(), maxRetries, false);
    return cw.submitter
        .submit(
            FunctionDescriptor.describe(f, new ArrayList<>()), new Object[] {arg}, o, 0, List.of())
        .get(0);
  }

  /** Answers pushed task {@code i}: its result stays in the store of node {@code at}. */
  private void answerStored(int i, Msg.ObjectLocation at) {
    TestingWorker.Pushed p = worker.pushed.get(i);
    List<byte[]> returns = new ArrayList<>();
    returns.add(null);
    p.conn()
        .reply(
            p.reqId(),
            new Msg.TaskReply(
                p.spec().taskHi(),
                p.spec().taskLo(),
                Msg.TaskStatus.OK,
                returns,
                null,
                null,
                List.of(),
                at));
  }

  /** Submits {@code n} tasks and answers each with a result stored on node n1. */
  private List<ObjectRef<Object>> storedOnN1(int n, int maxRetries) {
    List<ObjectRef<Object>> refs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      refs.add(submit(i, maxRetries));
    }
    await().atMost(T).until(() -> !node.requests.isEmpty());
    node.grant(0, worker);
    int[] answered = {0};
    await()
        .atMost(T)
        .until(
            () -> {
              while (answered[0] < worker.pushed.size()) {
                answerStored(answered[0]++, N1);
              }
              return answered[0] == n;
            });
    for (ObjectRef<Object> r : refs) {
      assertThat(cw.table.get(r.id()).ready).succeedsWithin(T);
    }
    return refs;
  }

  private OwnershipTable.Entry entry(ObjectRef<?> r) {
    return cw.table.get(r.id());
  }

  @Test
  void storedResults_areRecordedWithinTheBound_theOldestEvicted() {
    List<ObjectRef<Object>> refs = storedOnN1(40, 3);
    assertThat(entry(refs.get(39)).lineage).as("the newest result's record").isNotNull();
    assertThat(cw.lineage.bytes()).isPositive().isLessThanOrEqualTo(MAX);
    assertThat(cw.lineage.describe()).doesNotContain(" 0 evicted");

    cw.table.dropLocationsOn("n1");

    assertThat(cw.lineage.rebuild(entry(refs.get(0)))).as("evicted: not tried").isNull();
    assertThat(OwnershipTable.lostMessage(entry(refs.get(0))))
        .contains("only copy was in the object store of node n1, which died")
        .contains("its lineage was evicted")
        .contains("weft.lineage.maxBytes=" + MAX);
    CompletableFuture<Void> again = cw.lineage.rebuild(entry(refs.get(39)));
    assertThat(again).as("the newest: run again").isNotNull();
    assertThat(cw.lineage.rebuild(entry(refs.get(39)))).as("once").isSameAs(again);
    await().atMost(T).until(() -> worker.pushed.size() == 41 || node.requests.size() > 1);
    if (worker.pushed.size() < 41) {
      node.grant(node.requests.size() - 1, worker); // the first lease went back while idle
      await().atMost(T).until(() -> worker.pushed.size() == 41);
    }
    Msg.TaskSpec rerun = worker.pushed.get(40).spec();
    assertThat(rerun.attempt()).as("the next attempt").isEqualTo(1);
    assertThat(Serde.deserialize(rerun.args().get(0).value(), "arg")).isEqualTo(39);
    answerStored(40, N2);
    assertThat(again).succeedsWithin(T);
    assertThat(entry(refs.get(39)).locations).containsExactly(N2);
    assertThat(OwnershipTable.isLost(entry(refs.get(39)))).isFalse();
  }

  @Test
  void freedResults_giveTheirLineageBack() {
    List<ObjectRef<Object>> refs = storedOnN1(5, 3);
    assertThat(cw.lineage.bytes()).isPositive();
    refs.forEach(ObjectRef::release);
    await().atMost(T).until(() -> cw.lineage.bytes() == 0);
  }

  @Test
  void aLostResultWhoseRetriesAreUsedUp_failsSayingSo() {
    ObjectRef<Object> r = storedOnN1(1, 0).get(0);
    cw.table.dropLocationsOn("n1");
    assertThat(cw.lineage.rebuild(entry(r))).isNull();
    assertThat(OwnershipTable.lostMessage(entry(r)))
        .contains("its retries are used up (maxRetries = 0)");
  }

  @Test
  void lostPutAndActorObjects_failSayingWhyTheyCannotBeMadeAgain() {
    for (byte origin : new byte[] {OwnershipTable.ORIGIN_PUT, OwnershipTable.ORIGIN_ACTOR}) {
      dev.weft.ObjectId id = cw.table.idAt(cw.table.reserve(1));
      OwnershipTable.Entry e = cw.table.create(id, origin);
      OwnershipTable.addLocation(e, N1);
      e.ready.complete(new OwnershipTable.Stored(null, null, true));
      cw.table.dropLocationsOn("n1");
      assertThat(OwnershipTable.isLost(e)).isTrue();
      assertThat(cw.lineage.rebuild(e)).isNull();
      String why = OwnershipTable.lostMessage(e);
      assertThat(why).contains("object " + id + " is lost");
      if (origin == OwnershipTable.ORIGIN_PUT) {
        assertThat(why).contains("it was put");
      } else {
        assertThat(why).contains("an actor call is not run again");
      }
      // the reader's view: the owner's get fails with that message
      ObjectRef<Object> ref = cw.refs.newRef(id, e);
      assertThatThrownBy(() -> cw.get(ref, T))
          .isInstanceOf(ObjectLostException.class)
          .hasMessage(why);
    }
  }
}
