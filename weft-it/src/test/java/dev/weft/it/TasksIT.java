package dev.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.GetTimeoutException;
import dev.weft.ObjectRef;
import dev.weft.SerializationException;
import dev.weft.TaskFailedException;
import dev.weft.WaitResult;
import dev.weft.Weft;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tasks, objects and errors on a real embedded cluster (control store, node manager, worker JVMs).
 */
@ExtendWith(ClusterSupport.Logs.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TasksIT {
  @BeforeAll
  static void start() {
    ClusterSupport.start(TasksIT.class, 2);
  }

  @AfterAll
  static void stop() {
    Weft.shutdown();
  }

  // ---- remote functions -------------------------------------------------------------------

  public static int zero() {
    return 42;
  }

  public static int square(int x) {
    return x * x;
  }

  public static int add(int a, int b) {
    return a + b;
  }

  public static String three(String a, int b, long c) {
    return a + b + c;
  }

  public static long four(long a, long b, long c, long d) {
    return a * 1000 + b * 100 + c * 10 + d;
  }

  public static String five(String a, String b, String c, String d, String e) {
    return a + b + c + d + e;
  }

  public static int six(int a, int b, int c, int d, int e, int f) {
    return a + b + c + d + e + f;
  }

  public static void touch(String path) throws IOException {
    java.nio.file.Files.writeString(java.nio.file.Path.of(path), "touched");
  }

  public static int boom(int x) throws IOException {
    throw new IOException("disk on fire at " + x);
  }

  public static int sumOfRefs(List<ObjectRef<Integer>> refs) {
    int s = 0;
    for (ObjectRef<Integer> r : refs) {
      s += Weft.get(r);
    }
    return s;
  }

  public static ObjectRef<Integer> makeRef(int x) {
    return Weft.put(x * 10);
  }

  public static List<String> split(String s, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(s + i);
    }
    return out;
  }

  public static int sleepy(int millis) throws InterruptedException {
    new CountDownLatch(1).await(millis, TimeUnit.MILLISECONDS);
    return millis;
  }

  public static int fib(int n) {
    if (n < 2) {
      return n;
    }
    ObjectRef<Integer> a = Weft.task(TasksIT::fib, n - 1).remote();
    ObjectRef<Integer> b = Weft.task(TasksIT::fib, n - 2).remote();
    return Weft.get(a) + Weft.get(b);
  }

  public static byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31);
    }
    return b;
  }

  public static long checksum(byte[] b) {
    long s = 0;
    for (byte x : b) {
      s = s * 31 + x;
    }
    return s;
  }

  /** Puts an object (this worker owns it), lends it to a child task and waits for the child. */
  public static int lendToChild(int x) {
    ObjectRef<Integer> mine = Weft.put(x);
    return Weft.get(
        Weft.task(TasksIT::sumOfRefs, List.of(mine, mine)).remote(), Duration.ofSeconds(60));
  }

  public static String threadName() {
    return Thread.currentThread().getName();
  }

  public static String whoAmI() {
    return ProcessHandle.current().pid() + "";
  }

  // ---- tests -------------------------------------------------------------------------------

  @Test
  void shouldRunTasksOfZeroToSixParametersWithValuesAndRefs() {
    assertThat(Weft.get(Weft.task(TasksIT::zero).remote())).isEqualTo(42);
    assertThat(Weft.get(Weft.task(TasksIT::square, 7).remote())).isEqualTo(49);
    ObjectRef<Integer> a = Weft.task(TasksIT::square, 3).remote();
    assertThat(Weft.get(Weft.task(TasksIT::add, a, 4).remote())).isEqualTo(13);
    assertThat(Weft.get(Weft.task(TasksIT::add, 4, a).remote())).isEqualTo(13);
    assertThat(Weft.get(Weft.task(TasksIT::three, Weft.put("x"), 1, 2L).remote())).isEqualTo("x12");
    assertThat(Weft.get(Weft.task(TasksIT::four, 1L, 2L, Weft.put(3L), 4L).remote()))
        .isEqualTo(1234L);
    assertThat(Weft.get(Weft.task(TasksIT::five, "a", "b", "c", "d", Weft.put("e")).remote()))
        .isEqualTo("abcde");
    assertThat(Weft.get(Weft.task(TasksIT::six, 1, 2, 3, 4, 5, a).remote())).isEqualTo(24);
  }

  @Test
  void shouldRunCapturingLambdasAndVoidTasks() throws IOException {
    int offset = 5;
    assertThat(Weft.get(Weft.task((Integer x) -> x + offset, 10).remote())).isEqualTo(15);
    java.nio.file.Path f = java.nio.file.Files.createTempFile("weft-void", ".txt");
    ObjectRef<Void> done = Weft.task(TasksIT::touch, f.toString()).name("touch").remote();
    assertThat(Weft.get(done)).isNull();
    assertThat(java.nio.file.Files.readString(f)).isEqualTo("touched");
  }

  @Test
  void shouldRunTasksInOtherProcesses() {
    String worker = Weft.get(Weft.task(TasksIT::whoAmI).remote());
    assertThat(Long.parseLong(worker)).isNotEqualTo(ProcessHandle.current().pid());
  }

  @Test
  void shouldChainDataflowOfFutures() {
    List<ObjectRef<Integer>> level = new ArrayList<>();
    for (int i = 1; i <= 16; i++) {
      level.add(Weft.task(TasksIT::square, i).remote());
    }
    while (level.size() > 1) {
      List<ObjectRef<Integer>> next = new ArrayList<>();
      for (int i = 0; i < level.size(); i += 2) {
        next.add(Weft.task(TasksIT::add, level.get(i), level.get(i + 1)).remote());
      }
      level = next;
    }
    assertThat(Weft.get(level.get(0)))
        .isEqualTo(IntStream.rangeClosed(1, 16).map(x -> x * x).sum());
  }

  @Test
  void shouldPassNestedRefsByReferenceSoTheCalleeBorrowsThem() {
    List<ObjectRef<Integer>> refs =
        List.of(Weft.put(1), Weft.task(TasksIT::square, 3).remote(), Weft.put(5));
    assertThat(Weft.get(Weft.task(TasksIT::sumOfRefs, refs).remote())).isEqualTo(15);
  }

  @Test
  void shouldReturnRefsOwnedByTheWorkerThatMadeThem() {
    ObjectRef<ObjectRef<Integer>> outer = Weft.task(TasksIT::makeRef, 7).remote();
    ObjectRef<Integer> inner = Weft.get(outer);
    assertThat(inner.ownerAddress()).isNotEqualTo(outer.ownerAddress());
    assertThat(Weft.get(inner)).isEqualTo(70);
  }

  @Test
  void shouldSplitAListResultIntoOneRefPerElement() {
    List<ObjectRef<String>> parts = Weft.task(TasksIT::split, "p", 4).remoteEach(4);
    assertThat(parts).hasSize(4);
    assertThat(Weft.get(parts)).containsExactly("p0", "p1", "p2", "p3");
    assertThat(Weft.get(parts.get(2))).isEqualTo("p2");
  }

  @Test
  void shouldFailEveryRefWhenTheListHasTheWrongSize() {
    List<ObjectRef<String>> parts = Weft.task(TasksIT::split, "p", 3).remoteEach(4);
    assertThatThrownBy(() -> Weft.get(parts.get(0)))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("remoteEach(4)")
        .hasMessageContaining("List of 3");
  }

  @Test
  void shouldPutAndGetObjectsIncludingLargeOnes() {
    double[] big = new double[2_000_000];
    Arrays.setAll(big, i -> i * 0.5);
    ObjectRef<double[]> r = Weft.put(big);
    big[0] = -1; // objects are immutable once put
    double[] back = Weft.get(r);
    assertThat(back).hasSize(2_000_000);
    assertThat(back[0]).isZero();
    assertThat(back[1_999_999]).isEqualTo(999_999.5);
    ObjectRef<byte[]> made = Weft.task(TasksIT::bytes, 20_000_000).remote();
    assertThat(Weft.get(Weft.task(TasksIT::checksum, made).remote()))
        .isEqualTo(checksum(bytes(20_000_000)));
  }

  @Test
  void shouldGetListsWaitAndConvertToFutures() throws Exception {
    List<ObjectRef<Integer>> refs = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      refs.add(Weft.task(TasksIT::square, i).remote());
    }
    assertThat(Weft.get(refs)).isEqualTo(IntStream.range(0, 50).map(i -> i * i).boxed().toList());
    assertThat(refs.get(7).toFuture().get(30, TimeUnit.SECONDS)).isEqualTo(49);

    ObjectRef<Integer> slow = Weft.task(TasksIT::sleepy, 60_000).remote();
    ObjectRef<Integer> fast = Weft.put(1);
    WaitResult<Integer> w = Weft.wait(List.of(slow, fast), 1, Duration.ofSeconds(30));
    assertThat(w.ready()).containsExactly(fast);
    assertThat(w.unready()).containsExactly(slow);
    WaitResult<Integer> none = Weft.wait(List.of(slow), 1, Duration.ofMillis(200));
    assertThat(none.ready()).isEmpty();
    assertThatThrownBy(() -> Weft.get(slow, Duration.ofMillis(300)))
        .isInstanceOf(GetTimeoutException.class)
        .hasMessageContaining("timed out after 300 ms");
  }

  @Test
  void shouldReportUserExceptionsWithCauseAndRemoteTrace() {
    ObjectRef<Integer> r = Weft.task(TasksIT::boom, 3).remote();
    assertThatThrownBy(() -> Weft.get(r))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("TasksIT.boom")
        .hasMessageContaining("disk on fire at 3")
        .hasMessageContaining("worker")
        .cause()
        .isInstanceOf(IOException.class)
        .hasMessage("disk on fire at 3")
        .satisfies(c -> assertThat(c.getStackTrace()[0].getMethodName()).isEqualTo("boom"));
    // the failure flows into tasks that depend on it
    ObjectRef<Integer> downstream = Weft.task(TasksIT::add, r, 1).remote();
    assertThatThrownBy(() -> Weft.get(downstream))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("argument 0 of TasksIT.add");
  }

  @Test
  void shouldRetryUserExceptionsOnlyWhenAskedAndStillFailAfterRetries() {
    ObjectRef<Integer> r = Weft.task(TasksIT::boom, 9).retryExceptions(true).maxRetries(2).remote();
    assertThatThrownBy(() -> Weft.get(r))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("attempt 3");
  }

  /** A value Fory refuses to serialize. */
  public static final class Unserializable {
    final Thread thread = new Thread(() -> {});
  }

  @Test
  void shouldNameTheClassThatCannotBeSerialized() {
    assertThatThrownBy(() -> Weft.put(new Unserializable()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining(Unserializable.class.getName());
  }

  @Test
  void shouldKeepDemandsNoNodeCanMeetWaitingRatherThanRefused() {
    // a node that fits may join later (SchedulingIT runs one that does); until then it waits
    ObjectRef<Integer> r = Weft.task(TasksIT::square, 2).cpus(64).remote();
    assertThatThrownBy(() -> Weft.get(r, Duration.ofMillis(500)))
        .isInstanceOf(GetTimeoutException.class);
    r.release();
  }

  @Test
  void shouldRunFractionalCpuTasksSideBySide() {
    List<ObjectRef<Integer>> refs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      refs.add(Weft.task(TasksIT::square, i).cpus(0.5).remote());
    }
    assertThat(Weft.get(refs)).containsExactly(0, 1, 4, 9, 16, 25, 36, 49);
  }

  @Test
  void shouldServeAWorkersObjectsWhileItsTaskThreadWaits() {
    // the child borrows the parent's object from the parent's worker, whose task thread is blocked
    // in get
    assertThat(Weft.get(Weft.task(TasksIT::lendToChild, 21).remote(), Duration.ofSeconds(60)))
        .isEqualTo(42);
  }

  @Test
  void shouldRunNormalTasksOnTheWorkersTaskLoop() {
    // leased tasks arrive on the worker's task port and run on the thread that read them
    assertThat(Weft.get(Weft.task(TasksIT::threadName).remote(), Duration.ofSeconds(60)))
        .startsWith("weft-task");
  }

  @Test
  void shouldFinishARecursiveTreeOfBlockingTasksOnTwoCpus() {
    // every task waits on its children: without CPU release on get this deadlocks on 2 CPUs
    assertThat(Weft.get(Weft.task(TasksIT::fib, 7).remote(), Duration.ofSeconds(90))).isEqualTo(13);
  }
}
