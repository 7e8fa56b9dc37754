package dev.weft.bench.peers.spark;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import scala.Tuple2;

/**
 * The records of one input split as (10-byte key, 90-byte payload) pairs, read sequentially; the
 * file is closed after the last record.
 */
final class SplitReader implements Iterator<Tuple2<byte[], byte[]>> {
  private final String path;
  private final byte[] record = new byte[SparkSort.RECORD];
  private long left;
  private InputStream in;

  SplitReader(String path, long offset, long length) {
    this.path = path;
    this.left = length / SparkSort.RECORD;
    try {
      FileChannel ch = FileChannel.open(Path.of(path), StandardOpenOption.READ);
      ch.position(offset);
      in = new BufferedInputStream(Channels.newInputStream(ch), 1 << 20);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read input file " + path, e);
    }
    if (left == 0) {
      close();
    }
  }

  @Override
  public boolean hasNext() {
    return left > 0;
  }

  @Override
  public Tuple2<byte[], byte[]> next() {
    if (left <= 0) {
      throw new NoSuchElementException();
    }
    try {
      if (in.readNBytes(record, 0, record.length) != record.length) {
        throw new EOFException("input file " + path + " ended early (changed while sorting?)");
      }
    } catch (IOException e) {
      close();
      throw new UncheckedIOException(e);
    }
    if (--left == 0) {
      close();
    }
    return new Tuple2<>(
        Arrays.copyOfRange(record, 0, SparkSort.KEY),
        Arrays.copyOfRange(record, SparkSort.KEY, SparkSort.RECORD));
  }

  private void close() {
    try {
      in.close();
    } catch (IOException e) {
      // read-only: nothing is lost
    }
  }
}
