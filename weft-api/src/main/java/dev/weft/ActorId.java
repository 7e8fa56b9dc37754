package dev.weft;

import java.io.Serializable;

/** Cluster-wide unique id of an actor. */
public record ActorId(long hi, long lo) implements Serializable {
  @Override
  public String toString() {
    return String.format("%016x%016x", hi, lo);
  }
}
