package dev.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weft.ActorDiedException;
import dev.weft.ActorHandle;
import dev.weft.ObjectRef;
import dev.weft.Weft;
import dev.weft.WeftConfig;
import dev.weft.WeftException;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import dev.weft.internal.rpc.Rpc;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bugs a first user hits in the one-node core (issue 8), each provoked on a real cluster. Each
 * test starts its own cluster: several of them break it on purpose.
 */
@ExtendWith(ClusterSupport.Logs.class)
@Timeout(value = 150, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CoreHardeningIT {
  /** Tagged tests share one cluster (they only make actors and objects of their own). */
  @RegisterExtension
  static final SharedCluster CLUSTER =
      new SharedCluster(() -> start(WeftConfig.builder().numCpus(2)));

  private static Path start(WeftConfig.Builder config) {
    return ClusterSupport.start(CoreHardeningIT.class, config);
  }

  // ---- functions and actors the tests run ----------------------------------------------------

  public static int length(byte[] b) {
    return b.length;
  }

  /** Recursive Fibonacci where every call is a task that blocks in get on its two children. */
  public static long fib(int n) {
    if (n < 2) {
      return n;
    }
    ObjectRef<Long> a = Weft.task(CoreHardeningIT::fib, n - 1).remote();
    ObjectRef<Long> b = Weft.task(CoreHardeningIT::fib, n - 2).remote();
    return Weft.get(a) + Weft.get(b);
  }

  /** A task that is still running when the test breaks the cluster (it ends with its worker). */
  public static int sleepFor(long millis) throws InterruptedException {
    new CountDownLatch(1).await(millis, TimeUnit.MILLISECONDS); // nothing opens it
    return 1;
  }

  /** An actor whose {@code await} blocks until {@code open} is called: a cluster-wide latch. */
  public static class Gate {
    private final CountDownLatch open = new CountDownLatch(1);
    private final java.util.concurrent.atomic.AtomicInteger waiting =
        new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger arrived =
        new java.util.concurrent.atomic.AtomicInteger();

    public Gate() {}

    /** Calls in {@link #await} now. */
    public int waiting() {
      return waiting.get();
    }

    /** Counts a caller that got here; returns the count. */
    public int arrive() {
      return arrived.incrementAndGet();
    }

    public int arrived() {
      return arrived.get();
    }

    public int await(int value) throws InterruptedException {
      waiting.incrementAndGet();
      if (!open.await(120, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the gate was never opened");
      }
      return value;
    }

    public boolean open() {
      open.countDown();
      return true;
    }
  }

  public static class Holder {
    private final int value;

    public Holder(int value) {
      this.value = value;
    }

    public int get() {
      return value;
    }
  }

  private static ActorHandle<Gate> gate() {
    return Weft.actor(Gate::new).maxConcurrency(16).remote();
  }

  // ---- item 0: a task that arrives before its worker mapped the store -------------------------

  @Test
  void shouldRunATaskThatArrivesBeforeItsWorkerMappedTheStore() {
    // The worker is slow to map its node's store (fault injection); the node leases it as soon as
    // it registered, so the first task reaches it inside that window.
    start(
        WeftConfig.builder()
            .numCpus(1)
            .prestartWorkers(0)
            .workerJvmOptions(List.of("-Dweft.test.workerSetUpDelayMillis=1500")));
    ObjectRef<byte[]> big = Weft.put(new byte[1 << 20]); // in the store: read there by the worker
    assertThat(Weft.get(Weft.task(CoreHardeningIT::length, big).remote())).isEqualTo(1 << 20);
  }

  // ---- item 1: deep blocking recursion -------------------------------------------------------

  @Test
  void shouldFinishADeepRecursionOfBlockingTasksOnTwoCpusWithFewWorkers() throws IOException {
    Path logs = start(WeftConfig.builder().numCpus(2));
    // fib(12): 465 tasks, dozens of them blocked in get at once, on 2 CPUs
    assertThat(Weft.get(Weft.task(CoreHardeningIT::fib, 12).remote())).isEqualTo(144L);
    // later work of the same driver is not stuck behind it
    assertThat(Weft.get(Weft.task(CoreHardeningIT::fib, 5).remote())).isEqualTo(5L);
    try (Stream<Path> files = Files.list(logs)) {
      long workers = files.filter(f -> f.getFileName().toString().startsWith("worker-")).count();
      assertThat(workers)
          .as("worker JVMs started for the recursion (blocked tasks share workers)")
          .isLessThanOrEqualTo(6);
    }
  }

  // ---- item 5: losing the node manager fails pending work; losing the control store does not ----

  private static ProcessHandle child(String mainClass) {
    // read /proc: ProcessHandle.Info cuts long command lines (the class path comes first)
    return ProcessHandle.current()
        .children()
        .filter(
            p -> {
              try {
                return Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline"))
                    .contains(mainClass);
              } catch (IOException e) {
                return false;
              }
            })
        .findFirst()
        .orElseThrow(() -> new AssertionError("no child process runs " + mainClass));
  }

  @Test
  void shouldFailPendingTasksWhenTheNodeManagerDies() {
    start(WeftConfig.builder().numCpus(1));
    ObjectRef<Integer> running = Weft.task(CoreHardeningIT::sleepFor, 60_000L).remote();
    List<ObjectRef<Integer>> queued = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      queued.add(Weft.task(CoreHardeningIT::sleepFor, 1L).remote());
    }
    child("dev.weft.internal.node.NodeMain").destroyForcibly();
    // no timeout on these gets: they must fail by themselves
    assertThatThrownBy(() -> Weft.get(running)).isInstanceOf(WeftException.class);
    for (ObjectRef<Integer> q : queued) {
      assertThatThrownBy(() -> Weft.get(q)).isInstanceOf(WeftException.class);
    }
    // and work submitted afterwards fails at once too
    assertThatThrownBy(() -> Weft.get(Weft.task(CoreHardeningIT::sleepFor, 1L).remote()))
        .isInstanceOf(WeftException.class)
        .hasMessageContaining("node manager");
  }

  @Test
  void shouldCarryOnWhenTheEmbeddedControlStoreDies() {
    // issue 11, item 6: the embedded cluster's node manager starts its control store again, which
    // recovers from its file log; before, the node (and the actor) went with it
    start(WeftConfig.builder().numCpus(2));
    ActorHandle<Holder> h = Weft.actor(Holder::new, 3).remote();
    assertThat(Weft.get(h.task(Holder::get).remote())).isEqualTo(3);
    ProcessHandle first = child("dev.weft.internal.control.ControlMain");
    first.destroyForcibly();
    // no timeout on these gets: they must not hang
    assertThat(Weft.get(h.task(Holder::get).remote())).as("the actor lives on").isEqualTo(3);
    ActorHandle<Holder> later = Weft.actor(Holder::new, 4).remote();
    assertThat(Weft.get(later.task(Holder::get).remote()))
        .as("an actor created while it restarts")
        .isEqualTo(4);
    assertThat(
            ProcessHandle.current()
                .descendants()
                .filter(p -> p.pid() != first.pid() && runs(p, "ControlMain"))
                .count())
        .as("a new control store, the node manager's child")
        .isEqualTo(1);
  }

  private static boolean runs(ProcessHandle p, String mainClass) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline"))
          .contains(mainClass);
    } catch (IOException e) {
      return false; // gone meanwhile
    }
  }

  // ---- item 7: futures complete off the event loops -----------------------------------------

  @Test
  @Tag(SharedCluster.TAG)
  @Order(1)
  void shouldCompleteFuturesOnAWeftThreadWhereCallbacksMayBlock() {
    ActorHandle<Gate> gate = gate();
    ObjectRef<byte[]> big = Weft.put(new byte[1 << 20]);
    List<CompletableFuture<String>> done = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      done.add(
          gate.task(Gate::await, i)
              .remote()
              .toFuture()
              .thenApply(
                  v ->
                      // a callback that blocks in Weft.get: fine on a Weft thread, a stall on a
                      // loop
                      Thread.currentThread().isVirtual() + ":" + Weft.get(big).length));
    }
    assertThat(done).noneMatch(CompletableFuture::isDone);
    Weft.get(gate.task(Gate::open).remote());
    for (CompletableFuture<String> f : done) {
      assertThat(f.orTimeout(60, TimeUnit.SECONDS).join()).isEqualTo("true:" + (1 << 20));
    }
  }

  // ---- item 8: refs captured by a lambda ------------------------------------------------------

  private static ObjectRef<Integer> submitCapturing(ActorHandle<Gate> gate) {
    ObjectRef<byte[]> big = Weft.put(new byte[1 << 20]); // only the lambda refers to it
    return Weft.task(
            () -> {
              Weft.get(gate.task(Gate::await, 0).remote());
              return Weft.get(big).length;
            })
        .remote();
  }

  /** Runs full collections until a Cleaner action registered now has run. */
  private static void collectUntilCleanersRan() {
    AtomicBoolean cleaned = new AtomicBoolean();
    Cleaner.create().register(new Object(), () -> cleaned.set(true));
    await("a GC and a Cleaner pass")
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              System.gc();
              return cleaned.get();
            });
  }

  @Test
  @Tag(SharedCluster.TAG)
  @Order(1)
  void shouldKeepAnObjectCapturedByALambdaAliveUntilTheTaskReadIt() {
    ActorHandle<Gate> gate = gate();
    ObjectRef<Integer> r = submitCapturing(gate);
    collectUntilCleanersRan(); // the driver's own ref to the object is gone now
    collectUntilCleanersRan();
    Weft.get(gate.task(Gate::open).remote());
    assertThat(Weft.get(r, Duration.ofSeconds(60))).isEqualTo(1 << 20);
  }

  // ---- item 10: actor creation never blocks ---------------------------------------------------

  @Test
  @Tag(SharedCluster.TAG)
  @Order(1)
  void shouldReturnFromActorCreationAtOnceWhileItsRefArgumentIsPending() {
    ActorHandle<Gate> gate = gate();
    ObjectRef<Integer> seven = gate.task(Gate::await, 7).remote();
    ActorHandle<Holder> h = Weft.actor(Holder::new, seven).remote(); // must not wait for `seven`
    assertThat(Weft.wait(List.of(seven), 1, Duration.ZERO).ready())
        .as("the constructor's argument is still pending after remote() returned")
        .isEmpty();
    ObjectRef<Integer> got = h.task(Holder::get).remote(); // queued until the actor is up
    Weft.get(gate.task(Gate::open).remote());
    assertThat(Weft.get(got, Duration.ofSeconds(60))).isEqualTo(7);
  }

  @Test
  @Tag(SharedCluster.TAG)
  @Order(1)
  void shouldFailCallsOfAnActorWhoseCreationFailed() {
    ActorHandle<Holder> first = Weft.actor(Holder::new, 1).name("twin").remote();
    ActorHandle<Holder> second = Weft.actor(Holder::new, 2).name("twin").remote();
    assertThat(Weft.get(first.task(Holder::get).remote())).isEqualTo(1);
    assertThatThrownBy(() -> Weft.get(second.task(Holder::get).remote()))
        .isInstanceOf(ActorDiedException.class)
        .hasMessageContaining("twin");
    assertThat(Weft.getActor("twin")).isPresent();
  }

  // ---- item 11: actors created inside tasks belong to the job ---------------------------------

  /** Creates a named actor and hands its handle back: the caller's job keeps it alive. */
  public static ActorHandle<Holder> createNamed(String name) {
    ActorHandle<Holder> h = Weft.actor(Holder::new, 5).name(name).remote();
    if (Weft.getActor(name).isEmpty()) {
      throw new IllegalStateException("actor " + name + " not found by name right after creation");
    }
    return h;
  }

  @Test
  void shouldEndAnActorCreatedInATaskWithTheJobThatCreatedIt() throws Exception {
    start(WeftConfig.builder().numCpus(2));
    DriverProgram.Launched other =
        DriverProgram.launchOnThisCluster("nested-actor", "inner-of-job-2");
    other.awaitLine("RESULT created", Duration.ofSeconds(90));
    assertThat(Weft.getActor("inner-of-job-2")).as("alive while its job runs").isPresent();
    other.process.destroy(); // the other driver goes, and its job ends
    await("the actor of the ended job is gone")
        .atMost(Duration.ofSeconds(60))
        .until(() -> Weft.getActor("inner-of-job-2").isEmpty());
  }

  // ---- item 12: large plain arguments go through the store ------------------------------------

  /** The argument's size, and how many objects the node's store holds while the task runs. */
  public static String probe(Object arg) {
    long size = arg instanceof byte[] b ? b.length : arg instanceof List<?> l ? l.size() : -1;
    return size
        + " bytes/items, store objects "
        + dev.weft.internal.core.CoreWorker.storeStats().get("objects");
  }

  @Test
  void shouldPassLargePlainArgumentsThroughTheStore() {
    start(WeftConfig.builder().numCpus(2));
    byte[] big = new byte[8 << 20];
    List<ObjectRef<String>> rs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      rs.add(Weft.task(CoreHardeningIT::probe, (Object) big).remote());
    }
    for (ObjectRef<String> r : rs) {
      // the argument is in the store while the task runs (inline it would not be)
      assertThat(Weft.get(r))
          .startsWith((8 << 20) + " bytes/items, store objects ")
          .doesNotEndWith("objects 0");
    }
    List<String> words = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      words.add("word-" + i);
    }
    assertThat(Weft.get(Weft.task(CoreHardeningIT::probe, (Object) words).remote()))
        .startsWith("20000 bytes/items, store objects ")
        .doesNotEndWith("objects 0");
  }

  // ---- item 9: actors and their references ---------------------------------------------------

  public static class Sized {
    private final int n;

    public Sized(byte[] b) {
      n = b.length;
    }

    public int n() {
      return n;
    }

    public int crash() {
      Runtime.getRuntime().halt(1); // the actor's process dies; it is restarted
      return 0;
    }
  }

  private static ActorHandle<Sized> sizedActorOfAPutNobodyElseHolds() {
    ObjectRef<byte[]> arg = Weft.put(new byte[1 << 20]);
    return Weft.actor(Sized::new, arg).maxRestarts(1).dedicatedProcess().remote();
  }

  @Test
  void shouldKeepAnActorsConstructorArgumentsForItsRestarts() {
    start(WeftConfig.builder().numCpus(2));
    ActorHandle<Sized> h = sizedActorOfAPutNobodyElseHolds();
    assertThat(Weft.get(h.task(Sized::n).remote())).isEqualTo(1 << 20);
    collectUntilCleanersRan(); // the driver's ref to the argument is gone
    collectUntilCleanersRan();
    assertThatThrownBy(() -> Weft.get(h.task(Sized::crash).remote()))
        .isInstanceOf(ActorDiedException.class);
    // the restart runs the constructor again, on the same argument
    await("the restarted actor answers")
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptionsInstanceOf(ActorDiedException.class)
        .until(() -> Weft.get(h.task(Sized::n).remote(), Duration.ofSeconds(30)) == 1 << 20);
  }

  public static class Keeper {
    private ActorHandle<Holder> kept;

    public Keeper() {}

    public boolean keep(ActorHandle<Holder> h) {
      kept = h;
      return true;
    }

    public int askKept() {
      return Weft.get(kept.task(Holder::get).remote());
    }
  }

  private static void createAndDrop(String name, ActorHandle<Keeper> keeper) {
    ActorHandle<Holder> h = Weft.actor(Holder::new, 9).name(name).remote();
    assertThat(Weft.get(h.task(Holder::get).remote())).isEqualTo(9);
    if (keeper != null) {
      assertThat(Weft.get(keeper.task(Keeper::keep, h).remote())).isTrue();
    }
  }

  private static boolean goneAfterGc(String name) {
    collectUntilCleanersRan(); // handles found by an earlier look are dropped too
    return Weft.getActor(name).isEmpty();
  }

  @Test
  void shouldKillANonDetachedActorOnceTheLastHandleAnywhereIsGone() {
    start(WeftConfig.builder().numCpus(2));
    // a handle held by another process (an actor) keeps it alive
    ActorHandle<Keeper> keeper = Weft.actor(Keeper::new).remote();
    createAndDrop("kept", keeper);
    collectUntilCleanersRan();
    collectUntilCleanersRan();
    assertThat(Weft.get(keeper.task(Keeper::askKept).remote())).isEqualTo(9);
    // with no handle anywhere it is killed
    createAndDrop("dropped", null);
    await("the actor whose handles are all gone is dead")
        .atMost(Duration.ofSeconds(60))
        .until(() -> goneAfterGc("dropped"));
    // a detached one is not
    ActorHandle<Holder> d = Weft.actor(Holder::new, 1).name("detached-one").detached().remote();
    assertThat(Weft.get(d.task(Holder::get).remote())).isEqualTo(1);
    d = null;
    collectUntilCleanersRan();
    collectUntilCleanersRan();
    assertThat(Weft.getActor("detached-one")).isPresent();
    Weft.getActor("detached-one").orElseThrow().kill();
  }

  // ---- item 4: refs nested in results of an owner that never registers ------------------------

  public static String whereAmI() {
    return dev.weft.internal.core.CoreWorker.clusterAccess().get("self");
  }

  /** A result holding a ref to an object this worker owns (it pins it until ReleasePins). */
  public static List<ObjectRef<byte[]>> nestedResult() {
    return List.of(Weft.put(new byte[1 << 20]));
  }

  /** How many objects the process at {@code address} owns, after asking it to collect garbage. */
  private static int ownedBy(String address, String token) throws Exception {
    try (var c = new AutoCloseableConnection(address, token)) {
      c.conn().send(new Msg.CollectGarbage(false)); // its own dropped instances go at a GC
      Msg reply = c.conn.call(new Msg.ListObjects(100)).get(30, TimeUnit.SECONDS);
      return ((Msg.ObjectList) reply).total();
    }
  }

  /** A raw protocol client: an owner that takes a result and goes away without ReleasePins. */
  private record AutoCloseableConnection(Connection conn) implements AutoCloseable {
    AutoCloseableConnection(String address, String token) throws IOException {
      this(Rpc.connect(address, token, (c, id, m) -> {}, Duration.ofSeconds(10)));
    }

    @Override
    public void close() {
      conn.close();
    }
  }

  @Test
  void shouldDropTheResultPinsOfAnOwnerThatLeftWithoutRegistering() throws Exception {
    start(WeftConfig.builder().numCpus(2));
    String token = dev.weft.internal.core.CoreWorker.clusterAccess().get("token");
    String worker = Weft.get(Weft.task(CoreHardeningIT::whereAmI).remote(), Duration.ofSeconds(60));
    try (var owner = new AutoCloseableConnection(worker, token)) {
      Msg.TaskSpec spec =
          new Msg.TaskSpec(
              1,
              1,
              "nestedResult",
              "127.0.0.1:1",
              new Msg.FunctionDesc(
                  CoreHardeningIT.class.getName(),
                  "nestedResult",
                  "()Ljava/util/List;",
                  java.lang.invoke.MethodHandleInfo.REF_invokeStatic,
                  null),
              List.of(),
              1,
              100,
              0,
              0,
              0,
              0,
              0,
              0);
      Msg reply = owner.conn().call(new Msg.PushTask(spec, 0, 0)).get(60, TimeUnit.SECONDS);
      assertThat(reply).isInstanceOf(Msg.TaskReply.class);
      assertThat(((Msg.TaskReply) reply).nested()).hasSize(1);
      assertThat(ownedBy(worker, token)).as("pinned for the owner while it may register").isOne();
    } // the owner goes without ReleasePins
    await("the worker drops what it held for an owner that is gone")
        .atMost(Duration.ofSeconds(60))
        .until(() -> ownedBy(worker, token) == 0);
  }

  // ---- item 8: a get of an object its owner no longer knows fails at once ---------------------

  private static byte[] javaSerialize(Object o) throws IOException {
    var bytes = new java.io.ByteArrayOutputStream();
    try (var out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    return bytes.toByteArray();
  }

  /** Reads a ref saved with Java serialization (as a user might keep one in a file) and gets it. */
  public static int getSaved(byte[] saved) throws Exception {
    try (var in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(saved))) {
      @SuppressWarnings("unchecked")
      ObjectRef<byte[]> r = (ObjectRef<byte[]>) in.readObject();
      return Weft.get(r).length;
    }
  }

  private static byte[] savedRefOfAFreedObject() throws IOException {
    ObjectRef<byte[]> r = Weft.put(new byte[1 << 20]);
    byte[] saved = javaSerialize(r);
    dev.weft.ObjectId id = r.id();
    r.release();
    await("the owner freed the object")
        .atMost(Duration.ofSeconds(30))
        .until(() -> !dev.weft.internal.core.CoreWorker.ownsLive(id));
    return saved;
  }

  @Test
  void shouldFailAtOnceToGetAnObjectItsOwnerNoLongerKnows() throws Exception {
    start(WeftConfig.builder().numCpus(2));
    byte[] saved = savedRefOfAFreedObject();
    // at its owner
    assertThatThrownBy(() -> getSaved(saved))
        .isInstanceOf(dev.weft.ObjectLostException.class)
        .hasMessageContaining("no longer");
    // at a borrower: no get without a timeout waits for ever
    assertThatThrownBy(() -> Weft.get(Weft.task(CoreHardeningIT::getSaved, saved).remote()))
        .isInstanceOf(dev.weft.TaskFailedException.class)
        .hasMessageContaining("ObjectLostException");
  }

  // ---- item 14: sync actor calls run on the actor's own port ---------------------------------

  /** Says which thread ran the call: an actor port's loop, or a virtual thread of the mailbox. */
  public static class Where {
    public Where() {}

    public String thread() {
      return Thread.currentThread().isVirtual() ? "mailbox" : "own-port";
    }
  }

  private static String whereRuns(ActorHandle<Where> a) {
    return Weft.get(a.task(Where::thread).remote(), Duration.ofSeconds(60));
  }

  /** Calls {@code a} until a call runs on its own port, for at most {@code within}. */
  private static boolean answersOnItsOwnPort(ActorHandle<Where> a, Duration within) {
    long end = System.nanoTime() + within.toNanos();
    do {
      if (whereRuns(a).equals("own-port")) {
        return true;
      }
    } while (System.nanoTime() < end);
    return false;
  }

  @Test
  void shouldRunTheCallsOfAWorkersFirstSerialActorsOnPortsOfTheirOwn() {
    // ports linger 1 s after their actor stopped (10 s by default), so the test need not wait 10
    start(
        WeftConfig.builder()
            .numCpus(2)
            .workerJvmOptions(List.of("-Dweft.actor.portLingerSeconds=1")));
    // a job's actors share one worker JVM: the first 8 one-call-at-a-time ones get a port each
    List<ActorHandle<Where>> serial = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      serial.add(Weft.actor(Where::new).remote());
    }
    // a caller's first calls go by the worker's port; they move to the actor's own once connected
    List<List<String>> seen = new ArrayList<>();
    await("8 actors answer on ports of their own")
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              seen.add(serial.stream().map(CoreHardeningIT::whereRuns).toList());
              return seen.getLast().stream().filter("own-port"::equals).count() >= 8;
            });
    List<String> where = seen.getLast();
    assertThat(where.stream().filter("own-port"::equals).count())
        .as("actors on a port of their own, of 10: %s", where)
        .isEqualTo(8);
    ActorHandle<Where> concurrent = Weft.actor(Where::new).maxConcurrency(2).remote();
    assertThat(whereRuns(concurrent)).as("an actor with maxConcurrency 2").isEqualTo("mailbox");
    // a port is given back once its actor stopped (1 s later here), and the next actor takes it
    int killed = where.indexOf("own-port");
    serial.get(killed).kill();
    List<ActorHandle<Where>> later = new ArrayList<>();
    await("a new actor gets the port the killed one gave back")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              ActorHandle<Where> a = Weft.actor(Where::new).remote();
              later.add(a);
              return answersOnItsOwnPort(a, Duration.ofSeconds(5));
            });
    for (int i = 0; i < serial.size(); i++) {
      if (i != killed) {
        assertThat(whereRuns(serial.get(i)))
            .as("actor %d still runs where it did", i)
            .isEqualTo(where.get(i));
      }
    }
    assertThatThrownBy(() -> whereRuns(serial.get(killed))).isInstanceOf(ActorDiedException.class);
  }

  /** An actor whose {@code hold} waits on a gate (its loop is busy meanwhile). */
  public static class Busy {
    public Busy() {}

    public int hold(ActorHandle<Gate> gate) {
      return Weft.get(gate.task(Gate::await, 7).remote());
    }

    public String ping() {
      return "pong";
    }

    public String thread() {
      return Thread.currentThread().isVirtual() ? "mailbox" : "own-port";
    }
  }

  /** A caller in another process: says it got here, then calls the actor. */
  public static String pingFromTask(ActorHandle<Busy> b, ActorHandle<Gate> gate) {
    Weft.get(gate.task(Gate::arrive).remote());
    return Weft.get(b.task(Busy::ping).remote(), Duration.ofSeconds(120));
  }

  @Test
  void shouldLetANewCallerReachAnActorWhileItsOwnPortRunsALongCall() {
    // the workers' handshakes (and connects) get 3 s, not 10, so the test waits past them sooner
    start(
        WeftConfig.builder()
            .numCpus(2)
            .workerJvmOptions(List.of("-Dweft.rpc.handshakeTimeoutMillis=3000")));
    ActorHandle<Gate> g = gate(); // maxConcurrency 16: called by its worker's port
    ActorHandle<Busy> b = Weft.actor(Busy::new).remote();
    await("the driver's calls go to the actor's own port")
        .atMost(Duration.ofSeconds(60))
        .until(() -> Weft.get(b.task(Busy::thread).remote()).equals("own-port"));
    ObjectRef<Integer> held = b.task(Busy::hold, g).remote(); // runs on the actor's port loop
    await("the long call is inside")
        .atMost(Duration.ofSeconds(60))
        .until(() -> Weft.get(g.task(Gate::waiting).remote()) == 1);
    ObjectRef<String> fromTask = Weft.task(CoreHardeningIT::pingFromTask, b, g).remote();
    await("the task is about to call the actor")
        .atMost(Duration.ofSeconds(60))
        .until(() -> Weft.get(g.task(Gate::arrived).remote()) == 1);
    // the task's process locates the actor and connects while the port's loop is busy: for longer
    // than a connection's handshake may take (3 s here); it must not take the actor for unreachable
    await("longer than a handshake's time limit")
        .pollDelay(Duration.ofSeconds(5))
        .atMost(Duration.ofSeconds(6))
        .until(() -> true);
    Weft.get(g.task(Gate::open).remote());
    assertThat(Weft.get(held, Duration.ofSeconds(30))).isEqualTo(7);
    assertThat(Weft.get(fromTask, Duration.ofSeconds(60)))
        .as("the new caller's call, queued behind the long one")
        .isEqualTo("pong");
  }

  // ---- a task whose worker's runtime goes away under it (a node leaving, or Weft.shutdown()) --

  /**
   * First attempt (no marker yet): shuts Weft down in its worker, as a worker's exit does under a
   * running task, then calls Weft, which is gone. Later attempts: says where it ran.
   */
  public static String shutsItsWorkerDownOnce(String marker) throws IOException {
    Path m = Path.of(marker);
    if (!Files.exists(m)) {
      Files.writeString(m, String.valueOf(ProcessHandle.current().pid()));
      Weft.shutdown();
    }
    return "ran in " + ProcessHandle.current().pid() + " on " + Weft.context().nodeId();
  }

  @Test
  void shouldRetryATaskThatFailedBecauseItsWorkersRuntimeShutDown() throws IOException {
    Path logs = start(WeftConfig.builder().numCpus(2));
    Path marker = logs.resolve("shut-down-once");
    String r =
        Weft.get(
            Weft.task(CoreHardeningIT::shutsItsWorkerDownOnce, marker.toString())
                .maxRetries(2)
                .remote(),
            Duration.ofSeconds(90));
    long first = Long.parseLong(Files.readString(marker));
    assertThat(r)
        .as("the retry ran in another worker")
        .startsWith("ran in ")
        .doesNotContain("ran in " + first + " ");
    await("the worker whose runtime shut down exits")
        .atMost(Duration.ofSeconds(60))
        .until(() -> ProcessHandle.of(first).map(h -> !h.isAlive()).orElse(true));
  }
}
