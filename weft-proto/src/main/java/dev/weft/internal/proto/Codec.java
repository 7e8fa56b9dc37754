package dev.weft.internal.proto;

import org.apache.fory.Fory;
import org.apache.fory.ThreadSafeFory;

/**
 * Encodes and decodes {@link Msg}s with Fory. Only message records (and the JDK types they hold)
 * are accepted: registration is required, so a peer cannot make us instantiate arbitrary classes.
 * User values never pass through here as objects, only as {@code byte[]} inside messages.
 */
public final class Codec {
  private static final ThreadSafeFory FORY = build();

  private Codec() {}

  private static ThreadSafeFory build() {
    ThreadSafeFory f =
        Fory.builder()
            .withXlang(false)
            .withRefTracking(false)
            .requireClassRegistration(true)
            .withNumberCompressed(true)
            .withCodegen(true)
            .withAsyncCompilation(false)
            .withClassLoader(Codec.class.getClassLoader())
            .suppressClassRegistrationWarnings(true)
            .buildThreadSafeForyPool(Math.max(4, Runtime.getRuntime().availableProcessors() * 4));
    int id = 400;
    for (Class<?> c : Msg.class.getPermittedSubclasses()) {
      f.register(c, id++);
    }
    return f;
  }

  public static byte[] encode(Msg msg) {
    return FORY.serialize(msg);
  }

  public static Msg decode(byte[] bytes) {
    Object o = FORY.deserialize(bytes);
    if (o instanceof Msg m) {
      return m;
    }
    throw new IllegalArgumentException("not a Weft message: " + (o == null ? "null" : o.getClass().getName()));
  }
}
