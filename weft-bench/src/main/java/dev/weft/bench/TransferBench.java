package dev.weft.bench;

import dev.weft.ActorHandle;
import dev.weft.ObjectBuffer;
import dev.weft.ObjectRef;
import dev.weft.Weft;
import dev.weft.testing.LocalCluster;
import dev.weft.testing.NodeOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Object transfer between nodes (issue 9 item 4), as same-run ratios against raw loopback TCP
 * between two JVMs:
 *
 * <ul>
 *   <li>{@code transfer_1gib}: an object put by the driver on node A, pulled into node B's store by
 *       an actor there (Weft.getBuffer: pulled, then viewed in place), end to end from the driver,
 *       against one JVM sending the same bytes over a loopback socket into another JVM's direct
 *       buffer (and an acknowledging byte back);
 *   <li>{@code broadcast_1gib_3_nodes}: the same object pulled at once by actors on three other
 *       nodes (pullers may take it from nodes that already have it), against three sequential TCP
 *       copies.
 * </ul>
 *
 * Run: {@code weft bench --transfer [--quick]}, or {@code java -Xmx3g -cp
 * 'weft-dist/target/weft/lib/*' dev.weft.bench.TransferBench [--size MiB] [--trials N]}, or through
 * the weft-bench module's class path. Needs about 5 GiB of /dev/shm (four node stores) and prints
 * one line per benchmark.
 */
public final class TransferBench {
  private TransferBench() {}

  /** Reads an object on the node it was placed on. */
  public static class Puller {
    /** Pins the object in this node's store (pulling it here first): its size. */
    public long pull(List<ObjectRef<byte[]>> refs) {
      try (ObjectBuffer b = Weft.getBuffer(refs.get(0))) {
        return b.sizeBytes();
      }
    }
  }

  public static void main(String[] args) throws Exception {
    System.exit(run(args));
  }

  /** Runs the benchmarks ({@code weft bench --transfer}); the exit code. */
  static int run(String[] args) {
    try {
      measure(args);
      return 0;
    } catch (Exception e) {
      System.err.println("transfer benchmark failed: " + e);
      e.printStackTrace();
      return 1;
    } finally {
      if (Weft.isInitialized()) {
        Weft.shutdown();
      }
    }
  }

