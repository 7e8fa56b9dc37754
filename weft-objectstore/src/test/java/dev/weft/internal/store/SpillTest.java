package dev.weft.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.internal.store.ObjectDirectory.Block;
import dev.weft.internal.store.ObjectDirectory.Key;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spilling and restoring as the node runs them: the directory on one thread (the node's loop),
 * spill file IO on another. The IO thread can be held at a gate, to show that the node's thread
 * keeps serving while a spill or a restore is under way.
 */
class SpillTest {
  @TempDir Path tmp;

  final ExecutorService node = Executors.newSingleThreadExecutor();
  final ExecutorService ioThread = Executors.newSingleThreadExecutor();

  static final int OPEN = 1 << 20;

  /** IO runs only while the gate has permits (open unless a test closes it). */
  final Semaphore gate = new Semaphore(OPEN);

  final Semaphore spaceFreed = new Semaphore(0);

  @AfterEach
  void stop() {
    if (gate.availablePermits() == 0) {
      gate.release(OPEN);
    }
    node.shutdownNow();
    ioThread.shutdownNow();
  }

  ObjectDirectory directory(StoreFile mem, SpillFiles spill) throws Exception {
    ObjectDirectory dir =
        new ObjectDirectory(
            mem.sizeBytes(),
            mem,
            spill,
            r ->
                ioThread.execute(
                    () -> {
                      gate.acquireUninterruptibly();
                      gate.release();
                      r.run();
                    }),
            node);
    run(() -> dir.onSpaceFreed(spaceFreed::release));
    return dir;
  }

  /** Runs on the directory's thread and waits. */
  void run(Runnable r) throws Exception {
    on(
        () -> {
          r.run();
          return null;
        });
  }

  /** Runs on the directory's thread and waits for the result. */
  <T> T on(Callable<T> c) throws Exception {
    return node.submit(c).get(10, TimeUnit.SECONDS);
  }

  void awaitSpaceFreed() throws InterruptedException {
    assertThat(spaceFreed.tryAcquire(10, TimeUnit.SECONDS)).as("a spill finished").isTrue();
  }

  Block put(ObjectDirectory dir, StoreFile mem, Key k, int size, byte v) throws Exception {
    return on(
        () -> {
          Block b = dir.create(k, size, "o");
          if (b != null) {
            mem.slice(b.offset, size).fill(v);
            dir.seal(k);
          }
          return b;
        });
  }

  Block pin(ObjectDirectory dir, Key k) throws Exception {
    CompletableFuture<Block> f = on(() -> dir.pin(k));
    return f.get(10, TimeUnit.SECONDS);
  }

  static byte at(StoreFile mem, Block b, long i) {
    return mem.slice(b.offset, b.sizeBytes).get(ValueLayout.JAVA_BYTE, i);
  }

  @Test
  void createFreeOnly_whenMemoryIsShort_spillsNothingAndWaitsForAFree() throws Exception {
    try (StoreFile mem = StoreFile.create(tmp.resolve("store"), 8192);
        SpillFiles spill = new SpillFiles(tmp.resolve("spill"))) {
      ObjectDirectory dir = directory(mem, spill);
      Key a = new Key(1, 1);
      Key b = new Key(1, 2);
      Key c = new Key(1, 3);
      put(dir, mem, a, 3000, (byte) 'a');
      put(dir, mem, b, 3000, (byte) 'b');
      Block none = on(() -> dir.create(c, 3000, "o", null, ObjectDirectory.Room.FREE_ONLY));
      assertThat(none).as("no free memory, and FREE_ONLY spills nothing").isNull();
      assertThat(on(dir::spilling)).isFalse();
      assertThat(on(dir::spilledObjects)).isZero();
      run(() -> dir.delete(a)); // a dropped ref's object is freed
      Block got = on(() -> dir.create(c, 3000, "o", null, ObjectDirectory.Room.FREE_ONLY));
      assertThat(got).as("the freed memory is taken").isNotNull();
      assertThat(on(dir::spilledObjects)).isZero();
    }
  }

  @Test
  void restoreWhileEveryOtherObjectIsPinned_waitsForAnUnpinInsteadOfFailing() throws Exception {
    try (StoreFile mem = StoreFile.create(tmp.resolve("store"), 8192);
        SpillFiles spill = new SpillFiles(tmp.resolve("spill"))) {
      ObjectDirectory dir = directory(mem, spill);
      Key a = new Key(1, 1);
      Key b = new Key(1, 2);
      Key c = new Key(1, 3);
      put(dir, mem, a, 3000, (byte) 'a');
      put(dir, mem, b, 3000, (byte) 'b');
      assertThat(put(dir, mem, c, 3000, (byte) 'c')).as("a is spilled to make room").isNull();
      awaitSpaceFreed();
      put(dir, mem, c, 3000, (byte) 'c');
      pin(dir, b);
      pin(dir, c); // every object in memory is pinned by a reader
      CompletableFuture<Block> back = on(() -> dir.pin(a));
      assertThat(on(dir::restoresWaiting)).as("the restore waits for memory").isTrue();
      assertThat(back).isNotDone();
      run(
          () -> {
            dir.unpin(b); // a reader is done: its object may be spilled now
            dir.spaceFreed();
          });
      Block restored = back.get(10, TimeUnit.SECONDS);
      assertThat(at(mem, restored, 2999)).isEqualTo((byte) 'a');
    }
  }

  @Test
  void createThatDoesNotFit_spillsTheLeastRecentlyUsedAndPinRestoresIt() throws Exception {
    try (StoreFile mem = StoreFile.create(tmp.resolve("store"), 8192);
        SpillFiles spill = new SpillFiles(tmp.resolve("spill"))) {
      ObjectDirectory dir = directory(mem, spill);
      Key a = new Key(1, 1);
      Key b = new Key(1, 2);
      Key c = new Key(1, 3);
      put(dir, mem, a, 3000, (byte) 'a');
      put(dir, mem, b, 3000, (byte) 'b');
      pin(dir, b); // b is in use: it must not be spilled
      assertThat(put(dir, mem, c, 3000, (byte) 'c')).as("no room yet: a is being spilled").isNull();
      awaitSpaceFreed();
      Block bc = put(dir, mem, c, 3000, (byte) 'c');
      assertThat(bc).as("a third object fits once the unpinned one is spilled").isNotNull();
      assertThat(on(dir::spilledObjects)).isEqualTo(1);
      assertThat(on(dir::spilledBytes)).isEqualTo(3000);
      run(() -> dir.unpin(b));

      // restoring a needs room: b or c (unpinned now) is spilled first, then a is read back
      Block back = pin(dir, a);
      assertThat(at(mem, back, 0)).isEqualTo((byte) 'a');
      assertThat(at(mem, back, 2999)).isEqualTo((byte) 'a');
      run(() -> dir.unpin(a));
      assertThat(on(dir::spilledObjects)).isEqualTo(1);

      run(
          () -> {
            dir.delete(a);
            dir.delete(b);
            dir.delete(c);
          });
      assertThat(on(dir::usedBytes)).isZero();
      awaitNoSpillFiles(spill);
      assertThat(spill.spilledBytes()).isZero();
    }
  }

  @Test
  void theNodeThreadKeepsServingWhileASpillAndARestoreAreOnDisk() throws Exception {
    try (StoreFile mem = StoreFile.create(tmp.resolve("store"), 8192);
        SpillFiles spill = new SpillFiles(tmp.resolve("spill"))) {
      ObjectDirectory dir = directory(mem, spill);
      Key big = new Key(2, 1);
      Key small = new Key(2, 2);
      Key next = new Key(2, 3);
      put(dir, mem, big, 6000, (byte) 'x');
      put(dir, mem, small, 1000, (byte) 's');
      pin(dir, small);
      gate.acquireUninterruptibly(OPEN); // hold the IO thread
      assertThat(put(dir, mem, next, 5000, (byte) 'n')).isNull(); // big's spill is held at the gate
      assertThat(on(dir::spilling)).isTrue();
      // meanwhile the node answers: a pin of what is in memory, a pin of the object being spilled
      assertThat(pin(dir, small)).isNotNull();
      Block stillHere = pin(dir, big);
      assertThat(at(mem, stillHere, 5999)).isEqualTo((byte) 'x');
      gate.release(OPEN);
      awaitSpaceFreed();
      assertThat(on(dir::spilledObjects))
          .as("big was pinned while it was written: it stays in memory, the copy on disk goes")
          .isZero();
      run(() -> dir.unpin(big));

      // now it spills for real, and a restore held at the gate keeps other pins waiting
      assertThat(put(dir, mem, next, 5000, (byte) 'n')).isNull();
      awaitSpaceFreed();
      assertThat(put(dir, mem, next, 5000, (byte) 'n')).isNotNull();
      assertThat(on(dir::spilledObjects)).isEqualTo(1);
      run(() -> dir.delete(next));
      gate.acquireUninterruptibly(OPEN);
      CompletableFuture<Block> first = on(() -> dir.pin(big));
      CompletableFuture<Block> second = on(() -> dir.pin(big));
      assertThat(pin(dir, small)).as("the node answers during the restore").isNotNull();
      assertThat(first.isDone() || second.isDone()).isFalse();
      gate.release(OPEN);
      Block b1 = first.get(10, TimeUnit.SECONDS);
      Block b2 = second.get(10, TimeUnit.SECONDS);
      assertThat(b1).isSameAs(b2);
      assertThat(at(mem, b1, 0)).isEqualTo((byte) 'x');
      assertThat(at(mem, b1, 5999)).isEqualTo((byte) 'x');
      assertThat(on(() -> dir.describe(10)).toString()).contains("pins=2");
    }
  }

  @Test
  void anObjectDeletedWhileItIsWrittenLeavesNothingBehind() throws Exception {
    try (StoreFile mem = StoreFile.create(tmp.resolve("store"), 8192);
        SpillFiles spill = new SpillFiles(tmp.resolve("spill"))) {
      ObjectDirectory dir = directory(mem, spill);
      Key a = new Key(3, 1);
      Key b = new Key(3, 2);
      put(dir, mem, a, 6000, (byte) 'a');
      gate.acquireUninterruptibly(OPEN);
      assertThat(put(dir, mem, b, 6000, (byte) 'b')).isNull();
      run(() -> dir.delete(a)); // while its spill is held at the gate
      gate.release(OPEN);
      awaitSpaceFreed();
      assertThat(on(dir::objects)).isZero();
      assertThat(on(dir::usedBytes)).isZero();
      awaitNoSpillFiles(spill);
      assertThat(put(dir, mem, b, 6000, (byte) 'b')).isNotNull();
    }
  }

  @Test
  void everythingPinned_createFails() throws Exception {
    try (StoreFile mem = StoreFile.create(tmp.resolve("store2"), 4096);
        SpillFiles spill = new SpillFiles(tmp.resolve("spill2"))) {
      ObjectDirectory dir = directory(mem, spill);
      Key a = new Key(4, 1);
      put(dir, mem, a, 3000, (byte) 'a');
      pin(dir, a);
      assertThat(put(dir, mem, new Key(4, 2), 3000, (byte) 'b')).isNull();
      assertThat(on(dir::spilling)).as("nothing can be spilled, so nothing is under way").isFalse();
    }
  }

  @Test
  void aSpillThatFailsIsReportedAndNotRetried() throws Exception {
    Path notADir = tmp.resolve("spill-is-a-file");
    Files.writeString(notADir, "in the way");
    try (StoreFile mem = StoreFile.create(tmp.resolve("store3"), 8192);
        SpillFiles spill = new SpillFiles(notADir)) {
      ObjectDirectory dir = directory(mem, spill);
      Key a = new Key(5, 1);
      put(dir, mem, a, 6000, (byte) 'a');
      assertThat(put(dir, mem, new Key(5, 2), 6000, (byte) 'b')).isNull();
      awaitSpaceFreed();
      assertThat(on(dir::lastIoError)).contains("cannot spill").contains(notADir.toString());
      assertThat(put(dir, mem, new Key(5, 2), 6000, (byte) 'b')).isNull();
      assertThat(on(dir::spilling))
          .as("the object whose spill failed is not tried again at once")
          .isFalse();
      assertThat(at(mem, pin(dir, a), 5999)).as("and it is intact").isEqualTo((byte) 'a');
      run(() -> dir.unpin(a));

      // the disk comes back: after the back-off the object spills and the create gets its block
      Files.delete(notADir);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      Block b = null;
      while (b == null && System.nanoTime() < deadline) {
        b = put(dir, mem, new Key(5, 2), 6000, (byte) 'b');
        if (b == null) {
          spaceFreed.tryAcquire(50, TimeUnit.MILLISECONDS); // a spill finished, or poll again
        }
      }
      assertThat(b).as("a create once the disk takes spills again").isNotNull();
      assertThat(on(dir::lastIoError)).isNull();
      run(() -> dir.delete(new Key(5, 2)));
      assertThat(at(mem, pin(dir, a), 5999)).as("a, restored from disk").isEqualTo((byte) 'a');
    }
  }

  /**
   * Three 3000-byte objects {@code (hi, 1..3)} in an 8 KiB store: the first is spilled to make room
   * for the third. Returns their keys.
   */
  Key[] threeWithTheFirstSpilled(ObjectDirectory dir, StoreFile mem, long hi) throws Exception {
    Key a = new Key(hi, 1);
    Key b = new Key(hi, 2);
    Key c = new Key(hi, 3);
    put(dir, mem, a, 3000, (byte) 'a');
    put(dir, mem, b, 3000, (byte) 'b');
    assertThat(put(dir, mem, c, 3000, (byte) 'c')).as("a is being spilled").isNull();
    awaitSpaceFreed();
    assertThat(put(dir, mem, c, 3000, (byte) 'c')).isNotNull();
    return new Key[] {a, b, c};
  }

  /** Waits until the IO thread has run everything queued before now (removals included). */
  void drainIo() throws Exception {
    run(() -> {}); // the directory's thread first: what it queued is on the IO thread's queue
    ioThread.submit(() -> {}).get(10, TimeUnit.SECONDS);
  }

  static byte[] readAt(Path file, long offset, int n) throws Exception {
    try (var ch = java.nio.channels.FileChannel.open(file)) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(n);
      while (b.hasRemaining() && ch.read(b, offset + b.position()) >= 0) {}
      return b.array();
    }
  }

  @Test
  void aSpilledCopyGivenToReadersStaysOnDiskThroughADeleteUntilTheLastIsDone() throws Exception {
    try (StoreFile mem = StoreFile.create(tmp.resolve("store"), 8192);
        SpillFiles spill = new SpillFiles(tmp.resolve("spill"))) {
      ObjectDirectory dir = directory(mem, spill);
      Key[] keys = threeWithTheFirstSpilled(dir, mem, 2);
      Key a = keys[0];
      Key b = keys[1];
      assertThat(on(() -> dir.readSpilled(b))).as("in memory: pin it instead").isNull();

      ObjectDirectory.SpillRead r1 = on(() -> dir.readSpilled(a));
      ObjectDirectory.SpillRead r2 = on(() -> dir.readSpilled(a));
      assertThat(r1).isEqualTo(r2);
      assertThat(r1.kind()).as("the header's first byte").isEqualTo((byte) 'a');
      assertThat(readAt(r1.path(), r1.loc().offset(), 3000)).containsOnly((byte) 'a');
      assertThat(on(dir::spillReaders)).isEqualTo(2);

      run(() -> dir.delete(a)); // its owner frees it while two readers read its copy
      drainIo();
      assertThat(Files.exists(r1.path())).as("still read").isTrue();
      assertThat(readAt(r1.path(), r1.loc().offset(), 3000)).containsOnly((byte) 'a');
      run(() -> dir.endSpillRead(r1.loc()));
      drainIo();
      assertThat(Files.exists(r1.path())).as("one reader left").isTrue();
      run(() -> dir.endSpillRead(r2.loc()));
      awaitNoSpillFiles(spill);
      assertThat(on(dir::spillReaders)).isZero();
      run(() -> dir.endSpillRead(r2.loc())); // once too often: nothing happens
      assertThat(on(() -> dir.readSpilled(a))).as("deleted").isNull();
    }
  }

  @Test
  void aSpilledCopyBeingReadSurvivesItsRestoreIntoMemory() throws Exception {
    try (StoreFile mem = StoreFile.create(tmp.resolve("store"), 8192);
        SpillFiles spill = new SpillFiles(tmp.resolve("spill"))) {
      ObjectDirectory dir = directory(mem, spill);
      Key[] keys = threeWithTheFirstSpilled(dir, mem, 3);
      Key a = keys[0];
      Key b = keys[1];
      ObjectDirectory.SpillRead r = on(() -> dir.readSpilled(a));
      assertThat(r).isNotNull();
      run(() -> dir.delete(b)); // room to restore a without spilling anything else
      Block back = pin(dir, a); // another reader pins it: restored, its copy on disk is not needed
      assertThat(at(mem, back, 2999)).isEqualTo((byte) 'a');
      drainIo();
      assertThat(Files.exists(r.path())).as("the first reader still reads the copy").isTrue();
      assertThat(readAt(r.path(), r.loc().offset(), 3000)).containsOnly((byte) 'a');
      assertThat(on(() -> dir.readSpilled(a))).as("in memory now").isNull();
      run(() -> dir.endSpillRead(r.loc()));
      awaitNoSpillFiles(spill);
      run(() -> dir.unpin(a));
    }
  }

  static void awaitNoSpillFiles(SpillFiles spill) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (spill.fileCount() > 0 && System.nanoTime() < deadline) {
      CountDownLatch l = new CountDownLatch(1);
      l.await(10, TimeUnit.MILLISECONDS); // removals run on the IO thread
    }
    assertThat(spill.fileCount()).as("spill files are deleted with their objects").isZero();
  }
}
