package dev.weft.examples;

import dev.weft.ActorHandle;
import dev.weft.ActorId;
import dev.weft.ActorOptions;
import dev.weft.ObjectId;
import dev.weft.ObjectRef;
import dev.weft.TaskFailedException;
import dev.weft.TaskOptions;
import dev.weft.WaitResult;
import dev.weft.WeftConfig;
import dev.weft.spi.RuntimeBackend;
import dev.weft.spi.RuntimeFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in runtime for the examples' own tests: runs tasks on a thread pool and actors on one
 * thread each, all in this JVM. It checks the examples' logic (their answers and their use of the
 * API), not Weft itself; the real runtime runs them in weft-it and through {@code weft demo}.
 */
public final class InProcessRuntime implements RuntimeFactory, RuntimeBackend {
  private final AtomicLong ids = new AtomicLong();
  private static final ThreadFactory DAEMON = Thread.ofPlatform().daemon().factory();
  private final ExecutorService pool =
      Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), DAEMON);
  private final Map<String, ActorHandle<?>> named = new ConcurrentHashMap<>();

  @Override
  public RuntimeBackend start(WeftConfig config) {
    return new InProcessRuntime();
  }

  /** A ref backed by a local future. */
  record Ref<T>(ObjectId id, CompletableFuture<T> future) implements ObjectRef<T> {
    @Override
    public String ownerAddress() {
      return "in-process";
    }

    @Override
    public CompletableFuture<T> toFuture() {
      return future;
    }
  }

  record Actor<T>(ActorId actorId, String name, T[] instance, ExecutorService thread)
      implements ActorHandle<T> {
    @Override
    public void kill() {
      thread.shutdownNow();
    }
  }

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
          : ref.toFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new TaskFailedException("in-process get failed", e);
    }
  }

  @Override
  public <T> List<T> get(List<? extends ObjectRef<T>> refs, Duration timeout) {
    List<T> out = new ArrayList<>();
    for (ObjectRef<T> r : refs) {
      out.add(get(r, timeout));
    }
    return out;
  }

  @Override
  public <T> WaitResult<T> wait(List<? extends ObjectRef<T>> refs, int numReady, Duration timeout) {
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
  public List<ObjectRef<Object>> submitTask(Object fn, Object[] args, TaskOptions options, int numReturns) {
    return List.of(newRef(call(fn, null, args, pool)));
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> ActorHandle<T> createActor(Object ctor, Object[] args, ActorOptions options) {
    ExecutorService thread = Executors.newSingleThreadExecutor(DAEMON);
    T[] box = (T[]) new Object[1];
    call(ctor, null, args, thread).thenAccept(o -> box[0] = (T) o).join();
    Actor<T> a = new Actor<>(new ActorId(2, ids.incrementAndGet()), options.name(), box, thread);
    if (options.name() != null) {
      named.put(options.name(), a);
    }
    return a;
  }

  @Override
  public List<ObjectRef<Object>> submitActorTask(ActorHandle<?> actor, Object fn, Object[] args, int numReturns) {
    Actor<?> a = (Actor<?>) actor;
    return List.of(newRef(call(fn, a.instance(), args, a.thread())));
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> Optional<ActorHandle<T>> getActor(String name) {
    return Optional.ofNullable((ActorHandle<T>) named.get(name));
  }

  @Override
  public void shutdown() {
    pool.shutdownNow();
  }

  /** Runs fn(receiver?, args...) on {@code exec} once every ref argument is ready. */
  private static CompletableFuture<Object> call(Object fn, Object[] receiver, Object[] args, ExecutorService exec) {
    CompletableFuture<?>[] deps =
        Arrays.stream(args).filter(a -> a instanceof ObjectRef).map(a -> ((ObjectRef<?>) a).toFuture())
            .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(deps).thenApplyAsync(
        ignored -> {
          List<Object> values = new ArrayList<>();
          if (receiver != null) {
            values.add(receiver[0]);
          }
          for (Object a : args) {
            values.add(a instanceof ObjectRef<?> r ? r.toFuture().join() : a);
          }
          try {
            return applyMethod(fn).invoke(fn, values.toArray());
          } catch (InvocationTargetException e) {
            throw new TaskFailedException("task threw", e.getCause());
          } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
          }
        },
        exec);
  }

  private static Method applyMethod(Object fn) {
    for (Class<?> i : fn.getClass().getInterfaces()) {
      for (Method m : i.getMethods()) {
        if (Modifier.isAbstract(m.getModifiers()) && m.getName().equals("apply")) {
          return m;
        }
      }
    }
    throw new IllegalArgumentException("not a Weft function: " + fn.getClass());
  }
}
