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
 * cluster token, readable by this user only) and {@code pids}. A node joined with {@code weft start
 * --address} gets a folder of its own under {@code $TMPDIR/weft-$USER/nodes/} holding {@code pid},
 * {@code head} (the address it joined), its log and its spill files.
 */
public final class ClusterFiles {
  private ClusterFiles() {}

  /**
   * This user's private folder ({@code rwx------}); refused when another user owns it or others may
   * write to it, since it holds cluster tokens and the class-data archives our JVMs map.
   */
  public static Path root() {
    Path root =
        Path.of(
            System.getProperty("java.io.tmpdir"),
            "weft-" + System.getProperty("user.name", "user"));
    try {
      if (!Files.exists(root)) {
        try {
          Files.createDirectories(root.getParent());
          Files.createDirectory(
              root,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (java.nio.file.FileAlreadyExistsException e) {
          // created concurrently: checked below
        }
      }
      java.nio.file.attribute.PosixFileAttributes a =
          Files.readAttributes(
              root,
              java.nio.file.attribute.PosixFileAttributes.class,
              java.nio.file.LinkOption.NOFOLLOW_LINKS);
      String me = System.getProperty("user.name");
      if (!a.isDirectory()
          || (me != null && !a.owner().getName().equals(me))
          || a.permissions().contains(java.nio.file.attribute.PosixFilePermission.GROUP_WRITE)
          || a.permissions().contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE)) {
        throw new IllegalStateException(
            root
                + " is not a private folder of user "
                + me
                + " (owner "
                + a.owner().getName()
                + ", permissions "
                + PosixFilePermissions.toString(a.permissions())
                + "): remove it, or set java.io.tmpdir elsewhere");
      }
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: nothing to check
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot prepare Weft's folder " + root + ": " + e.getMessage(), e);
    }
    return root;
  }

  public static Path clusterDir(int port) {
    return root().resolve("clusters").resolve(Integer.toString(port));
  }

  /** The folder of the nodes joined with {@code weft start --address} on this machine. */
  public static Path nodesDir() {
    return root().resolve("nodes");
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
    throw new IOException(
        "no cluster token for "
            + address
            + ": set WEFT_TOKEN to the token printed by `weft start --head`"
            + " (on the head machine it is in "
            + f
            + ")");
  }

  public static void writeToken(int port, String token) throws IOException {
    Path dir = clusterDir(port);
    Files.createDirectories(dir);
    Path f = dir.resolve("token");
    Path tmp;
    try {
      tmp =
          Files.createTempFile(
              dir,
              "token",
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      tmp = Files.createTempFile(dir, "token", ".tmp");
    }
    Files.writeString(tmp, token); // never readable by others, not even briefly
    Files.move(
        tmp,
        f,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
