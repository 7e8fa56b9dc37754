package dev.weft.internal.core;

import java.io.PrintStream;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

/**
 * Lets a user's program run with plain {@code java -cp} and no JVM flags, with at most one line on
 * standard error about what flags would change.
 *
 * <p>Two JDK warnings would otherwise appear, four lines each:
 *
 * <ul>
 *   <li>Native access: Weft's own code avoids restricted methods when {@code
 *       --enable-native-access} is not given (the RPC layer uses NIO sockets instead of Netty's
 *       native epoll, the store skips its {@code madvise} pre-faulting), so the JDK has nothing to
 *       warn about; {@link dev.weft.internal.rpc.Rpc} and the store check {@link
 *       Module#isNativeAccessEnabled()} themselves.
 *   <li>{@code sun.misc.Unsafe}: Apache Fory 1.6, the serializer, reads field offsets and memory
 *       through it and has no mode without it. When the JVM would warn ({@code
 *       --sun-misc-unsafe-memory-access} unset, i.e. {@code warn}), this class marks the warning as
 *       given before Fory first calls Unsafe (the JDK warns once per JVM, and {@code sun.misc} is
 *       open to reflection), and prints its own single line instead, naming the flag.
 * </ul>
 *
 * With {@code --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED} (what
 * {@code weft java} passes) it prints nothing. {@code -Dweft.jvmWarnings=jdk} leaves the JDK's own
 * warnings alone.
 */
final class DriverJvmCheck {
  private static boolean done;

  private DriverJvmCheck() {}

  /** Runs once per JVM, before the serializer or the RPC layer is first used. */
  static synchronized void run(PrintStream err) {
    if (done) {
      return;
    }
    done = true;
    if ("jdk".equals(System.getProperty("weft.jvmWarnings"))) {
      return;
    }
    List<String> missing = new ArrayList<>();
    List<String> why = new ArrayList<>();
    if (quietUnsafeWarning()) {
      missing.add("--sun-misc-unsafe-memory-access=allow");
      why.add("its serializer (Apache Fory) uses sun.misc.Unsafe, which later JDKs will deny");
    }
    if (!DriverJvmCheck.class.getModule().isNativeAccessEnabled()) {
      missing.add("--enable-native-access=ALL-UNNAMED");
      why.add("without it Weft uses NIO sockets instead of native epoll");
    }
    if (!missing.isEmpty()) {
      err.println(
          "weft: this JVM runs without "
              + String.join(" ", missing)
              + ": Weft works, but "
              + String.join("; ", why)
              + ". Start the program with `weft java` (bin/weft) or add "
              + (missing.size() == 1 ? "that flag" : "those flags")
              + " to silence this line.");
    }
  }

  /**
   * True when the JDK would have warned about Unsafe (mode {@code warn}, not warned yet) and its
   * warning is now marked as given; false when Unsafe is allowed, denied, already warned about, or
   * the JDK's internals are not as expected (then the JDK's own warning appears, as before).
   */
  private static boolean quietUnsafeWarning() {
    try {
      Class<?> unsafe = Class.forName("sun.misc.Unsafe");
      Field option = unsafe.getDeclaredField("MEMORY_ACCESS_OPTION");
      option.setAccessible(true);
      if (!"WARN".equals(String.valueOf(option.get(null)))) {
        return false;
      }
      Field warned = unsafe.getDeclaredField("memoryAccessWarned");
      warned.setAccessible(true);
      if (warned.getBoolean(null)) {
        return false; // someone used Unsafe before Weft: the JDK has said it already
      }
      warned.setBoolean(null, true);
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false; // another JDK: its own warning stands
    }
  }
}
