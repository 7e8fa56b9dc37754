package dev.weft.shuffle.sort;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Test helpers: read a gensort folder's records, sort them simply, write them into files. */
final class SortData {
  private SortData() {}

  /** Every record of {@code dir}'s files in name order. */
  static List<byte[]> read(Path dir) throws IOException {
    List<byte[]> records = new ArrayList<>();
    for (InputFiles.InputFile f : InputFiles.list(dir)) {
      byte[] all = Files.readAllBytes(f.path());
      for (int off = 0; off < all.length; off += Records.RECORD) {
        records.add(Arrays.copyOfRange(all, off, off + Records.RECORD));
      }
    }
    return records;
  }

  /** The records sorted by their unsigned 10-byte key (a stable sort). */
  static List<byte[]> sorted(List<byte[]> records) {
    List<byte[]> copy = new ArrayList<>(records);
    copy.sort((a, b) -> Arrays.compareUnsigned(a, 0, Records.KEY, b, 0, Records.KEY));
    return copy;
  }

  /** Writes {@code records} into {@code dir}/part-00000.. split at the given record counts. */
  static void write(Path dir, List<byte[]> records, int... split) throws IOException {
    Files.createDirectories(dir);
    int from = 0;
    for (int i = 0; i <= split.length; i++) {
      int to = i < split.length ? from + split[i] : records.size();
      byte[] bytes = new byte[(to - from) * Records.RECORD];
      for (int r = from; r < to; r++) {
        System.arraycopy(records.get(r), 0, bytes, (r - from) * Records.RECORD, Records.RECORD);
      }
      Files.write(dir.resolve(GenSort.fileName(i)), bytes);
      from = to;
    }
  }

  /** The concatenated bytes of {@code dir}'s files in name order. */
  static byte[] concat(Path dir) throws IOException {
    var out = new java.io.ByteArrayOutputStream();
    for (InputFiles.InputFile f : InputFiles.list(dir)) {
      out.write(Files.readAllBytes(f.path()));
    }
    return out.toByteArray();
  }
}
