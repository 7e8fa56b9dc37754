package dev.weft.internal.core;

/**
 * Waits between tries that double from {@code first} up to {@code max} milliseconds, for as long as
 * a window allows: what reconnecting to a control store that restarts needs, in node managers and
 * in drivers and workers alike.
 */
public final class Backoff {
  private final long max;
  private final long deadlineNanos;
  private long next;

  public Backoff(long firstMillis, long maxMillis, long windowMillis) {
    this.next = firstMillis;
    this.max = maxMillis;
    this.deadlineNanos = System.nanoTime() + windowMillis * 1_000_000;
  }

  /** Whether the window is still open. */
  public boolean open() {
    return System.nanoTime() < deadlineNanos;
  }

  /** Waits before the next try; false when interrupted. */
  public boolean pause() {
    try {
      Thread.sleep(next); // the back-off itself: what is awaited is another process coming back
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    next = Math.min(max, next * 2);
    return true;
  }
}
