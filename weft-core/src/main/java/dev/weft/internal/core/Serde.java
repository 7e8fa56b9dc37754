package dev.weft.internal.core;

import dev.weft.RemoteException;
import dev.weft.SerializationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;
import org.apache.fory.Fory;
import org.apache.fory.ThreadSafeFory;

/**
 * Serialization of user values (Fory, JVM mode, reference tracking on) and of exceptions thrown by
 * user code (JDK serialization behind a filter, with a {@link RemoteException} fallback).
 *
 * <p>Class policy: a cluster runs its job's own code, so classes on the job's class path may be
 * deserialized; a deny list refuses the well-known deserialization gadget families; and nothing is
 * deserialized before a connection has presented the cluster token (see Rpc).
 */
final class Serde {
  private static final Set<String> DENIED_PREFIXES =
      Set.of(
          "org.apache.commons.collections.functors.",
          "org.apache.commons.collections4.functors.",
          "org.codehaus.groovy.runtime.",
          "org.springframework.beans.factory.",
          "com.sun.org.apache.xalan.internal.xsltc.trax.",
          "org.apache.xalan.xsltc.trax.",
          "com.sun.rowset.",
          "javax.management.",
          "java.rmi.",
          "sun.rmi.",
          "bsh.",
          "com.mchange.v2.c3p0.",
          "org.python.core.",
          "clojure.");

  private static final ThreadSafeFory FORY = build();

  private Serde() {}

  private static ThreadSafeFory build() {
    return Fory.builder()
        .withXlang(false)
        .withRefTracking(true)
        .requireClassRegistration(false)
        .suppressClassRegistrationWarnings(true)
        .withAsyncCompilation(true)
        .withClassLoader(
            Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader()
                : Serde.class.getClassLoader())
        .withTypeChecker((resolver, className) -> !isDenied(className))
        .buildThreadSafeForyPool(Math.max(4, Runtime.getRuntime().availableProcessors() * 4));
  }

  /** Builds Fory's first instance off the critical path (it takes a few hundred ms). */
  static void warmUpAsync() {
    Thread.ofPlatform()
        .daemon()
        .name("weft-serde-warmup")
        .start(
            () -> deserialize(serialize(new Object[] {1, "x", new int[1]}, "warm-up"), "warm-up"));
  }

  static boolean isDenied(String className) {
    for (String p : DENIED_PREFIXES) {
      if (className.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  static byte[] serialize(Object value, String what) {
    try {
      return FORY.serialize(value);
    } catch (StackOverflowError e) {
      throw new SerializationException(
          "cannot serialize "
              + what
              + " of class "
              + className(value)
              + ": the object graph is too deep (stack overflow); flatten it or split it into several objects");
    } catch (RuntimeException e) {
      throw new SerializationException(
          "cannot serialize "
              + what
              + " of class "
              + className(value)
              + ": "
              + rootMessage(e)
              + " (values must be serializable by Fory: plain fields, no open resources such as threads, sockets or streams)",
          e);
    }
  }

  static Object deserialize(java.nio.ByteBuffer bytes, String what) {
    try {
      return FORY.deserialize(bytes);
    } catch (RuntimeException | LinkageError e) {
      throw cannotDeserialize(what, e);
    }
  }

  static Object deserialize(byte[] bytes, String what) {
    try {
      return FORY.deserialize(bytes);
    } catch (RuntimeException | LinkageError e) {
      throw cannotDeserialize(what, e);
    }
  }

  private static SerializationException cannotDeserialize(String what, Throwable e) {
    return new SerializationException(
        "cannot deserialize "
            + what
            + ": "
            + rootMessage(e)
            + " (is the class on this process's class path, and the same version as the writer's?)",
        e);
  }

  private static String className(Object v) {
    return v == null ? "null" : v.getClass().getName();
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  // ---------------------------------------------------------------- exceptions

  static byte[] serializeError(Throwable t) {
    try {
      ByteArrayOutputStream bos = new ByteArrayOutputStream();
      try (ObjectOutputStream oos = new ObjectOutputStream(bos)) {
        oos.writeObject(t);
      }
      return bos.toByteArray();
    } catch (IOException | RuntimeException e) {
      return null; // the text form still travels
    }
  }

  static String describeError(Throwable t) {
    StringWriter sw = new StringWriter();
    t.printStackTrace(new PrintWriter(sw));
    return t.getClass().getName() + "\u0000" + String.valueOf(t.getMessage()) + "\u0000" + sw;
  }

  /** Rebuilds the remote exception, or a RemoteException with its class, message and trace. */
  static Throwable deserializeError(byte[] bytes, String text) {
    if (bytes != null) {
      try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
        in.setObjectInputFilter(
            info -> {
              Class<?> c = info.serialClass();
              if (c == null) {
                return ObjectInputFilter.Status.UNDECIDED;
              }
              if (isDenied(c.getName()) || info.depth() > 64) {
                return ObjectInputFilter.Status.REJECTED;
              }
              return ObjectInputFilter.Status.ALLOWED;
            });
        Object o = in.readObject();
        if (o instanceof Throwable t) {
          return t;
        }
      } catch (Exception | LinkageError e) {
        // fall through to the text form
      }
    }
    String[] parts = text == null ? new String[0] : text.split("\u0000", 3);
    if (parts.length == 3) {
      return new RemoteException(parts[0], parts[1], parts[2]);
    }
    return new RemoteException("unknown", text, "");
  }
}
