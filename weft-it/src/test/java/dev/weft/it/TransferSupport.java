package dev.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.ActorHandle;
import dev.weft.ObjectRef;
import dev.weft.Weft;
import dev.weft.internal.core.CoreWorker;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import dev.weft.internal.rpc.Rpc;
import dev.weft.testing.LocalCluster;
import dev.weft.testing.NodeHandle;
import dev.weft.testing.NodeOptions;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * What the object transfer tests ({@link ObjectTransferIT}, {@link PullFailuresIT}) share: a {@link
 * LocalCluster} whose nodes each carry a custom resource, a {@link Reader} actor placed on each
 * through it, seeded data with its checksum, and a node's store as its node manager reports it
 * (StoreStats). One such cluster runs at a time (failsafe runs one test class per JVM).
 */
final class TransferSupport {
  static final Duration SLOW = Duration.ofSeconds(120);
  static final int MIB = 1 << 20;

  /** The cluster of the running test class (its logs are printed when a test fails). */
  static volatile LocalCluster cluster;

  private TransferSupport() {}

  /** Starts the cluster with head node {@code head}. */
  static LocalCluster start(NodeOptions head) {
    cluster = LocalCluster.start(head);
    return cluster;
  }

  /** Closes the driver and the cluster. */
  static void stop() {
    Weft.shutdown();
    if (cluster != null) {
      cluster.close();
    }
  }

  /** A node with one CPU, {@code storeBytes} of object store and one unit of {@code resource}. */
  static NodeOptions nodeWith(String resource, long storeBytes) {
    return NodeOptions.builder().cpus(1).resource(resource, 1).objectStoreBytes(storeBytes).build();
  }

  /** A {@link Reader} placed through {@code resource}, checked to run on {@code node}. */
  static ActorHandle<Reader> readerOn(String resource, NodeHandle node) {
    ActorHandle<Reader> r = Weft.actor(Reader::new).resource(resource, 1).remote();
    assertThat(Weft.get(r.task(Reader::nodeId).remote(), SLOW))
        .as("the actor placed through %s", resource)
        .isEqualTo(node.nodeId());
    return r;
  }

  /** Reads objects on the node it was placed on. */
  public static class Reader {
    /** The checksum of an argument (a ref resolved by the runtime: pulled here if missing). */
    public long checksum(byte[] data) {
      return crc(data);
    }

    /** The checksum of a ref's value read with Weft.get (nested refs are not resolved). */
    public long checksumViaGet(List<ObjectRef<byte[]>> refs) {
      return crc(Weft.get(refs.get(0), SLOW));
    }

    /** A large result: it stays in this node's store. */
    public byte[] make(int sizeBytes, long seed) {
      return bytes(sizeBytes, seed);
    }

    public String nodeId() {
      return Weft.context().nodeId();
    }
  }

  static long crc(byte[] data) {
    CRC32 crc = new CRC32();
    crc.update(data);
    return crc.getValue();
  }

  static byte[] bytes(int n, long seed) {
    byte[] out = new byte[n];
    new Random(seed).nextBytes(out);
    return out;
  }

  /** The object's key as node stores print it. */
  static String key(ObjectRef<?> ref) {
    return String.format("%016x%016x", ref.id().hi(), ref.id().lo());
  }

  /** The store statistics of a node, asked of its node manager (StoreStats). */
  static Msg.StoreStatsReply stats(NodeHandle n) {
    String token = CoreWorker.clusterAccess().get("token");
    try {
      Connection conn = Rpc.connect(n.address(), token, (x, id, m) -> {}, Duration.ofSeconds(10));
      try {
        return (Msg.StoreStatsReply) conn.call(new Msg.StoreStats()).get(10, TimeUnit.SECONDS);
      } finally {
        conn.close();
      }
    } catch (Exception e) {
      throw new AssertionError("reading the store stats of " + n + ": " + e, e);
    }
  }

  /** The ids of the objects in a node's store. */
  static List<String> objectsOn(NodeHandle n) {
    return stats(n).objectLines().stream().map(l -> l.substring(0, l.indexOf(' '))).toList();
  }

  /** Register with {@code @ExtendWith}: prints the cluster's logs when a test fails. */
  static final class DumpLogs implements TestWatcher {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      LocalCluster c = cluster;
      if (c != null) {
        c.printLogs(System.err);
      }
    }
  }
}
