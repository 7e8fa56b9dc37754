package dev.weft;

import dev.weft.function.*;
import dev.weft.spi.RuntimeBackend;
import dev.weft.spi.RuntimeFactory;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The Weft facade: everything a program needs. Start with {@link #init()}; then submit tasks with
 * {@code Weft.task(Class::method, args...).remote()}, store objects with {@link #put}, read them
 * with {@link #get}, and create actors with {@code Weft.actor(Class::new, args...).remote()}.
 *
 * <p>Remote functions take 0 to 6 parameters; each argument may be a plain value or an {@link
 * ObjectRef} of the parameter's type (resolved to its value before the function runs).
 */
public final class Weft {
  private static final Object[] NO_ARGS = new Object[0];
  private static final Object LOCK = new Object();
  private static volatile RuntimeBackend backend;
  private static volatile WeftConfig config;
  private static Thread shutdownHook;

  private Weft() {}

  /**
   * Starts an embedded local cluster on this machine, torn down at {@link #shutdown()} or JVM exit;
   * or, when the environment variable {@code WEFT_ADDRESS} is set, connects to that cluster.
   */
  public static WeftRuntime init() {
    String env = System.getenv("WEFT_ADDRESS");
    WeftConfig.Builder b = WeftConfig.builder();
    if (env != null && !env.isBlank()) {
      b.address(env.trim());
    }
    return init(b.build());
  }

  /** Connects this process to the running cluster whose head listens at {@code host:port}. */
  public static WeftRuntime init(String address) {
    return init(WeftConfig.builder().address(address).build());
  }

  public static WeftRuntime init(WeftConfig cfg) {
    Objects.requireNonNull(cfg, "config");
    synchronized (LOCK) {
      if (backend != null) {
        throw new IllegalStateException(
            "Weft is already initialized in this process ("
                + config
                + "): call Weft.shutdown() first");
      }
      RuntimeFactory factory =
          ServiceLoader.load(RuntimeFactory.class, Weft.class.getClassLoader())
              .findFirst()
              .orElseThrow(
                  () ->
                      new WeftException(
                          "no Weft runtime on the classpath: add the jars of the distribution's lib/ folder (weft-core and its dependencies)"));
      backend = factory.start(cfg);
      config = cfg;
      if (shutdownHook == null) {
        shutdownHook = new Thread(Weft::shutdown, "weft-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
      }
      return new WeftRuntime(cfg);
    }
  }

  /** Stops Weft in this process (and the embedded cluster, if it started one). Idempotent. */
  public static void shutdown() {
    RuntimeBackend b;
    synchronized (LOCK) {
      b = backend;
      backend = null;
      config = null;
    }
    if (b != null) {
      b.shutdown();
    }
  }

  public static boolean isInitialized() {
    return backend != null;
  }

  static RuntimeBackend backend() {
    RuntimeBackend b = backend;
    if (b == null) {
      throw new WeftException("Weft is not initialized in this process: call Weft.init() first");
    }
    return b;
  }

  /** Stores {@code value} in the cluster; the caller owns the new object. */
  public static <T> ObjectRef<T> put(T value) {
    return backend().put(value);
  }

  /**
   * Stores {@code value} in the cluster as an object that outlives the process that put it: the
   * control store owns it, not the caller. A {@link #put} object dies with its owner (readers then
   * get {@link OwnerDiedException}); this one stays readable by every holder of a reference after
   * the putting task's worker, actor or driver is gone, and after a restart of the control store.
   * It is freed, like any object, when the last reference to it anywhere is dropped.
   *
   * <p>The cost: each {@code get} asks the control store where the object is, and every process
   * that holds a reference registers with it. Use it for objects handed between jobs, or made by
   * workers that may die before their readers are done. Its copies live in node stores: an object
   * whose every copy was on nodes that died is lost ({@link ObjectLostException}); a put object
   * cannot be made again. The value may not contain object refs.
   */
  public static <T> ObjectRef<T> putDetached(T value) {
    return backend().putDetached(value);
  }

  /**
   * The cluster's key-value table: small values under string keys that outlive every process and a
   * restart of the control store (see {@link KeyValueStore}).
   */
  public static KeyValueStore kv() {
    return backend().kv();
  }

  /** Waits for the object and returns its value; a failed task's error is rethrown here. */
  public static <T> T get(ObjectRef<T> ref) {
    return backend().get(Objects.requireNonNull(ref, "ref"), null);
  }

  /**
   * As {@link #get(ObjectRef)}, giving up with {@link GetTimeoutException} after {@code timeout}.
   */
  public static <T> T get(ObjectRef<T> ref, Duration timeout) {
    return backend()
        .get(Objects.requireNonNull(ref, "ref"), Objects.requireNonNull(timeout, "timeout"));
  }

  /**
   * A read-only view of a binary object ({@code byte[]}, {@code ByteBuffer} or primitive array)
   * without copying it: large objects are read in place in the node's shared-memory store and stay
   * pinned until the view is closed. For libraries that stream large binary data (e.g. a shuffle).
   *
   * <pre>{@code
   * try (ObjectBuffer b = Weft.getBuffer(ref)) {
   *   ByteBuffer bytes = b.buffer();
   *   ...
   * }
   * }</pre>
   *
   * @throws IllegalArgumentException if the object is not binary
   */
  public static ObjectBuffer getBuffer(ObjectRef<?> ref) {
    return backend().getBuffer(Objects.requireNonNull(ref, "ref"), null);
  }

  /**
   * As {@link #getBuffer(ObjectRef)}, giving up with {@link GetTimeoutException} after {@code
   * timeout}.
   */
  public static ObjectBuffer getBuffer(ObjectRef<?> ref, Duration timeout) {
    return backend()
        .getBuffer(Objects.requireNonNull(ref, "ref"), Objects.requireNonNull(timeout, "timeout"));
  }

  /** Values of all refs, in input order. */
  public static <T> List<T> get(List<? extends ObjectRef<T>> refs) {
    return backend().get(Objects.requireNonNull(refs, "refs"), null);
  }

  public static <T> List<T> get(List<? extends ObjectRef<T>> refs, Duration timeout) {
    return backend()
        .get(Objects.requireNonNull(refs, "refs"), Objects.requireNonNull(timeout, "timeout"));
  }

  /**
   * Waits until {@code numReady} of {@code refs} are ready or {@code timeout} passes; returns the
   * ready and unready refs, each in input order.
   */
  public static <T> WaitResult<T> wait(
      List<? extends ObjectRef<T>> refs, int numReady, Duration timeout) {
    Objects.requireNonNull(refs, "refs");
    if (numReady < 0 || numReady > refs.size()) {
      throw new IllegalArgumentException(
          "wait: numReady must be between 0 and the number of refs ("
              + refs.size()
              + "), got "
              + numReady);
    }
    return backend().wait(refs, numReady, Objects.requireNonNull(timeout, "timeout"));
  }

  /** The live actor registered under {@code name}, if any. */
  public static <T> Optional<ActorHandle<T>> getActor(String name) {
    return backend().getActor(Objects.requireNonNull(name, "name"));
  }

  // ---- the cluster ----

  /**
   * Where the calling code runs: its node, job and process. Works in a driver, in a task and in an
   * actor's method.
   */
  public static RuntimeContext context() {
    return backend().context();
  }

  /**
   * Every node of the cluster, dead ones included ({@link NodeInfo#alive()} false), in the order
   * they joined. Read from this process's node's copy of the cluster view, which the control store
   * updates about every 100 ms while anything changes: what it shows of a node is at most a few
   * hundred milliseconds old.
   */
  public static List<NodeInfo> nodes() {
    return backend().nodes();
  }

  /**
   * Reserves {@code bundles} (each a resource map such as {@code Map.of("CPU", 1.0)}) across the
   * cluster, laid out by {@code strategy}. Returns at once; {@link PlacementGroup#waitReady} tells
   * when every bundle is reserved. A group that no set of nodes could ever hold stays pending (and
   * is logged and listed by {@code weft status}) until nodes that can join.
   */
  public static PlacementGroup placementGroup(
      List<Map<String, Double>> bundles, PlacementStrategy strategy) {
    if (bundles == null || bundles.isEmpty()) {
      throw new IllegalArgumentException(
          "placementGroup: give at least one bundle, e.g. List.of(Map.of(\"CPU\", 1.0))");
    }
    if (strategy == null) {
      throw new IllegalArgumentException(
          "placementGroup: give a strategy (PACK, SPREAD, STRICT_PACK or STRICT_SPREAD)");
    }
    for (int i = 0; i < bundles.size(); i++) {
      Map<String, Double> b = bundles.get(i);
      if (b == null || b.isEmpty()) {
        throw new IllegalArgumentException(
            "placementGroup: bundle " + i + " is empty; each bundle needs a resource, e.g. CPU");
      }
      for (Map.Entry<String, Double> e : b.entrySet()) {
        if (e.getValue() == null || !(e.getValue() > 0) || e.getValue().isInfinite()) {
          throw new IllegalArgumentException(
              "placementGroup: bundle "
                  + i
                  + " asks for "
                  + e.getValue()
                  + " of resource "
                  + e.getKey()
                  + "; amounts must be finite and > 0");
        }
      }
    }
    return backend().createPlacementGroup(bundles, strategy);
  }

  /**
   * Gives a placement group's reservations back to its nodes. Tasks and actors scheduled into it
   * keep running; demands still waiting for one of its bundles fail.
   */
  public static void removePlacementGroup(PlacementGroup group) {
    backend().removePlacementGroup(group);
  }

  /** The sum of the totals of the live nodes, per resource (see {@link #nodes()}). */
  public static Map<String, Double> clusterResources() {
    return sumOfAlive(backend().nodes(), NodeInfo::total);
  }

  /**
   * The sum of what the live nodes have available now, per resource, as fresh as {@link #nodes()}.
   * A resource that no live node has free maps to 0.
   */
  public static Map<String, Double> availableResources() {
    List<NodeInfo> nodes = backend().nodes();
    Map<String, Double> out = new TreeMap<>();
    for (String name : sumOfAlive(nodes, NodeInfo::total).keySet()) {
      out.put(name, 0.0);
    }
    out.putAll(sumOfAlive(nodes, NodeInfo::available));
    return Collections.unmodifiableMap(out);
  }

  private static Map<String, Double> sumOfAlive(
      List<NodeInfo> nodes, Function<NodeInfo, Map<String, Double>> which) {
    Map<String, Double> sum = new TreeMap<>();
    for (NodeInfo n : nodes) {
      if (n.alive()) {
        which.apply(n).forEach((k, v) -> sum.merge(k, v, Double::sum));
      }
    }
    return Collections.unmodifiableMap(sum);
  }

  // GENERATED-BEGIN (scripts/gen-api-overloads.py)
  public static <R> TaskCall<R> task(Fn0<R> fn) {
    return new TaskCall<>(fn, NO_ARGS);
  }

  public static TaskCall<Void> task(VoidFn0 fn) {
    return new TaskCall<>(fn, NO_ARGS);
  }

  public static <T> ActorCreator<T> actor(Fn0<T> ctor) {
    return new ActorCreator<>(ctor, NO_ARGS);
  }

  public static <R, A0> TaskCall<R> task(Fn1<A0, R> fn, A0 a0) {
    return new TaskCall<>(fn, new Object[] {a0});
  }

  public static <A0> TaskCall<Void> task(VoidFn1<A0> fn, A0 a0) {
    return new TaskCall<>(fn, new Object[] {a0});
  }

  public static <T, A0> ActorCreator<T> actor(Fn1<A0, T> ctor, A0 a0) {
    return new ActorCreator<>(ctor, new Object[] {a0});
  }

  public static <R, A0> TaskCall<R> task(Fn1<A0, R> fn, ObjectRef<A0> a0) {
    return new TaskCall<>(fn, new Object[] {a0});
  }

  public static <A0> TaskCall<Void> task(VoidFn1<A0> fn, ObjectRef<A0> a0) {
    return new TaskCall<>(fn, new Object[] {a0});
  }

  public static <T, A0> ActorCreator<T> actor(Fn1<A0, T> ctor, ObjectRef<A0> a0) {
    return new ActorCreator<>(ctor, new Object[] {a0});
  }

  public static <R, A0, A1> TaskCall<R> task(Fn2<A0, A1, R> fn, A0 a0, A1 a1) {
    return new TaskCall<>(fn, new Object[] {a0, a1});
  }

  public static <A0, A1> TaskCall<Void> task(VoidFn2<A0, A1> fn, A0 a0, A1 a1) {
    return new TaskCall<>(fn, new Object[] {a0, a1});
  }

  public static <T, A0, A1> ActorCreator<T> actor(Fn2<A0, A1, T> ctor, A0 a0, A1 a1) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1});
  }

  public static <R, A0, A1> TaskCall<R> task(Fn2<A0, A1, R> fn, A0 a0, ObjectRef<A1> a1) {
    return new TaskCall<>(fn, new Object[] {a0, a1});
  }

  public static <A0, A1> TaskCall<Void> task(VoidFn2<A0, A1> fn, A0 a0, ObjectRef<A1> a1) {
    return new TaskCall<>(fn, new Object[] {a0, a1});
  }

  public static <T, A0, A1> ActorCreator<T> actor(Fn2<A0, A1, T> ctor, A0 a0, ObjectRef<A1> a1) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1});
  }

  public static <R, A0, A1> TaskCall<R> task(Fn2<A0, A1, R> fn, ObjectRef<A0> a0, A1 a1) {
    return new TaskCall<>(fn, new Object[] {a0, a1});
  }

  public static <A0, A1> TaskCall<Void> task(VoidFn2<A0, A1> fn, ObjectRef<A0> a0, A1 a1) {
    return new TaskCall<>(fn, new Object[] {a0, a1});
  }

  public static <T, A0, A1> ActorCreator<T> actor(Fn2<A0, A1, T> ctor, ObjectRef<A0> a0, A1 a1) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1});
  }

  public static <R, A0, A1> TaskCall<R> task(
      Fn2<A0, A1, R> fn, ObjectRef<A0> a0, ObjectRef<A1> a1) {
    return new TaskCall<>(fn, new Object[] {a0, a1});
  }

  public static <A0, A1> TaskCall<Void> task(
      VoidFn2<A0, A1> fn, ObjectRef<A0> a0, ObjectRef<A1> a1) {
    return new TaskCall<>(fn, new Object[] {a0, a1});
  }

  public static <T, A0, A1> ActorCreator<T> actor(
      Fn2<A0, A1, T> ctor, ObjectRef<A0> a0, ObjectRef<A1> a1) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1});
  }

  public static <R, A0, A1, A2> TaskCall<R> task(Fn3<A0, A1, A2, R> fn, A0 a0, A1 a1, A2 a2) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2});
  }

  public static <A0, A1, A2> TaskCall<Void> task(VoidFn3<A0, A1, A2> fn, A0 a0, A1 a1, A2 a2) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2});
  }

  public static <T, A0, A1, A2> ActorCreator<T> actor(
      Fn3<A0, A1, A2, T> ctor, A0 a0, A1 a1, A2 a2) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2});
  }

  public static <R, A0, A1, A2> TaskCall<R> task(
      Fn3<A0, A1, A2, R> fn, A0 a0, A1 a1, ObjectRef<A2> a2) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2});
  }

  public static <A0, A1, A2> TaskCall<Void> task(
      VoidFn3<A0, A1, A2> fn, A0 a0, A1 a1, ObjectRef<A2> a2) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2});
  }

  public static <T, A0, A1, A2> ActorCreator<T> actor(
      Fn3<A0, A1, A2, T> ctor, A0 a0, A1 a1, ObjectRef<A2> a2) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2});
  }

  public static <R, A0, A1, A2> TaskCall<R> task(
      Fn3<A0, A1, A2, R> fn, A0 a0, ObjectRef<A1> a1, A2 a2) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2});
  }

  public static <A0, A1, A2> TaskCall<Void> task(
      VoidFn3<A0, A1, A2> fn, A0 a0, ObjectRef<A1> a1, A2 a2) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2});
  }

  public static <T, A0, A1, A2> ActorCreator<T> actor(
      Fn3<A0, A1, A2, T> ctor, A0 a0, ObjectRef<A1> a1, A2 a2) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2});
  }

  public static <R, A0, A1, A2> TaskCall<R> task(
      Fn3<A0, A1, A2, R> fn, A0 a0, ObjectRef<A1> a1, ObjectRef<A2> a2) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2});
  }

  public static <A0, A1, A2> TaskCall<Void> task(
      VoidFn3<A0, A1, A2> fn, A0 a0, ObjectRef<A1> a1, ObjectRef<A2> a2) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2});
  }

  public static <T, A0, A1, A2> ActorCreator<T> actor(
      Fn3<A0, A1, A2, T> ctor, A0 a0, ObjectRef<A1> a1, ObjectRef<A2> a2) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2});
  }

  public static <R, A0, A1, A2> TaskCall<R> task(
      Fn3<A0, A1, A2, R> fn, ObjectRef<A0> a0, A1 a1, A2 a2) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2});
  }

  public static <A0, A1, A2> TaskCall<Void> task(
      VoidFn3<A0, A1, A2> fn, ObjectRef<A0> a0, A1 a1, A2 a2) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2});
  }

  public static <T, A0, A1, A2> ActorCreator<T> actor(
      Fn3<A0, A1, A2, T> ctor, ObjectRef<A0> a0, A1 a1, A2 a2) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2});
  }

  public static <R, A0, A1, A2> TaskCall<R> task(
      Fn3<A0, A1, A2, R> fn, ObjectRef<A0> a0, A1 a1, ObjectRef<A2> a2) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2});
  }

  public static <A0, A1, A2> TaskCall<Void> task(
      VoidFn3<A0, A1, A2> fn, ObjectRef<A0> a0, A1 a1, ObjectRef<A2> a2) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2});
  }

  public static <T, A0, A1, A2> ActorCreator<T> actor(
      Fn3<A0, A1, A2, T> ctor, ObjectRef<A0> a0, A1 a1, ObjectRef<A2> a2) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2});
  }

  public static <R, A0, A1, A2> TaskCall<R> task(
      Fn3<A0, A1, A2, R> fn, ObjectRef<A0> a0, ObjectRef<A1> a1, A2 a2) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2});
  }

  public static <A0, A1, A2> TaskCall<Void> task(
      VoidFn3<A0, A1, A2> fn, ObjectRef<A0> a0, ObjectRef<A1> a1, A2 a2) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2});
  }

  public static <T, A0, A1, A2> ActorCreator<T> actor(
      Fn3<A0, A1, A2, T> ctor, ObjectRef<A0> a0, ObjectRef<A1> a1, A2 a2) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2});
  }

  public static <R, A0, A1, A2> TaskCall<R> task(
      Fn3<A0, A1, A2, R> fn, ObjectRef<A0> a0, ObjectRef<A1> a1, ObjectRef<A2> a2) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2});
  }

  public static <A0, A1, A2> TaskCall<Void> task(
      VoidFn3<A0, A1, A2> fn, ObjectRef<A0> a0, ObjectRef<A1> a1, ObjectRef<A2> a2) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2});
  }

  public static <T, A0, A1, A2> ActorCreator<T> actor(
      Fn3<A0, A1, A2, T> ctor, ObjectRef<A0> a0, ObjectRef<A1> a1, ObjectRef<A2> a2) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2});
  }

  public static <R, A0, A1, A2, A3> TaskCall<R> task(
      Fn4<A0, A1, A2, A3, R> fn, A0 a0, A1 a1, A2 a2, A3 a3) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3});
  }

  public static <A0, A1, A2, A3> TaskCall<Void> task(
      VoidFn4<A0, A1, A2, A3> fn, A0 a0, A1 a1, A2 a2, A3 a3) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3});
  }

  public static <T, A0, A1, A2, A3> ActorCreator<T> actor(
      Fn4<A0, A1, A2, A3, T> ctor, A0 a0, A1 a1, A2 a2, A3 a3) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3});
  }

  public static <R, A0, A1, A2, A3> TaskCall<R> task(
      Fn4<A0, A1, A2, A3, R> fn, A0 a0, A1 a1, A2 a2, ObjectRef<A3> a3) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3});
  }

  public static <A0, A1, A2, A3> TaskCall<Void> task(
      VoidFn4<A0, A1, A2, A3> fn, A0 a0, A1 a1, A2 a2, ObjectRef<A3> a3) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3});
  }

  public static <T, A0, A1, A2, A3> ActorCreator<T> actor(
      Fn4<A0, A1, A2, A3, T> ctor, A0 a0, A1 a1, A2 a2, ObjectRef<A3> a3) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3});
  }

  public static <R, A0, A1, A2, A3> TaskCall<R> task(
      Fn4<A0, A1, A2, A3, R> fn, A0 a0, A1 a1, ObjectRef<A2> a2, A3 a3) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3});
  }

  public static <A0, A1, A2, A3> TaskCall<Void> task(
      VoidFn4<A0, A1, A2, A3> fn, A0 a0, A1 a1, ObjectRef<A2> a2, A3 a3) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3});
  }

  public static <T, A0, A1, A2, A3> ActorCreator<T> actor(
      Fn4<A0, A1, A2, A3, T> ctor, A0 a0, A1 a1, ObjectRef<A2> a2, A3 a3) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3});
  }

  public static <R, A0, A1, A2, A3> TaskCall<R> task(
      Fn4<A0, A1, A2, A3, R> fn, A0 a0, A1 a1, ObjectRef<A2> a2, ObjectRef<A3> a3) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3});
  }

  public static <A0, A1, A2, A3> TaskCall<Void> task(
      VoidFn4<A0, A1, A2, A3> fn, A0 a0, A1 a1, ObjectRef<A2> a2, ObjectRef<A3> a3) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3});
  }

  public static <T, A0, A1, A2, A3> ActorCreator<T> actor(
      Fn4<A0, A1, A2, A3, T> ctor, A0 a0, A1 a1, ObjectRef<A2> a2, ObjectRef<A3> a3) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3});
  }

  public static <R, A0, A1, A2, A3> TaskCall<R> task(
      Fn4<A0, A1, A2, A3, R> fn, A0 a0, ObjectRef<A1> a1, A2 a2, A3 a3) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3});
  }

  public static <A0, A1, A2, A3> TaskCall<Void> task(
      VoidFn4<A0, A1, A2, A3> fn, A0 a0, ObjectRef<A1> a1, A2 a2, A3 a3) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3});
  }

  public static <T, A0, A1, A2, A3> ActorCreator<T> actor(
      Fn4<A0, A1, A2, A3, T> ctor, A0 a0, ObjectRef<A1> a1, A2 a2, A3 a3) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3});
  }

  public static <R, A0, A1, A2, A3> TaskCall<R> task(
      Fn4<A0, A1, A2, A3, R> fn, A0 a0, ObjectRef<A1> a1, A2 a2, ObjectRef<A3> a3) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3});
  }

  public static <A0, A1, A2, A3> TaskCall<Void> task(
      VoidFn4<A0, A1, A2, A3> fn, A0 a0, ObjectRef<A1> a1, A2 a2, ObjectRef<A3> a3) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3});
  }

  public static <T, A0, A1, A2, A3> ActorCreator<T> actor(
      Fn4<A0, A1, A2, A3, T> ctor, A0 a0, ObjectRef<A1> a1, A2 a2, ObjectRef<A3> a3) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3});
  }

  public static <R, A0, A1, A2, A3> TaskCall<R> task(
      Fn4<A0, A1, A2, A3, R> fn, A0 a0, ObjectRef<A1> a1, ObjectRef<A2> a2, A3 a3) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3});
  }

  public static <A0, A1, A2, A3> TaskCall<Void> task(
      VoidFn4<A0, A1, A2, A3> fn, A0 a0, ObjectRef<A1> a1, ObjectRef<A2> a2, A3 a3) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3});
  }

  public static <T, A0, A1, A2, A3> ActorCreator<T> actor(
      Fn4<A0, A1, A2, A3, T> ctor, A0 a0, ObjectRef<A1> a1, ObjectRef<A2> a2, A3 a3) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3});
  }

  public static <R, A0, A1, A2, A3> TaskCall<R> task(
      Fn4<A0, A1, A2, A3, R> fn, A0 a0, ObjectRef<A1> a1, ObjectRef<A2> a2, ObjectRef<A3> a3) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3});
  }

  public static <A0, A1, A2, A3> TaskCall<Void> task(
      VoidFn4<A0, A1, A2, A3> fn, A0 a0, ObjectRef<A1> a1, ObjectRef<A2> a2, ObjectRef<A3> a3) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3});
  }

  public static <T, A0, A1, A2, A3> ActorCreator<T> actor(
      Fn4<A0, A1, A2, A3, T> ctor, A0 a0, ObjectRef<A1> a1, ObjectRef<A2> a2, ObjectRef<A3> a3) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3});
  }

  public static <R, A0, A1, A2, A3> TaskCall<R> task(
      Fn4<A0, A1, A2, A3, R> fn, ObjectRef<A0> a0, A1 a1, A2 a2, A3 a3) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3});
  }

  public static <A0, A1, A2, A3> TaskCall<Void> task(
      VoidFn4<A0, A1, A2, A3> fn, ObjectRef<A0> a0, A1 a1, A2 a2, A3 a3) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3});
  }

  public static <T, A0, A1, A2, A3> ActorCreator<T> actor(
      Fn4<A0, A1, A2, A3, T> ctor, ObjectRef<A0> a0, A1 a1, A2 a2, A3 a3) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3});
  }

  public static <R, A0, A1, A2, A3> TaskCall<R> task(
      Fn4<A0, A1, A2, A3, R> fn, ObjectRef<A0> a0, A1 a1, A2 a2, ObjectRef<A3> a3) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3});
  }

  public static <A0, A1, A2, A3> TaskCall<Void> task(
      VoidFn4<A0, A1, A2, A3> fn, ObjectRef<A0> a0, A1 a1, A2 a2, ObjectRef<A3> a3) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3});
  }

  public static <T, A0, A1, A2, A3> ActorCreator<T> actor(
      Fn4<A0, A1, A2, A3, T> ctor, ObjectRef<A0> a0, A1 a1, A2 a2, ObjectRef<A3> a3) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3});
  }

  public static <R, A0, A1, A2, A3> TaskCall<R> task(
      Fn4<A0, A1, A2, A3, R> fn, ObjectRef<A0> a0, A1 a1, ObjectRef<A2> a2, A3 a3) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3});
  }

  public static <A0, A1, A2, A3> TaskCall<Void> task(
      VoidFn4<A0, A1, A2, A3> fn, ObjectRef<A0> a0, A1 a1, ObjectRef<A2> a2, A3 a3) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3});
  }

  public static <T, A0, A1, A2, A3> ActorCreator<T> actor(
      Fn4<A0, A1, A2, A3, T> ctor, ObjectRef<A0> a0, A1 a1, ObjectRef<A2> a2, A3 a3) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3});
  }

  public static <R, A0, A1, A2, A3> TaskCall<R> task(
      Fn4<A0, A1, A2, A3, R> fn, ObjectRef<A0> a0, A1 a1, ObjectRef<A2> a2, ObjectRef<A3> a3) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3});
  }

  public static <A0, A1, A2, A3> TaskCall<Void> task(
      VoidFn4<A0, A1, A2, A3> fn, ObjectRef<A0> a0, A1 a1, ObjectRef<A2> a2, ObjectRef<A3> a3) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3});
  }

  public static <T, A0, A1, A2, A3> ActorCreator<T> actor(
      Fn4<A0, A1, A2, A3, T> ctor, ObjectRef<A0> a0, A1 a1, ObjectRef<A2> a2, ObjectRef<A3> a3) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3});
  }

  public static <R, A0, A1, A2, A3> TaskCall<R> task(
      Fn4<A0, A1, A2, A3, R> fn, ObjectRef<A0> a0, ObjectRef<A1> a1, A2 a2, A3 a3) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3});
  }

  public static <A0, A1, A2, A3> TaskCall<Void> task(
      VoidFn4<A0, A1, A2, A3> fn, ObjectRef<A0> a0, ObjectRef<A1> a1, A2 a2, A3 a3) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3});
  }

  public static <T, A0, A1, A2, A3> ActorCreator<T> actor(
      Fn4<A0, A1, A2, A3, T> ctor, ObjectRef<A0> a0, ObjectRef<A1> a1, A2 a2, A3 a3) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3});
  }

  public static <R, A0, A1, A2, A3> TaskCall<R> task(
      Fn4<A0, A1, A2, A3, R> fn, ObjectRef<A0> a0, ObjectRef<A1> a1, A2 a2, ObjectRef<A3> a3) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3});
  }

  public static <A0, A1, A2, A3> TaskCall<Void> task(
      VoidFn4<A0, A1, A2, A3> fn, ObjectRef<A0> a0, ObjectRef<A1> a1, A2 a2, ObjectRef<A3> a3) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3});
  }

  public static <T, A0, A1, A2, A3> ActorCreator<T> actor(
      Fn4<A0, A1, A2, A3, T> ctor, ObjectRef<A0> a0, ObjectRef<A1> a1, A2 a2, ObjectRef<A3> a3) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3});
  }

  public static <R, A0, A1, A2, A3> TaskCall<R> task(
      Fn4<A0, A1, A2, A3, R> fn, ObjectRef<A0> a0, ObjectRef<A1> a1, ObjectRef<A2> a2, A3 a3) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3});
  }

  public static <A0, A1, A2, A3> TaskCall<Void> task(
      VoidFn4<A0, A1, A2, A3> fn, ObjectRef<A0> a0, ObjectRef<A1> a1, ObjectRef<A2> a2, A3 a3) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3});
  }

  public static <T, A0, A1, A2, A3> ActorCreator<T> actor(
      Fn4<A0, A1, A2, A3, T> ctor, ObjectRef<A0> a0, ObjectRef<A1> a1, ObjectRef<A2> a2, A3 a3) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3});
  }

  public static <R, A0, A1, A2, A3> TaskCall<R> task(
      Fn4<A0, A1, A2, A3, R> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3});
  }

  public static <A0, A1, A2, A3> TaskCall<Void> task(
      VoidFn4<A0, A1, A2, A3> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3});
  }

  public static <T, A0, A1, A2, A3> ActorCreator<T> actor(
      Fn4<A0, A1, A2, A3, T> ctor,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3});
  }

  public static <R, A0, A1, A2, A3, A4> TaskCall<R> task(
      Fn5<A0, A1, A2, A3, A4, R> fn, A0 a0, A1 a1, A2 a2, A3 a3, A4 a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <A0, A1, A2, A3, A4> TaskCall<Void> task(
      VoidFn5<A0, A1, A2, A3, A4> fn, A0 a0, A1 a1, A2 a2, A3 a3, A4 a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <T, A0, A1, A2, A3, A4> ActorCreator<T> actor(
      Fn5<A0, A1, A2, A3, A4, T> ctor, A0 a0, A1 a1, A2 a2, A3 a3, A4 a4) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <R, A0, A1, A2, A3, A4> TaskCall<R> task(
      Fn5<A0, A1, A2, A3, A4, R> fn, A0 a0, A1 a1, A2 a2, A3 a3, ObjectRef<A4> a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <A0, A1, A2, A3, A4> TaskCall<Void> task(
      VoidFn5<A0, A1, A2, A3, A4> fn, A0 a0, A1 a1, A2 a2, A3 a3, ObjectRef<A4> a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <T, A0, A1, A2, A3, A4> ActorCreator<T> actor(
      Fn5<A0, A1, A2, A3, A4, T> ctor, A0 a0, A1 a1, A2 a2, A3 a3, ObjectRef<A4> a4) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <R, A0, A1, A2, A3, A4> TaskCall<R> task(
      Fn5<A0, A1, A2, A3, A4, R> fn, A0 a0, A1 a1, A2 a2, ObjectRef<A3> a3, A4 a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <A0, A1, A2, A3, A4> TaskCall<Void> task(
      VoidFn5<A0, A1, A2, A3, A4> fn, A0 a0, A1 a1, A2 a2, ObjectRef<A3> a3, A4 a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <T, A0, A1, A2, A3, A4> ActorCreator<T> actor(
      Fn5<A0, A1, A2, A3, A4, T> ctor, A0 a0, A1 a1, A2 a2, ObjectRef<A3> a3, A4 a4) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <R, A0, A1, A2, A3, A4> TaskCall<R> task(
      Fn5<A0, A1, A2, A3, A4, R> fn, A0 a0, A1 a1, A2 a2, ObjectRef<A3> a3, ObjectRef<A4> a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <A0, A1, A2, A3, A4> TaskCall<Void> task(
      VoidFn5<A0, A1, A2, A3, A4> fn, A0 a0, A1 a1, A2 a2, ObjectRef<A3> a3, ObjectRef<A4> a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <T, A0, A1, A2, A3, A4> ActorCreator<T> actor(
      Fn5<A0, A1, A2, A3, A4, T> ctor, A0 a0, A1 a1, A2 a2, ObjectRef<A3> a3, ObjectRef<A4> a4) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <R, A0, A1, A2, A3, A4> TaskCall<R> task(
      Fn5<A0, A1, A2, A3, A4, R> fn, A0 a0, A1 a1, ObjectRef<A2> a2, A3 a3, A4 a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <A0, A1, A2, A3, A4> TaskCall<Void> task(
      VoidFn5<A0, A1, A2, A3, A4> fn, A0 a0, A1 a1, ObjectRef<A2> a2, A3 a3, A4 a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <T, A0, A1, A2, A3, A4> ActorCreator<T> actor(
      Fn5<A0, A1, A2, A3, A4, T> ctor, A0 a0, A1 a1, ObjectRef<A2> a2, A3 a3, A4 a4) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <R, A0, A1, A2, A3, A4> TaskCall<R> task(
      Fn5<A0, A1, A2, A3, A4, R> fn, A0 a0, A1 a1, ObjectRef<A2> a2, A3 a3, ObjectRef<A4> a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <A0, A1, A2, A3, A4> TaskCall<Void> task(
      VoidFn5<A0, A1, A2, A3, A4> fn, A0 a0, A1 a1, ObjectRef<A2> a2, A3 a3, ObjectRef<A4> a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <T, A0, A1, A2, A3, A4> ActorCreator<T> actor(
      Fn5<A0, A1, A2, A3, A4, T> ctor, A0 a0, A1 a1, ObjectRef<A2> a2, A3 a3, ObjectRef<A4> a4) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <R, A0, A1, A2, A3, A4> TaskCall<R> task(
      Fn5<A0, A1, A2, A3, A4, R> fn, A0 a0, A1 a1, ObjectRef<A2> a2, ObjectRef<A3> a3, A4 a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <A0, A1, A2, A3, A4> TaskCall<Void> task(
      VoidFn5<A0, A1, A2, A3, A4> fn, A0 a0, A1 a1, ObjectRef<A2> a2, ObjectRef<A3> a3, A4 a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <T, A0, A1, A2, A3, A4> ActorCreator<T> actor(
      Fn5<A0, A1, A2, A3, A4, T> ctor, A0 a0, A1 a1, ObjectRef<A2> a2, ObjectRef<A3> a3, A4 a4) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <R, A0, A1, A2, A3, A4> TaskCall<R> task(
      Fn5<A0, A1, A2, A3, A4, R> fn,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <A0, A1, A2, A3, A4> TaskCall<Void> task(
      VoidFn5<A0, A1, A2, A3, A4> fn,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <T, A0, A1, A2, A3, A4> ActorCreator<T> actor(
      Fn5<A0, A1, A2, A3, A4, T> ctor,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <R, A0, A1, A2, A3, A4> TaskCall<R> task(
      Fn5<A0, A1, A2, A3, A4, R> fn, A0 a0, ObjectRef<A1> a1, A2 a2, A3 a3, A4 a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <A0, A1, A2, A3, A4> TaskCall<Void> task(
      VoidFn5<A0, A1, A2, A3, A4> fn, A0 a0, ObjectRef<A1> a1, A2 a2, A3 a3, A4 a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <T, A0, A1, A2, A3, A4> ActorCreator<T> actor(
      Fn5<A0, A1, A2, A3, A4, T> ctor, A0 a0, ObjectRef<A1> a1, A2 a2, A3 a3, A4 a4) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <R, A0, A1, A2, A3, A4> TaskCall<R> task(
      Fn5<A0, A1, A2, A3, A4, R> fn, A0 a0, ObjectRef<A1> a1, A2 a2, A3 a3, ObjectRef<A4> a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <A0, A1, A2, A3, A4> TaskCall<Void> task(
      VoidFn5<A0, A1, A2, A3, A4> fn, A0 a0, ObjectRef<A1> a1, A2 a2, A3 a3, ObjectRef<A4> a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <T, A0, A1, A2, A3, A4> ActorCreator<T> actor(
      Fn5<A0, A1, A2, A3, A4, T> ctor, A0 a0, ObjectRef<A1> a1, A2 a2, A3 a3, ObjectRef<A4> a4) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <R, A0, A1, A2, A3, A4> TaskCall<R> task(
      Fn5<A0, A1, A2, A3, A4, R> fn, A0 a0, ObjectRef<A1> a1, A2 a2, ObjectRef<A3> a3, A4 a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <A0, A1, A2, A3, A4> TaskCall<Void> task(
      VoidFn5<A0, A1, A2, A3, A4> fn, A0 a0, ObjectRef<A1> a1, A2 a2, ObjectRef<A3> a3, A4 a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <T, A0, A1, A2, A3, A4> ActorCreator<T> actor(
      Fn5<A0, A1, A2, A3, A4, T> ctor, A0 a0, ObjectRef<A1> a1, A2 a2, ObjectRef<A3> a3, A4 a4) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <R, A0, A1, A2, A3, A4> TaskCall<R> task(
      Fn5<A0, A1, A2, A3, A4, R> fn,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <A0, A1, A2, A3, A4> TaskCall<Void> task(
      VoidFn5<A0, A1, A2, A3, A4> fn,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <T, A0, A1, A2, A3, A4> ActorCreator<T> actor(
      Fn5<A0, A1, A2, A3, A4, T> ctor,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <R, A0, A1, A2, A3, A4> TaskCall<R> task(
      Fn5<A0, A1, A2, A3, A4, R> fn, A0 a0, ObjectRef<A1> a1, ObjectRef<A2> a2, A3 a3, A4 a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <A0, A1, A2, A3, A4> TaskCall<Void> task(
      VoidFn5<A0, A1, A2, A3, A4> fn, A0 a0, ObjectRef<A1> a1, ObjectRef<A2> a2, A3 a3, A4 a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <T, A0, A1, A2, A3, A4> ActorCreator<T> actor(
      Fn5<A0, A1, A2, A3, A4, T> ctor, A0 a0, ObjectRef<A1> a1, ObjectRef<A2> a2, A3 a3, A4 a4) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <R, A0, A1, A2, A3, A4> TaskCall<R> task(
      Fn5<A0, A1, A2, A3, A4, R> fn,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <A0, A1, A2, A3, A4> TaskCall<Void> task(
      VoidFn5<A0, A1, A2, A3, A4> fn,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <T, A0, A1, A2, A3, A4> ActorCreator<T> actor(
      Fn5<A0, A1, A2, A3, A4, T> ctor,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <R, A0, A1, A2, A3, A4> TaskCall<R> task(
      Fn5<A0, A1, A2, A3, A4, R> fn,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <A0, A1, A2, A3, A4> TaskCall<Void> task(
      VoidFn5<A0, A1, A2, A3, A4> fn,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <T, A0, A1, A2, A3, A4> ActorCreator<T> actor(
      Fn5<A0, A1, A2, A3, A4, T> ctor,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <R, A0, A1, A2, A3, A4> TaskCall<R> task(
      Fn5<A0, A1, A2, A3, A4, R> fn,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <A0, A1, A2, A3, A4> TaskCall<Void> task(
      VoidFn5<A0, A1, A2, A3, A4> fn,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <T, A0, A1, A2, A3, A4> ActorCreator<T> actor(
      Fn5<A0, A1, A2, A3, A4, T> ctor,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <R, A0, A1, A2, A3, A4> TaskCall<R> task(
      Fn5<A0, A1, A2, A3, A4, R> fn, ObjectRef<A0> a0, A1 a1, A2 a2, A3 a3, A4 a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <A0, A1, A2, A3, A4> TaskCall<Void> task(
      VoidFn5<A0, A1, A2, A3, A4> fn, ObjectRef<A0> a0, A1 a1, A2 a2, A3 a3, A4 a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <T, A0, A1, A2, A3, A4> ActorCreator<T> actor(
      Fn5<A0, A1, A2, A3, A4, T> ctor, ObjectRef<A0> a0, A1 a1, A2 a2, A3 a3, A4 a4) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <R, A0, A1, A2, A3, A4> TaskCall<R> task(
      Fn5<A0, A1, A2, A3, A4, R> fn, ObjectRef<A0> a0, A1 a1, A2 a2, A3 a3, ObjectRef<A4> a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <A0, A1, A2, A3, A4> TaskCall<Void> task(
      VoidFn5<A0, A1, A2, A3, A4> fn, ObjectRef<A0> a0, A1 a1, A2 a2, A3 a3, ObjectRef<A4> a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <T, A0, A1, A2, A3, A4> ActorCreator<T> actor(
      Fn5<A0, A1, A2, A3, A4, T> ctor, ObjectRef<A0> a0, A1 a1, A2 a2, A3 a3, ObjectRef<A4> a4) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <R, A0, A1, A2, A3, A4> TaskCall<R> task(
      Fn5<A0, A1, A2, A3, A4, R> fn, ObjectRef<A0> a0, A1 a1, A2 a2, ObjectRef<A3> a3, A4 a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <A0, A1, A2, A3, A4> TaskCall<Void> task(
      VoidFn5<A0, A1, A2, A3, A4> fn, ObjectRef<A0> a0, A1 a1, A2 a2, ObjectRef<A3> a3, A4 a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <T, A0, A1, A2, A3, A4> ActorCreator<T> actor(
      Fn5<A0, A1, A2, A3, A4, T> ctor, ObjectRef<A0> a0, A1 a1, A2 a2, ObjectRef<A3> a3, A4 a4) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <R, A0, A1, A2, A3, A4> TaskCall<R> task(
      Fn5<A0, A1, A2, A3, A4, R> fn,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <A0, A1, A2, A3, A4> TaskCall<Void> task(
      VoidFn5<A0, A1, A2, A3, A4> fn,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <T, A0, A1, A2, A3, A4> ActorCreator<T> actor(
      Fn5<A0, A1, A2, A3, A4, T> ctor,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <R, A0, A1, A2, A3, A4> TaskCall<R> task(
      Fn5<A0, A1, A2, A3, A4, R> fn, ObjectRef<A0> a0, A1 a1, ObjectRef<A2> a2, A3 a3, A4 a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <A0, A1, A2, A3, A4> TaskCall<Void> task(
      VoidFn5<A0, A1, A2, A3, A4> fn, ObjectRef<A0> a0, A1 a1, ObjectRef<A2> a2, A3 a3, A4 a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <T, A0, A1, A2, A3, A4> ActorCreator<T> actor(
      Fn5<A0, A1, A2, A3, A4, T> ctor, ObjectRef<A0> a0, A1 a1, ObjectRef<A2> a2, A3 a3, A4 a4) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <R, A0, A1, A2, A3, A4> TaskCall<R> task(
      Fn5<A0, A1, A2, A3, A4, R> fn,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <A0, A1, A2, A3, A4> TaskCall<Void> task(
      VoidFn5<A0, A1, A2, A3, A4> fn,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <T, A0, A1, A2, A3, A4> ActorCreator<T> actor(
      Fn5<A0, A1, A2, A3, A4, T> ctor,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <R, A0, A1, A2, A3, A4> TaskCall<R> task(
      Fn5<A0, A1, A2, A3, A4, R> fn,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <A0, A1, A2, A3, A4> TaskCall<Void> task(
      VoidFn5<A0, A1, A2, A3, A4> fn,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <T, A0, A1, A2, A3, A4> ActorCreator<T> actor(
      Fn5<A0, A1, A2, A3, A4, T> ctor,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <R, A0, A1, A2, A3, A4> TaskCall<R> task(
      Fn5<A0, A1, A2, A3, A4, R> fn,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <A0, A1, A2, A3, A4> TaskCall<Void> task(
      VoidFn5<A0, A1, A2, A3, A4> fn,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <T, A0, A1, A2, A3, A4> ActorCreator<T> actor(
      Fn5<A0, A1, A2, A3, A4, T> ctor,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <R, A0, A1, A2, A3, A4> TaskCall<R> task(
      Fn5<A0, A1, A2, A3, A4, R> fn, ObjectRef<A0> a0, ObjectRef<A1> a1, A2 a2, A3 a3, A4 a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <A0, A1, A2, A3, A4> TaskCall<Void> task(
      VoidFn5<A0, A1, A2, A3, A4> fn, ObjectRef<A0> a0, ObjectRef<A1> a1, A2 a2, A3 a3, A4 a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <T, A0, A1, A2, A3, A4> ActorCreator<T> actor(
      Fn5<A0, A1, A2, A3, A4, T> ctor, ObjectRef<A0> a0, ObjectRef<A1> a1, A2 a2, A3 a3, A4 a4) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <R, A0, A1, A2, A3, A4> TaskCall<R> task(
      Fn5<A0, A1, A2, A3, A4, R> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <A0, A1, A2, A3, A4> TaskCall<Void> task(
      VoidFn5<A0, A1, A2, A3, A4> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <T, A0, A1, A2, A3, A4> ActorCreator<T> actor(
      Fn5<A0, A1, A2, A3, A4, T> ctor,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <R, A0, A1, A2, A3, A4> TaskCall<R> task(
      Fn5<A0, A1, A2, A3, A4, R> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <A0, A1, A2, A3, A4> TaskCall<Void> task(
      VoidFn5<A0, A1, A2, A3, A4> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <T, A0, A1, A2, A3, A4> ActorCreator<T> actor(
      Fn5<A0, A1, A2, A3, A4, T> ctor,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <R, A0, A1, A2, A3, A4> TaskCall<R> task(
      Fn5<A0, A1, A2, A3, A4, R> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <A0, A1, A2, A3, A4> TaskCall<Void> task(
      VoidFn5<A0, A1, A2, A3, A4> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <T, A0, A1, A2, A3, A4> ActorCreator<T> actor(
      Fn5<A0, A1, A2, A3, A4, T> ctor,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <R, A0, A1, A2, A3, A4> TaskCall<R> task(
      Fn5<A0, A1, A2, A3, A4, R> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <A0, A1, A2, A3, A4> TaskCall<Void> task(
      VoidFn5<A0, A1, A2, A3, A4> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <T, A0, A1, A2, A3, A4> ActorCreator<T> actor(
      Fn5<A0, A1, A2, A3, A4, T> ctor,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <R, A0, A1, A2, A3, A4> TaskCall<R> task(
      Fn5<A0, A1, A2, A3, A4, R> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <A0, A1, A2, A3, A4> TaskCall<Void> task(
      VoidFn5<A0, A1, A2, A3, A4> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <T, A0, A1, A2, A3, A4> ActorCreator<T> actor(
      Fn5<A0, A1, A2, A3, A4, T> ctor,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <R, A0, A1, A2, A3, A4> TaskCall<R> task(
      Fn5<A0, A1, A2, A3, A4, R> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <A0, A1, A2, A3, A4> TaskCall<Void> task(
      VoidFn5<A0, A1, A2, A3, A4> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <T, A0, A1, A2, A3, A4> ActorCreator<T> actor(
      Fn5<A0, A1, A2, A3, A4, T> ctor,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <R, A0, A1, A2, A3, A4> TaskCall<R> task(
      Fn5<A0, A1, A2, A3, A4, R> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <A0, A1, A2, A3, A4> TaskCall<Void> task(
      VoidFn5<A0, A1, A2, A3, A4> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <T, A0, A1, A2, A3, A4> ActorCreator<T> actor(
      Fn5<A0, A1, A2, A3, A4, T> ctor,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn, A0 a0, A1 a1, A2 a2, A3 a3, A4 a4, A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn, A0 a0, A1 a1, A2 a2, A3 a3, A4 a4, A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor, A0 a0, A1 a1, A2 a2, A3 a3, A4 a4, A5 a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn, A0 a0, A1 a1, A2 a2, A3 a3, A4 a4, ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn, A0 a0, A1 a1, A2 a2, A3 a3, A4 a4, ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor, A0 a0, A1 a1, A2 a2, A3 a3, A4 a4, ObjectRef<A5> a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn, A0 a0, A1 a1, A2 a2, A3 a3, ObjectRef<A4> a4, A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn, A0 a0, A1 a1, A2 a2, A3 a3, ObjectRef<A4> a4, A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor, A0 a0, A1 a1, A2 a2, A3 a3, ObjectRef<A4> a4, A5 a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      A0 a0,
      A1 a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      A0 a0,
      A1 a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      A0 a0,
      A1 a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn, A0 a0, A1 a1, A2 a2, ObjectRef<A3> a3, A4 a4, A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn, A0 a0, A1 a1, A2 a2, ObjectRef<A3> a3, A4 a4, A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor, A0 a0, A1 a1, A2 a2, ObjectRef<A3> a3, A4 a4, A5 a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      A0 a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      A0 a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      A0 a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      A0 a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      A0 a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      A0 a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      A0 a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      A0 a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      A0 a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn, A0 a0, A1 a1, ObjectRef<A2> a2, A3 a3, A4 a4, A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn, A0 a0, A1 a1, ObjectRef<A2> a2, A3 a3, A4 a4, A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor, A0 a0, A1 a1, ObjectRef<A2> a2, A3 a3, A4 a4, A5 a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4,
      A5 a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn, A0 a0, ObjectRef<A1> a1, A2 a2, A3 a3, A4 a4, A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn, A0 a0, ObjectRef<A1> a1, A2 a2, A3 a3, A4 a4, A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor, A0 a0, ObjectRef<A1> a1, A2 a2, A3 a3, A4 a4, A5 a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4,
      A5 a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4,
      A5 a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4,
      A5 a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn, ObjectRef<A0> a0, A1 a1, A2 a2, A3 a3, A4 a4, A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn, ObjectRef<A0> a0, A1 a1, A2 a2, A3 a3, A4 a4, A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor, ObjectRef<A0> a0, A1 a1, A2 a2, A3 a3, A4 a4, A5 a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      A3 a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      A3 a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      A3 a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4,
      A5 a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4,
      A5 a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4,
      A5 a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      A4 a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      A4 a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      A4 a4,
      A5 a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4,
      A5 a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4,
      A5 a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4,
      A5 a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <R, A0, A1, A2, A3, A4, A5> TaskCall<R> task(
      Fn6<A0, A1, A2, A3, A4, A5, R> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <A0, A1, A2, A3, A4, A5> TaskCall<Void> task(
      VoidFn6<A0, A1, A2, A3, A4, A5> fn,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new TaskCall<>(fn, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  public static <T, A0, A1, A2, A3, A4, A5> ActorCreator<T> actor(
      Fn6<A0, A1, A2, A3, A4, A5, T> ctor,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCreator<>(ctor, new Object[] {a0, a1, a2, a3, a4, a5});
  }
  // GENERATED-END
}
