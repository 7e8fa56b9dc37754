package dev.weft.bench;

import dev.weft.ActorHandle;
import dev.weft.ObjectBuffer;
import dev.weft.ObjectRef;
import dev.weft.Weft;
import dev.weft.bench.peers.LargeData;
import dev.weft.bench.peers.RunSpec;
import dev.weft.bench.peers.Workload;
import dev.weft.bench.peers.WorkloadFailedException;
import dev.weft.bench.peers.Workloads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.CRC32C;

/**
 * Weft's side of {@code weft bench --peers}: every workload of {@link Workloads}, on the running
 * Weft cluster this process is the driver of. Tasks and actors run in worker JVMs, never in the
 * driver, as the peers' tasks run on their other member.
 */
final class WeftWorkloads {
  private WeftWorkloads() {}

  static Workload open(RunSpec spec) {
    Duration timeout = spec.timeout();
    return switch (spec.workload()) {
      case Workloads.TASKS_SYNC ->
          () -> {
            check(Weft.get(Weft.task(BenchTasks::smallValue).remote(), timeout));
            return 1;
          };
      case Workloads.TASKS_ASYNC ->
          () -> {
            int n = spec.batch();
            List<ObjectRef<Integer>> refs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
              refs.add(Weft.task(BenchTasks::smallValue).remote());
            }
            List<Integer> values = Weft.get(refs, timeout);
            if (values.size() != n) {
              throw new WorkloadFailedException(
                  "got " + values.size() + " results for " + n + " tasks");
            }
            for (Integer v : values) {
              check(v);
            }
            return n;
          };
      case Workloads.DAG ->
          () -> {
            int leaves = spec.leaves();
            ObjectRef<Long> root =
                Workloads.treeReduce(
                    leaves,
                    i -> Weft.task(BenchTasks::leaf, i).remote(),
                    (a, b) -> Weft.task(BenchTasks::add, a, b).remote());
            Long got = Weft.get(root, timeout);
            if (got == null || got != Workloads.dagExpected(leaves)) {
              throw new WorkloadFailedException(
                  "the DAG's root is " + got + ", expected " + Workloads.dagExpected(leaves));
            }
            return Workloads.dagTasks(leaves);
          };
      case Workloads.ACTOR_SYNC, Workloads.ACTOR_ASYNC -> actorCalls(spec);
      case Workloads.LARGE, Workloads.LARGE_VIEW -> largeObject(spec);
      default -> throw new IllegalArgumentException("unknown workload " + spec.workload());
    };
  }

  /** One counter actor ({@link BenchActor}); each call's result must be the next count. */
  private static Workload actorCalls(RunSpec spec) {
    Duration timeout = spec.timeout();
    ActorHandle<BenchActor> actor = Weft.actor(BenchActor::new).remote();
    long[] lastSeen = {0};
    try {
      expect(lastSeen, Weft.get(actor.task(BenchActor::next).remote(), timeout)); // it is up
    } catch (RuntimeException | Error e) {
      actor.kill();
      throw e;
    }
    boolean sync = spec.workload().equals(Workloads.ACTOR_SYNC);
    int n = spec.batch();
    return new Workload() {
      @Override
      public long run() {
        if (sync) {
          expect(lastSeen, Weft.get(actor.task(BenchActor::next).remote(), timeout));
          return 1;
        }
        List<ObjectRef<Long>> refs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          refs.add(actor.task(BenchActor::next).remote());
        }
        for (Long v : Weft.get(refs, timeout)) {
          expect(lastSeen, v);
        }
        return n;
      }

      @Override
      public void close() {
        actor.kill();
      }
    };
  }

  /** A {@link LargeSource} actor makes the bytes; each operation gets them all and checks them. */
  private static Workload largeObject(RunSpec spec) {
    Duration timeout = spec.timeout();
    int n = LargeData.arrayLength(spec.bytes());
    ActorHandle<LargeSource> source = Weft.actor(LargeSource::new).remote();
    long expected;
    try {
      expected = Weft.get(source.task(LargeSource::make, n, 1L).remote(), timeout);
    } catch (RuntimeException | Error e) {
      source.kill();
      throw e;
    }
    boolean view = spec.workload().equals(Workloads.LARGE_VIEW);
    return new Workload() {
      @Override
      public long run() throws Exception {
        if (view) {
          ObjectRef<byte[]> ref = source.task(LargeSource::data).remote();
          // released when read (as TCP reuses its buffer): the next object then reuses this one's
          // memory, which both processes have mapped already, instead of waiting for a GC to
          // notice the dropped ref (see docs/BENCHMARKS.md, issue 8 item 14)
          try (ObjectBuffer b = getBuffer(ref, timeout)) {
            if (b.sizeBytes() != n) {
              throw new WorkloadFailedException(
                  "the view has " + b.sizeBytes() + " bytes, expected " + n);
            }
            CRC32C c = new CRC32C();
            c.update(b.buffer());
            if (c.getValue() != expected) {
              throw new WorkloadFailedException(
                  "the "
                      + n
                      + " bytes viewed have CRC32C "
                      + c.getValue()
                      + ", expected "
                      + expected
                      + " (zero-copy: "
                      + b.zeroCopy()
                      + ")");
            }
          } finally {
            ref.release();
          }
          return n;
        }
        byte[] got = Weft.get(source.task(LargeSource::data).remote(), timeout);
        if (got == null || got.length != n) {
          throw new WorkloadFailedException(
              "got "
                  + (got == null ? "null" : got.length + " bytes")
                  + ", expected "
                  + n
                  + " bytes");
        }
        long crc = LargeData.crc(got);
        if (crc != expected) {
          throw new WorkloadFailedException(
              "the " + n + " bytes got have CRC32C " + crc + ", expected " + expected);
        }
        return n;
      }

      @Override
      public void close() {
        source.kill();
      }
    };
  }

  /**
   * {@link Weft#getBuffer} with a deadline: it has none of its own, and a result that never comes
   * (e.g. a producer that could not store it) must fail the workload, not hang the run.
   */
  static ObjectBuffer getBuffer(ObjectRef<?> ref, Duration timeout) throws Exception {
    CompletableFuture<ObjectBuffer> f = new CompletableFuture<>();
    Thread t =
        Thread.ofVirtual()
            .name("weft-bench-getBuffer")
            .start(
                () -> {
                  try {
                    f.complete(Weft.getBuffer(ref));
                  } catch (RuntimeException | Error e) {
                    f.completeExceptionally(e);
                  }
                });
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      t.interrupt();
      f.thenAccept(ObjectBuffer::close); // should it come after all, unpin it
      throw new WorkloadFailedException(
          "Weft.getBuffer of the large object did not return within "
              + timeout.toSeconds()
              + " s (see the actor's worker log: was the result stored?)");
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception x ? x : e;
    }
  }

  private static void check(Integer got) {
    if (got == null || got != Workloads.SMALL_VALUE) {
      throw new WorkloadFailedException(
          "the task returned " + got + ", expected " + Workloads.SMALL_VALUE);
    }
  }

  private static void expect(long[] lastSeen, Long got) {
    long expected = lastSeen[0] + 1;
    if (got == null || got != expected) {
      throw new WorkloadFailedException(
          "the actor returned count "
              + got
              + ", expected "
              + expected
              + " (a call was lost, repeated or run out of order)");
    }
    lastSeen[0] = expected;
  }
}
