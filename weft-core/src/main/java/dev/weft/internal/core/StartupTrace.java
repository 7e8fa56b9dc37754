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
      // the JVM's own start time: ProcessHandle's start instant is the kernel's boot time (whole
      // seconds) plus the process's start in clock ticks, and was off by up to a second (a bare
      // JVM's main "started" 744 ms after it against 127 ms of uptime)
      long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
      System.err.printf(
          "[startup %d] %s (+%d ms since this JVM started)%n", now % 100_000, what, now - jvmStart);
    }
  }
}
