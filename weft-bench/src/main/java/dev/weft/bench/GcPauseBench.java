package dev.weft.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one {@code System.gc()} costs a worker with a user-sized live heap, under whichever
 * collector this JVM runs: the wall time of the call, and the longest stall an application thread
 * saw meanwhile (a thread that only reads the clock; its longest gap is the pause it felt, for
 * stop-the-world and concurrent collectors alike).
 *
 * <p>Run one JVM per collector, e.g. {@code java -Xmx8g -XX:+UseSerialGC -cp 'lib/*'
 * dev.weft.bench.GcPauseBench 2} (the argument is the live heap in GiB: half in 64-byte objects
 * held in lists, half in 1 MiB arrays, the mix of a worker holding deserialized values and large
 * buffers). Prints one line: collector, live GiB, median and max of the System.gc() wall time and
 * of the longest stall, over the rounds after a warm-up one.
 */
public final class GcPauseBench {
  private GcPauseBench() {}

  /** Keeps the live set reachable until the end. */
  @SuppressWarnings("unused")
  private static volatile Object live;

  public static void main(String[] args) throws Exception {
    double gib = args.length > 0 ? Double.parseDouble(args[0]) : 2;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    long half = (long) (gib * (1L << 30) / 2);
    List<Object> keep = new ArrayList<>();
    long small = half / 64; // 64-byte objects: a 16-byte header and six ints/refs
    List<int[]> cur = new ArrayList<>();
    for (long i = 0; i < small; i++) {
      if (cur.size() == 1 << 16) {
        keep.add(cur);
        cur = new ArrayList<>(1 << 16);
      }
      cur.add(new int[10]); // 16 + 40 bytes, aligned to 56: close to 64 with the list's slot
    }
    keep.add(cur);
    for (long b = 0; b < half; b += 1 << 20) {
      keep.add(new byte[1 << 20]);
    }
    live = keep;

    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong maxGap = new AtomicLong();
    Thread probe =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  long last = System.nanoTime();
                  while (!stop.get()) {
                    long now = System.nanoTime();
                    long gap = now - last;
                    if (gap > maxGap.get()) {
                      maxGap.set(gap);
                    }
                    last = now;
                  }
                });
    long[] wall = new long[rounds];
    long[] stall = new long[rounds];
    System.gc(); // warm-up: promotes the live set
    for (int r = 0; r < rounds; r++) {
      Thread.sleep(200); // the probe settles; this is a measurement, not a wait for a condition
      maxGap.set(0);
      long t0 = System.nanoTime();
      System.gc();
      wall[r] = System.nanoTime() - t0;
      Thread.sleep(50);
      stall[r] = maxGap.get();
    }
    stop.set(true);
    probe.join();
    String gc =
        java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
            .map(java.lang.management.GarbageCollectorMXBean::getName)
            .reduce((a, b) -> a + "+" + b)
            .orElse("?");
    List<String> flags =
        java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(f -> f.startsWith("-XX:"))
            .toList();
    System.out.printf(
        "%s %s live=%.1fGiB cpus=%d System.gc wall ms median=%.0f max=%.0f; longest app stall ms"
            + " median=%.1f max=%.1f%n",
        gc,
        flags,
        gib,
        Runtime.getRuntime().availableProcessors(),
        median(wall) / 1e6,
        Arrays.stream(wall).max().orElse(0) / 1e6,
        median(stall) / 1e6,
        Arrays.stream(stall).max().orElse(0) / 1e6);
  }

  private static double median(long[] a) {
    long[] s = a.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
