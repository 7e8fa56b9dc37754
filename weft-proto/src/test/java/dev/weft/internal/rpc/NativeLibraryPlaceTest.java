package dev.weft.internal.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Netty unpacks epoll's native library into memory ({@code /dev/shm}), not onto the disk under
 * {@code /tmp}, whose file, deleted while mapped, made each process's exit wait for a discard sent
 * to the disk (see {@link Rpc#nativeLibraryInMemory}).
 */
class NativeLibraryPlaceTest {
  @TempDir Path dir;

  /** Whether /dev/shm is a mount point of its own here, and allows running code. */
  private static boolean shmUsable() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
      String[] f = line.split(" ");
      if (f.length > 3 && f[1].equals("/dev/shm")) {
        return !List.of(f[3].split(",")).contains("noexec") && Files.isWritable(Path.of(f[1]));
      }
    }
    return false;
  }

  @Test
  void aUsersOwnFolderWins_andAFolderThatIsNoMountOfItsOwnIsLeftAlone() {
    assertThat(Rpc.nativeWorkdir("/opt/mine", Path.of("/dev/shm"))).isNull();
    assertThat(Rpc.nativeWorkdir(null, dir)).as("a folder on some other mount").isNull();
    assertThat(Rpc.nativeWorkdir(null, dir.resolve("missing"))).isNull();
  }

  @Test
  void devShm_isChosen_andTheLibraryThisJvmLoadedIsMappedFromThere() throws Exception {
    assumeTrue(shmUsable(), "/dev/shm is not a writable mount that allows running code here");
    assertThat(Rpc.nativeWorkdir(null, Path.of("/dev/shm"))).isEqualTo("/dev/shm");
    assumeTrue(Rpc.transport().equals("epoll"), "this JVM runs NIO: no native library");
    List<String> netty =
        Files.readAllLines(Path.of("/proc/self/maps")).stream()
            .filter(l -> l.contains("netty_transport_native_epoll"))
            .toList();
    assertThat(netty).as("epoll's library is mapped").isNotEmpty();
    assertThat(netty).allMatch(l -> l.contains(" /dev/shm/"), "mapped from /dev/shm");
  }
}
