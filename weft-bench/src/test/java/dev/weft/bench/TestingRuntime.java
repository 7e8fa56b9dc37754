package dev.weft.bench;

import dev.weft.ActorDiedException;
import dev.weft.ActorHandle;
import dev.weft.ActorId;
import dev.weft.ActorOptions;
import dev.weft.GetTimeoutException;
import dev.weft.ObjectId;
import dev.weft.ObjectRef;
import dev.weft.TaskFailedException;
import dev.weft.TaskOptions;
import dev.weft.WaitResult;
import dev.weft.WeftConfig;
import dev.weft.WeftException;
import dev.weft.spi.RuntimeBackend;
import dev.weft.spi.RuntimeFactory;
import java.io.Serial;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A narrow in-process stand-in for weft-core, so the benchmarks' own logic (submission, checking,
 * counting) runs in unit tests: tasks run on a small pool, each actor on a thread of its own (so
 * one caller's calls run in call order), objects are completed futures. Found by {@link
 * java.util.ServiceLoader} from this module's test resources, but refuses to start unless a test
 * enabled it, so tests can also check what happens when no runtime starts.
 */
public final class TestingRuntime implements RuntimeFactory {
  /** How the fake misbehaves, to prove the benchmarks notice. */
  enum Fault {
    NONE,
    /** Every actor call runs the method twice: counts skip. */
    DUPLICATE_ACTOR_CALLS,
    /** Every task returns null instead of its value. */
    NULL_TASK_RESULTS
  }

  static volatile boolean enabled;
  static volatile Fault fault = Fault.NONE;
  static final AtomicLong actorsCreated = new AtomicLong();
  static final AtomicLong actorsKilled = new AtomicLong();

  static void reset() {
    enabled = false;
    fault = Fault.NONE;
    actorsCreated.set(0);
    actorsKilled.set(0);
  }

  @Override
  public RuntimeBackend start(WeftConfig config) {
    if (!enabled) {
      throw new WeftException("TestingRuntime is disabled: the test did not enable a runtime");
    }
    return new Backend();
  }

  record Ref<T>(ObjectId id, CompletableFuture<T> future) implements ObjectRef<T> {
    @Serial private static final long serialVersionUID = 1L;

    @Override
    public String ownerAddress() {
      return "in-process";
    }

    @Override
    public CompletableFuture<T> toFuture() {
      return future;
    }
  }

  static final class Handle<T> implements ActorHandle<T> {
    @Serial private static final long serialVersionUID = 1L;
    private final ActorId id;
    private final transient Backend backend;

    Handle(ActorId id, Backend backend) {
      this.id = id;
      this.backend = backend;
    }

    @Override
    public ActorId actorId() {
      return id;
    }

    @Override
    public String name() {
      return null;
    }

    @Override
    public void kill() {
      backend.kill(id);
    }
  }

  private record Actor(Object instance, ExecutorService thread) {}

  static final class Backend implements RuntimeBackend {
    private final AtomicLong ids = new AtomicLong();
    // virtual threads: a task may block in get on tasks it submitted (recursive_fib_16)
    private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<ActorId, Actor> actors = new ConcurrentHashMap<>();

    private <T> Ref<T> newRef(CompletableFuture<T> f) {
      return new Ref<>(new ObjectId(1, ids.incrementAndGet()), f);
    }

    @Override
    public <T> ObjectRef<T> put(T value) {
      return newRef(CompletableFuture.completedFuture(value));
    }

    @Override
    public <T> T get(ObjectRef<T> ref, Duration timeout) {
      try {
        return timeout == null
            ? ref.toFuture().get()
            : ref.toFuture().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        throw new GetTimeoutException("get timed out after " + timeout);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WeftException("interrupted", e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof WeftException w) {
          throw w;
        }
        throw new TaskFailedException("task failed", e.getCause());
      }
    }

    @Override
    public <T> List<T> get(List<? extends ObjectRef<T>> refs, Duration timeout) {
      List<T> out = new ArrayList<>(refs.size());
      for (ObjectRef<T> r : refs) {
        out.add(get(r, timeout));
      }
      return out;
    }

    @Override
    public <T> WaitResult<T> wait(
        List<? extends ObjectRef<T>> refs, int numReady, Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        List<ObjectRef<T>> ready = new ArrayList<>();
        List<ObjectRef<T>> unready = new ArrayList<>();
        for (ObjectRef<T> r : refs) {
          (r.toFuture().isDone() ? ready : unready).add(r);
        }
        if (ready.size() >= numReady || System.nanoTime() > deadline) {
          return new WaitResult<>(ready, unready);
        }
        Thread.onSpinWait();
      }
    }

