package dev.weft.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import dev.weft.internal.rpc.Rpc;
import dev.weft.internal.store.SpillFiles;
import dev.weft.internal.store.StoreFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's side of the two phases over a real socket, as the control store sends them: a prepare
 * takes what is free or is refused taking nothing, a commit turns the bundle into its named
 * resources, a cancel gives everything back.
 */
class BundleReservationsTest {
  static final String TOKEN = "bundle-reservations-test";
  static final Duration T = Duration.ofSeconds(20);
  @TempDir Path tmp;

  private final List<AutoCloseable> closeLast = new ArrayList<>();
  private NodeManager nm;
  private Rpc.Server server;
  private Connection control;

  @BeforeEach
  void start() throws Exception {
    StoreFile mem = StoreFile.create(tmp.resolve("store"), 16 << 20);
    SpillFiles spill = new SpillFiles(tmp.resolve("spill"));
    closeLast.add(mem);
    closeLast.add(spill);
    nm = new NodeManager("n1", "127.0.0.1", TOKEN, tmp, Map.of("CPU", 2.0), mem, spill);
    server = Rpc.listen("127.0.0.1", 0, TOKEN, nm);
    nm.address = "127.0.0.1:" + server.port();
    nm.controlAddress = "127.0.0.1:1";
    control = Rpc.connect(nm.address, TOKEN, (x, y, z) -> {}, T);
  }

  @AfterEach
  void stop() throws Exception {
    control.close();
    nm.stopAll();
    server.close();
    for (AutoCloseable c : closeLast.reversed()) {
      c.close();
    }
  }

  private static Msg get(CompletableFuture<Msg> f) throws Exception {
    return f.get(T.toSeconds(), TimeUnit.SECONDS);
  }

  private Map<String, Double> total() throws Exception {
    return nm.loop.submit(() -> new HashMap<>(nm.resources.total)).get();
  }

  private Map<String, Double> available() throws Exception {
    return nm.loop.submit(() -> new HashMap<>(nm.resources.available)).get();
  }

  @Test
  void prepareCommitCancel_takesNamesAndGivesEverythingBack() throws Exception {
    assertThat(get(control.call(new Msg.PrepareBundle("ab", 0, Map.of("CPU", 2.0)))))
        .isInstanceOf(Msg.Ack.class);
    assertThat(available()).containsEntry("CPU", 0.0);

    Msg refused = get(control.call(new Msg.PrepareBundle("ab", 1, Map.of("CPU", 1.0))));
    assertThat(refused).isInstanceOf(Msg.Failure.class);
    assertThat(((Msg.Failure) refused).text())
        .contains("node n1 cannot reserve bundle 1")
        .contains("placement group ab")
        .contains("CPU=0.0 free");
    assertThat(available()).as("a refused prepare takes nothing").containsEntry("CPU", 0.0);
    assertThat(get(control.call(new Msg.CommitBundle("ab", 1))))
        .as("nothing prepared to commit")
        .isInstanceOf(Msg.Failure.class);

    assertThat(get(control.call(new Msg.CommitBundle("ab", 0)))).isInstanceOf(Msg.Ack.class);
    assertThat(total())
        .containsEntry("CPU", 2.0)
        .containsEntry("CPU_group_ab_0", 2.0)
        .containsEntry("CPU_group_ab", 2.0);
    assertThat(available())
        .containsEntry("CPU", 0.0)
        .containsEntry("CPU_group_ab_0", 2.0)
        .containsEntry("CPU_group_ab", 2.0);
    assertThat(nm.resources.infeasible(Map.of("CPU_group_cd_0", 1.0)))
        .as("a bundle not committed yet is not infeasible: it may come")
        .isNull();

    assertThat(get(control.call(new Msg.CancelBundle("ab", 0)))).isInstanceOf(Msg.Ack.class);
    assertThat(total()).isEqualTo(Map.of("CPU", 2.0));
    assertThat(available()).isEqualTo(Map.of("CPU", 2.0));
    assertThat(get(control.call(new Msg.CancelBundle("ab", 0))))
        .as("cancelling what it does not hold")
        .isInstanceOf(Msg.Ack.class);
    assertThat(available()).isEqualTo(Map.of("CPU", 2.0));
  }

  @Test
  void cancelPrepared_givesItsResourcesBack() throws Exception {
    assertThat(get(control.call(new Msg.PrepareBundle("ef", 0, Map.of("CPU", 1.0)))))
        .isInstanceOf(Msg.Ack.class);
    assertThat(available()).containsEntry("CPU", 1.0);
    assertThat(get(control.call(new Msg.CancelBundle("ef", 0)))).isInstanceOf(Msg.Ack.class);
    assertThat(available()).isEqualTo(Map.of("CPU", 2.0));
    assertThat(total()).isEqualTo(Map.of("CPU", 2.0));
  }
}
