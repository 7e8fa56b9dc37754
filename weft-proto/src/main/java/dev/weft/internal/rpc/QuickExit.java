package dev.weft.internal.rpc;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How a Weft service process (control store, node manager, worker) ends when it is told to stop
 * with SIGTERM: its own clean-up first, then the process ends at once ({@code _exit}).
 *
 * <p>Why not the JVM's own exit: HotSpot ends the VM at a safepoint and first waits for threads in
 * native code to come back, at least 300 ms for any application thread there (every Weft process
 * has event-loop threads in {@code epoll_wait}) and up to 10 s while a JIT compiler thread works.
 * Measured 2026-12-06 on this project's 2-vCPU VM: a control store exited 0.33-1.6 s after its
 * SIGTERM, a worker 0.4-1.8 s, so {@code Weft.shutdown()} of an embedded cluster took 0.4-3.1 s, of
 * which the clean-up was a few milliseconds. A service process holds nothing that the JVM's exit
 * would still save once its clean-up ran: its logs are written as they come, the control store's
 * log is in the page cache on each write, and the node removes its store file in the clean-up.
 *
 * <p>Exit paths other than SIGTERM ({@code System.exit} on a fatal error, SIGINT) keep the JVM's
 * normal exit and shutdown hooks; the clean-up given here should run from a hook as well (it runs
 * once).
 */
public final class QuickExit {
  private QuickExit() {}

  /** The status of a process ended by SIGTERM, as a shell reports it. */
  public static final int TERMINATED = 143;

  private static final MethodHandle EXIT = exitHandle();

  private static MethodHandle exitHandle() {
    try {
      Linker linker = Linker.nativeLinker();
      return linker.downcallHandle(
          linker.defaultLookup().find("_exit").orElseThrow(),
          FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
    } catch (RuntimeException | LinkageError e) {
      return null; // not Linux, or native access not enabled: the JVM's own exit
    }
  }

  /**
   * The clean-up of this process, run once: from the SIGTERM handler {@link #onTerm} installs, or
   * from a shutdown hook on other exits.
   */
  public static Runnable once(Runnable cleanup) {
    AtomicBoolean ran = new AtomicBoolean();
    return () -> {
      if (ran.compareAndSet(false, true)) {
        cleanup.run();
      }
    };
  }

  /**
   * On SIGTERM: runs {@code cleanup} (on the signal's thread; a failure is printed and the exit
   * goes on), then ends the process with status 143 without the JVM's exit. {@code cleanup} is also
   * registered as a shutdown hook named {@code hookName}, for the other ways this process may end;
   * wrap it in {@link #once} so that it runs once whichever comes first.
   */
  public static void onTerm(String hookName, Runnable cleanup) {
    onTerm(hookName, cleanup, false);
  }

  /**
   * As {@link #onTerm(String, Runnable)}; with {@code userCodeRuns} (a worker, where tasks and
   * actors may register shutdown hooks of their own), the process ends at once only where no
   * shutdown hook but Weft's own is registered: else the JVM's normal exit runs them.
   */
  public static void onTerm(String hookName, Runnable cleanup, boolean userCodeRuns) {
    Thread hook = new Thread(cleanup, hookName);
    Runtime.getRuntime().addShutdownHook(hook);
    if (EXIT == null) {
      return;
    }
    try {
      sun.misc.Signal.handle(
          new sun.misc.Signal("TERM"),
          sig -> {
            try {
              cleanup.run();
            } catch (Throwable t) {
              System.err.println("clean-up on SIGTERM failed: " + t);
              t.printStackTrace();
            }
            if (userCodeRuns && !onlyHook(hook)) {
              System.exit(TERMINATED); // the user's hooks run, then the JVM's exit
            }
            exitNow(TERMINATED);
          });
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      // the JVM keeps SIGTERM for itself (-Xrs): its normal exit and the hook above
    }
  }

  /**
   * Whether every application shutdown hook registered is {@code hook} or another of Weft's own
   * (named {@code weft-...}, such as {@code Weft.init}'s, which a process that ends at once does
   * not need); false where that cannot be told (java.lang not open to Weft's code).
   */
  static boolean onlyHook(Thread hook) {
    try {
      Class<?> c = Class.forName("java.lang.ApplicationShutdownHooks");
      java.lang.reflect.Field f = c.getDeclaredField("hooks");
      f.setAccessible(true);
      synchronized (c) {
        java.util.Map<?, ?> hooks = (java.util.Map<?, ?>) f.get(null);
        if (hooks == null) {
          return false; // the JVM's exit has begun
        }
        for (Object h : hooks.keySet()) {
          if (h != hook && !((Thread) h).getName().startsWith("weft-")) {
            return false;
          }
        }
        return true;
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  /** Ends the process now with {@code status}: output flushed, the JVM's perf-data file removed. */
  static void exitNow(int status) {
    System.out.flush();
    System.err.flush();
    try {
      // what the JVM's exit would remove (with -XX:+UsePerfData, the default)
      String user = System.getProperty("user.name");
      Files.deleteIfExists(
          Path.of(
              System.getProperty("java.io.tmpdir"),
              "hsperfdata_" + user,
              Long.toString(ProcessHandle.current().pid())));
    } catch (Exception e) {
      // a later JVM removes a dead process's file
    }
    try {
      EXIT.invokeExact(status);
    } catch (Throwable t) {
      Runtime.getRuntime().halt(status);
    }
  }
}
