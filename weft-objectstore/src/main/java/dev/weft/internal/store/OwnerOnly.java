package dev.weft.internal.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Files and folders that only this user may open: their permissions are given when they are created
 * (never set afterwards, which would leave a window in which others could open them). On a file
 * system without POSIX permissions they are created with its defaults.
 */
final class OwnerOnly {
  private static final FileAttribute<Set<PosixFilePermission>> FILE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
  private static final FileAttribute<Set<PosixFilePermission>> FOLDER =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

  private OwnerOnly() {}

  /**
   * Creates {@code path} ({@code rw-------}; it must not exist yet) and opens it to read and write.
   */
  static FileChannel createFile(Path path) throws IOException {
    Set<StandardOpenOption> options =
        EnumSet.of(
            StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      return FileChannel.open(path, options, FILE);
    } catch (UnsupportedOperationException e) {
      return FileChannel.open(path, options); // not a POSIX file system
    }
  }

  /**
   * Creates {@code dir} ({@code rwx------}) and the folders above it that are missing (those with
   * the file system's defaults); an existing {@code dir} is left as it is.
   */
  static void createDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Path parent = dir.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try {
      Files.createDirectory(dir, FOLDER);
    } catch (UnsupportedOperationException e) {
      Files.createDirectories(dir); // not a POSIX file system
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir)) {
        throw e;
      }
      // created concurrently: fine
    }
  }
}
