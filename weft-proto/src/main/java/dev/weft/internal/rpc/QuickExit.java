package dev.weft.internal.rpc;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

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
 * normal exit and shutdown hooks; the clean-up given here runs from a hook then (once, whichever
 * comes first). So does a SIGTERM to a process where something other than Weft registered a
 * shutdown hook (a task's code in a worker, an agent), and one started with {@link
 * #JVM_EXIT_PROPERTY} (its first run, when the JVM writes its class-data archive at exit).
 */
public final class QuickExit {
  private QuickExit() {}

  /**
   * A system property that, set to {@code true}, makes a SIGTERM take the JVM's own exit: the
   * starter of a process sets it where the JVM writes its class-data archive at exit ({@code
   * -XX:+AutoCreateSharedArchive} with no archive yet), which {@code _exit} would skip, so that
   * every later start of that process would go without one.
   */
  public static final String JVM_EXIT_PROPERTY = "weft.exit.viaJvm";

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
   * from a shutdown hook on other exits. A caller that comes while another runs it waits until it
   * is done (a second SIGTERM, say, must not end the process in the middle of the first's
   * clean-up); its failure is the first caller's alone.
   */
  public static Runnable once(Runnable cleanup) {
    java.util.concurrent.FutureTask<Void> task =
        new java.util.concurrent.FutureTask<>(cleanup, null);
    return () -> {
      task.run(); // runs it, or returns at once where another thread has or had it
      boolean interrupted = false;
      while (true) {
        try {
          task.get();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (java.util.concurrent.ExecutionException e) {
          break; // the thread that ran it saw the failure
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    };
  }

  /**
   * On SIGTERM: runs {@code cleanup} (on the signal's thread; a failure is printed and the exit
   * goes on), then ends the process with status 143 without the JVM's exit, where every application
   * shutdown hook registered is Weft's own ({@code weft-...}): a hook of anything else (a task's,
   * an agent's such as JFR's or a coverage tool's) gets the JVM's normal exit instead, which runs
   * it. {@code cleanup} is also registered as a shutdown hook named {@code hookName}, for the other
   * ways this process may end; wrap it in {@link #once} so that it runs once, whichever comes
   * first. A SIGTERM while the JVM's exit has begun (after {@code System.exit}) leaves it to
   * finish.
   */
  public static void onTerm(String hookName, Runnable cleanup) {
    Thread hook = new Thread(cleanup, hookName);
    Runtime.getRuntime().addShutdownHook(hook);
    if (EXIT == null) {
      return;
    }
    try {
      sun.misc.Signal.handle(
          new sun.misc.Signal("TERM"),
          sig -> {
            if (exitBegun()) {
              return; // the hooks (this clean-up among them) run, then the JVM ends
            }
            try {
              cleanup.run();
            } catch (Throwable t) {
              System.err.println("clean-up on SIGTERM failed: " + t);
              t.printStackTrace();
            }
            if (!onlyHook(hook) || Boolean.getBoolean(JVM_EXIT_PROPERTY)) {
              System.exit(TERMINATED); // the other hooks run, then the JVM's exit
            }
            exitNow(TERMINATED);
          });
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      // the JVM keeps SIGTERM for itself (-Xrs): its normal exit and the hook above
    }
  }

  /** Whether the JVM's exit has begun: it takes no more shutdown hooks then. */
  static boolean exitBegun() {
    Thread probe = new Thread(() -> {}, "weft-exit-probe");
    try {
      Runtime.getRuntime().addShutdownHook(probe);
    } catch (IllegalStateException e) {
      return true;
    }
    Runtime.getRuntime().removeShutdownHook(probe);
    return false;
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

  /** The JVM's perf-data file of process {@code pid} (HotSpot on Linux). */
  static Path perfDataFile(long pid) {
    return Path.of("/tmp", "hsperfdata_" + System.getProperty("user.name"), Long.toString(pid));
  }

  /** Ends the process now with {@code status}: output flushed, the JVM's perf-data file removed. */
  static void exitNow(int status) {
    System.out.flush();
    System.err.flush();
    try {
      // what the JVM's exit would remove (with -XX:+UsePerfData, the default): HotSpot keeps it
      // under /tmp on Linux, whatever java.io.tmpdir says
      Files.deleteIfExists(perfDataFile(ProcessHandle.current().pid()));
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
