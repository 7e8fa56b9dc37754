package dev.weft.bench.peers.pekko;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.weft.bench.peers.MemberProcess;
import dev.weft.bench.peers.PeerDriver;
import dev.weft.bench.peers.PeerProtocol;
import dev.weft.bench.peers.RunSpec;
import dev.weft.bench.peers.Workload;
import dev.weft.bench.peers.WorkloadFailedException;
import dev.weft.bench.peers.Workloads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Apache Pekko typed actors over Artery TCP remoting on loopback: the counter actor lives in
 * another JVM ({@link PekkoPeer.OtherSystem}); this driver calls it with the ask pattern ({@code
 * AskPattern.ask}), which is Pekko's request/response call, one future per call.
 */
public final class PekkoPeer extends PeerDriver {
  static final String MEMBER_SYSTEM = "weftbenchmember";

  private final MemberProcess other;
  private final ActorSystem<Void> system;
  private final ActorRef<Counter.Inc> counter;
  private long lastSeen;

  private PekkoPeer() throws Exception {
    int port = PeerProtocol.freePort();
    other =
        MemberProcess.start(
            "pekko-member",
            OtherSystem.class.getName(),
            List.of(String.valueOf(port)),
            Duration.ofSeconds(90));
    try {
      system = ActorSystem.create(Behaviors.empty(), "weftbenchdriver", config(0));
      String path = "pekko://" + MEMBER_SYSTEM + "@127.0.0.1:" + port + "/user/counter";
      org.apache.pekko.actor.ActorRef classic =
          Adapter.toClassic(system)
              .actorSelection(path)
              .resolveOne(Duration.ofSeconds(30))
              .toCompletableFuture()
              .get(60, TimeUnit.SECONDS);
      counter = Adapter.toTyped(classic);
      lastSeen = call().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception | Error e) {
      other.close();
      throw e;
    }
  }

  public static void main(String[] args) {
    serve(PekkoPeer::new);
  }

  /** Artery TCP on 127.0.0.1; our serializer for the call message; quiet logging. */
  static Config config(int port) {
    return ConfigFactory.parseString(
            String.join(
                "\n",
                "pekko.actor.provider = remote",
                "pekko.remote.artery.transport = tcp",
                "pekko.remote.artery.canonical.hostname = \"127.0.0.1\"",
                "pekko.remote.artery.canonical.port = " + port,
                "pekko.remote.artery.bind.hostname = \"127.0.0.1\"",
                "pekko.actor.serializers.weft-inc = \"" + IncSerializer.class.getName() + "\"",
                "pekko.actor.serialization-bindings { \""
                    + Counter.Inc.class.getName()
                    + "\" = weft-inc }",
                "pekko.loglevel = WARNING",
                "pekko.stdout-loglevel = WARNING",
                "pekko.log-dead-letters = off",
                "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off"))
        .withFallback(ConfigFactory.load());
  }

  private CompletionStage<Long> call() {
    return AskPattern.ask(counter, Counter.Inc::new, Duration.ofSeconds(60), system.scheduler());
  }

  @Override
  public String system() {
    return "Apache Pekko " + org.apache.pekko.Version.current() + " (typed, Artery TCP)";
  }

  @Override
  public List<String> workloads() {
    return List.of(Workloads.ACTOR_SYNC, Workloads.ACTOR_ASYNC);
  }

  @Override
  public Workload open(RunSpec spec) {
    long timeoutMs = spec.timeout().toMillis();
    return switch (spec.workload()) {
      case Workloads.ACTOR_SYNC ->
          () -> {
            expect(call().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS));
            return 1;
          };
      case Workloads.ACTOR_ASYNC ->
          () -> {
            int n = spec.batch();
            List<CompletableFuture<Long>> fs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
              fs.add(call().toCompletableFuture());
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            for (CompletableFuture<Long> f : fs) {
              expect(f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            }
            return n;
          };
      default ->
          throw new IllegalArgumentException(
              "Pekko runs " + workloads() + ", not " + spec.workload());
    };
  }

  /** Calls from one sender arrive in order: every reply must be the next count. */
  private void expect(Long got) {
    long expected = lastSeen + 1;
    if (got == null || got != expected) {
      throw new WorkloadFailedException(
          "the actor returned count "
              + got
              + ", expected "
              + expected
              + " (a call was lost, repeated or run out of order)");
    }
    lastSeen = expected;
  }

  @Override
  public void close() {
    try {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("pekko driver: terminate: " + e);
    } finally {
      other.close();
    }
  }

  /** The other JVM: an actor system holding the counter actor at /user/counter. */
  public static final class OtherSystem {
    private OtherSystem() {}

    public static void main(String[] args) {
      PeerProtocol.takeStdout();
      ActorSystem<Void> system;
      try {
        system =
            ActorSystem.create(
                Behaviors.setup(
                    ctx -> {
                      ctx.spawn(Counter.create(), "counter");
                      return Behaviors.empty();
                    }),
                MEMBER_SYSTEM,
                config(Integer.parseInt(args[0])));
      } catch (RuntimeException | Error e) {
        MemberProcess.fatal(e);
        return;
      }
      MemberProcess.announceAndAwaitEof(Map.of("address", system.address().toString()));
      system.terminate();
      Runtime.getRuntime().halt(0);
    }
  }
}