    @Override
    public List<ObjectRef<Object>> submitTask(
        Object fn, Object[] args, TaskOptions options, int numReturns) {
      CompletableFuture<Object> f =
          CompletableFuture.supplyAsync(
              () -> fault == Fault.NULL_TASK_RESULTS ? null : invoke(fn, resolve(args, null)),
              pool);
      return List.of(newRef(f));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> ActorHandle<T> createActor(Object ctor, Object[] args, ActorOptions options) {
      ActorId id = new ActorId(2, ids.incrementAndGet());
      ExecutorService thread = Executors.newSingleThreadExecutor();
      Object instance = invoke(ctor, resolve(args, null));
      actors.put(id, new Actor(instance, thread));
      actorsCreated.incrementAndGet();
      return (ActorHandle<T>) new Handle<>(id, this);
    }

    @Override
    public List<ObjectRef<Object>> submitActorTask(
        ActorHandle<?> actor, Object fn, Object[] args, int numReturns) {
      Actor a = actors.get(actor.actorId());
      if (a == null) {
        throw new ActorDiedException("actor " + actor.actorId() + " is dead");
      }
      CompletableFuture<Object> f =
          CompletableFuture.supplyAsync(
              () -> {
                Object r = invoke(fn, resolve(args, a.instance()));
                if (fault == Fault.DUPLICATE_ACTOR_CALLS) {
                  r = invoke(fn, resolve(args, a.instance()));
                }
                return r;
              },
              a.thread());
      return List.of(newRef(f));
    }

    void kill(ActorId id) {
      Actor a = actors.remove(id);
      if (a != null) {
        a.thread().shutdownNow();
        actorsKilled.incrementAndGet();
      }
    }

    @Override
    public <T> Optional<ActorHandle<T>> getActor(String name) {
      return Optional.empty();
    }

    /** Placement groups that are ready at once on the one node "local" (for {@code many_pgs}). */
    private final Map<String, dev.weft.PlacementGroup> groups = new ConcurrentHashMap<>();

    @Override
    public dev.weft.PlacementGroup createPlacementGroup(
        List<Map<String, Double>> bundles, dev.weft.PlacementStrategy strategy) {
      dev.weft.PlacementGroup g =
          new dev.weft.PlacementGroup(Long.toHexString(ids.incrementAndGet()), bundles, strategy);
      groups.put(g.id(), g);
      return g;
    }

    @Override
    public boolean waitPlacementGroup(dev.weft.PlacementGroup group, Duration timeout) {
      return groups.containsKey(group.id());
    }

    @Override
    public List<String> placementGroupNodes(dev.weft.PlacementGroup group) {
      return groups.containsKey(group.id())
          ? java.util.Collections.nCopies(group.bundles().size(), "local")
          : List.of();
    }

    @Override
    public void removePlacementGroup(dev.weft.PlacementGroup group) {
      groups.remove(group.id());
    }

    @Override
    public void shutdown() {
      pool.shutdownNow();
      actors.keySet().forEach(this::kill);
    }

    /** Top-level refs resolved to their values; the actor instance, if any, goes first. */
    private Object[] resolve(Object[] args, Object self) {
      int off = self == null ? 0 : 1;
      Object[] out = new Object[args.length + off];
      if (self != null) {
        out[0] = self;
      }
      for (int i = 0; i < args.length; i++) {
        out[i + off] = args[i] instanceof ObjectRef<?> r ? get(r, null) : args[i];
      }
      return out;
    }

    /** Calls the single {@code apply} of whichever dev.weft.function interface {@code fn} is. */
    private static Object invoke(Object fn, Object[] args) {
      for (Class<?> itf : fn.getClass().getInterfaces()) {
        if (!itf.getPackageName().equals("dev.weft.function")) {
          continue;
        }
        for (Method m : itf.getMethods()) {
          if (m.getName().equals("apply") && m.getParameterCount() == args.length) {
            try {
              return m.invoke(fn, args);
            } catch (InvocationTargetException e) {
              throw new TaskFailedException("remote function threw", e.getCause());
            } catch (IllegalAccessException e) {
              throw new IllegalStateException(e);
            }
          }
        }
      }
      throw new IllegalArgumentException(
          "not a remote function of " + args.length + " arguments: " + fn);
    }
  }
}
