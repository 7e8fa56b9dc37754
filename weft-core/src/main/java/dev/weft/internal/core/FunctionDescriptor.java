package dev.weft.internal.core;

import dev.weft.SerializationException;
import dev.weft.internal.proto.Msg;
import java.io.Serializable;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a serializable lambda or method reference into a {@link Msg.FunctionDesc} (class, method,
 * JVM descriptor, kind, captured values) on the caller side, and back into something callable on
 * the executor side. Non-capturing lambdas are described once per lambda class.
 */
final class FunctionDescriptor {
  private static final ClassValue<Msg.FunctionDesc> NON_CAPTURING =
      new ClassValue<>() {
        @Override
        protected Msg.FunctionDesc computeValue(Class<?> type) {
          return null;
        }
      };
  private static final ConcurrentHashMap<Class<?>, Msg.FunctionDesc> DESC_CACHE =
      new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<String, Invocable> INVOKERS = new ConcurrentHashMap<>();

  private FunctionDescriptor() {}

  /**
   * Describes {@code fn}; refs among a lambda's captured values are added to {@code captured}: the
   * caller keeps them alive until the call is done, as it does its arguments.
   */
  static Msg.FunctionDesc describe(Object fn, List<RefImpl<?>> captured) {
    if (!(fn instanceof Serializable)) {
      throw new SerializationException(
          "remote function "
              + fn.getClass().getName()
              + " is not serializable: pass a method reference (Class::method) or a lambda typed by Weft's function interfaces");
    }
    Msg.FunctionDesc cached = DESC_CACHE.get(fn.getClass());
    if (cached != null) {
      return cached;
    }
    SerializedLambda sl = serializedLambda(fn);
    byte[] capturedBytes = null;
    if (sl.getCapturedArgCount() > 0) {
      Object[] caps = new Object[sl.getCapturedArgCount()];
      for (int i = 0; i < caps.length; i++) {
        caps[i] = sl.getCapturedArg(i);
      }
      capturedBytes =
          RefLifecycle.serialize(
              caps, "the values captured by lambda " + sl.getImplMethodName(), captured);
    }
    Msg.FunctionDesc d =
        new Msg.FunctionDesc(
            sl.getImplClass().replace('/', '.'),
            sl.getImplMethodName(),
            sl.getImplMethodSignature(),
            sl.getImplMethodKind(),
            capturedBytes);
    if (capturedBytes == null) {
      DESC_CACHE.put(fn.getClass(), d);
    }
    return d;
  }

  /** A readable name for messages: {@code Class.method}. */
  static String displayName(Msg.FunctionDesc d) {
    String simple = d.className().substring(d.className().lastIndexOf('.') + 1);
    return simple + "." + ("<init>".equals(d.methodName()) ? "new" : d.methodName());
  }

  private static SerializedLambda serializedLambda(Object fn) {
    try {
      Method m = fn.getClass().getDeclaredMethod("writeReplace");
      m.setAccessible(true);
      Object r = m.invoke(fn);
      if (r instanceof SerializedLambda sl) {
        return sl;
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // fall through
    }
    throw new SerializationException(
        "remote function "
            + fn.getClass().getName()
            + " is not a lambda or method reference: pass Class::method, Class::new, or a lambda");
  }

  /** Something the executor can call: captured values first, then the call's arguments. */
  static final class Invocable {
    final Executable target;
    final int kind;
    final Object[] captured;
    final int arity;

    Invocable(Executable target, int kind, Object[] captured) {
      this.target = target;
      this.kind = kind;
      this.captured = captured;
      int n = target.getParameterCount();
      boolean receiver =
          kind == MethodHandleInfo.REF_invokeVirtual
              || kind == MethodHandleInfo.REF_invokeInterface
              || kind == MethodHandleInfo.REF_invokeSpecial;
      this.arity = n + (receiver ? 1 : 0) - (captured == null ? 0 : captured.length);
    }

    /** Calls with {@code receiver} (for actor methods; null otherwise) and the call's arguments. */
    Object invoke(Object receiver, Object[] args) throws Throwable {
      Object[] all = args;
      int capN = captured == null ? 0 : captured.length;
      if (receiver != null || capN > 0) {
        all = new Object[(receiver != null ? 1 : 0) + capN + args.length];
        int i = 0;
        if (receiver != null) {
          all[i++] = receiver;
        }
        for (int c = 0; c < capN; c++) {
          all[i++] = captured[c];
        }
        System.arraycopy(args, 0, all, i, args.length);
      }
      try {
        if (target instanceof Constructor<?> c) {
          return c.newInstance(all);
        }
        Method m = (Method) target;
        if (java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
          return m.invoke(null, all);
        }
        Object self = all[0];
        Object[] rest = new Object[all.length - 1];
        System.arraycopy(all, 1, rest, 0, rest.length);
        return m.invoke(self, rest);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }

  /**
   * Something callable for {@code d}; captured values are read by {@code decode} (the executor
   * reads them as it does arguments: refs among them are borrowed before the call runs).
   */
  static Invocable resolve(
      Msg.FunctionDesc d, ClassLoader loader, java.util.function.Function<byte[], Object> decode) {
    String key = d.className() + "#" + d.methodName() + d.descriptor() + "#" + d.kind();
    Invocable base = INVOKERS.computeIfAbsent(key, k -> lookup(d, loader));
    if (d.captured() == null) {
      return base;
    }
    Object[] caps = (Object[]) decode.apply(d.captured());
    return new Invocable(base.target, base.kind, caps);
  }

  private static Invocable lookup(Msg.FunctionDesc d, ClassLoader loader) {
    try {
      Class<?> cls = Class.forName(d.className(), false, loader);
      MethodType mt = MethodType.fromMethodDescriptorString(d.descriptor(), loader);
      Executable target;
      if ("<init>".equals(d.methodName())) {
        target = cls.getDeclaredConstructor(mt.parameterArray());
      } else {
        target = findMethod(cls, d.methodName(), mt.parameterArray());
      }
      target.setAccessible(true);
      return new Invocable(target, d.kind(), null);
    } catch (ClassNotFoundException | TypeNotPresentException e) {
      throw new SerializationException(
          "cannot find class "
              + d.className()
              + " for remote function "
              + displayName(d)
              + " on this worker: workers run with the driver's class path; is the class on it?",
          e);
    } catch (NoSuchMethodException e) {
      throw new SerializationException(
          "cannot find "
              + displayName(d)
              + d.descriptor()
              + " on this worker: driver and workers must run the same build of the code",
          e);
    } catch (RuntimeException e) {
      throw new SerializationException(
          "cannot load remote function " + displayName(d) + ": " + Serde.rootMessage(e), e);
    }
  }

  private static Method findMethod(Class<?> cls, String name, Class<?>[] params)
      throws NoSuchMethodException {
    for (Class<?> c = cls; c != null; c = c.getSuperclass()) {
      try {
        return c.getDeclaredMethod(name, params);
      } catch (NoSuchMethodException e) {
        // try the superclass, then interfaces
      }
    }
    for (Class<?> i : cls.getInterfaces()) {
      try {
        return i.getMethod(name, params);
      } catch (NoSuchMethodException e) {
        // next
      }
    }
    throw new NoSuchMethodException(cls.getName() + "." + name);
  }
}
