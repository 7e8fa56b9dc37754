package dev.weft.shuffle.sort;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The regular files of a gensort-format folder, in name order, each checked to hold whole records.
 */
public final class InputFiles {
  private InputFiles() {}

  /** One input file and its size in bytes. */
  public record InputFile(Path path, long bytes) {
    public long records() {
      return bytes / Records.RECORD;
    }
  }

  /**
   * Every regular file directly in {@code dir}, sorted by name (hidden files included; folders and
   * other non-regular entries skipped).
   *
   * @throws IllegalArgumentException when {@code dir} is missing or not a folder, or a file's size
   *     is not a multiple of {@value Records#RECORD} bytes (naming the file)
   */
  public static List<InputFile> list(Path dir) {
    List<Path> paths;
    try (Stream<Path> s = Files.list(dir)) {
      paths = s.filter(Files::isRegularFile).sorted().toList();
    } catch (NoSuchFileException | NotDirectoryException e) {
      throw new IllegalArgumentException(
          "input folder "
              + dir
              + " does not exist or is not a folder: give --input a folder of"
              + " gensort-format files (weft sort gen writes some)");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the input folder " + dir + ": " + e, e);
    }
    List<InputFile> out = new ArrayList<>(paths.size());
    for (Path p : paths) {
      long size;
      try {
        size = Files.size(p);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the size of input file " + p + ": " + e, e);
      }
      if (size % Records.RECORD != 0) {
        throw new IllegalArgumentException(
            "input file "
                + p
                + " holds "
                + size
                + " bytes, which is not a whole number of "
                + Records.RECORD
                + "-byte gensort records ("
                + (size % Records.RECORD)
                + " bytes left over): it is truncated or not gensort data; remove it from "
                + dir
                + " or regenerate it");
      }
      out.add(new InputFile(p, size));
    }
    return out;
  }
}
