package dev.weft.bench;

/** A benchmark produced a wrong result (a lost, repeated or wrong value): the run must fail. */
public final class BenchmarkFailedException extends RuntimeException {
  public BenchmarkFailedException(String message) {
    super(message);
  }
}
