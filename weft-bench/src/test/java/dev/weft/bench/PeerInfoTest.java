package dev.weft.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerInfoTest {
  @TempDir Path dir;

  private Path peer(String name, String props) throws IOException {
    Path d = dir.resolve(name);
    Files.createDirectories(d.resolve("lib"));
    Files.writeString(d.resolve("peer.properties"), props);
    return d;
  }

  @Test
  void discover_readsEveryPeer_inReportOrder() throws IOException {
    peer("tcp", "name=tcp\nmain=a.Tcp\nworkloads=large_object, large_object_view\n");
    peer(
        "hazelcast",
        "name=hazelcast\ntitle=Hazelcast 5.7.0\nmain=a.Hz\nworkloads=tasks_sync\n"
            + "jvm.flags=--add-opens=x  -Dy=z\nheap.mb=512\n");
    Files.createDirectories(dir.resolve("not-a-peer"));

    List<PeerInfo> peers = PeerInfo.discover(dir);

    assertThat(peers).extracting(PeerInfo::name).containsExactly("hazelcast", "tcp");
    PeerInfo hz = peers.get(0);
    assertThat(hz.title()).isEqualTo("Hazelcast 5.7.0");
    assertThat(hz.jvmFlags()).containsExactly("--add-opens=x", "-Dy=z");
    assertThat(hz.heapMb()).isEqualTo(512);
    assertThat(peers.get(1).workloads()).containsExactly("large_object", "large_object_view");
    assertThat(peers.get(1).runs("large_object_view")).isTrue();
    assertThat(peers.get(1).heapMb()).isEqualTo(1024);

    List<String> cmd = PeerProcess.command(peers.get(1), 256L << 20, dir);
    assertThat(cmd)
        .contains("-Xmx1536m", "a.Tcp")
        .contains("-cp")
        .anyMatch(s -> s.endsWith("tcp/lib/*"));
  }

  @Test
  void discover_missingFolderOrKey_saysWhatToDo() throws IOException {
    assertThatThrownBy(() -> PeerInfo.discover(dir.resolve("nope")))
        .hasMessageContaining("does not exist")
        .hasMessageContaining("--peers-dir");
    assertThatThrownBy(() -> PeerInfo.discover(dir)).hasMessageContaining("no peer in");
    peer("bad", "name=bad\nworkloads=x\n");
    assertThatThrownBy(() -> PeerInfo.discover(dir)).hasMessageContaining("'main' missing");
  }

  @Test
  void selectPeers_unknownName_listsThem() throws IOException {
    peer("tcp", "name=tcp\nmain=a.Tcp\nworkloads=large_object\n");
    List<PeerInfo> all = PeerInfo.discover(dir);
    assertThat(PeersRun.selectPeers(all, null)).isEqualTo(all);
    assertThatThrownBy(() -> PeersRun.selectPeers(all, List.of("spark")))
        .hasMessageContaining("no peer 'spark'")
        .hasMessageContaining("[tcp]");
  }
}
