package dev.weft.internal.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Where a head started with {@code weft start --head} leaves what local drivers and the CLI need: a
 * folder per head port under {@code $TMPDIR/weft-$USER/clusters/<port>/} holding {@code token} (the
 * cluster token, readable by this user only) and {@code pids}.
 */
public final class ClusterFiles {
  private ClusterFiles() {}

  public static Path root() {
    return Path.of(System.getProperty("java.io.tmpdir"), "weft-" + System.getProperty("user.name", "user"));
  }

  public static Path clusterDir(int port) {
    return root().resolve("clusters").resolve(Integer.toString(port));
  }

  public static String newToken() {
    byte[] b = new byte[24];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** The token for a cluster at {@code address}: $WEFT_TOKEN, else the local head's token file. */
  public static String tokenFor(String address) throws IOException {
    String env = System.getenv("WEFT_TOKEN");
    if (env != null && !env.isBlank()) {
      return env.trim();
    }
    int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    Path f = clusterDir(port).resolve("token");
    if (Files.isReadable(f)) {
      return Files.readString(f).trim();
    }
    throw new IOException("no cluster token for " + address + ": set WEFT_TOKEN to the token printed by `weft start --head`"
        + " (on the head machine it is in " + f + ")");
  }

  public static void writeToken(int port, String token) throws IOException {
    Path dir = clusterDir(port);
    Files.createDirectories(dir);
    Path f = dir.resolve("token");
    Files.writeString(f, token);
    try {
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system
    }
  }
}
