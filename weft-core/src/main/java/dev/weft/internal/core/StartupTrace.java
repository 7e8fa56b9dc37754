package dev.weft.internal.core;

/**
 * Prints wall-clock marks of start-up phases to stderr when {@code WEFT_TRACE_STARTUP=1} (inherited
 * by every Weft process), so the time from {@code Weft.init()} to the first result can be taken
 * apart across processes.
 */
public final class StartupTrace {
  static final boolean ON = "1".equals(System.getenv("WEFT_TRACE_STARTUP"));

  private StartupTrace() {}

  public static void mark(String what) {
    if (ON) {
      long now = System.currentTimeMillis();
      long jvmStart =
          ProcessHandle.current()
              .info()
              .startInstant()
              .map(java.time.Instant::toEpochMilli)
              .orElse(now);
      System.err.printf(
          "[startup %d] %s (+%d ms since this JVM started)%n", now % 100_000, what, now - jvmStart);
    }
  }
}
