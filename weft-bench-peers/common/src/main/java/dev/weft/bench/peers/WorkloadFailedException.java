package dev.weft.bench.peers;

/** A workload got a wrong result (lost, repeated, reordered or corrupted): its figure is void. */
public final class WorkloadFailedException extends RuntimeException {
  public WorkloadFailedException(String message) {
    super(message);
  }
}