  private static void measure(String[] args) throws Exception {
    int mib = 1024;
    int trials = 3;
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--size")) {
        mib = Integer.parseInt(args[i + 1]);
      } else if (args[i].equals("--trials")) {
        trials = Integer.parseInt(args[i + 1]);
      }
    }
    if (Arrays.asList(args).contains("--sink")) {
      sink((long) mib << 20);
      return; // never: the sink serves until it is killed
    }
    long size = (long) mib << 20;
    long store = size + size / 2 + (64L << 20);
    try (TcpSink tcp = TcpSink.start(size);
        LocalCluster cluster =
            LocalCluster.start(NodeOptions.builder().cpus(1).objectStoreBytes(store).build())) {
      List<ActorHandle<Puller>> pullers = new ArrayList<>();
      for (int n = 1; n <= 3; n++) {
        cluster.addNode(
            NodeOptions.builder().cpus(1).resource("n" + n, 1).objectStoreBytes(store).build());
      }
      cluster.connect();
      for (int n = 1; n <= 3; n++) {
        ActorHandle<Puller> p = Weft.actor(Puller::new).resource("n" + n, 1).remote();
        Weft.get(p.task(Puller::pull, List.of(Weft.put(new byte[1]))).remote()); // warm up
        pullers.add(p);
      }
      byte[] data = new byte[(int) Math.min(size, Integer.MAX_VALUE - 16)];
      for (int i = 0; i < data.length; i += 4096) {
        data[i] = (byte) i;
      }
      // each trial of Weft right after one of its baseline, so that both see the same phase of a
      // shared machine (a VM's speed drifts over minutes)
      double[] one = new double[trials];
      double[] tcp1 = new double[trials];
      double[] three = new double[trials];
      double[] tcp3 = new double[trials];
      for (int i = 0; i < trials; i++) {
        tcp1[i] = tcp.seconds(1);
        one[i] = pullSeconds(data, pullers.subList(0, 1));
      }
      for (int i = 0; i < trials; i++) {
        tcp3[i] = tcp.seconds(3);
        three[i] = pullSeconds(data, pullers);
      }
      report("transfer_" + mib + "mib", size, one, tcp1, "one TCP copy between two JVMs");
      report("broadcast_" + mib + "mib_3_nodes", 3 * size, three, tcp3, "3 sequential TCP copies");
      Weft.shutdown();
    }
  }

  private static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }

  /** Seconds from put to every puller holding the object in its node's store. */
  private static double pullSeconds(byte[] data, List<ActorHandle<Puller>> pullers) {
    ObjectRef<byte[]> ref = Weft.put(data);
    long t0 = System.nanoTime();
    List<ObjectRef<Long>> done = new ArrayList<>();
    for (ActorHandle<Puller> p : pullers) {
      done.add(p.task(Puller::pull, List.of(ref)).remote());
    }
    for (Long n : Weft.get(done)) {
      if (n < data.length) {
        throw new IllegalStateException("pulled " + n + " of " + data.length + " bytes");
      }
    }
    double s = (System.nanoTime() - t0) / 1e9;
    ref.release(); // its copies on every node are deleted
    System.gc();
    return s;
  }

  /**
   * One line: the medians of Weft's and the baseline's trials and their ratio (baseline / Weft:
   * above 1, Weft is faster), then the ratio of each trial pair.
   */
  private static void report(
      String name, long bytes, double[] weftTrials, double[] tcpTrials, String baseline) {
    double weft = median(weftTrials);
    double tcp = median(tcpTrials);
    StringBuilder pairs = new StringBuilder();
    for (int i = 0; i < weftTrials.length; i++) {
      pairs
          .append(i == 0 ? "" : ", ")
          .append(String.format(Locale.ROOT, "%.2f", tcpTrials[i] / weftTrials[i]));
    }
    System.out.printf(
        Locale.ROOT,
        "%s: weft %.2f GB/s (%.3f s), baseline (%s) %.2f GB/s (%.3f s), ratio %.2fx (trial pairs: %s)%n",
        name,
        bytes / weft / 1e9,
        weft,
        baseline,
        bytes / tcp / 1e9,
        tcp,
        tcp / weft,
        pairs);
  }

  // ------------------------------------------------------------------ the TCP baseline

  /**
   * The baseline: a JVM of its own that receives copies of {@code size} bytes over loopback TCP
   * (see {@link #sink}), and the direct buffer this JVM sends them from.
   */
  private static final class TcpSink implements AutoCloseable {
    private final Process process;
    private final int port;
    private final ByteBuffer src;

    private TcpSink(Process process, int port, ByteBuffer src) {
      this.process = process;
      this.port = port;
      this.src = src;
    }

    static TcpSink start(long size) throws IOException {
      String java = ProcessHandle.current().info().command().orElse("java");
      Process sink =
          new ProcessBuilder(
                  java,
                  "-cp",
                  System.getProperty("java.class.path"),
                  "-XX:MaxDirectMemorySize=" + (size + (64L << 20)),
                  TransferBench.class.getName(),
                  "--sink",
                  "--size",
                  Long.toString(size >> 20))
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      try {
        BufferedReader r =
            new BufferedReader(
                new InputStreamReader(sink.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        if (line == null) {
          throw new IOException("the TCP sink JVM exited before it listened (see above)");
        }
        int port = Integer.parseInt(line.trim());
        ByteBuffer src = ByteBuffer.allocateDirect((int) Math.min(size, Integer.MAX_VALUE - 16));
        for (int i = 0; i < src.capacity(); i += 4096) {
          src.put(i, (byte) i);
        }
        return new TcpSink(sink, port, src);
      } catch (IOException | RuntimeException e) {
        sink.destroyForcibly();
        throw e;
      }
    }

    /** Seconds for {@code copies} sequential copies, each acknowledged by the sink. */
    double seconds(int copies) throws IOException {
      long t0 = System.nanoTime();
      for (int c = 0; c < copies; c++) {
        try (SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
          ByteBuffer b = src.duplicate().clear();
          while (b.hasRemaining()) {
            ch.write(b);
          }
          ByteBuffer ack = ByteBuffer.allocate(1);
          while (ack.hasRemaining() && ch.read(ack) >= 0) {}
        }
      }
      return (System.nanoTime() - t0) / 1e9;
    }

    @Override
    public void close() {
      process.destroy();
    }
  }

  /**
   * The receiving JVM: reads each connection's {@code size} bytes into one direct buffer of that
   * size (as a pull writes into the whole object's block), then acks with one byte.
   */
  private static void sink(long size) throws IOException {
    try (ServerSocketChannel server =
        ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
      System.out.println(((InetSocketAddress) server.getLocalAddress()).getPort());
      System.out.flush();
      ByteBuffer dst = ByteBuffer.allocateDirect((int) Math.min(size, Integer.MAX_VALUE - 16));
      while (true) {
        try (SocketChannel ch = server.accept()) {
          dst.clear();
          while (dst.hasRemaining() && ch.read(dst) >= 0) {}
          ch.write(ByteBuffer.wrap(new byte[] {1}));
        }
      }
    }
  }
}
