package dev.weft;

import java.io.Serializable;

/** Cluster-wide unique id of an object. {@code hi} names the owning process, {@code lo} counts. */
public record ObjectId(long hi, long lo) implements Serializable {
  public String hex() {
    return String.format("%016x%016x", hi, lo);
  }

  @Override
  public String toString() {
    return hex();
  }
}
