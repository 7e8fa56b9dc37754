package dev.weft.bench.peers;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The hardware reference for {@link Workloads#LARGE} and the sync rows: a plain loopback TCP socket
 * between two JVMs. For {@link Workloads#TASKS_SYNC} and {@link Workloads#ACTOR_SYNC} it is a
 * 64-byte ping-pong: the driver writes 64 bytes, the member echoes them, one round trip at a time.
 * The member ({@link TcpPeer.Producer}) makes the bytes; this driver, per operation, asks for them,
 * reads all of them into a new {@code byte[]} with blocking socket reads, and checks their CRC32C,
 * as Weft's driver does with the {@code byte[]} it gets ({@link Workloads#LARGE}); or streams them
 * through a reused 1 MiB buffer, checksumming as they come ({@link Workloads#LARGE_VIEW}). No
 * framing, no serialization, one copy through the kernel: what any system moving the bytes between
 * processes over TCP could reach.
 */
public final class TcpPeer extends PeerDriver {
  private static final byte MAKE = 'M';
  private static final byte SEND = 'S';
  private static final byte PING = 'P';

  /** The size of one ping and of its echo: the floor under any small remote call. */
  static final int PING_BYTES = 64;

  private final MemberProcess producer;
  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;

  private TcpPeer() throws IOException, InterruptedException {
    producer =
        MemberProcess.start(
            "tcp-producer", Producer.class.getName(), List.of(), Duration.ofSeconds(60));
    int port = ((Number) producer.readyMessage().get("port")).intValue();
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
    in = new DataInputStream(socket.getInputStream());
    out = new DataOutputStream(socket.getOutputStream());
  }

  public static void main(String[] args) {
    serve(TcpPeer::new);
  }

  @Override
  public String system() {
    return "loopback TCP (JDK " + Runtime.version().feature() + " sockets)";
  }

  @Override
  public List<String> workloads() {
    return List.of(
        Workloads.TASKS_SYNC, Workloads.ACTOR_SYNC, Workloads.LARGE, Workloads.LARGE_VIEW);
  }

  @Override
  public Workload open(RunSpec spec) throws IOException {
    if (!workloads().contains(spec.workload())) {
      throw new IllegalArgumentException("the tcp peer only runs " + workloads());
    }
    socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, spec.timeout().toMillis()));
    if (spec.workload().equals(Workloads.TASKS_SYNC)
        || spec.workload().equals(Workloads.ACTOR_SYNC)) {
      // the baseline of the sync rows: a 64-byte message to the other JVM and its 64-byte echo,
      // one at a time, over loopback TCP (no framing, no serialization)
      byte[] ping = new byte[PING_BYTES];
      byte[] pong = new byte[PING_BYTES];
      ping[0] = PING;
      long[] seq = {0};
      return () -> {
        seq[0]++;
        for (int i = 0; i < Long.BYTES; i++) {
          ping[1 + i] = (byte) (seq[0] >>> (8 * i));
        }
        out.write(ping);
        out.flush();
        in.readFully(pong);
        if (!java.util.Arrays.equals(ping, pong)) {
          throw new WorkloadFailedException("ping " + seq[0] + " came back changed");
        }
        return 1;
      };
    }
    int n = LargeData.arrayLength(spec.bytes());
    out.writeByte(MAKE);
    out.writeInt(n);
    out.flush();
    long expected = in.readLong();
    if (spec.workload().equals(Workloads.LARGE_VIEW)) {
      byte[] chunk = new byte[1 << 20];
      return () -> {
        out.writeByte(SEND);
        out.flush();
        CRC32C crc = new CRC32C();
        int left = n;
        while (left > 0) {
          int r = in.read(chunk, 0, Math.min(chunk.length, left));
          if (r < 0) {
            throw new IOException(
                "the producer closed the connection with " + left + " bytes to go");
          }
          crc.update(chunk, 0, r);
          left -= r;
        }
        if (crc.getValue() != expected) {
          throw new WorkloadFailedException(
              "the "
                  + n
                  + " bytes streamed have CRC32C "
                  + crc.getValue()
                  + ", expected "
                  + expected);
        }
        return n;
      };
    }
    return () -> {
      out.writeByte(SEND);
      out.flush();
      byte[] got = new byte[n];
      in.readFully(got);
      long crc = LargeData.crc(got);
      if (crc != expected) {
        throw new WorkloadFailedException(
            "the " + n + " bytes read have CRC32C " + crc + ", expected " + expected);
      }
      return n;
    };
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
    producer.close();
  }

  /** The member: holds the bytes and writes them when asked. */
  public static final class Producer {
    private Producer() {}

    public static void main(String[] args) {
      PeerProtocol.takeStdout();
      ServerSocket server;
      try {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
      } catch (IOException | RuntimeException e) {
        MemberProcess.fatal(e);
        return;
      }
      Thread t = new Thread(() -> serveOne(server), "tcp-producer");
      t.setDaemon(true);
      t.start();
      MemberProcess.announceAndAwaitEof(Map.of("port", server.getLocalPort()));
      Runtime.getRuntime().halt(0);
    }

    private static void serveOne(ServerSocket server) {
      try (Socket s = server.accept()) {
        s.setTcpNoDelay(true);
        DataInputStream in = new DataInputStream(s.getInputStream());
        OutputStream raw = s.getOutputStream();
        DataOutputStream out = new DataOutputStream(raw);
        byte[] data = new byte[0];
        long seed = 0;
        while (true) {
          int op = in.read();
          if (op < 0) {
            return;
          }
          if (op == MAKE) {
            int n = in.readInt();
            data = null; // let the old one go first
            data = LargeData.make(n, ++seed);
            out.writeLong(LargeData.crc(data));
            out.flush();
          } else if (op == SEND) {
            raw.write(data);
            raw.flush();
          } else if (op == PING) {
            byte[] echo = new byte[PING_BYTES];
            echo[0] = PING;
            in.readFully(echo, 1, PING_BYTES - 1);
            raw.write(echo);
            raw.flush();
          } else {
            throw new IOException("unknown command " + op);
          }
        }
      } catch (IOException e) {
        System.err.println("tcp producer: " + e);
      }
    }
  }
}
